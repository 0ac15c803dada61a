package ast

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// builder turns BuildKit's nodes into instructions with exact positions.
// BuildKit reports only the first and last line of each instruction, so the
// builder joins the lines again the way BuildKit does and keeps a map from
// the joined text back to file offsets.
type builder struct {
	file   *File
	src    []byte
	lines  *lineIndex
	escape byte

	parsers map[syntax.LangVariant]*syntax.Parser // shell parsers, one per dialect
}

var directivePattern = regexp.MustCompile(`^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$`)

// readDirectives collects the parser directives: comment lines of the form
// "# name=value" before anything else, for the names BuildKit accepts.
func (b *builder) readDirectives() {
	for line := 1; line <= b.lines.lines(); line++ {
		start, end := b.lines.lineStart(line), b.lines.lineEnd(line)
		text := strings.TrimRight(string(b.src[start:end]), "\r\n")
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}

		m := directivePattern.FindStringSubmatch(text)
		if m == nil {
			return
		}
		key := strings.ToLower(m[1])
		if key != "syntax" && key != "escape" && key != "check" {
			return
		}
		at := start + strings.Index(string(b.src[start:end]), "#")
		b.file.Directives = append(b.file.Directives, &Directive{
			Range: b.span(at, at+len(strings.TrimPrefix(text, "\uFEFF"))),
			Name:  key,
			Value: m[2],
		})
	}
}

// readComments collects whole-line comments outside heredoc bodies that are
// not directives.
func (b *builder) readComments() {
	var inBody map[int]bool // lines of heredoc bodies, where # is content
	for _, inst := range b.file.Instructions {
		for _, h := range inst.Heredocs {
			if inBody == nil {
				inBody = map[int]bool{}
			}
			for l := h.Start.Line; l <= h.End.Line; l++ {
				inBody[l] = true
			}
		}
	}

	skip := len(b.file.Directives)
	for line := skip + 1; line <= b.lines.lines(); line++ {
		if inBody[line] {
			continue
		}
		start, end := b.lines.lineStart(line), b.lines.lineEnd(line)
		raw := bytes.TrimRight(b.src[start:end], "\r\n")
		trimmed := bytes.TrimLeft(raw, " \t\uFEFF")
		if len(trimmed) == 0 || trimmed[0] != '#' {
			continue
		}
		at := start + len(raw) - len(trimmed)
		b.file.Comments = append(b.file.Comments, &Comment{
			Range: b.span(at, start+len(raw)),
			Text:  string(bytes.TrimSpace(trimmed[1:])),
		})
	}
}

func (b *builder) addWarning(w parser.Warning) {
	r := b.span(0, 0)
	if w.Location != nil && w.Location.Start.Line > 0 {
		line := w.Location.Start.Line
		r = b.span(b.lines.lineStart(line), b.lines.lineStart(line))
	}
	b.file.Warnings = append(b.file.Warnings, &Warning{Range: r, Message: w.Short})
}

// span returns the range between two file offsets.
func (b *builder) span(start, end int) Range {
	return Range{Start: b.lines.pos(start), End: b.lines.pos(end)}
}

// logicalSpan returns the file range of a span of a logical text.
func (b *builder) logicalSpan(pieces []piece, start, end int) Range {
	fs := startOffset(pieces, start)
	fe := endOffset(pieces, end)
	if fe < fs {
		fe = fs
	}
	return b.span(fs, fe)
}

// joinLines rebuilds the logical line that BuildKit parsed for an
// instruction starting at line first: leading blanks of the first line
// removed, continuation characters removed, comment lines and empty lines
// inside the continuation skipped. It returns the text and the line after
// the last line it used. last is BuildKit's last line of the instruction,
// used only to size the buffer.
func (b *builder) joinLines(first, last int) (logicalText, int) {
	lt := logicalText{text: make([]byte, 0, b.lines.lineEnd(last)-b.lines.lineStart(first))}
	line := first
	for ; line <= b.lines.lines(); line++ {
		start, end := b.lines.lineStart(line), b.lines.lineEnd(line)
		for end > start && (b.src[end-1] == '\n' || b.src[end-1] == '\r') {
			end--
		}
		if line == first {
			if line == 1 && bytes.HasPrefix(b.src[start:end], []byte("\uFEFF")) {
				start += 3
			}
			for start < end && isSpace(b.src[start]) {
				start++
			}
		} else {
			text := b.src[start:end]
			trimmed := bytes.TrimLeft(text, " \t\v\f\r")
			if len(trimmed) > 0 && trimmed[0] == '#' {
				continue
			}
			if len(trimmed) == 0 {
				continue
			}
		}

		cut, continued := b.continuation(start, end)
		lt.add(b.src, start, cut)
		if !continued {
			return lt, line + 1
		}
	}
	return lt, line
}

// continuation reports whether the line src[start:end] ends in the escape
// token followed only by blanks, and where the kept text ends.
func (b *builder) continuation(start, end int) (int, bool) {
	i := end
	for i > start && (b.src[i-1] == ' ' || b.src[i-1] == '\t') {
		i--
	}
	if i == start || b.src[i-1] != b.escape {
		return end, false
	}
	// As in BuildKit's pattern, an escape token right after another one is
	// not a continuation.
	if i-1 > start && b.src[i-2] == b.escape {
		return end, false
	}
	return i - 1, true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n'
}
