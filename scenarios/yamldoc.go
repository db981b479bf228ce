package scenarios

import (
	"bytes"
	"errors"
	"io"

	"gopkg.in/yaml.v3"
)

// parseOne parses data as one YAML document. A second document (after a
// --- line) would be ignored by a plain parse, and what it says silently
// lost, so it is an error at the line where it starts; an empty one is
// nothing lost and is let be. A syntax error comes back as an Error.
func parseOne(file string, data []byte) (*yaml.Node, *Error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(file, err)
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		switch {
		case errors.Is(err, io.EOF):
			return &root, nil
		case err != nil:
			return nil, yamlError(file, err)
		case len(next.Content) == 0 || next.Content[0].Kind == yaml.ScalarNode && next.Content[0].Tag == "!!null":
			continue // an empty document
		}
		return nil, &Error{File: file, Pos: Pos{Line: next.Line, Column: next.Column},
			Message: "a second YAML document starts here, and a file holds one: remove the --- line and what follows it, or give it a file of its own"}
	}
}
