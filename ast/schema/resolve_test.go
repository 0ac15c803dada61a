package schema

import (
	"slices"
	"testing"
)

func TestResolve(t *testing.T) {
	cases := []struct {
		name      string
		canonical string
		known     bool
	}{
		{"apt-get", "apt-get", true},
		{"/usr/bin/apt-get", "apt-get", true},
		{"/usr/local/bin/pip", "pip", true},
		{"/bin/sh", "sh", true},
		{"/usr/sbin/useradd", "useradd", true},
		{"pip3", "pip", true},
		{"pip3.12", "pip", true},
		{"python3", "python", true},
		{"python3.11", "python", true},
		{"python2", "python", true},
		{"/usr/bin/python3.12", "python", true},
		{"gcc-12", "gcc", true},
		{"php82", "php", true},
		{"./configure", "./configure", true},
		{"../configure", "./configure", true},
		{"$SRC/configure", "./configure", true},
		{"/tmp/src/configure", "./configure", true},
		{"docker-php-ext-install", "docker-php-ext-install", true},
		{"docker-php-source", "docker-php-source", true},
		{"[", "[", true},
		{".", ".", true},
		{"/docker-entrypoint.sh", "/docker-entrypoint.sh", false},
		{"./build.sh", "./build.sh", false},
		{"/opt/app/bin/pip", "/opt/app/bin/pip", false},
		{"/usr/bin/frobnicate", "frobnicate", false},
		{"frobnicate2", "frobnicate2", false},
		{"sha256sum", "sha256sum", true},
		{"bzip2", "bzip2", true},
		{"$PM", "$PM", false},
		{"", "", false},
	}
	for _, tc := range cases {
		canonical, known := Resolve(tc.name)
		if canonical != tc.canonical || known != tc.known {
			t.Errorf("Resolve(%q) = %q, %v; want %q, %v", tc.name, canonical, known, tc.canonical, tc.known)
		}
	}
}

func TestNamesSortedAndKnown(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names() is not sorted: %v", names)
	}
	if len(names) < 100 {
		t.Errorf("Names() has %d names; want at least 100", len(names))
	}
	for _, name := range names {
		canonical, known := Resolve(name)
		if canonical != name || !known {
			t.Errorf("Resolve(%q) = %q, %v; want the name itself and true", name, canonical, known)
		}
		if Version(name) == "" {
			t.Errorf("Version(%q) is empty; every schema names the tool version it follows", name)
		}
	}

	names[0] = "changed"
	if Names()[0] == "changed" {
		t.Errorf("Names() returns the package's own slice; want a copy")
	}
}

func TestVersion(t *testing.T) {
	if got, want := Version("apt-get"), "apt-get 2.6 (Debian 12)"; got != want {
		t.Errorf("Version(%q) = %q; want %q", "apt-get", got, want)
	}
	if got := Version("pip3"); got == "" {
		t.Errorf("Version(%q) is empty; want pip's version", "pip3")
	}
	if got := Version("frobnicate"); got != "" {
		t.Errorf("Version(%q) = %q; want empty", "frobnicate", got)
	}
}

func TestTrimVersion(t *testing.T) {
	cases := map[string]string{
		"python3.11": "python",
		"pip3":       "pip",
		"gcc-12":     "gcc",
		"php8.2":     "php",
		"sha256sum":  "sha256sum",
		"123":        "123",
		"-1":         "-1",
		"go":         "go",
	}
	for in, want := range cases {
		if got := trimVersion(in); got != want {
			t.Errorf("trimVersion(%q) = %q; want %q", in, got, want)
		}
	}
}
