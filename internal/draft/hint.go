package draft

import "bytes"

// relativeHint starts every file Request, Decision, Appeal and Enforcement write: the schema as
// docket's own repository holds it, two folders up from requests/<id>/.
const relativeHint = "# yaml-language-server: $schema=../../schema/"

// WithSchemaBase points the yaml-language-server comment on the first line of text to the
// schemas under base (an address ending in "/"): a data repository has no schema/ folder, and
// editors read the schemas its site publishes instead. An empty base leaves text as it is.
func WithSchemaBase(text []byte, base string) []byte {
	if base == "" || !bytes.HasPrefix(text, []byte(relativeHint)) {
		return text
	}
	return append([]byte("# yaml-language-server: $schema="+base), text[len(relativeHint):]...)
}
