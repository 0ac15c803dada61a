package ast

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// BenchmarkParseGold measures the full phased parse of the gold corpus
// against BuildKit's parser plus mvdan/sh on every shell-form RUN, CMD and
// ENTRYPOINT alone, the floor any phased parser pays. Each iteration runs
// both, one after the other, so that load on the machine hits both alike.
// It reports full-ms and bare-ms per pass over the corpus and their ratio
// full/bare (target: at most 1.5).

func BenchmarkParseGold(b *testing.B) {
	var files []corpusFile
	var size int64
	for _, cf := range loadCorpus(b, "gold") {
		if !cf.template {
			files = append(files, cf)
			size += int64(len(cf.src))
		}
	}

	b.ReportAllocs()
	b.SetBytes(size)
	var bare, full time.Duration
	for b.Loop() {
		start := time.Now()
		for _, cf := range files {
			bareParse(cf.src)
		}
		bare += time.Since(start)

		start = time.Now()
		for _, cf := range files {
			if _, err := Parse(cf.path, cf.src); err != nil && !strings.Contains(err.Error(), "no instructions") {
				b.Fatal(err)
			}
		}
		full += time.Since(start)
	}
	b.ReportMetric(float64(full.Milliseconds())/float64(b.N), "full-ms")
	b.ReportMetric(float64(bare.Milliseconds())/float64(b.N), "bare-ms")
	b.ReportMetric(float64(full)/float64(bare), "full/bare")
}

// bareParse runs only the two third-party parsers: BuildKit on the file and
// mvdan/sh on the text of every shell-form RUN, CMD and ENTRYPOINT.
func bareParse(src []byte) {
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return
	}
	for _, node := range res.AST.Children {
		switch strings.ToLower(node.Value) { // BuildKit keeps the keyword as written
		case "run", "cmd", "entrypoint":
		default:
			continue
		}
		if node.Attributes["json"] || node.Next == nil {
			continue
		}
		script := node.Next.Value
		for _, h := range node.Heredocs {
			script += "\n" + h.Content + h.Name + "\n"
		}
		syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "")
	}
}
