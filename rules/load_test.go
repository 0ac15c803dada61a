package rules

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const validRule = `code: DM4999
name: curl-fail
title: curl without --fail
severity: info
status: approved
rationale: |
  Without --fail curl saves an error page as the file.
match:
  command: curl
require:
  flag: {name: --fail}
message: add --fail to {command}
examples:
  bad:
    - |
      FROM debian:12.6
      RUN curl -o /a https://example.org/a
  good:
    - |
      FROM debian:12.6
      RUN curl -f -o /a https://example.org/a
`

func TestParseRuleStrict(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want string // substring of the error, with its position
	}{
		{"top-level-unknown", func(s string) string { return s + "owner: me\n" }, `x.yaml:22:1: unknown field "owner" in rule`},
		{"nested-unknown", func(s string) string {
			return strings.Replace(s, "  flag: {name: --fail}", "  flag: {name: --fail, valeu: x}", 1)
		}, `x.yaml:11:24: unknown field "valeu" in flag`},
		{"clause-unknown", func(s string) string {
			return strings.Replace(s, "  command: curl\n", "  command: curl\n  wen: []\n", 1)
		}, `x.yaml:10:3: unknown field "wen" in match`},
		{"wrong-type", func(s string) string { return strings.Replace(s, "severity: info", "severity: [info]", 1) },
			`x.yaml:4:1: severity: a list where one of error, warning, info or style is expected`},
		{"wrong-type-scope", func(s string) string {
			return strings.Replace(s, "status: approved\n", "status: approved\nscope: [script]\n", 1)
		},
			`x.yaml:6:1: scope: a list where a string is expected`},
		{"wrong-type-nested", func(s string) string {
			return strings.Replace(s, "  flag: {name: --fail}", "  flag: {name: --fail, count: many}", 1)
		}, `x.yaml:11:3: require.flag.count: a string where a whole number is expected`},
		{"bad-severity", func(s string) string { return strings.Replace(s, "severity: info", "severity: fatal", 1) }, `invalid severity "fatal"`},
		{"duplicate-key", func(s string) string { return s + "name: again\n" }, `x.yaml:22:1: mapping key "name" already defined at line 2`},
		{"not-a-mapping", func(string) string { return "- a\n- b\n" }, `x.yaml:1:1: expected one YAML mapping`},
		{"strings-type", func(s string) string { return strings.Replace(s, "  command: curl", "  command: {a: b}", 1) }, `expected a string or a list of strings`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRule("x.yaml", []byte(tt.edit(validRule)))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !errors.Is(err, ErrRuleFile) {
				t.Errorf("error %v does not wrap ErrRuleFile", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadFileName(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mypack")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "DM4999-curl-fail.yaml")
	bad := filepath.Join(dir, "DM4999-other.yaml")
	for _, p := range []string{good, bad} {
		if err := os.WriteFile(p, []byte(validRule), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	r, err := LoadFile(good)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	if r.Pack != "mypack" {
		t.Errorf("Pack = %q, want mypack", r.Pack)
	}
	if _, err := LoadFile(bad); err == nil || !strings.Contains(err.Error(), `rename it to "DM4999-curl-fail.yaml"`) {
		t.Errorf("LoadFile of a misnamed file: %v", err)
	}

	_, err = LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "DM4999-other.yaml") {
		t.Errorf("LoadDir error %v, want it to name the misnamed file", err)
	}
	if _, err := LoadDir(filepath.Join(dir, "missing")); err == nil {
		t.Error("LoadDir of a missing directory returned no error")
	}
}

// TestRuleYAMLRoundTrip writes every rule of the repository as YAML and
// reads it back: the record must not change.
func TestRuleYAMLRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "roundtrip")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, r := range compileRepoPacks(t).Rules {
		path := filepath.Join(dir, r.FileName())
		if err := r.WriteFile(path); err != nil {
			t.Fatalf("%s: WriteFile: %v", r.Code, err)
		}
		back, err := LoadFile(path)
		if err != nil {
			data, _ := os.ReadFile(path)
			t.Fatalf("%s: LoadFile of the written file: %v\n%s", r.Code, err, data)
		}
		back.Pack = r.Pack
		want, _ := json.Marshal(r)
		got, _ := json.Marshal(back)
		if string(want) != string(got) {
			t.Errorf("%s changed in a YAML round trip:\nwant %s\ngot  %s", r.Code, want, got)
		}
	}
}

func TestPackDirs(t *testing.T) {
	dirs, err := PackDirs(".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range dirs {
		names = append(names, filepath.Base(d))
	}
	got := strings.Join(names, ",")
	if !strings.Contains(got, "compliance") || !strings.Contains(got, "hadolint-parity") {
		t.Errorf("PackDirs = %s, want compliance and hadolint-parity", got)
	}
	for _, n := range names {
		if n == "internal" || n == "testdata" {
			t.Errorf("PackDirs lists %s, which holds no rule files", n)
		}
	}
}

func TestParseSeverity(t *testing.T) {
	for _, s := range []Severity{SeverityStyle, SeverityInfo, SeverityWarning, SeverityError} {
		got, err := ParseSeverity(strings.ToUpper(s.String()))
		if err != nil || got != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", strings.ToUpper(s.String()), got, err)
		}
	}
	if _, err := ParseSeverity("fatal"); !errors.Is(err, ErrSeverity) {
		t.Errorf("ParseSeverity(fatal) error %v, want ErrSeverity", err)
	}
	if Severity(0).String() != "invalid" {
		t.Errorf("Severity(0).String() = %q", Severity(0).String())
	}
}
