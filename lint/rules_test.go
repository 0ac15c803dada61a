package lint

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/dockmine/dockmine/lint/config"
	"github.com/dockmine/dockmine/rules"
)

var update = flag.Bool("update", false, "rewrite the Dockerfile.golden sections of rule cases from the fixes")

// ruleCase is one archive of lint/testdata/<rule-code>/<case-name>.txtar.
type ruleCase struct {
	path    string
	code    string // the folder name: the rule under test
	archive *txtar.Archive
	input   []byte
	golden  []byte // nil without a Dockerfile.golden section
	skip    string // why the case is skipped: a known gap of the rule
	wants   []expectation
}

// expectation is one finding a case expects: on a line, optionally at a
// column, with a message that matches a regular expression.
type expectation struct {
	line, col int // col 0 matches any column
	message   *regexp.Regexp
	source    string // where the expectation was written, for failures
}

// wantComment matches "# want" comments; the quoted regular expressions
// follow.
var wantComment = regexp.MustCompile(`^\s*#\s*want\s+(.*)$`)

func readRuleCase(path string) (*ruleCase, error) {
	a, err := txtar.ParseFile(path)
	if err != nil {
		return nil, err
	}
	c := &ruleCase{path: path, code: filepath.Base(filepath.Dir(path)), archive: a}
	var wantSection []byte
	for _, f := range a.Files {
		switch f.Name {
		case "Dockerfile":
			c.input = f.Data
		case "Dockerfile.golden":
			c.golden = f.Data
		case "want":
			wantSection = f.Data
		case "skip":
			c.skip = strings.TrimSpace(string(f.Data))
		default:
			return nil, fmt.Errorf("unknown section %q: use Dockerfile, Dockerfile.golden, want or skip", f.Name)
		}
	}
	if c.input == nil {
		return nil, fmt.Errorf("missing Dockerfile section")
	}
	if strings.TrimSpace(string(a.Comment)) == "" {
		return nil, fmt.Errorf("missing archive comment: say what the case shows")
	}

	if c.wants, err = wantComments(c.input); err != nil {
		return nil, err
	}
	rows, err := wantRows(wantSection)
	if err != nil {
		return nil, err
	}
	c.wants = append(c.wants, rows...)
	return c, nil
}

// wantComments reads the "# want" comments of a Dockerfile. Each applies
// to the next line that is not a comment.
func wantComments(src []byte) ([]expectation, error) {
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	var out []expectation
	for i, line := range lines {
		m := wantComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		target := i + 1
		for target < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[target]), "#") {
			target++
		}
		if target >= len(lines) {
			return nil, fmt.Errorf("line %d: # want has no line after it", i+1)
		}
		patterns, err := quotedList(m[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		for _, p := range patterns {
			re, err := regexp.Compile(p)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", i+1, err)
			}
			out = append(out, expectation{line: target + 1, message: re, source: fmt.Sprintf("# want on line %d", i+1)})
		}
	}
	return out, nil
}

// quotedList splits a list of Go string literals, as `"a" "b"`.
func quotedList(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		prefix, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("want expects quoted regular expressions, got %q", s)
		}
		value, _ := strconv.Unquote(prefix)
		out = append(out, value)
		s = s[len(prefix):]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("want has no regular expression")
	}
	return out, nil
}

// wantRows reads the want section: one "line:col regexp" row per
// expected finding, with the expression quoted or bare.
func wantRows(section []byte) ([]expectation, error) {
	var out []expectation
	for i, row := range strings.Split(string(section), "\n") {
		row = strings.TrimSpace(row)
		if row == "" || strings.HasPrefix(row, "#") {
			continue
		}
		at, pattern, ok := strings.Cut(row, " ")
		lineText, colText, ok2 := strings.Cut(at, ":")
		line, err1 := strconv.Atoi(lineText)
		col, err2 := strconv.Atoi(colText)
		if !ok || !ok2 || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("want row %d: %q is not line:col regexp", i+1, row)
		}
		pattern = strings.TrimSpace(pattern)
		if unquoted, err := strconv.Unquote(pattern); err == nil {
			pattern = unquoted
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("want row %d: %w", i+1, err)
		}
		out = append(out, expectation{line: line, col: col, message: re, source: fmt.Sprintf("want row %d", i+1)})
	}
	return out, nil
}

// ruleCaseFiles returns every archive under testdata/<code>/.
func ruleCaseFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "DM*", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRuleCases runs every rule case with only its rule enabled and fails
// on missing and on extra findings, and on fixes that differ from the
// golden text or that are not idempotent.
func TestRuleCases(t *testing.T) {
	pack := rules.Default()
	for _, path := range ruleCaseFiles(t) {
		name := strings.TrimSuffix(filepath.ToSlash(path[len("testdata/"):]), ".txtar")
		t.Run(name, func(t *testing.T) {
			c, err := readRuleCase(path)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if pack.Rule(c.code) == nil {
				t.Fatalf("%s: the default pack has no rule %s", path, c.code)
			}
			if c.skip != "" {
				t.Skipf("known gap: %s", c.skip)
			}
			runRuleCase(t, pack, c)
		})
	}
}

func runRuleCase(t *testing.T, pack *rules.Pack, c *ruleCase) {
	only := []config.Value{{Text: c.code}}
	l, err := New(Options{Packs: []*rules.Pack{pack}, Only: only, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	res := lintOne(t, l, c.input)
	checkExpectations(t, c, res.Diagnostics)

	if c.golden == nil && !*update {
		return
	}
	fixer, err := New(Options{Packs: []*rules.Pack{pack}, Only: only, Jobs: 1, Fix: true})
	if err != nil {
		t.Fatal(err)
	}
	fixed := lintOne(t, fixer, c.input)
	if fixed.FixErr != nil {
		t.Errorf("fix error: %v", fixed.FixErr)
	}
	if *update {
		if fixed.Fixed() || c.golden != nil {
			writeGolden(t, c, fixed.Source)
		}
		return
	}
	if string(fixed.Source) != string(c.golden) {
		t.Errorf("fixed text differs from Dockerfile.golden\n got:\n%s\nwant:\n%s", fixed.Source, c.golden)
	}
	for _, d := range fixed.Diagnostics {
		if d.Fix != nil {
			t.Errorf("after fixing, %s still reports a fixable finding at %d:%d: %s", d.Rule.Code, d.Range.Start.Line, d.Range.Start.Col, d.Message)
		}
	}
	again := lintOne(t, fixer, fixed.Source)
	if string(again.Source) != string(fixed.Source) {
		t.Errorf("fixes are not idempotent: fixing the golden text changed it to\n%s", again.Source)
	}
}

func lintOne(t *testing.T, l *Linter, src []byte) Result {
	t.Helper()
	results, err := l.Lint(context.Background(), []Input{{Name: "Dockerfile", Source: src}})
	if err != nil {
		t.Fatal(err)
	}
	return results[0]
}

// checkExpectations pairs findings with expectations and reports both
// leftovers.
func checkExpectations(t *testing.T, c *ruleCase, diags []Diagnostic) {
	t.Helper()
	used := make([]bool, len(c.wants))
	for _, d := range diags {
		matched := false
		for i, w := range c.wants {
			if used[i] || w.line != d.Range.Start.Line || (w.col != 0 && w.col != d.Range.Start.Col) || !w.message.MatchString(d.Message) {
				continue
			}
			used[i], matched = true, true
			break
		}
		if !matched {
			t.Errorf("unexpected finding %s at %d:%d: %s", d.Rule.Code, d.Range.Start.Line, d.Range.Start.Col, d.Message)
		}
	}
	for i, w := range c.wants {
		if !used[i] {
			at := strconv.Itoa(w.line)
			if w.col != 0 {
				at += ":" + strconv.Itoa(w.col)
			}
			t.Errorf("missing finding on line %s matching %q (%s)", at, w.message, w.source)
		}
	}
	if t.Failed() {
		t.Logf("input:\n%s", numbered(c.input))
	}
}

func numbered(src []byte) string {
	var sb strings.Builder
	for i, line := range strings.Split(strings.TrimSuffix(string(src), "\n"), "\n") {
		fmt.Fprintf(&sb, "%3d  %s\n", i+1, line)
	}
	return sb.String()
}

func writeGolden(t *testing.T, c *ruleCase, text []byte) {
	t.Helper()
	found := false
	for i := range c.archive.Files {
		if c.archive.Files[i].Name == "Dockerfile.golden" {
			c.archive.Files[i].Data = text
			found = true
		}
	}
	if !found {
		c.archive.Files = append(c.archive.Files, txtar.File{Name: "Dockerfile.golden", Data: text})
	}
	if err := os.WriteFile(c.path, txtar.Format(c.archive), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRuleCasesCoverPack checks that every rule of the default pack has a
// case folder with a flagged case and a clean case, that rules on shell
// commands have a case wrapped in ONBUILD, and that rules with fixes have
// a case with a golden fixed text.
func TestRuleCasesCoverPack(t *testing.T) {
	for _, r := range rules.Default().Rules {
		if r.Status == rules.StatusRetired {
			continue
		}
		files, err := filepath.Glob(filepath.Join("testdata", r.Code, "*.txtar"))
		if err != nil {
			t.Fatal(err)
		}
		var flagged, clean, onbuild, golden bool
		for _, path := range files {
			c, err := readRuleCase(path)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			if len(c.wants) > 0 {
				flagged = true
			} else {
				clean = true
			}
			if strings.Contains(string(c.input), "ONBUILD") {
				onbuild = true
			}
			if c.golden != nil && c.skip == "" {
				golden = true
			}
		}
		switch {
		case len(files) == 0:
			t.Errorf("rule %s (%s) has no cases: add lint/testdata/%s/*.txtar", r.Code, r.Name, r.Code)
		case !flagged:
			t.Errorf("rule %s (%s) has no case with a # want", r.Code, r.Name)
		case !clean:
			t.Errorf("rule %s (%s) has no clean case", r.Code, r.Name)
		case !onbuild && r.Match != nil && len(r.Match.Command) > 0:
			t.Errorf("rule %s (%s) matches shell commands but has no ONBUILD case", r.Code, r.Name)
		case !golden && r.Fixable():
			t.Errorf("rule %s (%s) has fixes but no case with a Dockerfile.golden", r.Code, r.Name)
		}
	}
}
