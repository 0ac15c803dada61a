package corpus

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/dockmine/dockmine/corpus/store"
)

func TestCrawlHostileGitRepository(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "evil__repo.git")
	r := newTestRepo(t, dir)
	big := strings.Repeat("RUN echo filler\n", 50<<20/16) // 50 MiB
	r.commit("hostile",
		entry{path: "Dockerfile", data: "FROM alpine\n"},
		entry{path: "../escape/Dockerfile", data: "FROM dotdot\n"},
		entry{path: "sub/../Dockerfile.up", data: "FROM inner-dotdot\n"},
		entry{path: "link/Dockerfile", data: "/etc/passwd", mode: filemode.Symlink},
		entry{path: "huge/Dockerfile", data: big},
		entry{path: "module", mode: filemode.Submodule, hash: plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")},
		entry{path: "bad\xffname/Dockerfile", data: "FROM latin1\n"},
		entry{path: "tab\tname.Dockerfile", data: "FROM tab\n"},
		entry{path: "vendor/lib/Dockerfile", data: "FROM vendored\n"},
		entry{path: "bin/Dockerfile.bin", data: "\x7fELF\x00\x00"},
	)

	st := store.NewMemory()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	res := crawlSources(t, st, []Source{localSource(t, dir)}, Options{History: true})
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	if res.Done != 1 {
		t.Fatalf("Crawl result = %+v (%s), want 1 done", res, mustRepo(t, st, "evil/repo").Error)
	}
	if files := storeFiles(t, st, "evil/repo"); !maps.Equal(files, map[string]string{"Dockerfile": "FROM alpine\n"}) {
		t.Errorf("files = %q, want only the plain Dockerfile", files)
	}
	want := map[string]int{SkipBadPath: 4, SkipSymlink: 1, SkipTooLarge: 1, SkipSubmodule: 1, SkipVendored: 1, SkipBinary: 1}
	if !maps.Equal(res.Skipped, want) {
		t.Errorf("skipped = %v, want %v", res.Skipped, want)
	}
	if rec := mustRepo(t, st, "evil/repo"); !maps.Equal(rec.Skipped, want) {
		t.Errorf("record skipped = %v, want %v", rec.Skipped, want)
	}
	// The 50 MiB blob is rejected by its header; reading it would allocate
	// at least its size.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 40<<20 {
		t.Errorf("crawl allocated %d MiB; the large blob was read", alloc>>20)
	}

	var versions []store.Version
	st.ForEachVersion("evil/repo", func(v store.Version) error { versions = append(versions, v); return nil })
	if len(versions) != 1 || versions[0].Path != "Dockerfile" {
		t.Errorf("versions = %+v, want one for Dockerfile", versions)
	}
}

func TestCrawlHostilePlainDirectory(t *testing.T) {
	tmp := t.TempDir()
	outside := filepath.Join(tmp, "outside")
	writeFiles(t, outside, map[string]string{"secret": "outside the crawl\n", "Dockerfile": "FROM outside\n"})
	dir := filepath.Join(tmp, "evil__plain")
	writeFiles(t, dir, map[string]string{"Dockerfile": "FROM alpine\n"})
	if err := os.WriteFile(filepath.Join(dir, "big.Dockerfile"), make([]byte, 2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(dir, "linked.Dockerfile")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "linkdir")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "odd\xff.Dockerfile"), []byte("FROM odd\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	st := store.NewMemory()
	res := crawlSources(t, st, []Source{localSource(t, dir)}, Options{})
	if files := storeFiles(t, st, "evil/plain"); !maps.Equal(files, map[string]string{"Dockerfile": "FROM alpine\n"}) {
		t.Errorf("files = %q, want only the plain Dockerfile", files)
	}
	want := map[string]int{SkipSymlink: 1, SkipTooLarge: 1, SkipBadPath: 1}
	if !maps.Equal(res.Skipped, want) {
		t.Errorf("skipped = %v, want %v", res.Skipped, want)
	}
}

func TestExportDirRejectsSymlinkOnTheWay(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "owner__name")
	writeFiles(t, src, map[string]string{"Dockerfile": "FROM a\n", "sub/Dockerfile": "FROM b\n"})
	other := filepath.Join(tmp, "other__name")
	writeFiles(t, other, map[string]string{"Dockerfile": "FROM c\n"})
	st := store.NewMemory()
	crawlSources(t, st, []Source{localSource(t, src), localSource(t, other)}, Options{})

	out := filepath.Join(tmp, "out")
	victim := filepath.Join(tmp, "victim")
	if err := os.MkdirAll(victim, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(out, "owner__name")); err != nil {
		t.Fatal(err)
	}

	res, err := ExportDir(st, out)
	if err != nil {
		t.Fatalf("ExportDir: %v", err)
	}
	if len(res.Rejected) != 2 || res.Files != 1 {
		t.Errorf("ExportDir = %+v, want 2 rejected and 1 written", res)
	}
	for _, e := range res.Rejected {
		if !errors.Is(e, ErrUnsafePath) {
			t.Errorf("rejection %v does not wrap ErrUnsafePath", e)
		}
	}
	if entries, _ := os.ReadDir(victim); len(entries) != 0 {
		t.Errorf("export wrote %d entries through the symbolic link", len(entries))
	}
	manifest, err := os.ReadFile(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(manifest), "owner/name") {
		t.Errorf("manifest lists rejected files:\n%s", manifest)
	}
}

func TestWriteUnderRejectsEscapes(t *testing.T) {
	root, err := os.OpenRoot(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for _, p := range []string{"../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a\\..\\b", ""} {
		if err := writeUnder(root, p, []byte("x")); !errors.Is(err, ErrUnsafePath) {
			t.Errorf("writeUnder(%q) = %v, want ErrUnsafePath", p, err)
		}
	}
}
