package config

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
)

func texts(values []Value) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = v.Text
	}
	return out
}

func TestParseAllKeys(t *testing.T) {
	src := `ignored: [DM3008, DL3009]
override:
  error: [DM3004]
  style:
    - DL3059
failure-threshold: error
trusted-registries: [registry.example.org]
packs: [extra.yaml, /abs/other.yaml]
format: json
disable-ignore-pragma: true
`
	path := filepath.Join("repo", ".dockmine.yaml")
	s, err := Parse(path, []byte(src), false)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}

	if got, want := texts(s.Ignored), []string{"DM3008", "DL3009"}; !slices.Equal(got, want) {
		t.Errorf("ignored = %q, want %q", got, want)
	}
	if got := s.Ignored[1].Origin.String(); got != path+":1:19" {
		t.Errorf("origin of DL3009 = %s, want %s:1:19", got, path)
	}
	if len(s.Overrides) != 2 {
		t.Fatalf("overrides = %+v, want 2", s.Overrides)
	}
	if o := s.Overrides[1]; o.Severity != "style" || o.Code.Text != "DL3059" || o.Code.Origin.Line != 5 {
		t.Errorf("second override = %+v, want style DL3059 on line 5", o)
	}
	if s.FailureThreshold == nil || s.FailureThreshold.Text != "error" {
		t.Errorf("failure-threshold = %v, want error", s.FailureThreshold)
	}
	if got, want := texts(s.TrustedRegistries), []string{"registry.example.org"}; !slices.Equal(got, want) {
		t.Errorf("trusted-registries = %q, want %q", got, want)
	}
	if got, want := texts(s.Packs), []string{filepath.Join("repo", "extra.yaml"), "/abs/other.yaml"}; !slices.Equal(got, want) {
		t.Errorf("packs = %q, want %q (relative to the file)", got, want)
	}
	if s.Format == nil || s.Format.Text != "json" {
		t.Errorf("format = %v, want json", s.Format)
	}
	if s.DisableIgnorePragma == nil || !*s.DisableIgnorePragma {
		t.Errorf("disable-ignore-pragma = %v, want true", s.DisableIgnorePragma)
	}
}

func TestParseEmptyAndNull(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "~\n", "ignored:\noverride:\n"} {
		s, err := Parse("c.yaml", []byte(src), false)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if len(s.Ignored) != 0 || len(s.Overrides) != 0 || s.Format != nil {
			t.Errorf("Parse(%q) = %+v, want nothing set", src, s)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"unknown key", "ignored: []\nignore: [DL3008]\n", `c.yaml:2:1: unknown key "ignore": valid keys are ignored, override, failure-threshold, trusted-registries, packs, exclude, format, disable-ignore-pragma`},
		{"list as scalar", "ignored: DL3008\n", "c.yaml:1:10: ignored must be a list, as [A, B]"},
		{"empty list entry", "ignored: [DL3008, '']\n", "c.yaml:1:19: each entry of ignored must be a non-empty string"},
		{"nested list entry", "ignored:\n  - [DL3008]\n", "c.yaml:2:5: each entry of ignored must be a non-empty string"},
		{"bad threshold", "failure-threshold: fatal\n", `c.yaml:1:20: invalid failure-threshold "fatal": use one of error, warning, info, style or none`},
		{"bad severity", "override:\n  critical: [DL3008]\n", `c.yaml:2:3: invalid severity "critical" in override: use error, warning, info or style`},
		{"override not mapping", "override: [DL3008]\n", "c.yaml:1:11: override must map a severity (error, warning, info, style) to a list of rule codes"},
		{"bool as string", "disable-ignore-pragma: sometimes\n", `c.yaml:1:24: disable-ignore-pragma must be true or false, got "sometimes"`},
		{"duplicate key", "format: json\nformat: tty\n", `c.yaml:2:1: key "format" is set twice`},
		{"not a mapping", "- DL3008\n", "c.yaml:1:1: the configuration must be a mapping of keys to values"},
		{"format list", "format: [json]\n", "c.yaml:1:9: format must be a single value"},
		{"unknown format", "format: xml\n", `c.yaml:1:9: unknown format "xml": use one of tty, json, sarif, checkstyle, gitlab, junit, gnu`},
		{"yaml syntax first line", "ignored: [a: b: c\n", "c.yaml:1:1: invalid YAML: "},
		{"yaml syntax later line", "ignored:\n  - DL3008\n - DL3009\n", "c.yaml:2:1: invalid YAML: did not find expected key"},
		{"tab indent", "\tignored: []\n", "c.yaml:1:1: invalid YAML: found character that cannot start any token"},
		{"hadolint key in dockmine file", "trustedRegistries: [r.example.org]\n", `c.yaml:1:1: unknown key "trustedRegistries"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.src), false)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tt.src, tt.want)
			}
			var cerr *Error
			if !errors.As(err, &cerr) || !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is %T, want *Error wrapping ErrInvalid", err, err)
			}
			if got := err.Error(); len(got) < len(tt.want) || got[:len(tt.want)] != tt.want {
				t.Errorf("Parse(%q) error\n got: %s\nwant prefix: %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestParseHadolintDialect(t *testing.T) {
	src := `ignored: [DL3008]
trustedRegistries: [docker.io, registry.example.org]
format: codeclimate
no-color: true
no-fail: true
label-schema:
  maintainer: text
strict-labels: false
`
	s, err := Parse(".hadolint.yaml", []byte(src), true)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !s.Hadolint {
		t.Error("Hadolint = false, want true")
	}
	if got, want := texts(s.TrustedRegistries), []string{"docker.io", "registry.example.org"}; !slices.Equal(got, want) {
		t.Errorf("trustedRegistries = %q, want %q", got, want)
	}
	if s.Format == nil || s.Format.Text != "gitlab" {
		t.Errorf("format = %v, want gitlab (mapped from codeclimate)", s.Format)
	}
	if s.NoColor == nil || !*s.NoColor {
		t.Errorf("no-color = %v, want true", s.NoColor)
	}
	if s.FailureThreshold == nil || s.FailureThreshold.Text != "none" {
		t.Errorf("failure-threshold = %v, want none from no-fail", s.FailureThreshold)
	}
}

func TestParseHadolintIgnoreThreshold(t *testing.T) {
	s, err := Parse(".hadolint.yaml", []byte("failure-threshold: ignore\n"), true)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if s.FailureThreshold == nil || s.FailureThreshold.Text != "none" {
		t.Errorf("failure-threshold = %v, want none", s.FailureThreshold)
	}
}

func TestParseHadolintRejectsPacks(t *testing.T) {
	_, err := Parse(".hadolint.yaml", []byte("packs: [a.yaml]\n"), true)
	if err == nil {
		t.Fatal("packs in a .hadolint.yaml was accepted, want an unknown key error")
	}
}
