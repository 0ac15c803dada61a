package corpus

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/dockmine/dockmine/corpus/store"
)

// benchRepos returns the replayed histories, when present, and a few
// written ones, so the benchmark runs without the shared folder too.
func benchRepos(b *testing.B) []string {
	b.Helper()
	var repos []string
	if dir := filepath.Join("..", "..", "shared", "corpus", "history"); dirExists(dir) {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.git"))
		for _, m := range matches {
			abs, _ := filepath.Abs(m)
			repos = append(repos, abs)
		}
	}
	tmp := b.TempDir()
	for i := range 3 {
		dir := filepath.Join(tmp, fmt.Sprintf("bench__repo%d.git", i))
		r := newTestRepo(b, dir)
		for c := range 20 {
			var entries []entry
			for f := range 30 {
				entries = append(entries, entry{path: fmt.Sprintf("v%d/Dockerfile", f), data: fmt.Sprintf("FROM debian:%d\nRUN apt-get update # %d\n", c, f)})
				entries = append(entries, entry{path: fmt.Sprintf("v%d/app.go", f), data: fmt.Sprintf("package main // %d %d\n", c, f)})
			}
			r.commit(fmt.Sprint(c), entries...)
		}
		repos = append(repos, dir)
	}
	return repos
}

// BenchmarkCrawlVersusGitClone crawls local repositories and clones the same
// ones with git clone --depth 1 in the same loop. It reports the time of
// each crawl mode divided by the time of the git clones: open-ratio for
// repositories read in place, clone-ratio for go-git clones of file://
// URLs into memory. Below 1 means faster than git.
func BenchmarkCrawlVersusGitClone(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git not installed: " + err.Error())
	}
	repos := benchRepos(b)
	var local, remote []Source
	for _, dir := range repos {
		local = append(local, Source{Name: NameForPath(dir), Path: dir})
		remote = append(remote, Source{Name: NameForPath(dir), URL: "file://" + dir})
	}
	tmp := b.TempDir()

	var open, clone, git time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		crawlBench(b, local)
		open += time.Since(start)

		start = time.Now()
		crawlBench(b, remote)
		clone += time.Since(start)

		start = time.Now()
		for i, dir := range repos {
			dest := filepath.Join(tmp, fmt.Sprint(i))
			out, err := exec.Command("git", "clone", "--quiet", "--depth", "1", "file://"+dir, dest).CombinedOutput()
			if err != nil {
				b.Fatalf("git clone %s: %v\n%s", dir, err, out)
			}
		}
		git += time.Since(start)

		b.StopTimer()
		os.RemoveAll(tmp)
		b.StartTimer()
	}
	b.ReportMetric(open.Seconds()/git.Seconds(), "open-ratio")
	b.ReportMetric(clone.Seconds()/git.Seconds(), "clone-ratio")
}

func crawlBench(b *testing.B, sources []Source) {
	b.Helper()
	res, err := Crawl(context.Background(), sources, Options{Store: store.NewMemory(), Jobs: 1})
	if err != nil || res.Done != len(sources) {
		b.Fatalf("Crawl = %+v, %v; want %d done", res, err, len(sources))
	}
}
