package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/dockmine/dockmine/corpus"
	"github.com/dockmine/dockmine/corpus/store"
)

// runDockmine runs the command in process and returns its exit code,
// standard output and standard error.
func runDockmine(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// historyRepos returns the replayed Dockerfile histories in the shared
// folder beside the repository, or skips the test.
func historyRepos(t *testing.T) []string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus", "history"))
	if err != nil {
		t.Fatal(err)
	}
	repos, _ := filepath.Glob(filepath.Join(dir, "*.git"))
	if len(repos) == 0 {
		t.Skipf("no history repositories in %s (the shared folder beside the repository)", dir)
	}
	return repos
}

// writeMirrorRepo writes a bare repository with one commit holding files
// to dir, with go-git.
func writeMirrorRepo(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	repo, err := git.PlainInit(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	st := repo.Storer

	var tree object.Tree
	for _, name := range slices.Sorted(maps.Keys(files)) {
		obj := st.NewEncodedObject()
		obj.SetType(plumbing.BlobObject)
		w, _ := obj.Writer()
		w.Write([]byte(files[name]))
		w.Close()
		h, err := st.SetEncodedObject(obj)
		if err != nil {
			t.Fatal(err)
		}
		tree.Entries = append(tree.Entries, object.TreeEntry{Name: name, Mode: 0o100644, Hash: h})
	}

	treeObj := st.NewEncodedObject()
	if err := tree.Encode(treeObj); err != nil {
		t.Fatal(err)
	}
	treeHash, err := st.SetEncodedObject(treeObj)
	if err != nil {
		t.Fatal(err)
	}

	sig := object.Signature{Name: "Test", Email: "test@example.invalid", When: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	commit := &object.Commit{Author: sig, Committer: sig, Message: "files\n", TreeHash: treeHash}
	commitObj := st.NewEncodedObject()
	if err := commit.Encode(commitObj); err != nil {
		t.Fatal(err)
	}
	h, err := st.SetEncodedObject(commitObj)
	if err != nil {
		t.Fatal(err)
	}

	if err := st.SetReference(plumbing.NewHashReference("refs/heads/master", h)); err != nil {
		t.Fatal(err)
	}
}

func TestCrawlRejectsBadFlags(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no store", []string{"crawl", dir}, "missing --store"},
		{"no input", []string{"crawl", "--store", dir + "/s"}, "nothing to crawl"},
		{"min stars without query", []string{"crawl", "--store", dir + "/s", "--min-stars", "5", dir}, "need --query"},
		{"api url without query", []string{"crawl", "--store", dir + "/s", "--github-api-url", "http://127.0.0.1:1/", dir}, "need --query"},
		{"depth without history", []string{"crawl", "--store", dir + "/s", "--history-depth", "3", dir}, "--history-depth needs --history"},
		{"bad shard", []string{"crawl", "--store", dir + "/s", "--shard", "5/4", dir}, "invalid shard"},
		{"bad rewrite", []string{"crawl", "--store", dir + "/s", "--rewrite", "x", dir}, "invalid rewrite"},
		{"bad jobs", []string{"crawl", "--store", dir + "/s", "--jobs", "0", dir}, "invalid --jobs"},
		{"bad log format", []string{"crawl", "--store", dir + "/s", "--log-format", "xml", dir}, "invalid --log-format"},
		{"missing path", []string{"crawl", "--store", dir + "/s", dir + "/nope"}, "not a directory"},
		{"unknown corpus verb", []string{"corpus", "frobnicate"}, "unknown verb"},
		{"stats of missing store", []string{"corpus", "stats", "--store", dir + "/missing"}, "no such file"},
		{"export without out", []string{"corpus", "export", "--store", dir}, "exactly one OUT"},
		{"export bad format", []string{"corpus", "export", "--format", "zip", "--store", dir, "out"}, "invalid --format"},
		{"merge into itself", []string{"corpus", "merge", "--store", dir, dir}, "into itself"},
		{"ls bad state", []string{"corpus", "ls", "--state", "odd", "--store", dir}, "invalid --state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runDockmine(t, tt.args...)
			if code != exitUsage {
				t.Errorf("dockmine %q exit code = %d, want %d", tt.args, code, exitUsage)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("dockmine %q stderr = %q, want it to contain %q", tt.args, stderr, tt.want)
			}
		})
	}
	if _, err := os.Stat(dir + "/s"); err == nil {
		t.Error("a rejected crawl created the store directory")
	}
}

func TestCorpusWhileStoreIsOpen(t *testing.T) {
	tmp := t.TempDir()
	dir, src := filepath.Join(tmp, "store"), filepath.Join(tmp, "owner__app")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "Dockerfile"), []byte("FROM alpine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runDockmine(t, "crawl", "--store", dir, "--log-level", "warn", src); code != exitOK {
		t.Fatalf("crawl: %s", stderr)
	}

	// The open store holds Badger's directory lock, as a running crawl does.
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, args := range [][]string{
		{"corpus", "stats", "--store", dir},
		{"corpus", "ls", "--history", "--store", dir},
		{"crawl", "--store", dir, src},
	} {
		code, _, stderr := runDockmine(t, args...)
		if code != exitUsage {
			t.Errorf("dockmine %q exit code = %d, want %d", args, code, exitUsage)
		}
		if !strings.Contains(stderr, "another dockmine process is using the store") || strings.Contains(stderr, "Cannot acquire") {
			t.Errorf("dockmine %q stderr = %q, want plain words without Badger's lock text", args, stderr)
		}
	}
}

func TestCrawlStatsJSONOnHistoryRepos(t *testing.T) {
	repos := historyRepos(t)
	st := filepath.Join(t.TempDir(), "store")

	code, stdout, stderr := runDockmine(t, append([]string{"crawl", "--store", st, "--history", "--log-format", "json"}, repos...)...)
	if code != exitOK {
		t.Fatalf("crawl exit code = %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for line := range strings.SplitSeq(strings.TrimSpace(stderr), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("log line is not JSON with --log-format json: %q", line)
		}
	}

	code, stdout, stderr = runDockmine(t, "corpus", "stats", "--json", "--store", st)
	if code != exitOK {
		t.Fatalf("stats exit code = %d: %s", code, stderr)
	}
	var stats map[string]any
	if err := json.Unmarshal([]byte(stdout), &stats); err != nil {
		t.Fatalf("stats --json output %q: %v", stdout, err)
	}
	for _, key := range []string{"repos", "files", "blobs", "bytes", "failed"} {
		v, ok := stats[key].(float64)
		if !ok || v != float64(int64(v)) {
			t.Errorf("stats key %q = %v, want an integer", key, stats[key])
		}
	}
	if stats["repos"] != float64(len(repos)) || stats["failed"] != 0.0 {
		t.Errorf("stats = %v, want %d repos and no failures", stats, len(repos))
	}

	// A second run finds nothing left to do.
	code, stdout, _ = runDockmine(t, append([]string{"crawl", "--store", st, "--history"}, repos...)...)
	if code != exitOK || !strings.Contains(stdout, fmt.Sprintf("0 done, 0 failed, %d already done", len(repos))) {
		t.Errorf("second crawl: exit %d, summary %q", code, stdout)
	}
}

// TestCorpusExportMatchesGoldManifest checks that the exported tips of the
// replayed histories hold the same files as the gold corpus snapshots they
// replay, by path, size and SHA-256.
func TestCorpusExportMatchesGoldManifest(t *testing.T) {
	repos := historyRepos(t)
	gold, err := os.ReadFile(filepath.Join(filepath.Dir(filepath.Dir(repos[0])), "gold", "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("gold manifest not readable: %v", err)
	}
	tmp := t.TempDir()
	st, out := filepath.Join(tmp, "store"), filepath.Join(tmp, "out")
	if code, _, stderr := runDockmine(t, append([]string{"crawl", "--store", st}, repos...)...); code != exitOK {
		t.Fatalf("crawl: %s", stderr)
	}
	code, stdout, stderr := runDockmine(t, "corpus", "export", "--format", "dir", "--store", st, out)
	if code != exitOK {
		t.Fatalf("export exit code = %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "exported ") {
		t.Errorf("export summary = %q", stdout)
	}

	manifest, err := os.ReadFile(filepath.Join(out, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(manifest)), "\n")
	if lines[0] != "repo\tcommit\tpath\tbytes\tsha256" {
		t.Fatalf("manifest header = %q", lines[0])
	}
	rowsOf := func(rows []string, repo string) []string {
		var out []string
		for _, row := range rows {
			f := strings.Split(row, "\t")
			if f[0] == repo {
				out = append(out, strings.Join([]string{f[0], f[2], f[3], f[4]}, "\t"))
			}
		}
		return out
	}
	goldRows := strings.Split(strings.TrimSpace(string(gold)), "\n")
	for _, repo := range []string{"docker-library/php", "docker-library/rabbitmq"} {
		got, want := rowsOf(lines[1:], repo), rowsOf(goldRows[1:], repo)
		if len(want) == 0 {
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: exported rows differ from the gold manifest:\ngot  %q\nwant %q", repo, got, want)
		}
	}

	// Every manifest row names a file with that content.
	for _, row := range lines[1:] {
		f := strings.Split(row, "\t")
		data, err := os.ReadFile(filepath.Join(out, strings.Replace(f[0], "/", "__", 1), f[2]))
		if err != nil {
			t.Errorf("manifest row %q: %v", row, err)
			continue
		}
		if fmt.Sprint(len(data)) != f[3] {
			t.Errorf("manifest row %q: file has %d bytes", row, len(data))
		}
	}
}

func TestCorpusMergeOfShardsEqualsSingleRun(t *testing.T) {
	tmp := t.TempDir()
	var paths []string
	for i := range 12 {
		dir := filepath.Join(tmp, "src", fmt.Sprintf("owner%d__repo%d", i%3, i))
		files := map[string]string{"Dockerfile": fmt.Sprintf("FROM alpine:%d\n", i%4)}
		if i%2 == 0 {
			files["web.Dockerfile"] = "FROM nginx\n"
		}
		writeMirrorRepo(t, dir, files)
		paths = append(paths, dir)
	}

	single := filepath.Join(tmp, "single")
	if code, _, stderr := runDockmine(t, append([]string{"crawl", "--store", single}, paths...)...); code != exitOK {
		t.Fatalf("single crawl: %s", stderr)
	}
	merged := filepath.Join(tmp, "merged")
	var shards []string
	for i := 1; i <= 3; i++ {
		shard := filepath.Join(tmp, fmt.Sprintf("shard%d", i))
		args := append([]string{"crawl", "--store", shard, "--shard", fmt.Sprintf("%d/3", i)}, paths...)
		if code, _, stderr := runDockmine(t, args...); code != exitOK {
			t.Fatalf("shard %d crawl: %s", i, stderr)
		}
		shards = append(shards, shard)
	}
	code, stdout, stderr := runDockmine(t, append([]string{"corpus", "merge", "--store", merged}, shards...)...)
	if code != exitOK {
		t.Fatalf("merge exit code = %d: %s", code, stderr)
	}
	if strings.Count(stdout, "merged ") != 3 {
		t.Errorf("merge output = %q, want one line per shard", stdout)
	}

	for _, args := range [][]string{{"ls", "--files"}, {"stats", "--json"}, {"ls"}} {
		_, want, _ := runDockmine(t, append(append([]string{"corpus"}, args...), "--store", single)...)
		_, got, _ := runDockmine(t, append(append([]string{"corpus"}, args...), "--store", merged)...)
		if got != want {
			t.Errorf("corpus %q of the merged shards differs from a single run:\ngot:\n%s\nwant:\n%s", args, got, want)
		}
	}
}

func TestCrawlSearchKeepsTokenSecret(t *testing.T) {
	const token = "ghp_secretvalue1234567890"
	mirror := t.TempDir()
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"total_count":3,"incomplete_results":false,"items":[
			{"full_name":"alpha/one","clone_url":"https://github.com/alpha/one.git","stargazers_count":9},
			{"full_name":"beta/two","clone_url":"https://github.com/beta/two.git","stargazers_count":5},
			{"full_name":"gamma/missing","clone_url":"https://github.com/gamma/missing.git","stargazers_count":1}]}`)
	}))
	defer srv.Close()
	writeMirrorRepo(t, filepath.Join(mirror, "alpha", "one.git"), map[string]string{"Dockerfile": "FROM one\n"})
	writeMirrorRepo(t, filepath.Join(mirror, "beta", "two"), map[string]string{"Dockerfile": "FROM two\n"})
	t.Setenv("GITHUB_TOKEN", token)

	st := filepath.Join(t.TempDir(), "store")
	code, stdout, stderr := runDockmine(t, "crawl", "--store", st, "--query", "language:Dockerfile",
		"--github-api-url", srv.URL+"/", "--rewrite", "https://github.com/="+mirror+"/", "--log-level", "debug")
	if code != exitFindings {
		t.Errorf("crawl exit code = %d, want %d because one repository is missing\nstderr:\n%s", code, exitFindings, stderr)
	}
	if !strings.Contains(stdout, "2 done, 1 failed") {
		t.Errorf("summary = %q, want 2 done and 1 failed", stdout)
	}
	if len(auth) == 0 || auth[0] != "Bearer "+token {
		t.Errorf("API requests carried Authorization %q, want the bearer token", auth)
	}
	if strings.Contains(stdout+stderr, token) {
		t.Error("the token appears in the command output")
	}
	err := filepath.WalkDir(st, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err == nil && bytes.Contains(data, []byte(token)) {
			t.Errorf("store file %s contains the token", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	_, stdout, _ = runDockmine(t, "corpus", "ls", "--state", "failed", "--store", st)
	if !strings.Contains(stdout, "gamma/missing\tfailed") {
		t.Errorf("ls --state failed = %q, want the missing repository", stdout)
	}
}

func TestCrawlProgressLine(t *testing.T) {
	var out bytes.Buffer
	p := newCrawlProgress(&out, "always")
	p.start(4)
	p.update(corpusResult(3, false))
	p.update(corpusResult(0, true))
	line := p.line(2 * time.Second)
	for _, want := range []string{"[##########..........]", "2/4 repos", "1 failed", "3 files", "1.0 repos/s", "ETA 2s"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress line %q lacks %q", line, want)
		}
	}
	fmt.Fprint(p.logWriter(), "a log record\n")
	p.finish()
	if !strings.Contains(out.String(), "\r\x1b[Ka log record\n") {
		t.Errorf("log record was not written on a cleared line: %q", out.String())
	}

	var quiet bytes.Buffer
	q := newCrawlProgress(&quiet, "auto")
	q.start(1)
	q.finish()
	if quiet.Len() != 0 {
		t.Errorf("progress with auto on a non-terminal wrote %q", quiet.String())
	}
}

func corpusResult(files int, failed bool) corpus.RepoResult {
	res := corpus.RepoResult{Status: corpus.StatusDone, Files: files}
	if failed {
		res.Status = corpus.StatusFailed
	}
	return res
}
