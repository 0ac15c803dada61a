package lint

import (
	"bytes"
	"fmt"
	"strings"
)

// diffContext is the number of unchanged lines shown around each change,
// the default of diff -u and git diff.
const diffContext = 3

// UnifiedDiff returns the changes from old to new in unified diff format,
// with a/ and b/ prefixes on name as git writes them, or "" when the texts
// are equal. A last line without a newline is marked the way diff -u marks
// it.
func UnifiedDiff(name string, old, new []byte) string {
	if bytes.Equal(old, new) {
		return ""
	}
	a, b := splitLines(old), splitLines(new)
	ops := diffLines(a, b)

	var sb strings.Builder
	fmt.Fprintf(&sb, "--- a/%s\n+++ b/%s\n", name, name)
	for _, h := range hunks(ops) {
		writeHunk(&sb, h, a, b)
	}
	return sb.String()
}

// splitLines splits text after each newline. The last line keeps no
// newline when the text does not end with one.
func splitLines(text []byte) []string {
	var lines []string
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			lines = append(lines, string(text))
			break
		}
		lines = append(lines, string(text[:i+1]))
		text = text[i+1:]
	}
	return lines
}

// opKind is the action of a diff operation on one line.
type opKind byte

const (
	opEqual  opKind = ' '
	opDelete opKind = '-'
	opInsert opKind = '+'
)

// op is one line of the edit script: a line of a (equal or delete) or of b
// (insert).
type op struct {
	kind opKind
	a, b int // line indexes in a and b before this operation
}

// diffLines computes a shortest edit script from a to b with Myers's
// O(ND) greedy algorithm ("An O(ND) Difference Algorithm and Its
// Variations", Algorithmica 1986). Each round's frontier is kept, cut to the
// diagonals that round can reach, to walk the path back.
func diffLines(a, b []string) []op {
	n, m := len(a), len(b)
	maxD := n + m
	offset := maxD + 1
	frontier := make([]int, 2*maxD+3)
	var trace [][]int // trace[d] holds diagonals -d-1 to d+1 before round d

	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int(nil), frontier[offset-d-1:offset+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && frontier[offset+k-1] < frontier[offset+k+1]) {
				x = frontier[offset+k+1] // a step down: insert a line of b
			} else {
				x = frontier[offset+k-1] + 1 // a step right: delete a line of a
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			frontier[offset+k] = x
			if x >= n && y >= m {
				return backtrack(trace, n, m)
			}
		}
	}
	return nil // not reached: round n+m always reaches the end
}

// backtrack walks the recorded frontiers from the end to the start and
// returns the operations in order.
func backtrack(trace [][]int, n, m int) []op {
	var rev []op
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		v := trace[d]
		at := func(k int) int { return v[k+d+1] }
		k := x - y
		prevK := k - 1
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY && x > 0 && y > 0 {
			x--
			y--
			rev = append(rev, op{kind: opEqual, a: x, b: y})
		}
		if d == 0 {
			break
		}
		if x == prevX {
			y--
			rev = append(rev, op{kind: opInsert, a: x, b: y})
		} else {
			x--
			rev = append(rev, op{kind: opDelete, a: x, b: y})
		}
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// hunk is a run of operations with its surrounding context.
type hunk []op

// hunks groups the operations into hunks, merging changes whose context
// would overlap.
func hunks(ops []op) []hunk {
	var out []hunk
	i := 0
	for i < len(ops) {
		for i < len(ops) && ops[i].kind == opEqual {
			i++
		}
		if i == len(ops) {
			break
		}
		start := max(0, i-diffContext)
		end := i
		for end < len(ops) {
			if ops[end].kind != opEqual {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == opEqual {
				run++
			}
			if run == len(ops) || run-end > 2*diffContext {
				end = min(run, end+diffContext)
				break
			}
			end = run
		}
		out = append(out, hunk(ops[start:end]))
		i = end
	}
	return out
}

func writeHunk(sb *strings.Builder, h hunk, a, b []string) {
	aStart, bStart := h[0].a, h[0].b
	var aLen, bLen int
	for _, o := range h {
		switch o.kind {
		case opEqual:
			aLen++
			bLen++
		case opDelete:
			aLen++
		case opInsert:
			bLen++
		}
	}
	fmt.Fprintf(sb, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))

	for _, o := range h {
		line := ""
		switch o.kind {
		case opEqual, opDelete:
			line = a[o.a]
		case opInsert:
			line = b[o.b]
		}
		sb.WriteByte(byte(o.kind))
		sb.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			sb.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats a hunk's start and length as diff -u does: a 1-based
// start, and for an empty range the line before it.
func hunkRange(start, length int) string {
	switch length {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, length)
}
