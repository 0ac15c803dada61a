package lint

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dockmine/dockmine/ast"
	"github.com/dockmine/dockmine/rules"
)

// corpusDir holds the gold (expert) and wild (ordinary) Dockerfile corpora,
// outside the repository.
var corpusDir = filepath.Join("..", "..", "shared", "corpus")

// benchFile is one corpus file held in memory.
type benchFile struct {
	name string
	src  []byte
}

func loadBenchCorpus(b *testing.B) ([]benchFile, int64) {
	b.Helper()
	var files []benchFile
	var size int64
	for _, part := range []string{"gold", "wild"} {
		root := filepath.Join(corpusDir, part)
		if _, err := os.Stat(root); err != nil {
			b.Skipf("corpus not found at %s: %v", root, err)
		}
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || !ast.IsDockerfileName(d.Name()) {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files = append(files, benchFile{name: path, src: src})
			size += int64(len(src))
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return files, size
}

// eachParallel calls fn for every file over GOMAXPROCS workers, as
// Linter.Lint spreads files.
func eachParallel(files []benchFile, fn func(benchFile)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) {
					return
				}
				fn(files[i])
			}
		})
	}
	wg.Wait()
}

// BenchmarkLintCorpus lints the gold and wild corpora with the default pack
// and, in the same run, only parses them, both with files in parallel over
// GOMAXPROCS workers. The lint sub-benchmark reports lint/parse, the time
// of a lint pass over the time of a parse pass (target: at most 1.5, so
// linting adds at most 50%). Each of its iterations also times a parse pass
// with the benchmark timer stopped, so the ratio compares passes that ran
// under the same machine load.
// Run it with: go test -run '^$' -bench LintCorpus ./lint
func BenchmarkLintCorpus(b *testing.B) {
	files, size := loadBenchCorpus(b)
	parsePass := func() {
		eachParallel(files, func(f benchFile) {
			_, _ = ast.Parse(f.name, f.src)
		})
	}

	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size)
		for b.Loop() {
			parsePass()
		}
	})

	b.Run("lint", func(b *testing.B) {
		l, err := New(Options{Packs: []*rules.Pack{rules.Default()}})
		if err != nil {
			b.Fatal(err)
		}
		pol, err := l.PolicyFor(".")
		if err != nil {
			b.Fatal(err)
		}
		var findings atomic.Int64
		var lintTime, parseTime time.Duration
		b.ReportAllocs()
		b.SetBytes(size)
		for b.Loop() {
			findings.Store(0)
			start := time.Now()
			eachParallel(files, func(f benchFile) {
				res := l.LintSource(Input{Name: f.name, Source: f.src}, pol)
				findings.Add(int64(len(res.Diagnostics)))
			})
			lintTime += time.Since(start)

			b.StopTimer()
			start = time.Now()
			parsePass()
			parseTime += time.Since(start)
			b.StartTimer()
		}
		b.ReportMetric(float64(findings.Load()), "findings")
		b.ReportMetric(float64(lintTime)/float64(parseTime), "lint/parse")
	})
}
