package rules

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// compileRepoPacks loads and compiles every pack directory of the
// repository, failing the test on any error.
func compileRepoPacks(t testing.TB) *Pack {
	t.Helper()
	dirs, err := PackDirs(".")
	if err != nil {
		t.Fatal(err)
	}
	list, err := LoadDirs(dirs)
	if err != nil {
		t.Fatalf("load packs: %v", err)
	}
	p, err := Compile(list)
	if err != nil {
		t.Fatalf("compile packs: %v", err)
	}
	return p
}

func TestDefaultPackFresh(t *testing.T) {
	fresh, err := compileRepoPacks(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, defaultJSON) {
		t.Fatal("rules/default.json is stale: run go generate ./rules")
	}
	if Default().Hash != compileRepoPacks(t).Hash {
		t.Fatal("Default() hash differs from a fresh compile")
	}
}

func TestPackRoundTrip(t *testing.T) {
	p := compileRepoPacks(t)
	data, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	q, err := ReadPack(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ReadPack: %v", err)
	}
	again, err := q.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatal("pack JSON changed after a round trip")
	}
	if len(q.Packs) == 0 || q.Version != PackVersion {
		t.Fatalf("round trip lost packs or version: %v %d", q.Packs, q.Version)
	}
}

func TestReadPackRejects(t *testing.T) {
	good, err := compileRepoPacks(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(string) string
		want string
	}{
		{"version", func(s string) string { return strings.Replace(s, `"version": 1`, `"version": 99`, 1) }, "format version 99"},
		{"hash", func(s string) string { return strings.Replace(s, `"hash": "sha256:`, `"hash": "sha256:00`, 1) }, "does not match"},
		{"unknown-field", func(s string) string { return strings.Replace(s, `"version": 1`, `"version": 1, "extra": true`, 1) }, "unknown field"},
		{"edited-rule", func(s string) string { return strings.Replace(s, `"severity": "info"`, `"severity": "error"`, 1) }, "does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadPack(strings.NewReader(tt.edit(string(good))))
			if err == nil {
				t.Fatal("ReadPack accepted a damaged pack")
			}
			if !errors.Is(err, ErrPack) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q, want ErrPack mentioning %q", err, tt.want)
			}
		})
	}
}

func TestPackRuleLookup(t *testing.T) {
	p := Default()
	for _, key := range []string{"DM3001", "dm3001", "DL3015", "apt-no-install-recommends"} {
		r := p.Rule(key)
		if r == nil || r.Code != "DM3001" {
			t.Errorf("Rule(%q) = %v, want DM3001", key, r)
		}
	}
	if r := p.Rule("DL9999"); r != nil {
		t.Errorf("Rule(DL9999) = %s, want nil", r.Code)
	}
	if p.ParseRule() == nil || !hasString(p.ParseRule().Aliases, "DL1000") {
		t.Error("the default pack has no parse rule with alias DL1000")
	}
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
