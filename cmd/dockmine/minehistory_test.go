package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/dockmine/dockmine/mining"
)

// historyCommit is one commit of a test repository: the files it writes,
// and the files it deletes (an empty content).
type historyCommit struct {
	when  time.Time
	files map[string]string
}

// writeHistoryRepo makes a repository in dir with one commit per entry,
// dated as given, with go-git.
func writeHistoryRepo(t *testing.T, dir string, commits []historyCommit) {
	t.Helper()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range commits {
		for name, text := range c.files {
			path := filepath.Join(dir, filepath.FromSlash(name))
			if text == "" {
				if _, err := wt.Remove(name); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := wt.Add(name); err != nil {
				t.Fatal(err)
			}
		}
		sig := &object.Signature{Name: "dockmine test", Email: "test@example.invalid", When: c.when}
		if _, err := wt.Commit("commit "+string(rune('a'+i)), &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
			t.Fatal(err)
		}
	}
}

func keyserverRun(server string) string {
	return "FROM debian:12.6\nRUN gpg --batch --keyserver " + server + " --recv-keys 0123456789ABCDEF0123456789ABCDEF01234567\n"
}

// readDrift returns the rows of drift.csv keyed by antecedent, consequent
// and year, with the share as written.
func readDrift(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[2]+" | "+r[3]+" | "+r[4]] = r[9]
	}
	return out
}

func TestMineHistoryOfCrawledRepository(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "sample__image")
	day := func(y int) time.Time { return time.Date(y, 6, 1, 12, 0, 0, 0, time.UTC) }
	writeHistoryRepo(t, repo, []historyCommit{
		{day(2019), map[string]string{"Dockerfile": keyserverRun("ha.pool.sks-keyservers.net")}},
		{day(2020), map[string]string{"alpine/Dockerfile": "FROM alpine:3.12\nRUN apk add curl\n"}},
		{day(2021), map[string]string{"Dockerfile": keyserverRun("keyserver.ubuntu.com"), "alpine/Dockerfile": "FROM alpine:3.12\nRUN apk add --no-cache curl\n"}},
		{day(2022), map[string]string{"alpine/Dockerfile": ""}},
	})
	st, out := filepath.Join(dir, "store"), filepath.Join(dir, "out")
	if code, _, stderr := runDockmine(t, "crawl", "--store", st, "--history", "--progress", "never", "--log-level", "warn", repo); code != exitOK {
		t.Fatalf("crawl exited with %d: %s", code, stderr)
	}

	code, stdout, stderr := runDockmine(t, "mine", "history", "--store", st, "--out", out, "--log-level", "warn")
	if code != exitOK {
		t.Fatalf("mine history exited with %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "of 2 files in 1 repositories, 2019 to 2022") {
		t.Errorf("stdout %q, want 2 files in 1 repository from 2019 to 2022", stdout)
	}

	drift := readDrift(t, filepath.Join(out, mining.DriftFile))
	tests := []struct{ row, share string }{
		{"gpg --recv-keys | --keyserver=ha.pool.sks-keyservers.net | 2020", "1"},
		{"gpg --recv-keys | --keyserver=ha.pool.sks-keyservers.net | 2021", "0"},
		{"gpg --recv-keys | --keyserver=keyserver.ubuntu.com | 2022", "1"},
		{"apk add | --no-cache | 2020", "0"},
		{"apk add | --no-cache | 2021", "1"},
	}
	for _, tt := range tests {
		if got, ok := drift[tt.row]; !ok || got != tt.share {
			t.Errorf("drift.csv row %q has share %q, want %q", tt.row, got, tt.share)
		}
	}
	if _, ok := drift["apk add | --no-cache | 2022"]; ok {
		t.Error("drift.csv counts the alpine Dockerfile in 2022, after it was deleted")
	}

	// DM3007 requires apk add --no-cache, which the 2021 commit added.
	data, err := os.ReadFile(filepath.Join(out, mining.HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var rh mining.RuleHistory
		if err := json.Unmarshal([]byte(line), &rh); err != nil {
			t.Fatal(err)
		}
		if rh.Rule != "DM3007" {
			continue
		}
		found = true
		if rh.Introduced != 1 || rh.Fixed != 1 || rh.Open != 0 || rh.FixDaysMedian == nil || *rh.FixDaysMedian != 365 {
			t.Errorf("DM3007 history %s, want one violation fixed after 365 days", line)
		}
	}
	if !found {
		t.Error("history.jsonl has no line for DM3007")
	}
}

func TestMineHistoryUsage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no store", []string{"mine", "history"}, "missing --store"},
		{"pack conflict", []string{"mine", "history", "--store", dir, "--pack", "p.json", "--no-pack"}, "--pack and --no-pack conflict"},
		{"arguments", []string{"mine", "history", "--store", dir, "extra"}, "unexpected arguments"},
		{"missing candidates", []string{"mine", "history", "--store", dir, "--candidates", filepath.Join(dir, "none.jsonl")}, "read candidates"},
		{"not a store", []string{"mine", "history", "--store", dir}, dir},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runDockmine(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want it to mention %q", stderr, tt.stderr)
			}
		})
	}
}

func TestMineHistorySharedRepos(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls and mines three replayed histories")
	}
	repos := historyRepos(t)
	dir := t.TempDir()
	st, out := filepath.Join(dir, "store"), filepath.Join(dir, "out")
	args := append([]string{"crawl", "--store", st, "--history", "--progress", "never", "--log-level", "warn"}, repos...)
	if code, _, stderr := runDockmine(t, args...); code != exitOK {
		t.Fatalf("crawl exited with %d: %s", code, stderr)
	}
	code, stdout, stderr := runDockmine(t, "mine", "history", "--store", st, "--out", out, "--log-level", "error")
	if code != exitOK {
		t.Fatalf("mine history exited with %d: %s", code, stderr)
	}
	t.Log(strings.TrimSpace(stdout))

	var s mining.HistorySummary
	data, err := os.ReadFile(filepath.Join(out, mining.HistorySummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.Repos != len(repos) || s.Versions < 1000 || s.FirstYear > 2014 || s.LastYear < 2026 {
		t.Errorf("summary %+v, want %d repositories, thousands of versions, 2013 to 2026", s, len(repos))
	}
	if s.Failed*100 > s.Contents {
		t.Errorf("%d of %d contents failed to parse, want at most 1%%", s.Failed, s.Contents)
	}

	// The replays start in 2022 and later for the official images, after
	// the SKS pool shut down, so they fetch keys from keyserver.ubuntu.com.
	drift := readDrift(t, filepath.Join(out, mining.DriftFile))
	if _, ok := drift["gpg --recv-keys | --keyserver=keyserver.ubuntu.com | 2023"]; !ok {
		t.Error("drift.csv has no 2023 row for gpg --recv-keys --keyserver=keyserver.ubuntu.com")
	}
	for row := range drift {
		if strings.Contains(row, "sks-keyservers") {
			t.Errorf("drift.csv row %q: the replays should not use the SKS pool", row)
		}
	}
}
