package schema

import (
	"bufio"
	"bytes"
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// corpusDir is the directory of the gold and wild Dockerfile corpora,
// relative to this package's directory.
const corpusDir = "../../../shared/corpus"

// corpusTop is how many of the most frequent command names must have a
// schema.
const corpusTop = 100

// imageHelpers are commands that a base image or the project itself
// provides, so no schema can describe them in general. They are left out of
// the top list like local scripts.
var imageHelpers = map[string]string{
	"docker-service":       "webdevops images",
	"docker-run-bootstrap": "webdevops images",
	"docker-image-cleanup": "webdevops images",
	"apt-install":          "webdevops images",
	"apk-install":          "webdevops images",
	"apt-dpkg-wrap":        "openresty images",
	"catalina.sh":          "tomcat images",
}

// corpusCount is the result of counting command names in RUN instructions.
type corpusCount struct {
	files    int
	calls    map[string]int            // canonical command name to invocations
	inFiles  map[string]map[string]int // canonical command name to the files that run it
	unknown  map[string]int            // "command flag" to invocations of flags the schema lacks
	excluded map[string]string         // names left out of the top list, with the reason
}

// TestCorpusTop checks that every command among the most frequent in the
// corpora has a schema. It reads RUN instructions with BuildKit's parser and
// their shell code with mvdan.cc/sh, and it counts the commands that
// wrappers (sudo, xargs) and nested scripts (sh -c) run.
func TestCorpusTop(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("Dockerfile corpora not found at %s: %v", corpusDir, err)
	}

	c := countCorpus(t)
	names := rankNames(c)
	t.Logf("%d Dockerfiles; %d distinct command names", c.files, len(c.calls))

	top := 0
	for _, name := range names {
		if reason, skip := c.excluded[name]; skip {
			t.Logf("      %-28s %6d  left out: %s", name, c.calls[name], reason)
			continue
		}
		top++
		_, known := Resolve(name)
		t.Logf("%4d  %-28s %6d calls %5d files  schema=%v", top, name, c.calls[name], len(c.inFiles[name]), known)
		if !known {
			t.Errorf("command %q (rank %d, %d calls) has no schema", name, top, c.calls[name])
		}
		if top == corpusTop {
			break
		}
	}

	for _, line := range rankUnknownFlags(c.unknown, 40) {
		t.Log("unknown flag:", line)
	}
}

func countCorpus(t *testing.T) *corpusCount {
	t.Helper()
	c := &corpusCount{
		calls:    map[string]int{},
		inFiles:  map[string]map[string]int{},
		unknown:  map[string]int{},
		excluded: map[string]string{},
	}
	for _, corpus := range []string{"gold", "wild"} {
		root := filepath.Join(corpusDir, corpus)
		for _, path := range manifestPaths(t, root) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("read corpus file: %v", err)
				continue
			}
			if bytes.Contains(data, []byte("{{")) {
				continue // a template, not a Dockerfile
			}
			c.files++
			c.countFile(path, data)
		}
	}
	return c
}

// manifestPaths lists the files of one corpus from its MANIFEST.tsv.
func manifestPaths(t *testing.T, root string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "MANIFEST.tsv"))
	if err != nil {
		t.Fatalf("open corpus manifest: %v", err)
	}
	defer f.Close()

	var paths []string
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 3 {
			continue
		}
		repo := strings.ReplaceAll(fields[0], "/", "__")
		paths = append(paths, filepath.Join(root, repo, fields[2]))
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read corpus manifest: %v", err)
	}
	return paths
}

func (c *corpusCount) countFile(path string, data []byte) {
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return
	}
	for _, node := range res.AST.Children {
		if !strings.EqualFold(node.Value, "run") || node.Next == nil {
			continue
		}
		if node.Attributes["json"] {
			var args []Arg
			for n := node.Next.Next; n != nil; n = n.Next {
				args = append(args, Arg{Value: n.Value, Static: true})
			}
			c.countCall(path, node.Next.Value, args, nil, 0)
			continue
		}
		src := node.Next.Value
		if len(node.Heredocs) > 0 && strings.HasPrefix(strings.TrimSpace(src), "<<") {
			src = node.Heredocs[0].Content
		}
		c.countScript(path, src, 0)
	}
}

// countScript counts the simple commands of one shell script. Functions
// that the script defines are local commands and are left out.
func (c *corpusCount) countScript(path, src string, depth int) {
	if depth > 4 {
		return
	}
	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil {
		return
	}

	funcs := map[string]bool{}
	syntax.Walk(file, func(node syntax.Node) bool {
		if fn, ok := node.(*syntax.FuncDecl); ok {
			funcs[fn.Name.Value] = true
		}
		return true
	})
	syntax.Walk(file, func(node syntax.Node) bool {
		call, ok := node.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		name := wordArg(call.Args[0], src)
		args := make([]Arg, len(call.Args)-1)
		for i, w := range call.Args[1:] {
			args[i] = wordArg(w, src)
		}
		if !name.Static {
			return true // the name is known only at run time
		}
		c.countCall(path, name.Value, args, funcs, depth)
		return true
	})
}

// countCall counts one command and the commands that it runs.
func (c *corpusCount) countCall(path, name string, args []Arg, funcs map[string]bool, depth int) {
	b := Bind(name, args)
	switch {
	case funcs[name]:
		c.exclude(name, "shell function defined in the same script")
	case !b.Known && isLocalScript(name):
		c.exclude(b.Command, "local script")
	case imageHelpers[b.Command] != "":
		c.exclude(b.Command, "helper script of "+imageHelpers[b.Command])
	}
	c.calls[b.Command]++
	if c.inFiles[b.Command] == nil {
		c.inFiles[b.Command] = map[string]int{}
	}
	c.inFiles[b.Command][path]++
	for _, f := range b.Flags {
		if b.Known && !f.Known {
			c.unknown[b.Command+" "+f.Name]++
		}
	}

	for _, e := range b.Execs {
		if e.Start < e.End && args[e.Start].Static {
			c.countCall(path, args[e.Start].Value, args[e.Start+1:e.End], funcs, depth)
		}
	}
	for _, i := range b.Scripts {
		if args[i].Static {
			c.countScript(path, args[i].Value, depth+1)
		}
	}
}

func (c *corpusCount) exclude(name, reason string) {
	c.excluded[name] = reason
}

// isLocalScript reports whether a command name is a script of the project
// rather than an installed command.
func isLocalScript(name string) bool {
	return strings.Contains(name, "/") || strings.HasSuffix(name, ".sh")
}

// wordArg converts a shell word to an Arg. A word is static when it contains
// only literal text and quotes.
func wordArg(w *syntax.Word, src string) Arg {
	var sb strings.Builder
	static := true
	for _, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			sb.WriteString(unescapeLit(p.Value))
		case *syntax.SglQuoted:
			sb.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, inner := range p.Parts {
				lit, ok := inner.(*syntax.Lit)
				if !ok {
					static = false
					break
				}
				sb.WriteString(lit.Value)
			}
		default:
			static = false
		}
	}
	if !static {
		return Arg{Value: src[w.Pos().Offset():w.End().Offset()]}
	}
	return Arg{Value: sb.String(), Static: true}
}

// unescapeLit removes the backslashes of an unquoted literal: \; is ;.
func unescapeLit(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// rankNames sorts command names by invocations, most first.
func rankNames(c *corpusCount) []string {
	names := make([]string, 0, len(c.calls))
	for name := range c.calls {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		if n := cmp.Compare(c.calls[b], c.calls[a]); n != 0 {
			return n
		}
		return strings.Compare(a, b)
	})
	return names
}

// rankUnknownFlags lists the most frequent flags that schemas lack.
func rankUnknownFlags(unknown map[string]int, limit int) []string {
	keys := make([]string, 0, len(unknown))
	for k := range unknown {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if n := cmp.Compare(unknown[b], unknown[a]); n != 0 {
			return n
		}
		return strings.Compare(a, b)
	})
	var lines []string
	for _, k := range keys[:min(limit, len(keys))] {
		lines = append(lines, k+" "+strconv.Itoa(unknown[k]))
	}
	return lines
}
