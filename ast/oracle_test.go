package ast

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildKitOracle checks the instruction phase against BuildKit on the
// corpus: every instruction's joined text must equal the line BuildKit
// parsed, so that no position falls back to the instruction's first line.
// TestCorpusParses makes the same check; this test reports the share.
func TestBuildKitOracle(t *testing.T) {
	files := loadCorpus(t, "gold", "wild")
	var total, fallback int
	for _, cf := range files {
		f, err := Parse(cf.path, cf.src)
		if err != nil {
			continue
		}
		for _, inst := range f.Instructions {
			total++
			if len(inst.pieces) == 1 && inst.pieces[0].synthetic {
				fallback++
				t.Errorf("%s:%d: joined text differs from BuildKit's", cf.path, inst.Start.Line)
			}
		}
	}
	t.Logf("%d instructions, %d joined differently from BuildKit", total, fallback)
}

// TestBashOracle checks the shell phase against bash -n on the scripts of
// the gold corpus: a script we parse must be valid Bash syntax, and a script
// bash accepts must parse, except where mvdan/sh checks at parse time what
// bash checks only when the script runs (an invalid ${...} operator).
func TestBashOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("runs bash on thousands of scripts; skipped with -short")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}

	var scripts []*Script
	var names []string
	for _, cf := range loadCorpus(t, "gold") {
		if cf.template {
			continue
		}
		f, err := Parse(cf.path, cf.src)
		if err != nil {
			continue
		}
		for _, s := range f.Scripts() {
			if s.Dialect == DialectPOSIX || s.Dialect == DialectBash {
				scripts = append(scripts, s)
				names = append(names, fmt.Sprintf("%s:%d", cf.path, s.Start.Line))
			}
		}
	}

	dir := t.TempDir()
	const batch = 200
	for start := 0; start < len(scripts); start += batch {
		end := min(start+batch, len(scripts))
		if bashAccepts(t, bash, dir, scripts[start:end]) && allParsed(scripts[start:end]) {
			continue
		}
		for i := start; i < end; i++ {
			ok := bashAccepts(t, bash, dir, scripts[i:i+1])
			parsed := scripts[i].Err == nil
			switch {
			case ok == parsed:
			case ok && strings.Contains(scripts[i].Err.Msg, "parameter expansion operator"):
			default:
				t.Errorf("%s: bash -n accepts=%t, our parse ok=%t (error: %v)", names[i], ok, parsed, scripts[i].Err)
			}
		}
	}
	t.Logf("compared %d scripts with bash -n", len(scripts))
}

func allParsed(scripts []*Script) bool {
	for _, s := range scripts {
		if s.Err != nil {
			return false
		}
	}
	return true
}

// bashAccepts runs bash -n on scripts, each wrapped in a function of its own
// so that one file checks many.
func bashAccepts(t *testing.T, bash, dir string, scripts []*Script) bool {
	t.Helper()
	var sb strings.Builder
	for i, s := range scripts {
		fmt.Fprintf(&sb, "f%d() {\n%s\n}\n", i, s.Source)
	}
	path := filepath.Join(dir, "scripts.sh")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return exec.Command(bash, "-n", path).Run() == nil
}
