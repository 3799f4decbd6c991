// Package repo reads a docket repository — the configuration and every request folder — from any
// file system: a working tree on disk for `docket validate` and `docket build`, or a git tree
// for `docket check`. It enforces what may exist where (folder ids, file names, no symlinks, no
// oversized files), parses and schema-checks every file in parallel, and decodes the valid ones
// into the domain types. Rules across files live in package validate.
package repo

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/schemacheck"
	"github.com/opendata-docket/docket/internal/suggest"
	"github.com/opendata-docket/docket/internal/yamldoc"
)

// Repository is what was read from a repository.
type Repository struct {
	Config     *docket.Config // nil when the configuration is missing or not valid
	ConfigFile *File          // nil when missing
	Folders    []*Folder      // request folders, sorted by id
}

// Folder is one request folder.
type Folder struct {
	ID     string
	Path   string // requests/<id>
	Files  map[docket.FileKind]*File
	Record docket.Record // the typed value of every file that is OK
}

// File is one file docket read.
type File struct {
	Path string // slash-separated, relative to the repository root
	Kind docket.FileKind
	Doc  *yamldoc.Document // nil when the file could not be parsed
	OK   bool              // parsed, valid against its schema and decoded
	// Value is the decoded file when OK: *docket.Request, *docket.Decision, *docket.Appeal,
	// *docket.Acceptance, *docket.Enforcement or *docket.Config.
	Value any
}

// Folder returns the folder with the given id.
func (r *Repository) Folder(id string) *Folder {
	for _, f := range r.Folders {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// Loader reads repositories. The zero value is not usable: Checker is required.
type Loader struct {
	Checker *schemacheck.Checker
	Workers int // files read in parallel; 0 means one per CPU
	// Only, when set, limits which request folders are read (by id): docket check reads the
	// folders a pull request touches, not all ten thousand.
	Only func(id string) bool
	// Loaded, when set, is called once for each request folder as soon as all its files are
	// read, checked and decoded (its Record filled), with the repository's configuration
	// already read (r.Config set, or nil when it is missing or not valid). Calls come from the
	// reading goroutines one at a time, in no particular order; findings are the folder's
	// files' own. It lets a caller apply its rules to a folder and drop what it no longer
	// needs while the rest is read, so that ten thousand folders are never all held at once.
	Loaded func(r *Repository, f *Folder, findings []docket.Finding)

	loadedMu sync.Mutex // one call of Loaded at a time
}

// Load reads the repository in fsys. It returns everything it could read and a finding for
// everything it could not; it fails only on errors of the file system itself.
func (l *Loader) Load(fsys fs.FS) (*Repository, []docket.Finding, error) {
	w := &walker{fsys: fsys, repo: &Repository{}, only: l.Only}
	if err := w.walkConfig(); err != nil {
		return nil, nil, err
	}
	// The configuration first: the rules a caller applies to each folder as it is loaded
	// need it.
	if cf := w.repo.ConfigFile; cf != nil {
		l.read(fsys, w.jobs[0])
		if cf.OK {
			w.repo.Config, _ = cf.Value.(*docket.Config)
		}
	}
	// The folders are read while the rest are still being listed.
	p := l.startReaders(fsys, w.repo)
	w.listed = func(fj *folderJobs) {
		if len(fj.jobs) == 0 {
			l.folderDone(w.repo, fj)
		}
		for _, j := range fj.jobs {
			p.next <- j
		}
	}
	err := w.walkRequests()
	p.wait()
	if err != nil {
		return nil, nil, err
	}
	for _, j := range w.jobs {
		w.findings = append(w.findings, j.findings...)
	}
	return w.repo, w.findings, nil
}

type job struct {
	file     *File
	folder   *folderJobs // nil for the configuration
	findings []docket.Finding
}

// folderJobs tracks the files of one folder still being read.
type folderJobs struct {
	folder  *Folder
	jobs    []*job
	pending atomic.Int32
}

// folderDone fills the folder's Record and hands it to Loaded.
func (l *Loader) folderDone(r *Repository, fj *folderJobs) {
	f := fj.folder
	rec := &f.Record
	rec.ID = f.ID
	for _, file := range f.Files {
		switch v := file.Value.(type) {
		case *docket.Request:
			rec.Request = v
		case *docket.Decision:
			rec.Decision = v
		case *docket.Appeal:
			rec.Appeal = v
		case *docket.Enforcement:
			rec.Enforcement = v
		case *docket.Acceptance:
			rec.Acceptance = v
		}
	}
	if l.Loaded == nil {
		return
	}
	var findings []docket.Finding
	for _, j := range fj.jobs {
		findings = append(findings, j.findings...)
	}
	l.loadedMu.Lock()
	defer l.loadedMu.Unlock()
	l.Loaded(r, f, findings)
}

type walker struct {
	fsys     fs.FS
	only     func(id string) bool
	repo     *Repository
	jobs     []*job
	folder   *folderJobs       // the folder being walked, nil outside one
	listed   func(*folderJobs) // called with each request folder once its files are listed
	findings []docket.Finding
}

func (w *walker) fileFinding(p, msg string) {
	w.findings = append(w.findings, docket.Finding{Path: p, Line: 1, Col: 1, Message: msg})
}

func (w *walker) add(p string, kind docket.FileKind) *File {
	f := &File{Path: p, Kind: kind}
	j := &job{file: f, folder: w.folder}
	w.jobs = append(w.jobs, j)
	if w.folder != nil {
		w.folder.jobs = append(w.folder.jobs, j)
		w.folder.pending.Add(1)
	}
	return f
}

// readDir lists dir, or returns nil when it does not exist.
func (w *walker) readDir(dir string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(w.fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	return entries, nil
}

// entry finds name among the entries of dir.
func (w *walker) entry(dir, name string) (fs.DirEntry, error) {
	entries, err := w.readDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Name() == name {
			return e, nil
		}
	}
	return nil, nil
}

func (w *walker) walkConfig() error {
	dir, name := path.Split(docket.ConfigPath)
	dir = strings.TrimSuffix(dir, "/")
	top, err := w.entry(".", dir)
	if err != nil {
		return err
	}
	if top != nil && !top.IsDir() {
		w.fileFinding(dir, "must be a folder holding docket.yml")
		return nil
	}
	var e fs.DirEntry
	if top != nil {
		if e, err = w.entry(dir, name); err != nil {
			return err
		}
	}
	if e == nil {
		msg := "configuration file is missing; docket needs it to know the staff, the catalog and the key policy"
		if alt, _ := w.entry(dir, "docket.yaml"); alt != nil {
			msg = "configuration file is missing; rename .github/docket.yaml to .github/docket.yml"
		}
		w.fileFinding(docket.ConfigPath, msg)
		return nil
	}
	if msg := notRegular(e); msg != "" {
		w.fileFinding(docket.ConfigPath, msg)
		return nil
	}
	w.repo.ConfigFile = w.add(docket.ConfigPath, docket.KindConfigFile)
	return nil
}

func notRegular(e fs.DirEntry) string {
	switch t := e.Type(); {
	case t&fs.ModeSymlink != 0:
		return "symbolic links are not allowed; commit the file itself"
	case t.IsDir():
		return "is a folder; a file was expected"
	case !t.IsRegular():
		return "is not a regular file"
	}
	return ""
}

var folderFileNames = func() []string {
	var names []string
	for _, f := range docket.FolderFiles {
		names = append(names, f.Name)
	}
	return names
}()

func (w *walker) walkRequests() error {
	top, err := w.entry(".", docket.RequestsDir)
	if err != nil || top == nil {
		return err
	}
	if !top.IsDir() {
		w.fileFinding(docket.RequestsDir, "must be a folder of request folders")
		return nil
	}
	entries, err := w.readDir(docket.RequestsDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := docket.RequestsDir + "/" + e.Name()
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			w.fileFinding(p, "symbolic links are not allowed under requests/")
			continue
		case !e.IsDir():
			if e.Name() == ".gitkeep" {
				continue
			}
			w.fileFinding(p, "files cannot sit directly in requests/; put it in a request folder, as requests/<id>/"+docket.RequestFile)
			continue
		}
		if w.only != nil && !w.only(e.Name()) {
			continue // files directly under requests/ are still reported above
		}
		if err := w.walkFolder(e.Name(), p); err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) walkFolder(id, dir string) error {
	if !docket.ValidID(id) {
		w.fileFinding(dir, fmt.Sprintf("folder name %q is not a valid request id: it %s", id, docket.ExplainID(id)))
	}
	entries, err := w.readDir(dir)
	if err != nil {
		return err
	}
	folder := &Folder{ID: id, Path: dir, Files: map[docket.FileKind]*File{}}
	w.folder = &folderJobs{folder: folder}
	defer func(fj *folderJobs) {
		w.folder = nil
		w.listed(fj)
	}(w.folder)
	for _, e := range entries {
		p := dir + "/" + e.Name()
		kind, known := docket.KindOfFile(e.Name())
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			w.fileFinding(p, "symbolic links are not allowed; commit the file itself")
		case e.IsDir():
			w.fileFinding(p, "folders are not allowed inside a request folder; it holds only "+strings.Join(folderFileNames, ", "))
		case !known:
			w.fileFinding(p, unknownFileMessage(e.Name()))
		case !e.Type().IsRegular():
			w.fileFinding(p, "is not a regular file")
		default:
			folder.Files[kind] = w.add(p, kind)
		}
	}
	w.repo.Folders = append(w.repo.Folders, folder)
	return nil
}

// copyMark is what a download or a copy adds to a file's name: " (1)", " copy", "-copy 2".
var copyMark = regexp.MustCompile(`(?i)(?:\s*\(\d+\)|[\s_-]+copy(?:\s*\d+)?)$`)

// meantFile is the request-folder file that name is, once what editors, downloads and copies
// add is taken off: request.yaml.txt, request (1).yaml, Request.json, decision copy.yml.
func meantFile(name string) string {
	base := strings.ToLower(name)
	for {
		ext := path.Ext(base)
		switch ext {
		case ".txt", ".yaml", ".yml", ".json", ".md", ".rtf", ".docx", ".doc":
			base = strings.TrimSuffix(base, ext)
			continue
		}
		break
	}
	base = strings.TrimSpace(copyMark.ReplaceAllString(base, ""))
	if _, ok := docket.KindOfFile(base + ".yaml"); ok && base+".yaml" != name {
		return base + ".yaml"
	}
	return ""
}

func unknownFileMessage(name string) string {
	msg := "unknown file in a request folder"
	if meant := meantFile(name); meant != "" {
		return msg + "; rename it to " + meant
	}
	guess := ""
	if strings.HasSuffix(name, ".yml") {
		if _, ok := docket.KindOfFile(strings.TrimSuffix(name, ".yml") + ".yaml"); ok {
			guess = strings.TrimSuffix(name, ".yml") + ".yaml"
		}
	}
	if guess == "" {
		guess = suggest.Closest(name, folderFileNames)
	}
	if guess == "" {
		guess = suggest.Closest(strings.TrimSuffix(strings.TrimSuffix(name, ".yml"), ".yaml")+".yaml", folderFileNames)
	}
	if guess != "" {
		return msg + "; did you mean " + guess + "?"
	}
	return msg + "; a request folder holds only " + strings.Join(folderFileNames, ", ")
}

// readers parse, check and decode files in parallel, and hand each folder to Loaded once its
// last file is read.
type readers struct {
	next chan *job
	wg   sync.WaitGroup
}

func (l *Loader) startReaders(fsys fs.FS, r *Repository) *readers {
	workers := l.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &readers{next: make(chan *job, 64)}
	for range workers {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.next {
				l.read(fsys, j)
				if fj := j.folder; fj != nil && fj.pending.Add(-1) == 0 {
					l.folderDone(r, fj)
				}
			}
		}()
	}
	return p
}

// wait returns once every file sent is read.
func (p *readers) wait() {
	close(p.next)
	p.wg.Wait()
}

func (l *Loader) read(fsys fs.FS, j *job) {
	f := j.file
	data, err := readLimited(fsys, f.Path)
	if err != nil {
		j.findings = []docket.Finding{{Path: f.Path, Line: 1, Col: 1, Message: "could not be read: " + plainIOError(err)}}
		return
	}
	if len(data) > yamldoc.MaxSize {
		size := int64(len(data))
		if st, err := fs.Stat(fsys, f.Path); err == nil {
			size = st.Size()
		}
		j.findings = []docket.Finding{{Path: f.Path, Line: 1, Col: 1, Message: fmt.Sprintf("file is %.1f MiB; the limit is 1 MiB", float64(size)/(1<<20))}}
		return
	}
	doc, findings := yamldoc.Parse(f.Path, data)
	if doc == nil {
		j.findings = findings
		return
	}
	f.Doc = doc
	if j.findings = l.Checker.Check(f.Kind, doc); len(j.findings) > 0 {
		return
	}
	v, err := decode(f.Kind, doc.Value)
	if err != nil {
		j.findings = []docket.Finding{{Path: f.Path, Line: 1, Col: 1, Message: "passed the schema but could not be read (this is a bug in docket; please report it): " + err.Error()}}
		return
	}
	f.Value, f.OK = v, true
	doc.Compact()
}

// readLimited reads at most one byte more than the size limit, so an oversized file is
// detected without reading it whole.
func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Sized from the file's length, the buffer is allocated once, not grown from 512 bytes.
	size := 512
	if st, err := f.Stat(); err == nil && st.Size() >= 0 && st.Size() <= yamldoc.MaxSize {
		size = int(st.Size()) + 1 // one more, for the read that finds the end
	}
	buf := make([]byte, 0, size)
	r := io.LimitReader(f, yamldoc.MaxSize+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // the file grew since, or has no length: grow
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func plainIOError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error()
}
