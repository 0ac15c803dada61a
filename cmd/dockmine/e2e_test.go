package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/dockmine/dockmine/rules"
)

// TestWholeJob runs the pipeline on local repositories: crawl, mine,
// review approve, compile and lint. A rule mined from the expert
// repositories must then flag a Dockerfile that breaks it, on the exact
// line and column.
func TestWholeJob(t *testing.T) {
	dir := t.TempDir()
	expertDockerfiles := []string{
		"FROM alpine:3.20\nRUN apk add --no-cache curl\n",
		"FROM alpine:3.20\nRUN set -eux; \\\n    apk add --no-cache git bash\n",
		"FROM alpine:3.19\nRUN apk add --no-cache --virtual .build-deps gcc \\\n && apk del .build-deps\n",
	}
	var experts []string
	for i, content := range expertDockerfiles {
		experts = append(experts, makeRepo(t, filepath.Join(dir, "expert", string(rune('a'+i))), content))
	}
	contrast := makeRepo(t, filepath.Join(dir, "contrast", "plain"), "FROM alpine:3.20\nRUN apk add curl\n")

	expertStore := filepath.Join(dir, "expert.db")
	contrastStore := filepath.Join(dir, "contrast.db")
	runOK(t, append([]string{"crawl", "--store", expertStore, "--progress", "never", "--log-level", "error"}, experts...)...)
	runOK(t, "crawl", "--store", contrastStore, "--progress", "never", "--log-level", "error", contrast)

	out := filepath.Join(dir, "out")
	runOK(t, "mine", "--contrast", contrastStore, "--out", out, "--min-families", "1", "--log-level", "error", expertStore)
	id := findCandidate(t, filepath.Join(out, "candidates.jsonl"), "apk add", "--no-cache")

	// The code is given because this review runs outside the repository,
	// where the rule files that reserve the built-in codes are absent.
	pack := filepath.Join(dir, "rules", "mined")
	runOK(t, "review", "approve", "--candidates", out, "--reviewer", "e2e", "--decisions", filepath.Join(dir, "rules", "decisions"),
		"--pack", pack, "--code", "DM3900", "--severity", "warning", "--reason", "every expert repository does it", id)
	compiled := filepath.Join(dir, "mined.json")
	runOK(t, "compile", pack, "-o", compiled)

	bad := filepath.Join(dir, "app", "Dockerfile")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "FROM alpine:3.20\nRUN set -eux; \\\n    echo start; \\\n    apk add python3\n"
	if err := os.WriteFile(bad, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCommand(t, "lint", "--pack", compiled, "--only", "DM3900", "--format", "json", bad)
	if code != exitFindings {
		t.Fatalf("lint exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFindings, stdout, stderr)
	}

	var findings []struct {
		Code   string `json:"code"`
		Line   int    `json:"line"`
		Column int    `json:"column"`
	}
	if err := json.Unmarshal([]byte(stdout), &findings); err != nil {
		t.Fatalf("lint --format json: %v\n%s", err, stdout)
	}
	if len(findings) != 1 {
		t.Fatalf("findings = %+v, want one DM3900 finding", findings)
	}
	f := findings[0]
	if f.Code != "DM3900" || f.Line != 4 || f.Column != 5 {
		t.Errorf("finding = %s at %d:%d, want DM3900 at 4:5, the apk add on the fourth line", f.Code, f.Line, f.Column)
	}
}

// makeRepo makes a git repository with one commit holding a Dockerfile and
// returns its path.
func makeRepo(t *testing.T, path, dockerfile string) string {
	t.Helper()
	repo, err := git.PlainInit(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(path, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tree.Add("Dockerfile"); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "dev", Email: "dev@example.org", When: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if _, err := tree.Commit("add a Dockerfile", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
	return path
}

// findCandidate returns the id of the candidate with the antecedent and
// consequent, failing the test with the candidates read when none has them.
func findCandidate(t *testing.T, path, antecedent, consequent string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var seen []string
	scanner := bufio.NewScanner(f)
	scanner.Buffer(nil, 64<<20)
	for scanner.Scan() {
		var c rules.Candidate
		if err := json.Unmarshal(scanner.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if c.Antecedent == antecedent && c.Consequent == consequent {
			return c.ID
		}
		seen = append(seen, c.Antecedent+" => "+c.Consequent)
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no candidate %q => %q in %s; candidates:\n%s", antecedent, consequent, path, strings.Join(seen, "\n"))
	return ""
}

func runCommand(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// runOK runs dockmine and fails the test unless it exits 0.
func runOK(t *testing.T, args ...string) {
	t.Helper()
	code, stdout, stderr := runCommand(t, args...)
	if code != exitOK {
		t.Fatalf("dockmine %s: exit code %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout, stderr)
	}
}
