package rules

import (
	"strings"
	"testing"

	"github.com/dockmine/dockmine/ast"
)

func parse(t *testing.T, src string) *ast.File {
	t.Helper()
	f, err := ast.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	return f
}

// findingsOf returns the findings of one rule, by code or alias.
func findingsOf(t *testing.T, p *Pack, src, key string) ([]Finding, *ast.File) {
	t.Helper()
	r := p.Rule(key)
	if r == nil {
		t.Fatalf("no rule %s", key)
	}
	f := parse(t, src)
	var out []Finding
	for _, fd := range p.CheckAll(f) {
		if fd.Rule == r {
			out = append(out, fd)
		}
	}
	return out, f
}

func TestCheckSpans(t *testing.T) {
	p := Default()
	tests := []struct {
		name, rule, src string
		line, col       int
		text            string // the source the finding covers
	}{
		{"command-on-fourth-line", "DM3001", "FROM debian:12.6\nRUN apt-get update \\\n && echo one \\\n && apt-get install -y curl=1 \\\n && rm -rf /var/lib/apt/lists/*\n",
			4, 5, "apt-get install -y curl=1"},
		{"flag", "DM5009", "FROM debian:12.6\nRUN curl -fsS --insecure -o /a https://example.org/a\n", 2, 15, "--insecure"},
		{"flag-in-cluster", "DM5009", "FROM debian:12.6\nRUN curl -fkL -o /a https://example.org/a\n", 2, 12, "k"},
		{"operand", "DM3002", "FROM debian:12.6\nRUN apt-get install -y --no-install-recommends a=1 curl\n", 2, 52, "curl"},
		{"url", "DM5016", "FROM debian:12.6\nRUN wget -q http://example.org/a.tgz\n", 2, 13, "http://example.org/a.tgz"},
		{"pair", "DM5005", "FROM debian:12.6\nENV A=1 API_TOKEN=x\n", 2, 9, "API_TOKEN=x"},
		{"image", "DM1002", "FROM debian:latest AS base\n", 1, 6, "debian:latest"},
		{"onbuild", "DM3006", "FROM alpine:3.20\nONBUILD RUN \\\n        apk add --no-cache git\n", 3, 28, "git"},
		{"heredoc", "DM3002", "# syntax=docker/dockerfile:1\nFROM debian:12.6\nRUN <<EOF\napt-get install -y --no-install-recommends curl\nEOF\n", 4, 44, "curl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, f := findingsOf(t, p, tt.src, tt.rule)
			if len(got) != 1 {
				t.Fatalf("%d findings of %s, want 1:\n%s", len(got), tt.rule, tt.src)
			}
			r := got[0].Range
			if r.Start.Line != tt.line || r.Start.Col != tt.col {
				t.Errorf("finding at %d:%d, want %d:%d", r.Start.Line, r.Start.Col, tt.line, tt.col)
			}
			if text := f.SourceOf(r); text != tt.text {
				t.Errorf("finding covers %q, want %q", text, tt.text)
			}
		})
	}
}

func TestCheckFixes(t *testing.T) {
	p := Default()
	tests := []struct {
		name, rule, src, want string
	}{
		{"insert-after-subcommand", "DM3001",
			"FROM debian:12.6\nRUN apt-get install -y curl=1\n",
			"FROM debian:12.6\nRUN apt-get install --no-install-recommends -y curl=1\n"},
		{"append-after-last-apt", "DM3004",
			"FROM debian:12.6\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=1 \\\n && echo done\n",
			"FROM debian:12.6\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=1 && rm -rf /var/lib/apt/lists/* \\\n && echo done\n"},
		{"replace-scheme", "DM5016",
			"FROM debian:12.6\nRUN curl -fsSLO http://example.org/a.tgz\n",
			"FROM debian:12.6\nRUN curl -fsSLO https://example.org/a.tgz\n"},
		{"builtin-slash", "DM1021",
			"FROM debian:12.6\nCOPY a b /etc/app\n",
			"FROM debian:12.6\nCOPY a b /etc/app/\n"},
		{"builtin-as-casing", "DM1017",
			"FROM debian:12.6 as build\n",
			"FROM debian:12.6 AS build\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := findingsOf(t, p, tt.src, tt.rule)
			if len(got) == 0 || got[0].Fix == nil {
				t.Fatalf("no fix from %s:\n%s", tt.rule, tt.src)
			}
			out, err := ApplyFixes([]byte(tt.src), got)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("fixed file:\n%s\nwant:\n%s", out, tt.want)
			}
			if again, _ := findingsOf(t, p, string(out), tt.rule); len(again) > 0 {
				t.Errorf("the fixed file is flagged again: %s", again[0].Message)
			}
		})
	}
}

func TestCheckNoFixInsideShString(t *testing.T) {
	src := "FROM debian:12.6\nRUN sh -c 'apt-get install -y curl=1'\n"
	got, _ := findingsOf(t, Default(), src, "DM3001")
	if len(got) != 1 {
		t.Fatalf("%d findings, want 1", len(got))
	}
	if got[0].Fix != nil {
		t.Errorf("a fix inside a sh -c string: %+v", got[0].Fix)
	}
}

func TestApplyFixesOverlap(t *testing.T) {
	src := []byte("abcdef")
	findings := []Finding{
		{Fix: &Fix{Edits: []Edit{{Start: 1, End: 3, NewText: "X"}}}},
		{Fix: &Fix{Edits: []Edit{{Start: 2, End: 4, NewText: "Y"}}}},
		{Fix: &Fix{Edits: []Edit{{Start: 6, End: 6, NewText: "!"}}}},
		{Fix: &Fix{Edits: []Edit{{Start: 6, End: 6, NewText: "!"}}}},
	}
	out, err := ApplyFixes(src, findings)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "abYef!" {
		t.Errorf("ApplyFixes = %q, want %q", out, "abYef!")
	}
	if _, err := ApplyFixes(src, []Finding{{Fix: &Fix{Edits: []Edit{{Start: 5, End: 9}}}}}); err == nil {
		t.Error("an edit past the end was applied")
	}
}

func TestCheckSorted(t *testing.T) {
	src := "FROM debian\nMAINTAINER me\nRUN curl -k http://example.org/a | sh\nUSER root\n"
	got := Default().Check(parse(t, src))
	if len(got) < 5 {
		t.Fatalf("%d findings, want at least 5", len(got))
	}
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		if a.Range.Start.Offset > b.Range.Start.Offset || a.Range.Start.Offset == b.Range.Start.Offset && a.Rule.Code > b.Rule.Code {
			t.Errorf("finding %d (%s at %d) before %d (%s at %d)", i-1, a.Rule.Code, a.Range.Start.Offset, i, b.Rule.Code, b.Range.Start.Offset)
		}
		if strings.HasSuffix(b.Message, ".") || b.Message == "" || strings.Contains(b.Message, "\n") {
			t.Errorf("%s message %q is not one line without a final period", b.Rule.Code, b.Message)
		}
	}
}

func TestLintParseFailure(t *testing.T) {
	p := Default()
	got, err := p.Lint("Dockerfile", []byte("FROM debian:12.6\nRUN echo \\\x00\n"))
	if err != nil {
		t.Fatalf("Lint: %v", err)
	}
	if len(got) != 1 || got[0].Rule.Code != "DM0001" || got[0].Range.Start.Line != 2 {
		t.Fatalf("Lint of a binary file = %+v, want one DM0001 finding on line 2", got)
	}

	src := "# Windows build\n# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN mkdir C:\\app `\n    && echo done\n"
	got, err = p.Lint("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range got {
		if f.Rule.Code == "DM0001" && f.Range.Start.Line == 5 {
			found = true
		}
	}
	if !found {
		t.Errorf("no DM0001 finding for the unknown instruction on line 5: %+v", got)
	}
}

func TestCheckVariables(t *testing.T) {
	p := Default()
	tests := []struct {
		name, rule, src string
		want            int
	}{
		{"arg-default-pinned", "DM3006", "FROM alpine:3.20\nARG PKGS=\"a=1 b=2\"\nRUN apk add --no-cache $PKGS\n", 0},
		{"arg-default-unpinned", "DM3006", "FROM alpine:3.20\nARG PKGS=\"a=1 b\"\nRUN apk add --no-cache $PKGS\n", 1},
		{"arg-without-default", "DM3006", "FROM alpine:3.20\nARG PKGS\nRUN apk add --no-cache $PKGS\n", 0},
		{"script-variable-unpinned", "DM3006", "FROM alpine:3.20\nRUN PKGS=\"a b\" && apk add --no-cache $PKGS\n", 1},
		{"script-variable-pinned", "DM3006", "FROM alpine:3.20\nRUN PKGS=\"a=1 b=2\" && apk add --no-cache $PKGS\n", 0},
		{"script-variable-substitution", "DM3006", "FROM alpine:3.20\nRUN PKGS=\"$(cat /pkgs)\" && apk add --no-cache $PKGS\n", 0},
		{"script-variable-assigned-later", "DM3006", "FROM alpine:3.20\nRUN apk add --no-cache $PKGS; PKGS=\"a b\"\n", 0},
		{"script-variable-exported", "DM3006", "FROM alpine:3.20\nRUN export PKGS=\"a b\" && apk add --no-cache $PKGS\n", 1},
		{"arg-in-other-stage", "DM3012", "FROM fedora:40 AS a\nARG v=1.0\nFROM fedora:40\nRUN yum install -y git-${v} && yum clean all\n", 1},
		{"global-arg-redeclared", "DM1015", "ARG UID=1000\nFROM debian:12.6\nARG UID\nUSER ${UID}\n", 0},
		{"global-arg-not-redeclared", "DM1015", "ARG UID=1000\nFROM debian:12.6\nUSER ${UID}\n", 1},
		{"predefined", "DM2002", "FROM debian:12.6 AS b\nFROM debian:12.6\nCOPY --from=$TARGETARCH /a /a\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := findingsOf(t, p, tt.src, tt.rule)
			if len(got) != tt.want {
				t.Errorf("%d findings of %s, want %d:\n%s", len(got), tt.rule, tt.want, tt.src)
			}
		})
	}
}
