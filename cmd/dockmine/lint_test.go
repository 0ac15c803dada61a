package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/rules"
)

// lintDir writes files into a temporary directory and returns its path.
func lintDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	cleanDockerfile   = "FROM debian:12.6\nUSER 1000\nCMD [\"true\"]\n"
	warningDockerfile = "FROM debian:12.6\nRUN apt-get install --no-install-recommends -y curl\n"
	infoDockerfile    = "FROM debian:12.6\nRUN apt-get install -y curl=7.88.1-10+deb12u5\n"
	brokenDockerfile  = "FROM debian:12.6\nRUN <<EOF\necho\n"
)

func TestLintExitCodes(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := lintDir(t, map[string]string{
		"clean/Dockerfile":         cleanDockerfile,
		"warn/Dockerfile":          warningDockerfile,
		"info/Dockerfile":          infoDockerfile,
		"broken/Dockerfile":        brokenDockerfile,
		"badconfig/.dockmine.yaml": "ignored:\n  - DM3001\n  - NOPE1234\n",
		"badconfig/Dockerfile":     cleanDockerfile,
		"badformat/.dockmine.yaml": "format: xml\n",
		"badformat/Dockerfile":     warningDockerfile,
	})
	at := func(rel string) string { return filepath.Join(dir, rel) }

	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		want   int
		stderr string // a substring of standard error
	}{
		{"clean", []string{at("clean")}, nil, exitOK, ""},
		{"warning fails", []string{at("warn")}, nil, exitFindings, ""},
		{"info below threshold", []string{at("info")}, nil, exitOK, ""},
		{"info at threshold", []string{"--failure-threshold", "info", at("info")}, nil, exitFindings, ""},
		{"threshold none", []string{"--failure-threshold", "none", at("warn")}, nil, exitOK, ""},
		{"threshold from environment", []string{at("info")}, map[string]string{"DOCKMINE_FAILURE_THRESHOLD": "info"}, exitFindings, ""},
		{"flag beats environment", []string{"--failure-threshold", "error", at("warn")}, map[string]string{"DOCKMINE_FAILURE_THRESHOLD": "style"}, exitOK, ""},
		{"ignored by flag", []string{"--ignore", "DL3008", at("warn")}, nil, exitOK, ""},
		{"severity override", []string{"--error", "DM3001", at("info")}, nil, exitFindings, ""},
		{"parse failure is a finding", []string{at("broken"), at("clean")}, nil, exitFindings, ""},
		{"broken config", []string{at("badconfig")}, nil, exitUsage, filepath.Join(dir, "badconfig", ".dockmine.yaml") + ":3:5: unknown rule \"NOPE1234\""},
		{"config flag replaces search", []string{"--config", at("badconfig/.dockmine.yaml"), at("clean")}, nil, exitUsage, ":3:5: unknown rule"},
		{"missing path", []string{at("none")}, nil, exitUsage, "no such file"},
		{"no path", nil, nil, exitUsage, "missing PATH"},
		{"unknown flag", []string{"--frobnicate", at("clean")}, nil, exitUsage, "flag provided but not defined"},
		{"help", []string{"-h"}, nil, exitOK, "usage: dockmine lint"},
		{"fix and diff", []string{"--fix", "--diff", at("clean")}, nil, exitUsage, "--fix and --diff conflict"},
		{"fix stdin", []string{"--fix", "-"}, nil, exitUsage, "--fix cannot rewrite standard input"},
		{"stdin name without stdin", []string{"--stdin-name", "x", at("clean")}, nil, exitUsage, "--stdin-name needs -"},
		{"bad format", []string{"--format", "xml", at("clean")}, nil, exitUsage, `unknown format "xml"`},
		{"bad format in a configuration file", []string{at("badformat")}, nil, exitUsage, filepath.Join(dir, "badformat", ".dockmine.yaml") + `:1:9: unknown format "xml"`},
		{"bad format in environment", []string{at("clean")}, map[string]string{"DOCKMINE_FORMAT": "xml"}, exitUsage, `DOCKMINE_FORMAT: unknown format "xml"`},
		{"bad threshold", []string{"--failure-threshold", "fatal", at("clean")}, nil, exitUsage, "invalid --failure-threshold"},
		{"bad threshold in environment", []string{at("clean")}, map[string]string{"DOCKMINE_FAILURE_THRESHOLD": "fatal"}, exitUsage, "DOCKMINE_FAILURE_THRESHOLD: invalid"},
		{"unknown ignored code", []string{"--ignore", "DL9999", at("clean")}, nil, exitUsage, `--ignore: unknown rule "DL9999"`},
		{"unknown only code", []string{"--only", "XX", at("clean")}, nil, exitUsage, `--only: unknown rule "XX"`},
		{"negative jobs", []string{"--jobs", "-1", at("clean")}, nil, exitUsage, "invalid --jobs"},
		{"explain", []string{"--explain", "DL3015"}, nil, exitOK, ""},
		{"explain unknown", []string{"--explain", "DL9999"}, nil, exitUsage, `unknown rule "DL9999"`},
		{"explain with paths", []string{"--explain", "DL3015", at("clean")}, nil, exitUsage, "--explain takes no paths"},
		{"list rules", []string{"--list-rules"}, nil, exitOK, ""},
		{"list rules as sarif", []string{"--list-rules", "--format", "sarif"}, nil, exitUsage, "with --list-rules: use tty or json"},
		{"missing pack", []string{"--pack", at("none.json"), at("clean")}, nil, exitUsage, "--pack: reading pack"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			got := run(context.Background(), append([]string{"lint"}, tt.args...), strings.NewReader(""), &stdout, &stderr)
			if got != tt.want {
				t.Errorf("dockmine lint %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), got, tt.want, stdout.String(), stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.stderr, stderr.String())
			}
		})
	}
}

func TestLintFixWritesFile(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := lintDir(t, map[string]string{"Dockerfile": "FROM debian:12.6\nRUN apt-get install curl=7.88.1-10+deb12u5\n"})
	path := filepath.Join(dir, "Dockerfile")

	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"lint", "--fix", path}, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK {
		t.Errorf("exit %d, want 0 once everything is fixed\n%s%s", code, stdout.String(), stderr.String())
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "FROM debian:12.6\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n"
	if string(got) != want {
		t.Errorf("fixed file:\n got: %q\nwant: %q", got, want)
	}

	stdout.Reset()
	if code := run(context.Background(), []string{"lint", "--diff", path}, strings.NewReader(""), &stdout, &stderr); code != exitOK || stdout.Len() != 0 {
		t.Errorf("--diff on the fixed file: exit %d, output %q; want 0 and no diff", code, stdout.String())
	}
}

func TestLintStdin(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"lint", "--format", "gnu", "--stdin-name", "svc/Dockerfile", "-"},
		strings.NewReader(warningDockerfile), &stdout, &stderr)
	if code != exitFindings {
		t.Errorf("exit %d, want 1\n%s", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "svc/Dockerfile:2.") {
		t.Errorf("output does not name the file from --stdin-name:\n%s", stdout.String())
	}
}

func TestLintUseColor(t *testing.T) {
	tests := []struct {
		name       string
		format     string
		toFile     bool
		terminal   bool
		noColorEnv string
		noColor    bool
		want       bool
	}{
		{"terminal", "tty", false, true, "", false, true},
		{"pipe", "tty", false, false, "", false, false},
		{"NO_COLOR set", "tty", false, true, "1", false, false},
		{"--no-color", "tty", false, true, "", true, false},
		{"--output", "tty", true, true, "", false, false},
		{"machine format", "json", false, true, "", false, false},
	}
	for _, tt := range tests {
		if got := useColor(tt.format, tt.toFile, tt.terminal, tt.noColorEnv, tt.noColor); got != tt.want {
			t.Errorf("%s: useColor = %t, want %t", tt.name, got, tt.want)
		}
	}
}

func TestLintOutputFile(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := lintDir(t, map[string]string{"Dockerfile": warningDockerfile})
	out := filepath.Join(dir, "report.json")

	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"lint", "--format", "json", "--output", out, filepath.Join(dir, "Dockerfile")}, strings.NewReader(""), &stdout, &stderr)
	if code != exitFindings {
		t.Errorf("exit %d, want 1\n%s", code, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing with --output", stdout.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"code": "DM3002"`) {
		t.Errorf("report file lacks the DM3002 finding:\n%s", data)
	}
}

func TestLintExtraPackFlag(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	rule := `code: DM4998
name: team-no-wget
title: wget in a RUN of this team
severity: error
status: approved
rationale: |
  This team fetches files with curl only.
scope: script
match:
  command: wget
message: fetch files with curl instead of {command}
examples:
  bad:
    - |
      FROM debian:12.6
      RUN wget -q https://example.org/a
  good:
    - |
      FROM debian:12.6
      RUN echo ok
`
	r, err := rules.ParseRule("DM4998-team-no-wget.yaml", []byte(rule))
	if err != nil {
		t.Fatal(err)
	}
	pk, err := rules.Compile([]*rules.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	data, err := pk.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dir := lintDir(t, map[string]string{
		"team.json":  string(data),
		"Dockerfile": "FROM debian:12.6\nRUN wget -q https://example.org/a\n",
	})

	var stdout, stderr bytes.Buffer
	args := []string{"lint", "--format", "gnu", "--only", "DM4998", "--pack", filepath.Join(dir, "team.json"), filepath.Join(dir, "Dockerfile")}
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	if code != exitFindings {
		t.Errorf("exit %d, want 1\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "error: fetch files with curl instead of wget [DM4998]") {
		t.Errorf("output lacks the extra pack's finding:\n%s", stdout.String())
	}
}

// TestLintPackOfEmbeddedRules runs the README's example: a pack compiled
// from the repository's compliance rules holds the same rules as the
// embedded pack, so lint skips them instead of reporting a conflict.
func TestLintPackOfEmbeddedRules(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := lintDir(t, map[string]string{"Dockerfile": cleanDockerfile})
	pack := filepath.Join(dir, "compliance.json")

	var stdout, stderr bytes.Buffer
	ctx := context.Background()
	if code := run(ctx, []string{"compile", "--quiet", filepath.Join("..", "..", "rules", "compliance"), "-o", pack}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("compile: exit %d\n%s", code, stderr.String())
	}
	if code := run(ctx, []string{"lint", "--pack", pack, filepath.Join(dir, "Dockerfile")}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Errorf("lint --pack with the embedded rules: exit %d, want 0\n%s%s", code, stdout.String(), stderr.String())
	}

	stdout.Reset()
	if code := run(ctx, []string{"lint", "--list-rules", "--format", "json", "--pack", pack}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("--list-rules: exit %d\n%s", code, stderr.String())
	}
	if n := strings.Count(stdout.String(), `"code": "DM5001"`); n != 1 {
		t.Errorf("--list-rules lists DM5001 %d times, want once", n)
	}
}

// TestLintPackConflict checks that a pack whose rule has an embedded
// rule's code but other content is rejected.
func TestLintPackConflict(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	src, err := os.ReadFile(filepath.Join("..", "..", "rules", "compliance", "DM5001-ssh-server-installed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(src), "severity: warning", "severity: info", 1)
	if changed == string(src) {
		t.Fatal("DM5001 has no severity: warning line to change")
	}
	r, err := rules.ParseRule("DM5001-ssh-server-installed.yaml", []byte(changed))
	if err != nil {
		t.Fatal(err)
	}
	pk, err := rules.Compile([]*rules.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	data, err := pk.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dir := lintDir(t, map[string]string{"other.json": string(data), "Dockerfile": cleanDockerfile})

	var stdout, stderr bytes.Buffer
	args := []string{"lint", "--pack", filepath.Join(dir, "other.json"), filepath.Join(dir, "Dockerfile")}
	if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != exitUsage {
		t.Errorf("exit %d, want 2\n%s", code, stderr.String())
	}
	if want := "rule DM5001 of pack"; !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), "differs from rule DM5001") {
		t.Errorf("stderr does not name the conflicting rule:\n%s", stderr.String())
	}
}
