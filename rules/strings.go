package rules

import (
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Strings is a list of strings that a rule file may also write as one
// scalar: `command: apt-get install` or `command: [apt-get, apt]`.
type Strings []string

// UnmarshalYAML accepts a scalar or a sequence of scalars.
func (s *Strings) UnmarshalYAML(node *yaml.Node) error {
	switch node.Kind {
	case yaml.ScalarNode:
		*s = Strings{node.Value}
		return nil
	case yaml.SequenceNode:
		out := make(Strings, 0, len(node.Content))
		for _, item := range node.Content {
			if item.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: expected a string, found a %s", item.Line, kindName(item.Kind))
			}
			out = append(out, item.Value)
		}
		*s = out
		return nil
	}
	return fmt.Errorf("line %d: expected a string or a list of strings, found a %s", node.Line, kindName(node.Kind))
}

// MarshalYAML writes a list of one as a scalar.
func (s Strings) MarshalYAML() (any, error) {
	if len(s) == 1 {
		return s[0], nil
	}
	return []string(s), nil
}

// UnmarshalJSON accepts a string or an array of strings.
func (s *Strings) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*s = Strings{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return fmt.Errorf("expected a string or an array of strings: %w", err)
	}
	*s = many
	return nil
}

// has reports whether the list contains v.
func (s Strings) has(v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.AliasNode:
		return "alias"
	case yaml.DocumentNode:
		return "document"
	}
	return "scalar"
}
