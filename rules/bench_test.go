package rules

import (
	"bytes"
	"testing"

	"github.com/dockmine/dockmine/ast"
)

// BenchmarkPackCheckGold runs the default pack on every parsed file of the
// expert corpus, once per iteration. Parsing is done before the timer, so
// the figures are those of Pack.Check alone; files/op and ns/file report
// the rate.
func BenchmarkPackCheckGold(b *testing.B) {
	var files []*ast.File
	for _, cf := range loadCorpus(b, "gold") {
		f, err := ast.Parse(cf.path, cf.src)
		if err == nil {
			files = append(files, f)
		}
	}
	p := Default()
	b.ReportAllocs()
	b.ResetTimer()
	findings := 0
	for b.Loop() {
		for _, f := range files {
			findings += len(p.Check(f))
		}
	}
	b.ReportMetric(float64(len(files)), "files/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/file")
	if findings == 0 {
		b.Fatal("no findings on the gold corpus")
	}
}

// BenchmarkCompileRepoPacks compiles every pack of the repository,
// running all rule examples.
func BenchmarkCompileRepoPacks(b *testing.B) {
	dirs, err := PackDirs(".")
	if err != nil {
		b.Fatal(err)
	}
	list, err := LoadDirs(dirs)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(list); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDefaultPackRead decodes and compiles the embedded pack, as the
// first call of Default does.
func BenchmarkDefaultPackRead(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(defaultJSON)))
	for b.Loop() {
		if _, err := ReadPack(bytes.NewReader(defaultJSON)); err != nil {
			b.Fatal(err)
		}
	}
}
