package draft

import "testing"

func TestWithSchemaBase(t *testing.T) {
	in := []byte("# yaml-language-server: $schema=../../schema/request.schema.json\nkind: dataset\n")
	got := string(WithSchemaBase(in, "https://desk.example/schema/"))
	if want := "# yaml-language-server: $schema=https://desk.example/schema/request.schema.json\nkind: dataset\n"; got != want {
		t.Errorf("WithSchemaBase = %q, want %q", got, want)
	}
	if got := string(WithSchemaBase(in, "")); got != string(in) {
		t.Errorf("an empty base changed the text: %q", got)
	}
	other := []byte("kind: dataset\n")
	if got := string(WithSchemaBase(other, "https://desk.example/schema/")); got != string(other) {
		t.Errorf("a file without the comment was changed: %q", got)
	}
}
