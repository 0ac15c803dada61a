package schema

import (
	"strings"
	"testing"
	"testing/fstest"
)

// loadText loads one schema file with the given text.
func loadText(text string) ([]*schema, error) {
	fsys := fstest.MapFS{"commands/test.schema": {Data: []byte(text)}}
	return loadFiles(fsys)
}

func TestLoadRejectsInvalidSchemas(t *testing.T) {
	cases := []struct {
		name string
		text string
		want string // part of the error message
	}{
		{"flag before command", "-y --yes", "before the first command"},
		{"unknown keyword", "command x\nfrobnicate", `unknown keyword "frobnicate"`},
		{"unknown role", "command x\n-o =pakage", `unknown role "pakage"`},
		{"unknown extra role", "command x\n--arg =name =strng", `unknown role "strng"`},
		{"unknown operand role", "command x\noperands file pat+", `unknown role "pat"`},
		{"unknown style", "command x\nstyle gnu-ish", `unknown style "gnu-ish"`},
		{"style after flags", "command x\n-y\nstyle posix", "style must come before"},
		{"duplicate short", "command x\n-y\n-y --yes", `"-y" is listed twice`},
		{"duplicate long", "command x\n--yes\n-y --yes", `"--yes" is listed twice`},
		{"duplicate command", "command x\nversion 1\ncommand x\nversion 1", `command "x" already has a schema at commands/test.schema:1`},
		{"missing version", "command x", `command "x" has no version line`},
		{"unknown group", "command x\nuse nothing", `unknown group "nothing"`},
		{"command in group", "group g\nversion 1", "a group may contain only"},
		{"exec not last", "command x\noperands exec... path", "exec must be the last slot"},
		{"variadic before exec", "command x\noperands path... exec...", "only single slots may come before exec"},
		{"three levels", "command x\nsub a b c", "one or two levels"},
		{"glued without family", "command x\n-X =string glued", "glued needs a family"},
		{"unknown attribute", "command x\n-X fast", `unknown flag attribute "fast"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			schemas, err := loadText(tc.text)
			if err == nil {
				err = buildRegistryCheck(schemas)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("load %q: error %v; want one containing %q", tc.text, err, tc.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "commands/test.schema:") {
				t.Errorf("load %q: error %q does not start with the file name", tc.text, err)
			}
		})
	}
}

// buildRegistryCheck runs the registry checks on schemas without replacing
// the package's registry.
func buildRegistryCheck(schemas []*schema) error {
	saved, savedModules, savedNames := registry, modules, allNames
	defer func() { registry, modules, allNames = saved, savedModules, savedNames }()
	allNames = nil
	return buildRegistry(schemas)
}

func TestLoadGroupsAndSubcommands(t *testing.T) {
	text := `
group common
-q --quiet
sub cache
sub cache clean|clear
--force

command tool
version tool 1.0
use common
-v --verbose
sub install|i
-y --yes
operands package+
`
	schemas, err := loadText(text)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	top := schemas[0].top

	if f := top.lookupShort('-', 'q'); f == nil || f.name != "--quiet" {
		t.Errorf("group flag -q: got %v; want --quiet", f)
	}
	if f := top.lookupLong("--verbose"); f == nil {
		t.Errorf("flag after use went to a subcommand; want it on the command")
	}
	install := top.children["i"]
	if install == nil || install.path != "install" {
		t.Fatalf("alias i: got %v; want subcommand install", install)
	}
	if f := install.lookupShort('-', 'q'); f == nil {
		t.Errorf("subcommand install does not see the command's -q")
	}
	clean := top.children["cache"].children["clear"]
	if clean == nil || clean.path != "cache clean" {
		t.Fatalf("alias clear: got %v; want subcommand cache clean", clean)
	}
	if clean.lookupLong("--force") == nil {
		t.Errorf("group subcommand flag --force is missing")
	}
}

func TestStripComment(t *testing.T) {
	cases := map[string]string{
		"-# --progress-bar":  "-# --progress-bar",
		"-y # yes":           "-y ",
		"# whole line":       "",
		"--color\t# comment": "--color\t",
	}
	for in, want := range cases {
		if got := stripComment(in); got != want {
			t.Errorf("stripComment(%q) = %q; want %q", in, got, want)
		}
	}
}
