package config

import "testing"

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		glob  string
		path  string
		isDir bool
		want  bool
	}{
		{"Dockerfile.test", "Dockerfile.test", false, true},
		{"Dockerfile.test", "a/b/Dockerfile.test", false, true},
		{"legacy", "svc/legacy", true, true},
		{"*.orig", "svc/Dockerfile.orig", false, true},
		{"legacy/", "svc/legacy", true, true},
		{"legacy/", "svc/legacy", false, false},
		{"docs/**", "docs", true, true},
		{"docs/**", "docs/a/b/Dockerfile", false, true},
		{"docs/**", "svc/docs/Dockerfile", false, false},
		{"/examples/*/Dockerfile", "examples/go/Dockerfile", false, true},
		{"/examples/*/Dockerfile", "examples/go/x/Dockerfile", false, false},
		{"**/test/Dockerfile", "test/Dockerfile", false, true},
		{"**/test/Dockerfile", "a/b/test/Dockerfile", false, true},
		{"svc/*", "../svc/Dockerfile", false, false},
		{"Dockerfile", "../other/Dockerfile", false, true},
		{"svc", ".", true, false},
	}
	for _, tt := range tests {
		g, err := ParseGlob(tt.glob)
		if err != nil {
			t.Fatalf("ParseGlob(%q): %v", tt.glob, err)
		}
		if got := g.Match(tt.path, tt.isDir); got != tt.want {
			t.Errorf("glob %q on %q (directory %t): match %t, want %t", tt.glob, tt.path, tt.isDir, got, tt.want)
		}
	}
}

func TestParseGlobInvalid(t *testing.T) {
	for _, text := range []string{"", "/", "[x", "a//b", "  "} {
		if _, err := ParseGlob(text); err == nil {
			t.Errorf("ParseGlob(%q) succeeded, want an error", text)
		}
	}
}
