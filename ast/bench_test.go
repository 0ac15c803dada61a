package ast

import (
	"bytes"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// BenchmarkParseGold measures the full phased parse of the gold corpus
// against BuildKit's parser plus mvdan/sh on every shell-form RUN alone, the
// floor any phased parser pays. It reports the ratio as full/bare.
func BenchmarkParseGold(b *testing.B) {
	var files []corpusFile
	for _, cf := range loadCorpus(b, "gold") {
		if !cf.template {
			files = append(files, cf)
		}
	}
	var size int64
	for _, cf := range files {
		size += int64(len(cf.src))
	}

	var bare, full float64
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size)
		for b.Loop() {
			for _, cf := range files {
				bareParse(b, cf.src)
			}
		}
		bare = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("full", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size)
		for b.Loop() {
			for _, cf := range files {
				if _, err := Parse(cf.path, cf.src); err != nil && !strings.Contains(err.Error(), "no instructions") {
					b.Fatal(err)
				}
			}
		}
		full = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	if bare > 0 {
		b.ReportMetric(full/bare, "full/bare")
		b.Logf("full phased parse costs %.2fx BuildKit + mvdan/sh alone (target: at most 1.5x)", full/bare)
	}
}

// bareParse runs only the two third-party parsers: BuildKit on the file and
// mvdan/sh on the text of every shell-form RUN, CMD and ENTRYPOINT.
func bareParse(b *testing.B, src []byte) {
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return
	}
	for _, node := range res.AST.Children {
		switch node.Value {
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
