package corpus

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dockmine/dockmine/corpus/store"
)

// crawlSources crawls sources into st and fails the test on a store error.
func crawlSources(t *testing.T, st store.Storer, sources []Source, opts Options) Result {
	t.Helper()
	opts.Store = st
	res, err := Crawl(context.Background(), sources, opts)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	return res
}

func localSource(t *testing.T, path string) Source {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return Source{Name: NameForPath(abs), Path: abs}
}

// storeFiles returns path -> content of the files of one repository.
func storeFiles(t *testing.T, st store.Reader, repo string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := st.ForEachFile(repo, func(f store.File) error {
		data, err := st.Blob(f.Blob)
		files[f.Path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// dumpStore renders every record of st, except the crawl times, as sorted
// text lines, so two stores compare with one string comparison.
func dumpStore(t *testing.T, st store.Reader) string {
	t.Helper()
	var lines []string
	add := func(kind string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, kind+" "+string(b))
	}
	err := st.ForEachRepo(func(r store.Repo) error {
		r.CrawledAt = time.Time{}
		add("repo", r)
		if r.State != store.StateDone {
			return nil
		}
		if err := st.ForEachFile(r.Name, func(f store.File) error { add("file", f); return nil }); err != nil {
			return err
		}
		return st.ForEachVersion(r.Name, func(v store.Version) error { add("version", v); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := store.Summarize(st)
	if err != nil {
		t.Fatal(err)
	}
	add("summary", sum)
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// gitTreeFiles lists the Dockerfiles that git ls-tree shows at rev, with the
// same name, mode and vendor rules as the crawler: path -> "mode blob-id".
func gitTreeFiles(t *testing.T, gitDir, rev string) map[string]string {
	t.Helper()
	out := gitOutput(t, "--git-dir="+gitDir, "ls-tree", "-r", "-z", rev)
	files := map[string]string{}
	for rec := range strings.SplitSeq(strings.TrimSuffix(out, "\x00"), "\x00") {
		if rec == "" {
			continue
		}
		meta, path, _ := strings.Cut(rec, "\t")
		fields := strings.Fields(meta) // mode type id
		if fields[1] != "blob" || fields[0] == "120000" || !IsDockerfileName(path) || IsVendored(path) {
			continue
		}
		files[path] = fields[0] + " " + fields[2]
	}
	return files
}

// gitBlobSHA256 returns the SHA-256 of each git blob id, read with one
// git cat-file process.
func gitBlobSHA256(t *testing.T, gitDir string, ids []string) map[string]string {
	t.Helper()
	cmd := exec.Command("git", "--git-dir="+gitDir, "cat-file", "--batch")
	cmd.Stdin = strings.NewReader(strings.Join(ids, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git cat-file: %v", err)
	}
	sums := map[string]string{}
	r := bufio.NewReader(strings.NewReader(string(out)))
	for _, id := range ids {
		var gotID, typ string
		var size int
		if _, err := fmt.Fscanf(r, "%s %s %d\n", &gotID, &typ, &size); err != nil {
			t.Fatalf("git cat-file header for %s: %v", id, err)
		}
		data := make([]byte, size+1) // content and the newline after it
		if _, err := io.ReadFull(r, data); err != nil {
			t.Fatalf("git cat-file content of %s: %v", id, err)
		}
		sum := sha256.Sum256(data[:size])
		sums[id] = hex.EncodeToString(sum[:])
	}
	return sums
}

func TestCrawlHistoryReposMatchGitLsTree(t *testing.T) {
	repos := historyRepos(t)
	st := store.NewMemory()
	var sources []Source
	for _, dir := range repos {
		sources = append(sources, localSource(t, dir))
	}
	res := crawlSources(t, st, sources, Options{})
	if res.Done != len(repos) || res.Failed != 0 {
		t.Fatalf("Crawl result = %+v, want %d done and none failed", res, len(repos))
	}

	for _, src := range sources {
		want := gitTreeFiles(t, src.Path, "HEAD")
		var ids []string
		for _, v := range want {
			ids = append(ids, strings.Fields(v)[1])
		}
		sums := gitBlobSHA256(t, src.Path, ids)

		got := map[string]store.File{}
		err := st.ForEachFile(src.Name, func(f store.File) error { got[f.Path] = f; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: stored %d files, git ls-tree lists %d", src.Name, len(got), len(want))
		}
		head := strings.TrimSpace(gitOutput(t, "--git-dir="+src.Path, "rev-parse", "HEAD"))
		for path, meta := range want {
			f, ok := got[path]
			if !ok {
				t.Errorf("%s: %s listed by git ls-tree is not stored", src.Name, path)
				continue
			}
			mode, id := strings.Fields(meta)[0], strings.Fields(meta)[1]
			if f.Blob.String() != sums[id] {
				t.Errorf("%s: %s has sha256 %s, git content has %s", src.Name, path, f.Blob, sums[id])
			}
			if fmt.Sprintf("%o", f.Mode) != mode {
				t.Errorf("%s: %s has mode %o, git ls-tree shows %s", src.Name, path, f.Mode, mode)
			}
			if f.Commit != head {
				t.Errorf("%s: %s has commit %s, HEAD is %s", src.Name, path, f.Commit, head)
			}
		}
	}
}

func TestCrawlHistoryMatchesGitLogFirstParent(t *testing.T) {
	repos := historyRepos(t)
	st := store.NewMemory()
	var sources []Source
	for _, dir := range repos {
		sources = append(sources, localSource(t, dir))
	}
	res := crawlSources(t, st, sources, Options{History: true})
	if res.Failed != 0 {
		t.Fatalf("Crawl result = %+v, want none failed", res)
	}

	for _, src := range sources {
		// Every (commit, path) pair that git log shows on the first-parent
		// line must be one stored version, and nothing else.
		out := gitOutput(t, "--git-dir="+src.Path, "log", "--first-parent", "--no-renames", "--format=commit %H", "--name-only", "HEAD")
		want := map[string]bool{}
		commit := ""
		for line := range strings.SplitSeq(out, "\n") {
			switch {
			case strings.HasPrefix(line, "commit "):
				commit = strings.TrimPrefix(line, "commit ")
			case line != "" && IsDockerfileName(line):
				want[commit+" "+line] = true
			}
		}

		got := map[string]store.Version{}
		err := st.ForEachVersion(src.Name, func(v store.Version) error {
			got[v.Commit+" "+v.Path] = v
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: stored %d versions, git log --first-parent lists %d changes", src.Name, len(got), len(want))
		}
		for key := range want {
			if _, ok := got[key]; !ok {
				t.Errorf("%s: change %s from git log is not stored", src.Name, key)
			}
		}

		checkVersionContents(t, st, src, got)
	}
}

// checkVersionContents compares the content of a sample of versions with
// git show COMMIT:PATH and checks that each version's Before is the
// previous version's Blob.
func checkVersionContents(t *testing.T, st store.Reader, src Source, versions map[string]store.Version) {
	t.Helper()
	byPath := map[string][]store.Version{}
	for _, v := range versions {
		byPath[v.Path] = append(byPath[v.Path], v)
	}
	for path, vs := range byPath {
		slices.SortFunc(vs, func(a, b store.Version) int { return a.Seq - b.Seq })
		for i, v := range vs {
			var prev store.Hash
			if i > 0 {
				prev = vs[i-1].Blob
			}
			if v.Before != prev {
				t.Errorf("%s: %s at seq %d has before %s, previous version has %s", src.Name, path, v.Seq, v.Before, prev)
			}
		}
	}

	keys := slices.Sorted(maps.Keys(versions))
	for i := 0; i < len(keys); i += max(1, len(keys)/25) {
		v := versions[keys[i]]
		if v.Blob.IsZero() {
			continue
		}
		want := gitOutput(t, "--git-dir="+src.Path, "show", v.Commit+":"+v.Path)
		got, err := st.Blob(v.Blob)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s: version %s:%s differs from git show", src.Name, v.Commit, v.Path)
		}
	}
}

func TestCrawlHistoryDepthLimitsCommits(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "owner__deep.git")
	r := newTestRepo(t, dir)
	var commits []string
	for i := range 5 {
		commits = append(commits, r.commit(fmt.Sprint(i), entry{path: "Dockerfile", data: fmt.Sprintf("FROM alpine:3.%d\n", i)}).String())
	}

	st := store.NewMemory()
	crawlSources(t, st, []Source{localSource(t, dir)}, Options{History: true, HistoryDepth: 2})

	var got []store.Version
	st.ForEachVersion("owner/deep", func(v store.Version) error { got = append(got, v); return nil })
	if len(got) != 2 {
		t.Fatalf("stored %d versions with depth 2, want 2: %+v", len(got), got)
	}
	if got[0].Commit != commits[3] || got[1].Commit != commits[4] {
		t.Errorf("versions at commits %s and %s, want %s and %s", got[0].Commit, got[1].Commit, commits[3], commits[4])
	}
	if got[0].Parent != commits[2] {
		t.Errorf("oldest version has parent %s, want %s", got[0].Parent, commits[2])
	}
	before, err := st.Blob(got[0].Before)
	if err != nil || string(before) != "FROM alpine:3.2\n" {
		t.Errorf("oldest version before = %q, %v; want the parent's content", before, err)
	}
}

func TestCrawlPinnedCommit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "owner__pinned.git")
	r := newTestRepo(t, dir)
	first := r.commit("one", entry{path: "Dockerfile", data: "FROM alpine:1\n"})
	r.commit("two", entry{path: "Dockerfile", data: "FROM alpine:2\n"}, entry{path: "b/Dockerfile", data: "FROM b\n"})

	src := localSource(t, dir)
	src.Pin = first.String()[:10]
	st := store.NewMemory()
	res := crawlSources(t, st, []Source{src}, Options{})
	if res.Done != 1 {
		t.Fatalf("Crawl result = %+v, want 1 done", res)
	}

	rec, _ := st.Repo("owner/pinned")
	if rec.Commit != first.String() || !rec.Pinned {
		t.Errorf("record commit %s pinned %v, want %s pinned", rec.Commit, rec.Pinned, first)
	}
	files := storeFiles(t, st, "owner/pinned")
	if want := map[string]string{"Dockerfile": "FROM alpine:1\n"}; !maps.Equal(files, want) {
		t.Errorf("files = %v, want %v", files, want)
	}
}

func TestCrawlPlainDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "owner__plain")
	writeFiles(t, dir, map[string]string{
		"Dockerfile":                "FROM scratch\n",
		"svc/api.Dockerfile":        "FROM golang\n",
		"svc/Containerfile.dev":     "FROM fedora\n",
		"node_modules/x/Dockerfile": "FROM vendored\n",
		"README.md":                 "not a Dockerfile\n",
		"bin/Dockerfile.bin":        "FROM \x00binary\n",
	})

	st := store.NewMemory()
	res := crawlSources(t, st, []Source{localSource(t, dir)}, Options{})
	if res.Done != 1 || res.Files != 3 {
		t.Fatalf("Crawl result = %+v, want 1 done with 3 files", res)
	}
	want := map[string]string{"Dockerfile": "FROM scratch\n", "svc/api.Dockerfile": "FROM golang\n", "svc/Containerfile.dev": "FROM fedora\n"}
	if got := storeFiles(t, st, "owner/plain"); !maps.Equal(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	if res.Skipped[SkipVendored] != 1 || res.Skipped[SkipBinary] != 1 {
		t.Errorf("skipped = %v, want vendored 1 and binary 1", res.Skipped)
	}
}

func TestCrawlSameBaseNameAcrossRuns(t *testing.T) {
	tmp := t.TempDir()
	x, y := filepath.Join(tmp, "x", "app"), filepath.Join(tmp, "y", "app")
	writeFiles(t, x, map[string]string{"Dockerfile": "FROM x\n"})
	writeFiles(t, y, map[string]string{"Dockerfile": "FROM y\n"})

	st := store.NewMemory()
	if res := crawlSources(t, st, []Source{localSource(t, x)}, Options{}); res.Done != 1 {
		t.Fatalf("first Crawl of x/app = %+v, want 1 done", res)
	}
	if res := crawlSources(t, st, []Source{localSource(t, y)}, Options{}); res.Done != 1 || res.AlreadyDone != 0 {
		t.Fatalf("second Crawl of y/app = %+v, want 1 done, not skipped", res)
	}
	for dir, want := range map[string]string{x: "FROM x\n", y: "FROM y\n"} {
		name := localSource(t, dir).Name
		if got := storeFiles(t, st, name)["Dockerfile"]; got != want {
			t.Errorf("Dockerfile of %s (%s) = %q, want %q", name, dir, got, want)
		}
	}

	// A resumed crawl of the same paths skips both.
	if res := crawlSources(t, st, []Source{localSource(t, x), localSource(t, y)}, Options{}); res.AlreadyDone != 2 {
		t.Errorf("third Crawl of both = %+v, want 2 already done", res)
	}
}

func TestCrawlRejectsNameStoredFromOtherPath(t *testing.T) {
	tmp := t.TempDir()
	first, second := filepath.Join(tmp, "a", "owner__app"), filepath.Join(tmp, "b", "owner__app")
	writeFiles(t, first, map[string]string{"Dockerfile": "FROM a\n"})
	writeFiles(t, second, map[string]string{"Dockerfile": "FROM b\n"})

	st := store.NewMemory()
	crawlSources(t, st, []Source{localSource(t, first)}, Options{})
	_, err := Crawl(context.Background(), []Source{localSource(t, second)}, Options{Store: st})
	if !errors.Is(err, ErrInvalidSource) {
		t.Fatalf("Crawl of a second owner__app = %v, want ErrInvalidSource", err)
	}
	if got := storeFiles(t, st, "owner/app")["Dockerfile"]; got != "FROM a\n" {
		t.Errorf("Dockerfile of owner/app = %q after the rejected crawl, want the first one kept", got)
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCrawlFailureIsRecordedAndRunGoesOn(t *testing.T) {
	tmp := t.TempDir()
	good := filepath.Join(tmp, "owner__good.git")
	newTestRepo(t, good).commit("c", entry{path: "Dockerfile", data: "FROM good\n"})
	missing := Source{Name: "owner/missing", URL: DefaultCloneURL("owner/missing")}

	st := store.NewMemory()
	// The rewrite sends the missing repository to a local mirror folder that
	// lacks it, so nothing leaves the machine.
	opts := Options{Rewrites: []Rewrite{{From: "https://github.com/", To: tmp + "/mirror/"}}}
	res := crawlSources(t, st, []Source{missing, localSource(t, good)}, opts)
	if res.Done != 1 || res.Failed != 1 {
		t.Fatalf("Crawl result = %+v, want 1 done and 1 failed", res)
	}
	rec, err := st.Repo("owner/missing")
	if err != nil || rec.State != store.StateFailed || !strings.Contains(rec.Error, "not found") {
		t.Errorf("record of missing repository = %+v, %v; want failed with a not found error", rec, err)
	}

	// A second run retries the failure and skips the finished repository.
	res = crawlSources(t, st, []Source{missing, localSource(t, good)}, opts)
	if res.AlreadyDone != 1 || res.Failed != 1 {
		t.Errorf("second Crawl result = %+v, want 1 already done and 1 failed", res)
	}
	res = crawlSources(t, st, []Source{missing, localSource(t, good)}, Options{Rewrites: opts.Rewrites, SkipFailed: true})
	if res.AlreadyDone != 2 {
		t.Errorf("Crawl with SkipFailed result = %+v, want 2 already done", res)
	}
}

func TestCrawlRewriteTriesBothSuffixes(t *testing.T) {
	mirror := t.TempDir()
	newTestRepo(t, filepath.Join(mirror, "alpha", "bare.git")).commit("c", entry{path: "Dockerfile", data: "FROM a\n"})
	newTestRepo(t, filepath.Join(mirror, "beta", "plain")).commit("c", entry{path: "Dockerfile", data: "FROM b\n"})

	sources := []Source{
		{Name: "alpha/bare", URL: DefaultCloneURL("alpha/bare")},
		{Name: "beta/plain", URL: DefaultCloneURL("beta/plain")},
	}
	st := store.NewMemory()
	res := crawlSources(t, st, sources, Options{Rewrites: []Rewrite{{From: "https://github.com/", To: mirror + "/"}}})
	if res.Done != 2 {
		t.Fatalf("Crawl result = %+v, want 2 done", res)
	}
	for _, name := range []string{"alpha/bare", "beta/plain"} {
		if files := storeFiles(t, st, name); len(files) != 1 {
			t.Errorf("%s: files = %v, want one Dockerfile", name, files)
		}
	}
}

func TestCrawlCloneFileURL(t *testing.T) {
	if testing.Short() {
		t.Skip("clones through git-upload-pack; skipped with -short")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed; go-git clones file:// URLs with git-upload-pack")
	}
	dir := filepath.Join(t.TempDir(), "owner__cloned.git")
	r := newTestRepo(t, dir)
	first := r.commit("one", entry{path: "Dockerfile", data: "FROM one\n"})
	r.commit("two", entry{path: "Dockerfile", data: "FROM two\n"}, entry{path: "x/Containerfile", data: "FROM x\n"})

	src := Source{Name: "owner/cloned", URL: "file://" + dir}
	st := store.NewMemory()
	res := crawlSources(t, st, []Source{src}, Options{History: true})
	if res.Done != 1 || res.Files != 2 || res.Versions != 3 {
		t.Fatalf("Crawl result = %+v, want 1 done, 2 files, 3 versions", res)
	}

	pinned := Source{Name: "owner/pinned", URL: "file://" + dir, Pin: first.String()}
	res = crawlSources(t, st, []Source{pinned}, Options{})
	if res.Done != 1 {
		t.Fatalf("pinned Crawl result = %+v (%v), want 1 done", res, mustRepo(t, st, "owner/pinned").Error)
	}
	if files := storeFiles(t, st, "owner/pinned"); files["Dockerfile"] != "FROM one\n" || len(files) != 1 {
		t.Errorf("pinned files = %v, want the first commit's Dockerfile", files)
	}
}

func mustRepo(t *testing.T, st store.Reader, name string) store.Repo {
	t.Helper()
	r, err := st.Repo(name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCrawlEmptyRepository(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "owner__empty.git")
	newTestRepo(t, dir)

	st := store.NewMemory()
	res := crawlSources(t, st, []Source{localSource(t, dir)}, Options{})
	if res.Done != 1 || res.Files != 0 {
		t.Fatalf("Crawl result = %+v, want 1 done with no files", res)
	}
}

func TestCrawlInterruptedLeavesNoRecord(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "owner__repo.git")
	newTestRepo(t, dir).commit("c", entry{path: "Dockerfile", data: "FROM a\n"})

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st := store.NewMemory()
	res, err := Crawl(ctx, []Source{localSource(t, dir)}, Options{Store: st})
	if !errors.Is(err, context.Canceled) || !res.Interrupted {
		t.Fatalf("Crawl with a cancelled context = %+v, %v; want interrupted and context.Canceled", res, err)
	}
	if _, err := st.Repo("owner/repo"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Repo after an interrupted crawl: %v, want ErrNotFound", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	st := store.NewMemory()
	tests := []struct {
		name string
		opts Options
	}{
		{"no store", Options{}},
		{"negative jobs", Options{Store: st, Jobs: -1}},
		{"negative size", Options{Store: st, MaxFileSize: -1}},
		{"depth without history", Options{Store: st, HistoryDepth: 3}},
		{"negative timeout", Options{Store: st, RepoTimeout: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.opts.Validate(); err == nil {
				t.Errorf("Validate(%+v) = nil, want an error", tt.opts)
			}
		})
	}
}
