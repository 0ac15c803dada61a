package config

import (
	"slices"
	"strings"
	"testing"
)

func TestFromEnv(t *testing.T) {
	env := map[string]string{
		"DOCKMINE_IGNORED":               "DL3008, DM3009,,",
		"DOCKMINE_OVERRIDE_ERROR":        "DL3004",
		"DOCKMINE_OVERRIDE_STYLE":        "DL3059",
		"DOCKMINE_FAILURE_THRESHOLD":     "info",
		"DOCKMINE_FORMAT":                "sarif",
		"DOCKMINE_DISABLE_IGNORE_PRAGMA": "1",
		"DOCKMINE_PACKS":                 "a.yaml,b.yaml",
	}
	s, err := FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("FromEnv: %v", err)
	}

	if got, want := texts(s.Ignored), []string{"DL3008", "DM3009"}; !slices.Equal(got, want) {
		t.Errorf("ignored = %q, want %q", got, want)
	}
	if got := s.Ignored[0].Origin.String(); got != "DOCKMINE_IGNORED" {
		t.Errorf("origin = %q, want DOCKMINE_IGNORED", got)
	}
	if len(s.Overrides) != 2 || s.Overrides[0].Severity != "error" || s.Overrides[1].Severity != "style" {
		t.Errorf("overrides = %+v, want DL3004 error then DL3059 style", s.Overrides)
	}
	if s.FailureThreshold == nil || s.FailureThreshold.Text != "info" {
		t.Errorf("threshold = %v, want info", s.FailureThreshold)
	}
	if s.Format == nil || s.Format.Text != "sarif" {
		t.Errorf("format = %v, want sarif", s.Format)
	}
	if s.DisableIgnorePragma == nil || !*s.DisableIgnorePragma {
		t.Errorf("disable-ignore-pragma = %v, want true", s.DisableIgnorePragma)
	}
	if got := texts(s.Packs); !slices.Equal(got, []string{"a.yaml", "b.yaml"}) {
		t.Errorf("packs = %q", got)
	}
}

func TestFromEnvEmptyIsUnset(t *testing.T) {
	s, err := FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatalf("FromEnv: %v", err)
	}
	if s.FailureThreshold != nil || s.Format != nil || s.DisableIgnorePragma != nil || len(s.Ignored) != 0 {
		t.Errorf("FromEnv with nothing set = %+v, want an empty layer", s)
	}
}

func TestFromEnvErrors(t *testing.T) {
	tests := []struct {
		name, value, want string
	}{
		{"DOCKMINE_FAILURE_THRESHOLD", "fatal", `DOCKMINE_FAILURE_THRESHOLD: invalid failure-threshold "fatal"`},
		{"DOCKMINE_DISABLE_IGNORE_PRAGMA", "maybe", `DOCKMINE_DISABLE_IGNORE_PRAGMA: invalid boolean "maybe": use true or false`},
	}
	for _, tt := range tests {
		_, err := FromEnv(func(k string) string {
			if k == tt.name {
				return tt.value
			}
			return ""
		})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s=%s: error %v, want prefix %q", tt.name, tt.value, err, tt.want)
		}
	}
}

func TestMergePrecedence(t *testing.T) {
	str := func(s string) *Value { return &Value{Text: s} }
	yes, no := true, false
	file := Settings{Path: ".dockmine.yaml", Ignored: []Value{{Text: "A"}}, FailureThreshold: str("error"), Format: str("json"), DisableIgnorePragma: &yes}
	env := Settings{Ignored: []Value{{Text: "B"}}, FailureThreshold: str("info")}
	flags := Settings{Format: str("sarif"), DisableIgnorePragma: &no}

	got := Merge(Settings{FailureThreshold: str("warning")}, file, env, flags)
	if got.Path != ".dockmine.yaml" {
		t.Errorf("path = %q, want the file's", got.Path)
	}
	if ids := texts(got.Ignored); !slices.Equal(ids, []string{"A", "B"}) {
		t.Errorf("ignored = %q, want [A B]: lists accumulate", ids)
	}
	if got.FailureThreshold.Text != "info" {
		t.Errorf("threshold = %q, want info from the environment", got.FailureThreshold.Text)
	}
	if got.Format.Text != "sarif" {
		t.Errorf("format = %q, want sarif from flags", got.Format.Text)
	}
	if *got.DisableIgnorePragma {
		t.Error("disable-ignore-pragma = true, want false from flags")
	}
}
