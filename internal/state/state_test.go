package state

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestDir(t *testing.T) {
	ctx := context.Background()
	d := &Dir{Path: filepath.Join(t.TempDir(), "state")}
	if _, err := d.Read(ctx, "keys.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Read of nothing: %v", err)
	}
	if err := d.Write(ctx, map[string][]byte{"keys.json": []byte("one")}, "first"); err != nil {
		t.Fatal(err)
	}
	if err := d.Write(ctx, map[string][]byte{"keys.json": []byte("two"), "run.json": []byte("{}")}, "second"); err != nil {
		t.Fatal(err)
	}
	got, err := d.Read(ctx, "keys.json")
	if err != nil || string(got) != "two" {
		t.Fatalf("Read = %q, %v", got, err)
	}
	entries, _ := os.ReadDir(d.Path)
	if len(entries) != 2 {
		t.Errorf("the folder holds %d entries, want 2 (no temporary file left behind)", len(entries))
	}
	for _, bad := range []string{"../keys.json", "a/b", "", ".hidden", "Keys.json"} {
		if err := d.Write(ctx, map[string][]byte{bad: nil}, ""); err == nil {
			t.Errorf("Write accepted the name %q", bad)
		}
		if _, err := d.Read(ctx, bad); err == nil {
			t.Errorf("Read accepted the name %q", bad)
		}
	}
}

func TestDirDryRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	d := &Dir{Path: dir, DryRun: true}
	if err := d.Write(context.Background(), map[string][]byte{"keys.json": []byte("x")}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dry run made %s: %v", dir, err)
	}
}
