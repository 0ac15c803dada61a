package mining

import (
	"strings"
	"testing"

	"github.com/dockmine/dockmine/ast"
)

func parseLayout(t *testing.T, src string) *layout {
	t.Helper()
	f, err := ast.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return newLayout(f)
}

func TestSnippetWrapsInstruction(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\n" +
		"ARG BASE=debian:12\n" +
		"FROM ${BASE} AS build\n" +
		"ENV SRC=/usr/src/app\n" +
		"RUN mkdir -p \"$SRC\"\n" +
		"WORKDIR $SRC\n" +
		"ONBUILD ENV IGNORED=1\n" +
		"RUN make \\\n" +
		"  && make install\n" +
		"FROM build AS final\n" +
		"ARG VERSION=1\n" +
		"RUN echo \"$VERSION\"\n" +
		"FROM alpine:3.20\n" +
		"COPY --from=final /usr/local/bin/app /usr/local/bin/app\n"
	l := parseLayout(t, src)
	tests := []struct {
		name string
		inst int
		want string
	}{
		{"first stage", 6, "# syntax=docker/dockerfile:1\nARG BASE=debian:12\nFROM ${BASE} AS build\nENV SRC=/usr/src/app\n" +
			"WORKDIR $SRC\nRUN make \\\n  && make install\n"},
		{"stage built on a stage", 9, "# syntax=docker/dockerfile:1\nARG BASE=debian:12\nFROM ${BASE} AS build\nENV SRC=/usr/src/app\n" +
			"WORKDIR $SRC\nARG VERSION=1\nRUN echo \"$VERSION\"\n"},
		{"from", 10, "# syntax=docker/dockerfile:1\nARG BASE=debian:12\nFROM alpine:3.20\n"},
		{"global arg", 0, "# syntax=docker/dockerfile:1\nARG BASE=debian:12\nFROM ${BASE} AS build\n"},
		{"out of range", 42, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.snippet(tt.inst); got != tt.want {
				t.Errorf("snippet of instruction %d:\n%s\nwant:\n%s", tt.inst, got, tt.want)
			}
		})
	}
}

func TestSnippetParsesAlone(t *testing.T) {
	src := "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN mkdir C:\\app `\n    && echo done\n"
	got := parseLayout(t, src).snippet(1)
	if got != src {
		t.Errorf("snippet:\n%s\nwant the whole file, with its escape directive", got)
	}
	if _, err := ast.Parse("snippet", []byte(got)); err != nil {
		t.Errorf("the snippet does not parse: %v", err)
	}
}

func TestSnippetTooLong(t *testing.T) {
	src := "FROM debian:12\nRUN echo " + strings.Repeat("x", maxSnippet) + "\n"
	if got := parseLayout(t, src).snippet(1); got != "" {
		t.Errorf("snippet of %d bytes kept, want none over %d", len(got), maxSnippet)
	}
}

func TestSnippetHeredoc(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n"
	if got := parseLayout(t, src).snippet(1); got != src {
		t.Errorf("snippet:\n%s\nwant the heredoc body and its delimiter too", got)
	}
}
