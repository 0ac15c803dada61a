package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// implementations lists every Storer with a constructor for an empty store.
var implementations = []struct {
	name string
	open func(t *testing.T) Storer
}{
	{"memory", func(t *testing.T) Storer { return NewMemory() }},
	{"badger", func(t *testing.T) Storer {
		st, err := Open(filepath.Join(t.TempDir(), "store"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
}

// TestConformance runs every conformance case against every
// implementation.
func TestConformance(t *testing.T) {
	cases := []struct {
		name string
		fn   func(t *testing.T, st Storer)
	}{
		{"EmptyStore", testEmptyStore},
		{"CommitAndRead", testCommitAndRead},
		{"SharedBlobStoredOnce", testSharedBlobStoredOnce},
		{"OrderOfRecords", testOrderOfRecords},
		{"BeginRemovesOldRecords", testBeginRemovesOldRecords},
		{"DiscardKeepsRepoUnfinished", testDiscardKeepsRepoUnfinished},
		{"CommitRejectsMissingBlob", testCommitRejectsMissingBlob},
		{"FinishedTxRejectsWrites", testFinishedTxRejectsWrites},
		{"InvalidNamesAndPaths", testInvalidNamesAndPaths},
		{"PruneRemovesLeftovers", testPruneRemovesLeftovers},
		{"MergeCopiesFinishedRepos", testMergeCopiesFinishedRepos},
	}
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) { c.fn(t, impl.open(t)) })
			}
		})
	}
}

// putRepo commits a finished repository with one file per path, whose
// content is the path followed by suffix.
func putRepo(t *testing.T, st Storer, name, suffix string, paths ...string) Repo {
	t.Helper()
	tx, err := st.BeginRepo(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		data := []byte(p + suffix)
		h, err := tx.PutBlob(data)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.PutFile(File{Repo: name, Commit: "c1", Path: p, Blob: h, Size: int64(len(data)), Mode: 0o100644}); err != nil {
			t.Fatal(err)
		}
	}
	r := Repo{Name: name, State: StateDone, Commit: "c1", Files: len(paths), CrawledAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := tx.Commit(r); err != nil {
		t.Fatal(err)
	}
	return r
}

func repoNames(t *testing.T, st Reader) []string {
	t.Helper()
	var names []string
	if err := st.ForEachRepo(func(r Repo) error { names = append(names, r.Name+":"+string(r.State)); return nil }); err != nil {
		t.Fatal(err)
	}
	return names
}

func filePaths(t *testing.T, st Reader, repo string) []string {
	t.Helper()
	var paths []string
	if err := st.ForEachFile(repo, func(f File) error { paths = append(paths, f.Path); return nil }); err != nil {
		t.Fatal(err)
	}
	return paths
}

func testEmptyStore(t *testing.T, st Storer) {
	if _, err := st.Repo("a/b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Repo on an empty store: %v, want ErrNotFound", err)
	}
	if _, err := st.Blob(HashOf([]byte("x"))); !errors.Is(err, ErrNotFound) {
		t.Errorf("Blob on an empty store: %v, want ErrNotFound", err)
	}
	sum, err := Summarize(st)
	if err != nil || sum.Repos != 0 || sum.Files != 0 || sum.Blobs != 0 {
		t.Errorf("Summarize on an empty store = %+v, %v; want zero counts", sum, err)
	}
}

func testCommitAndRead(t *testing.T, st Storer) {
	want := putRepo(t, st, "owner/name", "!", "Dockerfile", "sub/Containerfile")
	want.Skipped = nil

	got, err := st.Repo("owner/name")
	if err != nil {
		t.Fatal(err)
	}
	if !got.CrawledAt.Equal(want.CrawledAt) {
		t.Errorf("CrawledAt = %v, want %v", got.CrawledAt, want.CrawledAt)
	}
	got.CrawledAt = want.CrawledAt
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Repo = %+v, want %+v", got, want)
	}

	var walked []string
	err = Walk(st, func(r Repo, f File, data []byte) error {
		walked = append(walked, r.Name+" "+f.Path+" "+string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := []string{"owner/name Dockerfile Dockerfile!", "owner/name sub/Containerfile sub/Containerfile!"}; !slices.Equal(walked, w) {
		t.Errorf("Walk = %q, want %q", walked, w)
	}
}

func testSharedBlobStoredOnce(t *testing.T, st Storer) {
	putRepo(t, st, "a/one", "", "Dockerfile")
	putRepo(t, st, "b/two", "", "Dockerfile", "x/Dockerfile")

	sum, err := Summarize(st)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Repos != 2 || sum.Files != 3 || sum.Blobs != 2 {
		t.Errorf("Summarize = %+v, want 2 repos, 3 files, 2 blobs", sum)
	}
	if sum.Bytes != int64(2*len("Dockerfile")+len("x/Dockerfile")) {
		t.Errorf("Bytes = %d, want the sum of the three file sizes", sum.Bytes)
	}
	if sum.BlobBytes != int64(len("Dockerfile")+len("x/Dockerfile")) {
		t.Errorf("BlobBytes = %d, want the sum of the two distinct contents", sum.BlobBytes)
	}
}

func testOrderOfRecords(t *testing.T, st Storer) {
	// "owner/ab" must not show up among the files of "owner/a".
	putRepo(t, st, "owner/ab", "", "Dockerfile")
	putRepo(t, st, "owner/a", "", "z/Dockerfile", "Dockerfile", "a/Dockerfile")
	if got, want := repoNames(t, st), []string{"owner/a:done", "owner/ab:done"}; !slices.Equal(got, want) {
		t.Errorf("ForEachRepo order = %q, want %q", got, want)
	}
	if got, want := filePaths(t, st, "owner/a"), []string{"Dockerfile", "a/Dockerfile", "z/Dockerfile"}; !slices.Equal(got, want) {
		t.Errorf("ForEachFile order = %q, want %q", got, want)
	}

	tx, err := st.BeginRepo("owner/h")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := tx.PutBlob([]byte("FROM a\n"))
	for _, seq := range []int{300, 2, 256, 1} {
		for _, p := range []string{"b/Dockerfile", "Dockerfile"} {
			if err := tx.PutVersion(Version{Repo: "owner/h", Path: p, Seq: seq, Commit: fmt.Sprint(seq), Blob: h}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(Repo{Name: "owner/h", State: StateDone}); err != nil {
		t.Fatal(err)
	}
	var got []string
	st.ForEachVersion("owner/h", func(v Version) error { got = append(got, fmt.Sprintf("%s@%d", v.Path, v.Seq)); return nil })
	want := []string{"Dockerfile@1", "Dockerfile@2", "Dockerfile@256", "Dockerfile@300", "b/Dockerfile@1", "b/Dockerfile@2", "b/Dockerfile@256", "b/Dockerfile@300"}
	if !slices.Equal(got, want) {
		t.Errorf("ForEachVersion order = %q, want %q", got, want)
	}
}

func testBeginRemovesOldRecords(t *testing.T, st Storer) {
	putRepo(t, st, "owner/name", "", "old/Dockerfile", "Dockerfile")
	putRepo(t, st, "owner/name", "", "new/Dockerfile")
	if got := filePaths(t, st, "owner/name"); !slices.Equal(got, []string{"new/Dockerfile"}) {
		t.Errorf("files after a rewrite = %q, want only the new one", got)
	}
}

func testDiscardKeepsRepoUnfinished(t *testing.T, st Storer) {
	putRepo(t, st, "owner/name", "", "Dockerfile")
	tx, err := st.BeginRepo("owner/name")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := tx.PutBlob([]byte("partial"))
	tx.PutFile(File{Repo: "owner/name", Path: "partial/Dockerfile", Blob: h, Size: 7})
	if err := tx.Discard(); err != nil {
		t.Fatal(err)
	}

	r, err := st.Repo("owner/name")
	if err != nil || r.State != StatePending {
		t.Errorf("Repo after a discarded rewrite = %+v, %v; want StatePending", r, err)
	}
	var walked int
	Walk(st, func(Repo, File, []byte) error { walked++; return nil })
	if walked != 0 {
		t.Errorf("Walk visited %d files of an unfinished repository", walked)
	}
	sum, _ := Summarize(st)
	if sum.Repos != 0 || sum.Pending != 1 || sum.Files != 0 {
		t.Errorf("Summarize = %+v, want 1 pending and nothing finished", sum)
	}
}

func testCommitRejectsMissingBlob(t *testing.T, st Storer) {
	tx, err := st.BeginRepo("owner/name")
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Discard()
	if err := tx.PutFile(File{Repo: "owner/name", Path: "Dockerfile", Blob: HashOf([]byte("never put"))}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(Repo{Name: "owner/name", State: StateDone}); !errors.Is(err, ErrMissingBlob) {
		t.Errorf("Commit with a missing blob = %v, want ErrMissingBlob", err)
	}
	if _, err := st.Repo("owner/name"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Repo after a rejected commit: %v, want ErrNotFound", err)
	}
}

func testFinishedTxRejectsWrites(t *testing.T, st Storer) {
	tx, err := st.BeginRepo("owner/name")
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(Repo{Name: "owner/name", State: StateDone}); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.PutBlob([]byte("x")); !errors.Is(err, ErrTxDone) {
		t.Errorf("PutBlob after Commit = %v, want ErrTxDone", err)
	}
	if err := tx.Commit(Repo{Name: "owner/name"}); !errors.Is(err, ErrTxDone) {
		t.Errorf("second Commit = %v, want ErrTxDone", err)
	}
	if err := tx.Discard(); err != nil {
		t.Errorf("Discard after Commit = %v, want nil", err)
	}
}

func testInvalidNamesAndPaths(t *testing.T, st Storer) {
	for _, name := range []string{"", "noslash", "a/b/c", "../x", "a/..", "a b/c", "a/b\x00"} {
		if _, err := st.BeginRepo(name); !errors.Is(err, ErrInvalidName) {
			t.Errorf("BeginRepo(%q) = %v, want ErrInvalidName", name, err)
		}
	}
	tx, err := st.BeginRepo("owner/name")
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Discard()
	h, _ := tx.PutBlob([]byte("x"))
	for _, p := range []string{"", "../Dockerfile", "/etc/Dockerfile", "a/./Dockerfile", "a\\Dockerfile", "bad\xff", "tab\there"} {
		if err := tx.PutFile(File{Repo: "owner/name", Path: p, Blob: h}); !errors.Is(err, ErrInvalidPath) {
			t.Errorf("PutFile(%q) = %v, want ErrInvalidPath", p, err)
		}
	}
	if err := tx.PutFile(File{Repo: "other/name", Path: "Dockerfile", Blob: h}); err == nil {
		t.Error("PutFile of another repository's file = nil, want an error")
	}
}

func testPruneRemovesLeftovers(t *testing.T, st Storer) {
	pruner, ok := st.(Pruner)
	if !ok {
		t.Skip("store does not implement Pruner")
	}
	putRepo(t, st, "owner/kept", "", "Dockerfile")
	tx, err := st.BeginRepo("owner/left")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := tx.PutBlob([]byte("orphan"))
	tx.PutFile(File{Repo: "owner/left", Path: "Dockerfile", Blob: h, Size: 6})
	if _, err := pruner.Prune(); !errors.Is(err, ErrBusy) {
		t.Errorf("Prune with an open transaction = %v, want ErrBusy", err)
	}
	tx.Discard()

	if _, err := pruner.Prune(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := st.HasBlob(h); ok {
		t.Error("orphan blob survived Prune")
	}
	if ok, _ := st.HasBlob(HashOf([]byte("Dockerfile"))); !ok {
		t.Error("Prune removed the blob of a finished repository")
	}
	if got := filePaths(t, st, "owner/left"); len(got) != 0 {
		t.Errorf("files of the unfinished repository after Prune = %q, want none", got)
	}
}

func testMergeCopiesFinishedRepos(t *testing.T, dst Storer) {
	src := NewMemory()
	putRepo(t, src, "a/done", "", "Dockerfile", "x/Dockerfile")
	putRepo(t, dst, "b/kept", "", "Dockerfile")
	putRepo(t, src, "b/kept", "", "other/Dockerfile")
	tx, _ := src.BeginRepo("c/failed")
	tx.Commit(Repo{Name: "c/failed", State: StateFailed, Error: "boom"})
	tx, _ = src.BeginRepo("d/pending")
	tx.Discard()

	res, err := Merge(dst, src)
	if err != nil {
		t.Fatal(err)
	}
	if res != (MergeResult{Copied: 1, Failed: 1, Unchanged: 1}) {
		t.Errorf("Merge = %+v, want 1 copied, 1 failure copied, 1 kept", res)
	}
	if got, want := repoNames(t, dst), []string{"a/done:done", "b/kept:done", "c/failed:failed"}; !slices.Equal(got, want) {
		t.Errorf("repositories after Merge = %q, want %q", got, want)
	}
	if got := filePaths(t, dst, "b/kept"); !slices.Equal(got, []string{"Dockerfile"}) {
		t.Errorf("files of the kept repository = %q, want the destination's", got)
	}
	data, err := dst.Blob(HashOf([]byte("x/Dockerfile")))
	if err != nil || string(data) != "x/Dockerfile" {
		t.Errorf("copied blob = %q, %v", data, err)
	}
}

func TestBadgerPersistsAcrossReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	putRepo(t, st, "owner/name", "", "Dockerfile")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := filePaths(t, st, "owner/name"); !slices.Equal(got, []string{"Dockerfile"}) {
		t.Errorf("files after reopening = %q, want [Dockerfile]", got)
	}
}

// TestBadgerRepoLargerThanOneTransaction writes a repository of about 40 MiB,
// more than Badger accepts in one transaction (about 15% of the 32 MiB
// memtable).
func TestBadgerRepoLargerThanOneTransaction(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 40 MiB; skipped with -short")
	}
	st, err := Open(filepath.Join(t.TempDir(), "store"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	tx, err := st.BeginRepo("big/repo")
	if err != nil {
		t.Fatal(err)
	}
	const files = 5000
	for i := range files {
		data := []byte(fmt.Sprintf("FROM alpine\n# %d\n%s", i, strings.Repeat("RUN true\n", 900)))
		h, err := tx.PutBlob(data)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.PutFile(File{Repo: "big/repo", Path: fmt.Sprintf("d%04d/Dockerfile", i), Blob: h, Size: int64(len(data))}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(Repo{Name: "big/repo", State: StateDone, Files: files}); err != nil {
		t.Fatalf("Commit: %v", err)
	}

	sum, err := Summarize(st)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != files || sum.Blobs != files || sum.BlobBytes < 38<<20 {
		t.Errorf("Summarize = %+v, want %d files and blobs, over 38 MiB", sum, files)
	}
}

func TestHashText(t *testing.T) {
	h := HashOf([]byte("abc"))
	if got := h.String(); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("String = %s", got)
	}
	parsed, err := ParseHash(strings.ToUpper(h.String()))
	if err != nil || parsed != h {
		t.Errorf("ParseHash(upper) = %v, %v; want %v", parsed, err, h)
	}
	for _, bad := range []string{"", "abc", strings.Repeat("g", 64)} {
		if _, err := ParseHash(bad); err == nil {
			t.Errorf("ParseHash(%q) = nil error", bad)
		}
	}
	if (Hash{}).String() != "" {
		t.Error("zero hash String is not empty")
	}
}

func TestDirName(t *testing.T) {
	if got := DirName("owner/name"); got != "owner__name" {
		t.Errorf("DirName = %q, want owner__name", got)
	}
}
