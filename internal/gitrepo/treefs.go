package gitrepo

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// TreeFS presents a git tree as a read-only file system. Symbolic links and submodules are
// listed with their types (fs.ModeSymlink, fs.ModeIrregular) and never followed. It is safe for
// concurrent use: go-git's object storage is not, so reads are serialized here.
type TreeFS struct {
	root  *object.Tree
	mu    sync.Mutex
	trees map[string]*object.Tree // decoded folders by path
}

// NewTreeFS returns the file system of tree t.
func NewTreeFS(t *Tree) *TreeFS {
	return &TreeFS{root: t.t, trees: map[string]*object.Tree{".": t.t}}
}

// tree returns the folder at dir, decoding it once.
func (t *TreeFS) tree(dir string) (*object.Tree, error) {
	if tr, ok := t.trees[dir]; ok {
		return tr, nil
	}
	parent, err := t.tree(path.Dir(dir))
	if err != nil {
		return nil, err
	}
	e, err := parent.FindEntry(path.Base(dir))
	if err != nil || e.Mode != filemode.Dir {
		return nil, fs.ErrNotExist
	}
	tr, err := parent.Tree(e.Name)
	if err != nil {
		return nil, err
	}
	t.trees[dir] = tr
	return tr, nil
}

// Entry returns the tree entry at name.
func (t *TreeFS) Entry(name string) (object.TreeEntry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.entry(name)
}

func (t *TreeFS) entry(name string) (object.TreeEntry, error) {
	if !fs.ValidPath(name) || name == "." {
		return object.TreeEntry{}, fs.ErrInvalid
	}
	dir, err := t.tree(path.Dir(name))
	if err != nil {
		return object.TreeEntry{}, fs.ErrNotExist
	}
	e, err := dir.FindEntry(path.Base(name))
	if err != nil {
		return object.TreeEntry{}, fs.ErrNotExist
	}
	return *e, nil
}

// Open opens a file or folder.
func (t *TreeFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if name == "." {
		return &dirFile{info: entryInfo{name: ".", mode: filemode.Dir}, entries: t.list(t.root)}, nil
	}
	e, err := t.entry(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	info := entryInfo{name: e.Name, mode: e.Mode}
	switch e.Mode {
	case filemode.Dir:
		tr, err := t.tree(name)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &dirFile{info: info, entries: t.list(tr)}, nil
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
		dir, _ := t.tree(path.Dir(name))
		f, err := dir.TreeEntryFile(&e)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		r, err := f.Reader()
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		defer r.Close()
		// Read whole: files under requests/ are small, and the storage must not be shared
		// across goroutines while a reader is open.
		data, err := io.ReadAll(io.LimitReader(r, 8<<20))
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		info.size = f.Size
		return &file{info: info, r: bytes.NewReader(data)}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("not a regular file")}
}

// ReadDir lists a folder, sorted by name.
func (t *TreeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	f, err := t.Open(name)
	if err != nil {
		return nil, err
	}
	d, ok := f.(*dirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a folder")}
	}
	return d.entries, nil
}

func (t *TreeFS) list(tr *object.Tree) []fs.DirEntry {
	out := make([]fs.DirEntry, 0, len(tr.Entries))
	for _, e := range tr.Entries {
		out = append(out, &dirEntry{fs: t, tree: tr, e: e})
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out
}

// dirEntry is a listed entry. Its size is only looked up when Info is called, so listing a
// folder of ten thousand requests decodes no blob.
type dirEntry struct {
	fs   *TreeFS
	tree *object.Tree
	e    object.TreeEntry
}

func (d *dirEntry) Name() string      { return d.e.Name }
func (d *dirEntry) IsDir() bool       { return d.e.Mode == filemode.Dir }
func (d *dirEntry) Type() fs.FileMode { return entryInfo{mode: d.e.Mode}.Mode().Type() }
func (d *dirEntry) Info() (fs.FileInfo, error) {
	info := entryInfo{name: d.e.Name, mode: d.e.Mode}
	if d.e.Mode.IsFile() && d.e.Mode != filemode.Symlink {
		d.fs.mu.Lock()
		defer d.fs.mu.Unlock()
		f, err := d.tree.TreeEntryFile(&d.e)
		if err != nil {
			return nil, err
		}
		info.size = f.Size
	}
	return info, nil
}

type entryInfo struct {
	name string
	mode filemode.FileMode
	size int64
}

func (i entryInfo) Name() string       { return i.name }
func (i entryInfo) Size() int64        { return i.size }
func (i entryInfo) ModTime() time.Time { return time.Time{} }
func (i entryInfo) IsDir() bool        { return i.mode == filemode.Dir }
func (i entryInfo) Sys() any           { return i.mode }
func (i entryInfo) Mode() fs.FileMode {
	switch i.mode {
	case filemode.Dir:
		return fs.ModeDir | 0o755
	case filemode.Symlink:
		return fs.ModeSymlink | 0o777
	case filemode.Submodule:
		return fs.ModeIrregular
	case filemode.Executable:
		return 0o755
	}
	return 0o644
}

type file struct {
	info entryInfo
	r    *bytes.Reader
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *file) Close() error               { return nil }

type dirFile struct {
	info    entryInfo
	entries []fs.DirEntry
	pos     int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a folder")}
}
func (d *dirFile) Close() error { return nil }
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.pos:]
	if n <= 0 {
		d.pos = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.pos += n
	return rest[:n], nil
}
