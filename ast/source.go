package ast

import "sort"

// lineIndex maps byte offsets of a file to lines and columns.
type lineIndex struct {
	starts []int // byte offset where each line begins; starts[0] == 0
	size   int
	last   int // index of the line found last: most look-ups land near it
}

func newLineIndex(src []byte) *lineIndex {
	starts := make([]int, 1, len(src)/32+1)
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{starts: starts, size: len(src)}
}

// pos returns the position of a byte offset, clamped to the file.
func (x *lineIndex) pos(offset int) Pos {
	if offset < 0 {
		offset = 0
	}
	if offset > x.size {
		offset = x.size
	}
	line := x.last
	if line >= len(x.starts) || x.starts[line] > offset || (line+1 < len(x.starts) && x.starts[line+1] <= offset) {
		line = sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > offset }) - 1
		x.last = line
	}
	return Pos{Offset: offset, Line: line + 1, Col: offset - x.starts[line] + 1}
}

// lineStart returns the offset of the first byte of a 1-based line.
func (x *lineIndex) lineStart(line int) int {
	if line < 1 {
		return 0
	}
	if line > len(x.starts) {
		return x.size
	}
	return x.starts[line-1]
}

// lineEnd returns the offset just after a 1-based line, its newline included.
func (x *lineIndex) lineEnd(line int) int {
	if line >= len(x.starts) {
		return x.size
	}
	return x.starts[line]
}

func (x *lineIndex) lines() int { return len(x.starts) }

// piece is a run of a logical text that stands unchanged in the file, or a
// synthetic run that stands for no bytes of the file.
type piece struct {
	logical   int // offset in the logical text
	file      int // offset in the file
	length    int // bytes in the logical text
	synthetic bool
}

// logicalText is text assembled from pieces of the file, such as an
// instruction with its continuation lines joined, with the map back to file
// offsets.
type logicalText struct {
	text   []byte
	pieces []piece
}

func (t *logicalText) add(src []byte, fileStart, fileEnd int) {
	if fileEnd <= fileStart {
		return
	}
	if n := len(t.pieces); n > 0 {
		last := &t.pieces[n-1]
		if !last.synthetic && last.file+last.length == fileStart {
			last.length += fileEnd - fileStart
			t.text = append(t.text, src[fileStart:fileEnd]...)
			return
		}
	}
	t.pieces = append(t.pieces, piece{logical: len(t.text), file: fileStart, length: fileEnd - fileStart})
	t.text = append(t.text, src[fileStart:fileEnd]...)
}

// addSynthetic appends text that is not in the file, such as the newline that
// separates a command line from its heredoc body. All of it maps to fileAt.
func (t *logicalText) addSynthetic(s string, fileAt int) {
	t.pieces = append(t.pieces, piece{logical: len(t.text), file: fileAt, length: len(s), synthetic: true})
	t.text = append(t.text, s...)
}

// startOffset maps the logical offset of a range's first byte to the file.
func startOffset(pieces []piece, logical int) int {
	if len(pieces) == 0 {
		return 0
	}
	// The last piece that starts at or before logical.
	i := sort.Search(len(pieces), func(i int) bool { return pieces[i].logical > logical }) - 1
	if i < 0 {
		return pieces[0].file
	}
	return within(pieces[i], logical)
}

// endOffset maps the logical offset just after a range's last byte to the
// file, so that the end stays on the line of that byte.
func endOffset(pieces []piece, logical int) int {
	if len(pieces) == 0 {
		return 0
	}
	// The last piece that starts before logical.
	i := sort.Search(len(pieces), func(i int) bool { return pieces[i].logical >= logical }) - 1
	if i < 0 {
		return pieces[0].file
	}
	return within(pieces[i], logical)
}

func within(p piece, logical int) int {
	if p.synthetic {
		return p.file
	}
	d := logical - p.logical
	if d > p.length {
		d = p.length
	}
	return p.file + d
}
