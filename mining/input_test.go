package mining

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// writeFiles creates files under dir from a map of slash paths to contents.
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

// collect returns the repository and path of every document of src.
func collect(t *testing.T, src Source) []string {
	t.Helper()
	var out []string
	for d, err := range src {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d.Repo+" "+d.Path)
	}
	return out
}

func TestFromPathsManifest(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"MANIFEST.tsv":                "repo\tcommit\tpath\nowner/app\tabc\tsub/Dockerfile\n",
		"owner__app/sub/Dockerfile":   "FROM a\n",
		"owner__app/other.Dockerfile": "FROM b\n",
		"loose/Dockerfile":            "FROM c\n",
		"loose/README.md":             "not a Dockerfile\n",
		"Containerfile":               "FROM d\n",
	})
	src, err := FromPaths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}

	got := collect(t, src)
	want := []string{
		filepath.Base(dir) + " Containerfile",
		"loose Dockerfile",
		"owner/app other.Dockerfile",
		"owner/app sub/Dockerfile",
	}
	if len(got) != len(want) {
		t.Fatalf("documents %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("document %d is %q, want %q", i, got[i], want[i])
		}
	}
}

func TestFromPathsMissingListedFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"MANIFEST.tsv": "repo\tpath\nowner/app\tDockerfile\n"})
	src, err := FromPaths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	for d, err := range src {
		if err != nil {
			t.Fatal(err)
		}
		if d.Err == nil {
			t.Errorf("document %s has no error, want a read error", d.Name())
		}
	}
}

func TestFromPathsBadManifest(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"MANIFEST.tsv": "name\tfile\nx\ty\n"})
	if _, err := FromPaths([]string{dir}); err == nil {
		t.Fatal("a manifest without repo and path columns was accepted")
	}
}

func TestCountRejectsSplitRepository(t *testing.T) {
	docs := []Document{
		{Repo: "a", Path: "Dockerfile", Src: []byte("FROM x\n")},
		{Repo: "b", Path: "Dockerfile", Src: []byte("FROM y\n")},
		{Repo: "a", Path: "other/Dockerfile", Src: []byte("FROM z\n")},
	}
	src := func(yield func(Document, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}
	_, err := Count(context.Background(), src, Options{})
	if !errors.Is(err, ErrRepoSplit) {
		t.Fatalf("error %v, want %v", err, ErrRepoSplit)
	}
}

func TestCountRecordsFailures(t *testing.T) {
	docs := []Document{
		{Repo: "a", Path: "Dockerfile", Src: []byte("FROM x\nRUN true\n")},
		{Repo: "a", Path: "empty.Dockerfile", Src: []byte("# nothing\n")},
		{Repo: "b", Path: "Dockerfile", Err: errors.New("permission denied")},
		{Repo: "b", Path: "bin.Dockerfile", Src: []byte("FROM x\x00\n")},
	}
	c, err := Count(context.Background(), FromDocuments(docs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := c.Stats()
	if s.Files != 4 {
		t.Errorf("files %d, want 4", s.Files)
	}
	if s.Parsed != 1 {
		t.Errorf("parsed %d, want 1", s.Parsed)
	}
	if s.Failed != 3 {
		t.Errorf("failed %d, want 3", s.Failed)
	}
	want := []string{"a/empty.Dockerfile", "b/Dockerfile", "b/bin.Dockerfile"}
	if len(s.Failures) != len(want) {
		t.Fatalf("failures %+v, want %q", s.Failures, want)
	}
	for i, f := range s.Failures {
		if f.File != want[i] || f.Error == "" {
			t.Errorf("failure %d is %+v, want %s with its error", i, f, want[i])
		}
	}
}

func TestCountCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	docs := []Document{{Repo: "a", Path: "Dockerfile", Src: []byte("FROM x\n")}}
	if _, err := Count(ctx, FromDocuments(docs), Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want %v", err, context.Canceled)
	}
}
