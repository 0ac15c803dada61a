package format

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/ast"
	"github.com/dockmine/dockmine/lint"
	"github.com/dockmine/dockmine/rules"
)

func TestDisplayColumn(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		byteCol int
		want    int
	}{
		{"start", "RUN x", 1, 1},
		{"ascii", "RUN x", 5, 5},
		{"tab to the next stop", "\t&& x", 2, 9},
		{"text then tab", "ab\tc", 4, 9},
		{"two tabs", "\t\tx", 3, 17},
		{"two-byte letters", "ünï x", 7, 5},
		{"wide emoji", `echo "😀" x`, 12, 10},
		{"wide CJK", "漢字 x", 8, 6},
		{"combining mark", "e\u0301 x", 5, 3},
		{"invalid byte", "\xff x", 3, 3},
		{"past the end", "ab", 5, 5},
	}
	for _, tt := range tests {
		if got := displayColumn(tt.line, tt.byteCol); got != tt.want {
			t.Errorf("%s: displayColumn(%q, %d) = %d, want %d", tt.name, tt.line, tt.byteCol, got, tt.want)
		}
	}
}

// TestGNUDisplayColumns checks the gnu format on a line with multi-byte
// and wide characters before the finding: byte column 30 is display
// column 26.
func TestGNUDisplayColumns(t *testing.T) {
	src := []byte("FROM debian:12\nRUN echo \"ünïcode 😀\" && apt-get install -y curl\n")
	start := bytes.Index(src, []byte("apt-get"))
	end := start + len("apt-get install")
	line2 := bytes.IndexByte(src, '\n') + 1
	d := lint.Diagnostic{
		Rule: ruleRecommends, Severity: rules.SeverityInfo, File: "Dockerfile", Message: "m",
		Range: ast.Range{Start: pos(start, 2, start-line2+1), End: pos(end, 2, end-line2+1)},
	}
	if d.Range.Start.Col != 30 {
		t.Fatalf("byte column %d, want 30", d.Range.Start.Col)
	}
	var buf bytes.Buffer
	rep := &Report{Results: []lint.Result{{File: "Dockerfile", Source: src, Diagnostics: []lint.Diagnostic{d}}}}
	if err := (gnu{}).Format(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if want := "Dockerfile:2.26-2.41: info: m [DM3001]\n"; buf.String() != want {
		t.Errorf("gnu output %q, want %q", buf.String(), want)
	}
}

func TestEscapeControls(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain\ttext é 😀", "plain\ttext é 😀"},
		{"FOO\x1b[31m bar", `FOO\x1b[31m bar`},
		{"a\rb\x00c\x7f", `a\x0db\x00c\x7f`},
		{"bidi \u202eevil", `bidi \u202eevil`},
		{"bad \xff byte", `bad \xff byte`},
	}
	for _, tt := range tests {
		if got := escapeControls(tt.in); got != tt.want {
			t.Errorf("escapeControls(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTTYEscapesSourceLine checks that the echoed source line carries no
// raw escape byte and that the caret still sits under the finding.
func TestTTYEscapesSourceLine(t *testing.T) {
	src := []byte("FROM debian:12\nRUN echo \"FOO\x1b[31m\" && apt-get install -y curl\n")
	start := bytes.Index(src, []byte("apt-get"))
	line2 := bytes.IndexByte(src, '\n') + 1
	d := lint.Diagnostic{
		Rule: ruleRecommends, Severity: rules.SeverityInfo, File: "Dockerfile", Message: "m",
		Range: ast.Range{Start: pos(start, 2, start-line2+1), End: pos(start+7, 2, start-line2+8)},
	}
	var buf bytes.Buffer
	rep := &Report{Results: []lint.Result{{File: "Dockerfile", Source: src, Diagnostics: []lint.Diagnostic{d}}}}
	if err := (&tty{}).Format(&buf, rep); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "\x1b") {
		t.Fatalf("tty output holds a raw escape byte:\n%q", out)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 3 {
		t.Fatalf("tty output has %d lines, want the finding, the source line and the caret:\n%s", len(lines), out)
	}
	if got, want := strings.Index(lines[2], "^"), strings.Index(lines[1], "apt-get"); got != want {
		t.Errorf("caret at byte %d, want %d under apt-get:\n%s", got, want, out)
	}
}
