package rules

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrRuleFile wraps every problem with a rule file's content.
var ErrRuleFile = errors.New("invalid rule file")

// RuleError is a problem at a position of a rule file. It prints as
// path:line:col: message.
type RuleError struct {
	Path string
	Line int // 1-based; 0 when the problem has no position
	Col  int // 1-based
	Msg  string
}

func (e *RuleError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
}

func (e *RuleError) Unwrap() error { return ErrRuleFile }

// origin records where a rule's fields were read, so validation can name
// file:line:col.
type origin struct {
	path string
	keys map[string][2]int // top-level key to line and column
	bad  [][2]int          // line and column of each bad example
	good [][2]int
}

// errorAt returns a RuleError at the position of a top-level key, or at the
// start of the file when the key is absent.
func (o origin) errorAt(key, format string, args ...any) *RuleError {
	pos, ok := o.keys[key]
	if !ok {
		pos = [2]int{1, 1}
	}
	if o.path == "" {
		pos = [2]int{}
	}
	return &RuleError{Path: o.pathOr("rule"), Line: pos[0], Col: pos[1], Msg: fmt.Sprintf(format, args...)}
}

func (o origin) pathOr(def string) string {
	if o.path == "" {
		return def
	}
	return o.path
}

// LoadFile reads one rule file. Decoding is strict: an unknown field, a
// value of the wrong type or a duplicate key is an error that names
// path:line:col. The file's base name must be CODE-name.yaml, matching the
// rule's code and name, and its directory names the rule's pack.
func LoadFile(path string) (*Rule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load rule: %w", err)
	}
	r, err := parseRule(path, data)
	if err != nil {
		return nil, err
	}

	base := filepath.Base(path)
	if want := r.Code + "-" + r.Name + ".yaml"; base != want {
		return nil, r.origin.errorAt("code", "file name %q does not match the rule: rename it to %q", base, want)
	}
	r.Pack = filepath.Base(filepath.Dir(path))
	return r, nil
}

// ParseRule decodes a rule from YAML, as [LoadFile] does but without the
// file name checks. name is used in errors only.
func ParseRule(name string, data []byte) (*Rule, error) {
	return parseRule(name, data)
}

func parseRule(path string, data []byte) (*Rule, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(path, err, nil)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &RuleError{Path: path, Line: 1, Col: 1, Msg: "expected one YAML mapping with the rule's fields"}
	}
	top := doc.Content[0]
	if err := checkFields(path, top, reflect.TypeOf(Rule{}), "rule"); err != nil {
		return nil, err
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	r := &Rule{}
	if err := dec.Decode(r); err != nil {
		return nil, yamlError(path, err, top)
	}
	r.origin = readOrigin(path, top)
	return r, nil
}

// readOrigin records the positions of the top-level keys and examples.
func readOrigin(path string, top *yaml.Node) origin {
	o := origin{path: path, keys: map[string][2]int{}}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, value := top.Content[i], top.Content[i+1]
		o.keys[key.Value] = [2]int{key.Line, key.Column}
		if key.Value != "examples" || value.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(value.Content); j += 2 {
			list := value.Content[j+1]
			var positions [][2]int
			for _, item := range list.Content {
				positions = append(positions, [2]int{item.Line, item.Column})
			}
			switch value.Content[j].Value {
			case "bad":
				o.bad = positions
			case "good":
				o.good = positions
			}
		}
	}
	return o
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

// checkFields walks a YAML node against the Go type it decodes into and
// reports the first mapping key that names no field, with its position and
// the fields that are allowed there.
func checkFields(path string, node *yaml.Node, t reflect.Type, where string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) || node.Kind == yaml.AliasNode {
		return nil
	}

	switch t.Kind() {
	case reflect.Struct:
		if node.Kind != yaml.MappingNode {
			return nil // the decoder reports the type mismatch
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(node.Content); i += 2 {
			key := node.Content[i]
			ft, ok := fields[key.Value]
			if !ok {
				return &RuleError{Path: path, Line: key.Line, Col: key.Column,
					Msg: fmt.Sprintf("unknown field %q in %s: use one of %s", key.Value, where, fieldList(fields))}
			}
			if err := checkFields(path, node.Content[i+1], ft, key.Value); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if node.Kind != yaml.SequenceNode {
			return nil
		}
		for _, item := range node.Content {
			if err := checkFields(path, item, t.Elem(), where); err != nil {
				return err
			}
		}
	}
	return nil
}

// yamlFields maps the YAML keys of a struct, inline fields included, to
// their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func fieldList(fields map[string]reflect.Type) string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

var yamlLinePattern = regexp.MustCompile(`line (\d+): (.*)`)

// yamlError converts an error of the YAML library, which names a line, to
// a RuleError at that line and the column of its first node.
func yamlError(path string, err error, top *yaml.Node) error {
	msg := err.Error()
	var typeErr *yaml.TypeError
	if errors.As(err, &typeErr) && len(typeErr.Errors) > 0 {
		msg = typeErr.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")

	m := yamlLinePattern.FindStringSubmatch(msg)
	if m == nil {
		return &RuleError{Path: path, Line: 1, Col: 1, Msg: msg}
	}
	line, _ := strconv.Atoi(m[1])
	msg = m[2]
	if field := fieldAt(top, line); field != "" && typeErrorPattern.MatchString(msg) {
		msg = field + ": " + describeTypeError(msg)
	}
	return &RuleError{Path: path, Line: line, Col: firstColumn(top, line), Msg: msg}
}

// fieldAt returns the path of the deepest field whose value starts on a
// line, as "scope" or "require.flag.name" or "exceptions[1].mount", or "".
func fieldAt(node *yaml.Node, line int) string {
	best := ""
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				key, value := n.Content[i], n.Content[i+1]
				sub := key.Value
				if path != "" {
					sub = path + "." + key.Value
				}
				if value.Line == line || key.Line == line {
					best = sub
				}
				walk(value, sub)
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				walk(item, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	if node != nil {
		walk(node, "")
	}
	return best
}

// typeErrorPattern matches the YAML library's type errors, as "cannot
// unmarshal !!seq into string".
var typeErrorPattern = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `[^`]*`)? into (.+)$")

// describeTypeError rewrites a YAML type error in the words of the rule
// format: "a list where a string is expected".
func describeTypeError(msg string) string {
	m := typeErrorPattern.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	got := map[string]string{"seq": "a list", "map": "a mapping", "str": "a string", "int": "a number",
		"float": "a number", "bool": "true or false", "null": "an empty value"}[m[1]]
	if got == "" {
		got = "a " + m[1]
	}
	want := m[2]
	switch {
	case want == "string":
		want = "a string"
	case want == "bool":
		want = "true or false"
	case strings.HasPrefix(want, "int") || strings.HasPrefix(want, "uint"):
		want = "a whole number"
	case strings.HasPrefix(want, "float"):
		want = "a number"
	case strings.HasPrefix(want, "[]"):
		want = "a list"
	case want == "rules.Severity":
		want = "one of error, warning, info or style"
	default:
		want = "a mapping of fields" // a struct of the rule format
	}
	return fmt.Sprintf("%s where %s is expected", got, want)
}

// firstColumn returns the column of the first node on a line, or 1.
func firstColumn(node *yaml.Node, line int) int {
	if node == nil {
		return 1
	}
	best := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Line == line && (best == 0 || n.Column < best) {
			best = n.Column
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(node)
	if best == 0 {
		return 1
	}
	return best
}

// LoadDir reads every *.yaml rule file of a pack directory, in name order.
// It reads all files before it returns, so the error lists every bad file.
func LoadDir(dir string) ([]*Rule, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("load rules from %s: %w", dir, err)
	}
	if len(paths) == 0 {
		if _, statErr := os.Stat(dir); statErr != nil {
			return nil, fmt.Errorf("load rules: %w", statErr)
		}
	}
	sort.Strings(paths)

	var out []*Rule
	var errs []error
	for _, p := range paths {
		r, err := LoadFile(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}

// MarshalYAML returns the rule as a YAML node whose keys are in the order
// of the file format and whose multi-line texts are literal blocks.
func (r *Rule) MarshalYAML() (any, error) {
	type plain Rule // without this method
	var node yaml.Node
	if err := node.Encode((*plain)(r)); err != nil {
		return nil, err
	}
	literalBlocks(&node)
	return &node, nil
}

// literalBlocks writes every multi-line string as a literal block.
func literalBlocks(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && strings.Contains(n.Value, "\n") {
		n.Style = yaml.LiteralStyle
	}
	for _, c := range n.Content {
		literalBlocks(c)
	}
}

// EncodeYAML returns the text of the rule's file.
func (r *Rule) EncodeYAML() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode rule %s: %w", r.Code, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode rule %s: %w", r.Code, err)
	}
	return buf.Bytes(), nil
}

// WriteFile writes the rule's YAML file to path. Use FileName for the base
// name that [LoadFile] expects.
func (r *Rule) WriteFile(path string) error {
	data, err := r.EncodeYAML()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write rule %s: %w", r.Code, err)
	}
	return nil
}

// FileName returns the base name of the rule's file: CODE-name.yaml.
func (r *Rule) FileName() string {
	return r.Code + "-" + r.Name + ".yaml"
}

var ruleFilePattern = regexp.MustCompile(`^DM[0-9]{4}-.*\.yaml$`)

// PackDirs returns the pack directories under root, sorted: the direct
// subdirectories that hold at least one rule file (DM0000-name.yaml).
func PackDirs(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("find packs: %w", err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		files, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("find packs: %w", err)
		}
		for _, f := range files {
			if !f.IsDir() && ruleFilePattern.MatchString(f.Name()) {
				out = append(out, dir)
				break
			}
		}
	}
	return out, nil
}

// LoadDirs reads the rules of several pack directories, collecting the
// errors of all of them.
func LoadDirs(dirs []string) ([]*Rule, error) {
	var out []*Rule
	var errs []error
	for _, dir := range dirs {
		rules, err := LoadDir(dir)
		out = append(out, rules...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}
