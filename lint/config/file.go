package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads and parses one configuration file. hadolint selects the
// .hadolint.yaml dialect. A file that cannot be read returns the os error, and a
// broken file returns an [*Error].
func Load(path string, hadolint bool) (Settings, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Settings{}, fmt.Errorf("reading configuration: %w", err)
	}
	return Parse(path, data, hadolint)
}

// Parse parses the YAML of a configuration file. path names the file in
// errors, and relative pack paths are resolved against its directory.
func Parse(path string, data []byte, hadolint bool) (Settings, error) {
	s := Settings{Path: path, Hadolint: hadolint}

	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return s, syntaxError(path, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return s, nil // an empty file sets nothing
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return s, nil
	}
	if root.Kind != yaml.MappingNode {
		return s, nodeError(path, root, "the configuration must be a mapping of keys to values")
	}

	p := fileParser{path: path, settings: &s, hadolint: hadolint}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if err := p.key(root.Content[i], root.Content[i+1]); err != nil {
			return s, err
		}
	}
	return s, nil
}

// fileParser reads the keys of one file into settings.
type fileParser struct {
	path     string
	settings *Settings
	hadolint bool
	seen     map[string]bool
}

// key reads one top-level key. It is a flat switch with one arm per key.
func (p *fileParser) key(k, v *yaml.Node) error {
	if k.Kind != yaml.ScalarNode {
		return nodeError(p.path, k, "a key must be a plain name")
	}
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if p.seen[k.Value] {
		return nodeError(p.path, k, fmt.Sprintf("key %q is set twice", k.Value))
	}
	p.seen[k.Value] = true
	v = resolveAlias(v)

	var err error
	switch name := k.Value; {
	case name == "ignored":
		p.settings.Ignored, err = p.list(k.Value, v)
	case name == "override":
		err = p.override(v)
	case name == "failure-threshold":
		err = p.threshold(v)
	case name == "trusted-registries", p.hadolint && name == "trustedRegistries":
		p.settings.TrustedRegistries, err = p.list(k.Value, v)
	case name == "packs" && !p.hadolint:
		err = p.packs(v)
	case name == "exclude" && !p.hadolint:
		p.settings.Exclude, err = p.globs(v)
	case name == "format":
		err = p.format(v)
	case name == "disable-ignore-pragma":
		p.settings.DisableIgnorePragma, err = p.boolean(k.Value, v)
	case p.hadolint && name == "no-color":
		p.settings.NoColor, err = p.boolean(k.Value, v)
	case p.hadolint && name == "no-fail":
		err = p.noFail(v)
	case p.hadolint && hadolintOnly[name]:
		// NOTE: label checks are not implemented, so these keys are
		// accepted for compatibility and have no effect.
	default:
		return nodeError(p.path, k, fmt.Sprintf("unknown key %q: valid keys are %s", name, p.validKeys()))
	}
	return err
}

// hadolintOnly are .hadolint.yaml keys that dockmine reads and ignores.
var hadolintOnly = map[string]bool{"label-schema": true, "strict-labels": true, "require-labels": true}

func (p *fileParser) validKeys() string {
	if p.hadolint {
		return "ignored, override, failure-threshold, trustedRegistries, format, disable-ignore-pragma, no-color, no-fail, label-schema, strict-labels"
	}
	return "ignored, override, failure-threshold, trusted-registries, packs, exclude, format, disable-ignore-pragma"
}

func (p *fileParser) override(v *yaml.Node) error {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return nodeError(p.path, v, "override must map a severity (error, warning, info, style) to a list of rule codes")
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, list := v.Content[i], resolveAlias(v.Content[i+1])
		if !isSeverity(k.Value) {
			return nodeError(p.path, k, fmt.Sprintf("invalid severity %q in override: use error, warning, info or style", k.Value))
		}
		codes, err := p.list("override."+k.Value, list)
		if err != nil {
			return err
		}
		for _, c := range codes {
			p.settings.Overrides = append(p.settings.Overrides, Override{Severity: k.Value, Code: c})
		}
	}
	return nil
}

func (p *fileParser) threshold(v *yaml.Node) error {
	val, err := p.scalar("failure-threshold", v)
	if err != nil || val == nil {
		return err
	}
	if p.hadolint && val.Text == "ignore" {
		val.Text = "none" // hadolint 2.x: no severity reaches "ignore"
	}
	if err := checkThreshold(*val); err != nil {
		return err
	}
	p.settings.FailureThreshold = val
	return nil
}

// format reads the report format, rejecting a name that no formatter has.
func (p *fileParser) format(v *yaml.Node) error {
	val, err := p.scalar("format", v)
	if err != nil || val == nil {
		return err
	}
	if p.hadolint {
		val.Text = hadolintFormat(val.Text)
	}
	if !slices.Contains(Formats, val.Text) {
		return val.Errorf("unknown format %q: use one of %s", val.Text, strings.Join(Formats, ", "))
	}
	p.settings.Format = val
	return nil
}

func (p *fileParser) noFail(v *yaml.Node) error {
	on, err := p.boolean("no-fail", v)
	if err != nil || on == nil || !*on {
		return err
	}
	if p.settings.FailureThreshold == nil {
		p.settings.FailureThreshold = &Value{Text: "none", Origin: p.origin(v)}
	}
	return nil
}

func (p *fileParser) packs(v *yaml.Node) error {
	list, err := p.list("packs", v)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p.path)
	for i := range list {
		if !filepath.IsAbs(list[i].Text) {
			list[i].Text = filepath.Join(dir, list[i].Text)
		}
	}
	p.settings.Packs = list
	return nil
}

// globs reads the exclude list and checks each pattern.
func (p *fileParser) globs(v *yaml.Node) ([]Value, error) {
	list, err := p.list("exclude", v)
	if err != nil {
		return nil, err
	}
	for _, g := range list {
		if _, err := ParseGlob(g.Text); err != nil {
			return nil, g.Errorf("%v", err)
		}
	}
	return list, nil
}

// list reads a sequence of strings. A null value is an empty list.
func (p *fileParser) list(key string, v *yaml.Node) ([]Value, error) {
	if isNull(v) {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, nodeError(p.path, v, fmt.Sprintf("%s must be a list, as [A, B]", key))
	}
	out := make([]Value, 0, len(v.Content))
	for _, item := range v.Content {
		item = resolveAlias(item)
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" || strings.TrimSpace(item.Value) == "" {
			return nil, nodeError(p.path, item, fmt.Sprintf("each entry of %s must be a non-empty string", key))
		}
		out = append(out, Value{Text: strings.TrimSpace(item.Value), Origin: p.origin(item)})
	}
	return out, nil
}

// scalar reads a string value. A null value leaves the key unset.
func (p *fileParser) scalar(key string, v *yaml.Node) (*Value, error) {
	if isNull(v) {
		return nil, nil
	}
	if v.Kind != yaml.ScalarNode {
		return nil, nodeError(p.path, v, fmt.Sprintf("%s must be a single value", key))
	}
	return &Value{Text: strings.TrimSpace(v.Value), Origin: p.origin(v)}, nil
}

func (p *fileParser) boolean(key string, v *yaml.Node) (*bool, error) {
	if isNull(v) {
		return nil, nil
	}
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		return nil, nodeError(p.path, v, fmt.Sprintf("%s must be true or false, got %q", key, v.Value))
	}
	b := strings.EqualFold(v.Value, "true")
	return &b, nil
}

func (p *fileParser) origin(n *yaml.Node) Origin {
	return Origin{Path: p.path, Line: n.Line, Col: n.Column}
}

// hadolintFormat maps hadolint's format names to dockmine's where they
// differ. Names without an equivalent pass through and are rejected.
func hadolintFormat(name string) string {
	switch name {
	case "codeclimate", "gitlab_codeclimate":
		return "gitlab"
	}
	return name
}

func isSeverity(s string) bool {
	return slices.Contains(Severities, s)
}

func isNull(v *yaml.Node) bool {
	return v.Kind == yaml.ScalarNode && v.Tag == "!!null"
}

func resolveAlias(v *yaml.Node) *yaml.Node {
	for v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	return v
}

func nodeError(path string, n *yaml.Node, msg string) *Error {
	return &Error{Origin: Origin{Path: path, Line: n.Line, Col: n.Column}, Msg: msg}
}

// yamlLine finds the line number in a go.yaml.in/yaml/v3 syntax error.
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// syntaxError turns a YAML syntax error into an [*Error].
//
// NOTE: yaml/v3 (v3.0.6) reports a line but no column for syntax errors,
// and leaves the line out when it is the first, so the column is always 1.
func syntaxError(path string, err error) *Error {
	line, msg := 1, err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		msg = m[2]
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
	}
	return &Error{Origin: Origin{Path: path, Line: line, Col: 1}, Msg: "invalid YAML: " + msg}
}
