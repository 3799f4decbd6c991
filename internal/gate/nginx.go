package gate

import (
	"bytes"
	_ "embed"
	"text/template"
)

// nginxConf is the nginx configuration the end-to-end test runs and the README shows.
//
//go:embed testdata/nginx.conf.tmpl
var nginxConf string

// NginxParams fill in testdata/nginx.conf.tmpl.
type NginxParams struct {
	User      string   // the user workers run as ("" keeps nginx's default)
	Workers   int      // worker processes (0: auto, one per core)
	Dir       string   // where nginx keeps its pid file, error log and temporary files
	AccessLog string   // a file, or "off"
	Listen    string   // where nginx listens (host:port)
	Location  string   // the location of the API, e.g. / or /resource/
	Gates     []string // the gate instances (host:port)
	Upstream  string   // the data API (host:port)
	Plain     string   // for benchmarks only: a location serving the API without the gate
}

// NginxConfig returns the nginx configuration for p.
func NginxConfig(p NginxParams) ([]byte, error) {
	t, err := template.New("nginx.conf").Parse(nginxConf)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
