package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// citationSchema compiles the Citation File Format 1.2.0 schema kept in
// testdata/citation (see its README for where it comes from), with
// formats (uri, date) asserted.
func citationSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	const path = "testdata/citation/schema.json"
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "https://citation-file-format.github.io/1.2.0/schema"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return sch
}

// cffDocument reads a CITATION.cff file's YAML as the JSON document the
// schema describes.
func cffDocument(t *testing.T, data []byte) any {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("CITATION.cff: %v", err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("CITATION.cff as JSON: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// CITATION.cff is a valid Citation File Format 1.2.0 file for this
// version, under the licence LICENSE holds.
func TestCitationFile(t *testing.T) {
	sch := citationSchema(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "CITATION.cff"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(cffDocument(t, data)); err != nil {
		t.Errorf("CITATION.cff does not follow the CFF 1.2.0 schema: %v", err)
	}
	var cff struct {
		Version string `yaml:"version"`
		License string `yaml:"license"`
		Type    string `yaml:"type"`
	}
	if err := yaml.Unmarshal(data, &cff); err != nil {
		t.Fatal(err)
	}
	if cff.Version != sim.Version {
		t.Errorf("CITATION.cff names version %q; sim.Version is %q: change one to match", cff.Version, sim.Version)
	}
	if cff.License != "Apache-2.0" || cff.Type != "software" {
		t.Errorf("CITATION.cff: license %q, type %q; want Apache-2.0, software", cff.License, cff.Type)
	}
	// The schema refuses what it should, so that the check above means
	// something.
	for _, bad := range []struct{ from, to string }{
		{"cff-version: 1.2.0", "cff-version: 1.1.0"},
		{"license: Apache-2.0", "license: Apache 2"},
		{"authors:\n  - name: The journeysim Authors\n", "authors: []\n"},
		{"type: software", "type: program"},
		{`repository-code: "https://`, `repository-code: "github://`},
	} {
		if !bytes.Contains(data, []byte(bad.from)) {
			t.Errorf("CITATION.cff lacks %q", bad.from)
			continue
		}
		if err := sch.Validate(cffDocument(t, bytes.Replace(data, []byte(bad.from), []byte(bad.to), 1))); err == nil {
			t.Errorf("CITATION.cff with %q in place of %q passes the schema", bad.to, bad.from)
		}
	}
	license, err := os.ReadFile(filepath.Join("..", "..", "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Apache License\n                           Version 2.0, January 2004", "END OF TERMS AND CONDITIONS", "Copyright 2026 The journeysim Authors"} {
		if !strings.Contains(string(license), want) {
			t.Errorf("LICENSE lacks %q", want)
		}
	}
}
