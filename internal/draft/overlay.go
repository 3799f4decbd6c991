package draft

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing/fstest"
)

// Overlay is base with files added or replaced, by slash path: a repository as it would be
// once a draft is written, so the draft is validated with every rule before anything touches
// the disk or GitHub.
func Overlay(base fs.FS, files map[string][]byte) fs.FS {
	// fstest.MapFS is the standard library's in-memory file system: it supplies the folders
	// above each file, which is all the overlay adds.
	m := fstest.MapFS{}
	for p, b := range files {
		m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
	}
	return &overlay{base: base, top: m}
}

type overlay struct {
	base fs.FS
	top  fstest.MapFS
}

func (o *overlay) Open(name string) (fs.File, error) {
	if _, ok := o.top[name]; ok {
		return o.top.Open(name)
	}
	f, err := o.base.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return o.top.Open(name) // a folder only the overlay has
	}
	return f, err
}

func (o *overlay) Stat(name string) (fs.FileInfo, error) {
	if _, ok := o.top[name]; ok {
		return o.top.Stat(name)
	}
	st, err := fs.Stat(o.base, name)
	if errors.Is(err, fs.ErrNotExist) {
		return o.top.Stat(name)
	}
	return st, err
}

func (o *overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	base, err := fs.ReadDir(o.base, name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	top, topErr := o.top.ReadDir(name)
	if err != nil && topErr != nil {
		return nil, err
	}
	byName := map[string]fs.DirEntry{}
	for _, e := range base {
		byName[e.Name()] = e
	}
	for _, e := range top {
		if !e.IsDir() || byName[e.Name()] == nil {
			byName[e.Name()] = e
		}
	}
	out := make([]fs.DirEntry, 0, len(byName))
	for _, e := range byName {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}
