package ast

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestParseGolden")

// TestParseGolden compares the printed tree of each input under
// testdata/golden with its .tree file.
func TestParseGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/golden/*.Dockerfile")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}

	for _, input := range inputs {
		name := strings.TrimSuffix(filepath.Base(input), ".Dockerfile")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(input)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(filepath.Base(input), src)
			if err != nil {
				t.Fatalf("Parse(%s): %v", input, err)
			}
			var got bytes.Buffer
			if err := Fprint(&got, f); err != nil {
				t.Fatal(err)
			}

			golden := strings.TrimSuffix(input, ".Dockerfile") + ".tree"
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("missing golden file (run go test ./ast -run TestParseGolden -update): %v", err)
			}
			if got.String() != string(want) {
				t.Errorf("tree of %s differs from %s\ngot:\n%s\nwant:\n%s", input, golden, got.String(), want)
			}
		})
	}
}

// TestParseNegative checks that bad input fails with a positioned error
// naming the file, never a panic.
func TestParseNegative(t *testing.T) {
	tests := []struct {
		file string
		line int
		msg  string
	}{
		{"empty.Dockerfile", 1, "no instructions"},
		{"comments-only.Dockerfile", 1, "no instructions"},
		{"unterminated-heredoc.Dockerfile", 2, "unterminated heredoc"},
		{"env-without-value.Dockerfile", 2, "ENV must have two arguments"},
		{"binary.Dockerfile", 2, "binary file"},
		{"invalid-utf8.Dockerfile", 2, "invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata/negative", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(tt.file, src)
			var perr *ParseError
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%s) error = %v, want a *ParseError", tt.file, err)
			}
			if perr.File != tt.file || perr.Pos.Line != tt.line {
				t.Errorf("error position = %s:%d, want %s:%d", perr.File, perr.Pos.Line, tt.file, tt.line)
			}
			if !strings.Contains(perr.Error(), tt.msg) {
				t.Errorf("error = %q, want it to contain %q", perr.Error(), tt.msg)
			}
			if !strings.HasPrefix(perr.Error(), tt.file+":") {
				t.Errorf("error = %q, want it to start with the file name", perr.Error())
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	src := bytes.Repeat([]byte("RUN echo 0123456789012345678901234567890123456789\n"), 20<<20/50)
	src = append([]byte("FROM alpine\n"), src...)

	_, err := Parse("huge.Dockerfile", src)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Parse of %d bytes: error = %v, want ErrTooLarge", len(src), err)
	}
	if !strings.Contains(err.Error(), "huge.Dockerfile") {
		t.Errorf("error %q does not name the file", err)
	}

	f, err := Parse("huge.Dockerfile", src, MaxSize(len(src)))
	if err != nil {
		t.Fatalf("Parse with a raised limit: %v", err)
	}
	if got, want := len(f.Instructions), 1+20<<20/50; got != want {
		t.Errorf("instructions = %d, want %d", got, want)
	}
}

func TestParseUnbalancedQuote(t *testing.T) {
	src := []byte("FROM alpine\nRUN echo \"oops && apk add curl\nRUN echo ok\n")
	f, err := Parse("quote.Dockerfile", src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	bad := f.Instructions[1].Script
	if bad.Err == nil {
		t.Fatal("script with an unbalanced quote has no error")
	}
	if got := bad.Err.Error(); !strings.HasPrefix(got, "quote.Dockerfile:2:10: ") {
		t.Errorf("script error = %q, want it at quote.Dockerfile:2:10", got)
	}
	if good := f.Instructions[2].Script; good.Err != nil || len(good.Commands) != 1 {
		t.Errorf("the next RUN was not parsed: err=%v commands=%d", good.Err, len(good.Commands))
	}
}
