package lint

import (
	"slices"
	"testing"

	"github.com/dockmine/dockmine/ast"
)

func parse(t *testing.T, src string) *ast.File {
	t.Helper()
	f, err := ast.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	return f
}

// covered returns the 1-based lines of src whose first byte a pragma
// covers.
func covered(f *ast.File, p *Pragma) []int {
	var lines []int
	src := f.Source()
	line, start := 1, 0
	for i := 0; i <= len(src); i++ {
		if i == len(src) || src[i] == '\n' {
			if i > start && p.Covers(start) {
				lines = append(lines, line)
			}
			line++
			start = i + 1
		}
	}
	return lines
}

func TestReadPragmasForms(t *testing.T) {
	src := `# syntax=docker/dockerfile:1
# check=skip=StageNameCasing,JSONArgsRecommended;error=true
# dockmine global ignore=DM1001 # whole file
FROM alpine:3.20 AS build
# dockmine ignore=DM3008,DM3009 # reason here
RUN apk add curl
# hadolint ignore=DL3018
RUN apk add git
# hadolint shell=powershell
# dockmine stage ignore=DM4001
RUN wget http://example.org/x
RUN true
FROM build
RUN true
`
	f := parse(t, src)
	pragmas := ReadPragmas(f)

	type want struct {
		tool   string
		scope  PragmaScope
		codes  []string
		reason string
		lines  []int
	}
	wants := []want{
		{"buildkit", ScopeFile, []string{"StageNameCasing", "JSONArgsRecommended"}, "", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}},
		{"dockmine", ScopeFile, []string{"DM1001"}, "whole file", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}},
		{"dockmine", ScopeInstruction, []string{"DM3008", "DM3009"}, "reason here", []int{6}},
		{"hadolint", ScopeInstruction, []string{"DL3018"}, "", []int{8}},
		{"dockmine", ScopeStage, []string{"DM4001"}, "", []int{10, 11, 12}},
	}
	if len(pragmas) != len(wants) {
		for _, p := range pragmas {
			t.Logf("pragma %+v", *p)
		}
		t.Fatalf("got %d pragmas, want %d", len(pragmas), len(wants))
	}
	for i, w := range wants {
		p := pragmas[i]
		if p.Tool != w.tool || p.Scope != w.scope || p.Reason != w.reason || !slices.Equal(p.Codes, w.codes) {
			t.Errorf("pragma %d = %s scope %d codes %q reason %q, want %s scope %d codes %q reason %q",
				i, p.Tool, p.Scope, p.Codes, p.Reason, w.tool, w.scope, w.codes, w.reason)
		}
		if got := covered(f, p); !slices.Equal(got, w.lines) {
			t.Errorf("pragma %d (%s) covers lines %v, want %v", i, p.Codes, got, w.lines)
		}
	}
	if !pragmas[0].ErrorLevel {
		t.Error("check directive error=true was not read")
	}
}

func TestReadPragmasInsideContinuation(t *testing.T) {
	src := "FROM alpine:3.20\nRUN apk add curl \\\n  # dockmine ignore=DM3018 # pinned by the base image\n  && apk add git\nRUN true\n"
	pragmas := ReadPragmas(parse(t, src))
	if len(pragmas) != 1 {
		t.Fatalf("got %d pragmas, want 1", len(pragmas))
	}
	f := parse(t, src)
	if got := covered(f, ReadPragmas(f)[0]); !slices.Equal(got, []int{2, 3, 4}) {
		t.Errorf("pragma inside a RUN covers lines %v, want that whole RUN [2 3 4]", got)
	}
}

func TestReadPragmasMalformed(t *testing.T) {
	tests := []struct {
		text   string
		pragma bool // read as a pragma at all
		err    bool // and reported as malformed
	}{
		{"# dockmine ignore=", true, true},
		{"# dockmine ignroe=DM3008", true, true},
		{"# dockmine stage ingore=DM3008", true, true},
		{"# DOCKMINE IGNORE=DM3008", true, false},
		{"# dockmine ignore = DM3008 , DM3009", true, false},
		{"# dockmine: this image is built nightly", false, false},
		{"# dockmine is run in CI on this file", false, false},
		{"# dockminer is a tool", false, false},
		{"# hadolint shell=bash", false, false},
	}
	for _, tt := range tests {
		f := parse(t, tt.text+"\nFROM alpine:3.20\n")
		pragmas := ReadPragmas(f)
		switch {
		case !tt.pragma && len(pragmas) != 0:
			t.Errorf("%q gave %d pragmas, want none", tt.text, len(pragmas))
		case tt.pragma && len(pragmas) != 1:
			t.Errorf("%q gave %d pragmas, want 1", tt.text, len(pragmas))
		case tt.pragma && (pragmas[0].Err != "") != tt.err:
			t.Errorf("%q: Err = %q, want error %t", tt.text, pragmas[0].Err, tt.err)
		}
	}
}

func TestReadPragmasCheckSkipAll(t *testing.T) {
	f := parse(t, "# check=skip=all\nFROM alpine:3.20\n")
	pragmas := ReadPragmas(f)
	if len(pragmas) != 1 || !pragmas[0].SkipAll || pragmas[0].ErrorLevel {
		t.Fatalf("pragmas = %+v, want one with SkipAll", pragmas)
	}
}

func TestReadPragmasGlobalArgSection(t *testing.T) {
	src := "# dockmine stage ignore=DM1234\nARG V=1\nFROM alpine:${V}\nRUN true\n"
	f := parse(t, src)
	pragmas := ReadPragmas(f)
	if len(pragmas) != 1 {
		t.Fatalf("got %d pragmas, want 1", len(pragmas))
	}
	if got := covered(f, pragmas[0]); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("stage pragma before FROM covers lines %v, want the ARG section [1 2]", got)
	}
}
