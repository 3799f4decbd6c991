// Makes ajv-cli read docket's files as docket does, so that compare.sh measures the same work:
//   - the formats of ajv-formats (date, uri, email), as docket's validator checks them;
//   - docket's own keywords (x-hint, x-text, x-when) as annotations: they only carry the
//     plain-language messages docket prints, so ajv has nothing to check for them;
//   - the format catalog-id: a dataset id from the catalog in .github/docket.yml (read from the
//     folder ajv runs in), as docket checks it;
//   - YAML read by the YAML 1.2 core schema (js-yaml's CORE_SCHEMA), as docket's YAML reader
//     does: js-yaml 3's default turns 2026-11-16 into a JavaScript Date, which no "type": "string"
//     accepts.
// Used as: ajv validate --spec=draft2020 -c ./docket-vocabulary.js -s SCHEMA -d "GLOB"
"use strict";
const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");
const addFormats = require("ajv-formats");

yaml.safeLoad = (text, opts) => yaml.load(text, Object.assign({}, opts, { schema: yaml.CORE_SCHEMA }));

function catalogIDs() {
  const file = path.join(process.cwd(), ".github", "docket.yml");
  const config = yaml.load(fs.readFileSync(file, "utf8"), { schema: yaml.CORE_SCHEMA });
  return new Set(((config && config.catalog) || []).map((d) => d.id));
}

module.exports = function (ajv) {
  addFormats(ajv);
  for (const k of ["x-hint", "x-text", "x-when"]) ajv.addKeyword(k);
  let ids;
  ajv.addFormat("catalog-id", {
    type: "string",
    validate: (s) => (ids || (ids = catalogIDs())).has(s),
  });
  return ajv;
};
