// Package schema holds the JSON Schemas (draft 2020-12) for every file docket reads: a request,
// a decision, an appeal, an acceptance of terms, an enforcement history and the program
// configuration; and for keys.json, the key registry docket provision writes and the site
// publishes for gateways. They are the single source of truth for field names, types and
// allowed values; the validator compiles them once, the site publishes them and renders their
// descriptions as the field reference, and editors use them (through the yaml-language-server
// comment at the top of each file) to check as you type.
package schema

import "embed"

// FS holds the *.schema.json files.
//
//go:embed *.schema.json
var FS embed.FS

// File names of the schemas in FS, one per file kind.
const (
	Request     = "request.schema.json"
	Decision    = "decision.schema.json"
	Appeal      = "appeal.schema.json"
	Enforcement = "enforcement.schema.json"
	Acceptance  = "acceptance.schema.json"
	Config      = "config.schema.json"
	Keys        = "keys.schema.json"   // keys.json, the key registry docket provision keeps and the site publishes
	Ledger      = "ledger.schema.json" // ledger.json, the pull requests behind each request folder, kept by docket ledger
)
