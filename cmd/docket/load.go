package main

import (
	"fmt"
	"os"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/repo"
	"github.com/opendata-docket/docket/internal/validate"
	"github.com/opendata-docket/docket/internal/website"
)

// validateDir reads and validates the repository in dir as of today, as docket validate does:
// the one way every command that works on a repository on disk starts. The error is for what
// stops the reading (no such folder, the file system); problems in files are findings.
func validateDir(dir string, today docket.Date) (*validate.Validator, *repo.Repository, []docket.Finding, error) {
	return validateDirWith(dir, validate.Options{Today: today})
}

// validateDirWith is validateDir with the options of the validation, Today set: a caller that
// needs less of the repository than its findings and records can ask to hold less
// (validate.Options.Lean, FindingsOnly).
func validateDirWith(dir string, opts validate.Options) (*validate.Validator, *repo.Repository, []docket.Finding, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, nil, nil, fmt.Errorf("--repo %s: not a folder", dir)
	}
	v, err := validate.New()
	if err != nil {
		return nil, nil, nil, err
	}
	r, findings, err := v.Repository(os.DirFS(dir), opts)
	if err != nil {
		return nil, nil, nil, err
	}
	if r.Config != nil {
		findings = append(findings, website.CheckContent(os.DirFS(dir), r.Config)...)
	}
	return v, r, findings, nil
}
