package mining

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// loadDocuments reads every document of a shared corpus into memory.
func loadDocuments(tb testing.TB, name string) []Document {
	tb.Helper()
	var docs []Document
	for d, err := range corpusSource(tb, name) {
		if err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, d)
	}
	return docs
}

// BenchmarkCountGold measures parsing and counting the gold corpus.
func BenchmarkCountGold(b *testing.B) {
	docs := loadDocuments(b, "gold")
	var size int64
	for _, d := range docs {
		size += int64(len(d.Src))
	}
	b.ReportAllocs()
	b.SetBytes(size)
	for b.Loop() {
		if _, err := Count(context.Background(), FromDocuments(docs), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// replicate builds n documents from the gold and wild corpora. Copy k of a
// repository is repository "name~k", and each copy changes its files a
// little: a version number in a comment line, so that the files differ
// byte for byte but stay in their template families.
func replicate(gold, wild []Document, n int) (expert, contrast []Document) {
	base := append(append([]Document(nil), gold...), wild...)
	goldN := len(gold)
	for k := 0; len(expert)+len(contrast) < n; k++ {
		for i, d := range base {
			if len(expert)+len(contrast) >= n {
				break
			}
			c := d
			c.Repo = fmt.Sprintf("%s~%d", d.Repo, k)
			if k > 0 && d.Src != nil {
				c.Src = append([]byte(fmt.Sprintf("# copy %d.%d\n", k, i)), d.Src...)
			}
			if i < goldN {
				expert = append(expert, c)
			} else {
				contrast = append(contrast, c)
			}
		}
	}
	return expert, contrast
}

// BenchmarkMine100k mines 100,000 files, the gold and wild corpora
// replicated with small changes, end to end: parsing, counting both
// corpora and making candidates. It reports files per second, seconds per
// run and the peak heap the runtime obtained from the system.
func BenchmarkMine100k(b *testing.B) {
	gold, wild := loadDocuments(b, "gold"), loadDocuments(b, "wild")
	expert, contrast := replicate(gold, wild, 100_000)

	var peak atomic.Uint64
	stop := make(chan struct{})
	go samplePeakHeap(&peak, stop)
	b.ReportAllocs()
	for b.Loop() {
		r, err := Mine(context.Background(), FromDocuments(expert), FromDocuments(contrast), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Result.Candidates) == 0 {
			b.Fatal("no candidates")
		}
	}
	close(stop)

	seconds := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(len(expert)+len(contrast))/seconds, "files/s")
	b.ReportMetric(seconds, "s/run")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}

// samplePeakHeap records the largest HeapSys seen every 50 ms until stop
// is closed.
func samplePeakHeap(peak *atomic.Uint64, stop <-chan struct{}) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	var ms runtime.MemStats
	for {
		runtime.ReadMemStats(&ms)
		if ms.HeapSys > peak.Load() {
			peak.Store(ms.HeapSys)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}
