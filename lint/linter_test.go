package lint

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dockmine/dockmine/lint/config"
	"github.com/dockmine/dockmine/rules"
)

var (
	testPackOnce sync.Once
	testPack     *rules.Pack
	testPackErr  error
)

// parityPack compiles the hadolint-parity rule files of the repository.
func parityPack(t testing.TB) *rules.Pack {
	t.Helper()
	testPackOnce.Do(func() {
		var list []*rules.Rule
		list, testPackErr = rules.LoadDir(filepath.Join("..", "rules", "hadolint-parity"))
		if testPackErr == nil {
			testPack, testPackErr = rules.Compile(list)
		}
	})
	if testPackErr != nil {
		t.Fatalf("compiling the hadolint-parity rules: %v", testPackErr)
	}
	return testPack
}

func newTestLinter(t *testing.T, opts Options) *Linter {
	t.Helper()
	if opts.Packs == nil {
		opts.Packs = []*rules.Pack{parityPack(t)}
	}
	l, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return l
}

// lintText lints one text under a linter without configuration files.
func lintText(t *testing.T, l *Linter, src string) Result {
	t.Helper()
	results, err := l.Lint(context.Background(), []Input{{Name: "Dockerfile", Source: []byte(src)}})
	if err != nil {
		t.Fatalf("Lint: %v", err)
	}
	return results[0]
}

// codes lists the diagnostics as CODE@line:col.
func codes(res Result) []string {
	var out []string
	for _, d := range res.Diagnostics {
		out = append(out, d.Rule.Code+"@"+strconv.Itoa(d.Range.Start.Line)+":"+strconv.Itoa(d.Range.Start.Col))
	}
	return out
}

func has(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func TestLintExactPositionInContinuation(t *testing.T) {
	l := newTestLinter(t, Options{Only: []config.Value{{Text: "DL3015"}}})
	src := "FROM debian:12.6\nRUN apt-get update \\\n && echo start \\\n && true \\\n && apt-get install -y curl=7.88.1-10+deb12u5 \\\n && rm -rf /var/lib/apt/lists/*\n"
	res := lintText(t, l, src)
	got := codes(res)
	if len(got) != 1 || got[0] != "DM3001@5:5" {
		t.Fatalf("diagnostics = %v, want [DM3001@5:5]: the apt-get install on line 5", got)
	}
	if d := res.Diagnostics[0]; d.Range.End.Line != 5 {
		t.Errorf("range ends on line %d, want 5", d.Range.End.Line)
	}
}

func TestLintParseFailureKeepsGoing(t *testing.T) {
	l := newTestLinter(t, Options{})
	results, err := l.Lint(context.Background(), []Input{
		{Name: "bad/Dockerfile", Source: []byte("FROM debian:12.6\nRUN <<EOF\necho never closed\n")},
		{Name: "good/Dockerfile", Source: []byte("FROM debian:12.6\nRUN apt-get install -y curl\n")},
	})
	if err != nil {
		t.Fatalf("Lint: %v", err)
	}
	bad := codes(results[0])
	if len(bad) != 1 || !strings.HasPrefix(bad[0], "DM0001@") {
		t.Errorf("broken file: diagnostics %v, want one DM0001", bad)
	}
	if d := results[0].Diagnostics; len(d) == 1 && !strings.HasPrefix(d[0].Message, "the file does not parse: ") {
		t.Errorf("message = %q", d[0].Message)
	}
	if !has(codes(results[1]), "DM3001@2") {
		t.Errorf("second file: diagnostics %v, want DM3001 on line 2", codes(results[1]))
	}
	if !results[0].Failed() {
		t.Error("a parse failure did not fail the run at the default threshold")
	}
}

func TestLintPragmas(t *testing.T) {
	l := newTestLinter(t, Options{})
	tests := []struct {
		name string
		src  string
		want bool // DM3001 reported
	}{
		{"no pragma", "FROM debian:12.6\nRUN apt-get install -y curl\n", true},
		{"dockmine code", "FROM debian:12.6\n# dockmine ignore=DM3001 # reason\nRUN apt-get install -y curl\n", false},
		{"dockmine name", "FROM debian:12.6\n# dockmine ignore=apt-no-install-recommends\nRUN apt-get install -y curl\n", false},
		{"hadolint alias", "FROM debian:12.6\n# hadolint ignore=DL3015\nRUN apt-get install -y curl\n", false},
		{"other code", "FROM debian:12.6\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n", true},
		{"next instruction only", "FROM debian:12.6\n# dockmine ignore=DM3001\nRUN true\nRUN apt-get install -y curl\n", true},
		{"stage", "FROM debian:12.6\n# dockmine stage ignore=DM3001\nRUN true\nRUN apt-get install -y curl\n", false},
		{"stage ends", "FROM debian:12.6\n# dockmine stage ignore=DM3001\nRUN true\nFROM debian:12.6\nRUN apt-get install -y curl\n", true},
		{"global", "# hadolint global ignore=DL3015\nFROM debian:12.6\nRUN true\nFROM debian:12.6\nRUN apt-get install -y curl\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := has(codes(lintText(t, l, tt.src)), "DM3001")
			if got != tt.want {
				t.Errorf("DM3001 reported = %t, want %t\n%s", got, tt.want, tt.src)
			}
		})
	}
}

func TestLintDisableIgnorePragma(t *testing.T) {
	yes := true
	l := newTestLinter(t, Options{Flags: config.Settings{DisableIgnorePragma: &yes}})
	res := lintText(t, l, "FROM debian:12.6\n# dockmine ignore=DM3001\nRUN apt-get install -y curl\n")
	if !has(codes(res), "DM3001") {
		t.Errorf("diagnostics %v: the pragma suppressed DM3001 with disable-ignore-pragma set", codes(res))
	}
}

func TestLintOnlyAndIgnore(t *testing.T) {
	src := "FROM debian:12.6\nRUN apt-get update && apt-get install curl\n"
	all := codes(lintText(t, newTestLinter(t, Options{}), src))
	if !has(all, "DM3001") || !has(all, "DM3002") {
		t.Fatalf("without selection: %v, want DM3001 and DM3002 among them", all)
	}

	only := codes(lintText(t, newTestLinter(t, Options{Only: []config.Value{{Text: "DL3008"}}}), src))
	if len(only) != 1 || !has(only, "DM3002") {
		t.Errorf("--only DL3008: %v, want only DM3002", only)
	}

	ignored := codes(lintText(t, newTestLinter(t, Options{Flags: config.Settings{Ignored: []config.Value{{Text: "DM3001"}}}}), src))
	if has(ignored, "DM3001") || !has(ignored, "DM3002") {
		t.Errorf("--ignore DM3001: %v", ignored)
	}
}

func TestLintUnknownCode(t *testing.T) {
	l := newTestLinter(t, Options{Only: []config.Value{{Text: "DL9999", Origin: config.Origin{Name: "--only"}}}})
	_, err := l.Lint(context.Background(), []Input{{Name: "Dockerfile", Source: []byte("FROM a\n")}})
	if err == nil || !strings.HasPrefix(err.Error(), `--only: unknown rule "DL9999"`) {
		t.Errorf("error = %v, want an unknown rule error naming --only", err)
	}
}

func TestLintSeverityOverrideAndThreshold(t *testing.T) {
	src := "FROM debian:12.6\nRUN apt-get install -y curl=7.88.1-10+deb12u5\n"
	res := lintText(t, newTestLinter(t, Options{Only: []config.Value{{Text: "DM3001"}}}), src)
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Severity != rules.SeverityInfo {
		t.Fatalf("diagnostics %v, want one info DM3001", codes(res))
	}
	if res.Failed() {
		t.Error("an info finding failed the run at the warning threshold")
	}

	flags := config.Settings{Overrides: []config.Override{{Severity: "error", Code: config.Value{Text: "DL3015"}}}}
	res = lintText(t, newTestLinter(t, Options{Only: []config.Value{{Text: "DM3001"}}, Flags: flags}), src)
	if res.Diagnostics[0].Severity != rules.SeverityError || !res.Failed() {
		t.Errorf("override to error: severity %v, failed %t", res.Diagnostics[0].Severity, res.Failed())
	}

	none := config.Settings{FailureThreshold: &config.Value{Text: "none"}, Overrides: flags.Overrides}
	res = lintText(t, newTestLinter(t, Options{Only: []config.Value{{Text: "DM3001"}}, Flags: none}), src)
	if res.Failed() {
		t.Error("failure-threshold none failed the run")
	}
}

func TestLintConfigFiles(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) string {
		path := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	src := "FROM debian:12.6\nRUN apt-get install -y curl=7.88.1-10+deb12u5\n"
	write("svc/.dockmine.yaml", "ignored: [DM3001]\n")
	write("legacy/.hadolint.yaml", "ignored: [DL3015, SC2086]\noverride:\n  error: [DL3008]\n")
	a := write("svc/api/Dockerfile", src)
	b := write("legacy/Dockerfile", src)
	c := write("other/Dockerfile", src)

	l := newTestLinter(t, Options{Finder: &config.Finder{}})
	results, err := l.Lint(context.Background(), []Input{{Name: a}, {Name: b}, {Name: c}})
	if err != nil {
		t.Fatalf("Lint: %v", err)
	}
	if has(codes(results[0]), "DM3001") {
		t.Errorf("svc/api: %v, want DM3001 ignored by the parent's .dockmine.yaml", codes(results[0]))
	}
	if has(codes(results[1]), "DM3001") {
		t.Errorf("legacy: %v, want DM3001 ignored through its alias DL3015", codes(results[1]))
	}
	if !has(codes(results[2]), "DM3001") {
		t.Errorf("other: %v, want DM3001 without configuration", codes(results[2]))
	}
}

func TestLintConfigErrorStopsRun(t *testing.T) {
	root := t.TempDir()
	cfg := filepath.Join(root, ".dockmine.yaml")
	if err := os.WriteFile(cfg, []byte("ignored:\n  - DM3001\n  - DM9999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	df := filepath.Join(root, "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM debian:12.6\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	l := newTestLinter(t, Options{Finder: &config.Finder{}})
	_, err := l.Lint(context.Background(), []Input{{Name: df}})
	var cerr *config.Error
	if !errors.As(err, &cerr) {
		t.Fatalf("error = %v, want a *config.Error", err)
	}
	if want := cfg + ":3:5: unknown rule \"DM9999\""; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %q, want prefix %q", err, want)
	}
}

func TestLintFixConverges(t *testing.T) {
	l := newTestLinter(t, Options{Fix: true})
	src := "FROM debian:12.6\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u5\n"
	res := lintText(t, l, src)
	if !res.Fixed() {
		t.Fatalf("nothing fixed; diagnostics %v", codes(res))
	}
	want := "FROM debian:12.6\nRUN apt-get update && apt-get install --no-install-recommends -y curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*\n"
	if string(res.Source) != want {
		t.Errorf("fixed text:\n got: %q\nwant: %q", res.Source, want)
	}
	for _, d := range res.Diagnostics {
		if d.Fix != nil {
			t.Errorf("a fixable finding remains: %s %s", d.Rule.Code, d.Message)
		}
	}

	again := lintText(t, l, string(res.Source))
	if again.Fixed() {
		t.Errorf("fixing the fixed text changed it again:\n%s", again.Source)
	}
}

func TestLintOrderAndParallel(t *testing.T) {
	l := newTestLinter(t, Options{Jobs: 4})
	var inputs []Input
	for i := range 50 {
		src := "FROM debian:12.6\n" + strings.Repeat("RUN true\n", i) + "RUN apt-get install -y curl\n"
		inputs = append(inputs, Input{Name: "f" + strconv.Itoa(i), Source: []byte(src)})
	}
	results, err := l.Lint(context.Background(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	for i, res := range results {
		if res.File != inputs[i].Name {
			t.Fatalf("result %d is for %s, want %s", i, res.File, inputs[i].Name)
		}
		if !has(codes(res), "DM3001@"+strconv.Itoa(i+2)+":") {
			t.Errorf("%s: %v, want DM3001 on line %d", res.File, codes(res), i+2)
		}
	}
}

func TestLintUnreadableInput(t *testing.T) {
	l := newTestLinter(t, Options{})
	results, err := l.Lint(context.Background(), []Input{{Name: filepath.Join(t.TempDir(), "missing", "Dockerfile")}})
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Err == nil {
		t.Error("a missing file has no error")
	}
}

func TestLintIgnorePragmaRule(t *testing.T) {
	l := newTestLinter(t, Options{Only: []config.Value{{Text: "DM0002"}, {Text: "DM3001"}}})
	tests := []struct {
		name string
		src  string
		want string // the DM0002 message, empty for none
	}{
		{"used with reason", "FROM debian:12.6\n# dockmine ignore=DM3001 # recommends are needed here\nRUN apt-get install -y curl\n", ""},
		{"used without reason", "FROM debian:12.6\n# dockmine ignore=DM3001\nRUN apt-get install -y curl\n", "gives no reason"},
		{"suppresses nothing", "FROM debian:12.6\n# dockmine ignore=DM3001 # stale\nRUN true\n", "suppresses nothing"},
		{"hadolint pragma unused", "FROM debian:12.6\n# hadolint ignore=DL3015\nRUN true\n", "suppresses nothing"},
		{"hadolint pragma with unknown check", "FROM debian:12.6\n# hadolint ignore=SC2086\nRUN true\n", ""},
		{"rule not running", "FROM debian:12.6\n# dockmine ignore=DM3002 # not selected by --only\nRUN true\n", ""},
		{"unknown rule", "FROM debian:12.6\n# dockmine ignore=DM9999 # typo\nRUN true\n", "names a rule that does not exist"},
		{"malformed", "FROM debian:12.6\n# dockmine ignroe=DM3001\nRUN true\n", "malformed ignore pragma"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := lintText(t, l, tt.src)
			var got []string
			for _, d := range res.Diagnostics {
				if d.Rule.Code == "DM0002" {
					got = append(got, d.Message)
				}
			}
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("DM0002 reported %q, want nothing", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
				t.Errorf("DM0002 reported %q, want one message containing %q", got, tt.want)
			}
		})
	}
}

// extraRule is a rule of a team's own pack, for the tests of extra packs.
const extraRule = `code: DM4999
name: no-curl-bash
title: curl in a RUN of this team
severity: warning
status: approved
rationale: |
  This team fetches files with its own mirror tool.
scope: script
match:
  command: curl
message: fetch files with the mirror tool instead of {command}
examples:
  bad:
    - |
      FROM debian:12.6
      RUN curl -fsSLO https://example.org/a
  good:
    - |
      FROM debian:12.6
      RUN echo ok
`

// writeExtraPack compiles extraRule into a pack file in dir.
func writeExtraPack(t *testing.T, dir string) string {
	t.Helper()
	r, err := rules.ParseRule("DM4999-no-curl-bash.yaml", []byte(extraRule))
	if err != nil {
		t.Fatal(err)
	}
	pk, err := rules.Compile([]*rules.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "team.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pk.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLintPacksFromConfig(t *testing.T) {
	root := t.TempDir()
	writeExtraPack(t, filepath.Join(root))
	if err := os.WriteFile(filepath.Join(root, ".dockmine.yaml"), []byte("packs: [team.json]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	df := filepath.Join(root, "svc", "Dockerfile")
	if err := os.MkdirAll(filepath.Dir(df), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(df, []byte("FROM debian:12.6\nRUN curl -fsSLO https://example.org/a\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	l := newTestLinter(t, Options{Finder: &config.Finder{}})
	results, err := l.Lint(context.Background(), []Input{{Name: df}})
	if err != nil {
		t.Fatalf("Lint: %v", err)
	}
	if !has(codes(results[0]), "DM4999@2:5") {
		t.Errorf("diagnostics %v, want DM4999 from the pack the configuration names", codes(results[0]))
	}
}

// TestLintSamePackTwice checks that a pack given twice runs once: its
// rules equal those already loaded, so the second copy is left out.
func TestLintSamePackTwice(t *testing.T) {
	dir := t.TempDir()
	path := writeExtraPack(t, dir)
	first, err := ReadPackFile(path)
	if err != nil {
		t.Fatal(err)
	}
	second, err := ReadPackFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(Options{Packs: []*rules.Pack{parityPack(t), first, second}, Only: []config.Value{{Text: "DM4999"}}})
	if err != nil {
		t.Fatalf("New with the same pack twice: %v", err)
	}
	res := lintText(t, l, "FROM debian:12.6\nRUN curl -fsSL https://example.org/install.sh | bash\n")
	if n := len(res.Diagnostics); n != 1 {
		t.Errorf("%d diagnostics %v, want DM4999 once", n, codes(res))
	}
}

// TestLintPackConflict checks that two packs with different rules under
// one code are rejected.
func TestLintPackConflict(t *testing.T) {
	pk, err := ReadPackFile(writeExtraPack(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := rules.ParseRule("DM4999-no-curl-bash.yaml", []byte(strings.Replace(extraRule, "severity: warning", "severity: info", 1)))
	if err != nil {
		t.Fatal(err)
	}
	changed, err := rules.Compile([]*rules.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	if changed.Rules[0].Severity == pk.Rules[0].Severity {
		t.Fatal("the changed rule has the severity of the original")
	}
	_, err = New(Options{Packs: []*rules.Pack{parityPack(t), pk, changed}})
	if !errors.Is(err, ErrPackConflict) {
		t.Errorf("New with two different rules DM4999: error %v, want ErrPackConflict", err)
	}
}

func TestLintMissingPackInConfig(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, ".dockmine.yaml"), []byte("packs:\n  - missing.json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	df := filepath.Join(root, "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM debian:12.6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := newTestLinter(t, Options{Finder: &config.Finder{}})
	_, err := l.Lint(context.Background(), []Input{{Name: df}})
	if err == nil || !strings.Contains(err.Error(), ".dockmine.yaml:2:5: reading pack") {
		t.Errorf("error = %v, want the pack's position in the configuration", err)
	}
}

// TestLintSameFindingOnce checks that DM1009 and DM1010, hadolint's and
// BuildKit's version of one check, report a shell-form CMD once, and that
// a pragma for either code hides it.
func TestLintSameFindingOnce(t *testing.T) {
	l := newTestLinter(t, Options{Only: []config.Value{{Text: "DM1009"}, {Text: "DM1010"}}})
	tests := []struct {
		name  string
		src   string
		want  string // code of the one diagnostic, "" for none
		also  []string
		alias string // an alias the diagnostic must list
	}{
		{"default shell", "FROM debian:12.6\nCMD server --port 8080\n", "DM1009", []string{"DM1010"}, "JSONArgsRecommended"},
		{"after SHELL", "FROM debian:12.6\nSHELL [\"/bin/bash\", \"-c\"]\nCMD server --port 8080\n", "DM1009", nil, "DL3025"},
		{"BuildKit skip", "# check=skip=JSONArgsRecommended\nFROM debian:12.6\nCMD server --port 8080\n", "", nil, ""},
		{"hadolint ignore", "FROM debian:12.6\n# hadolint ignore=DL3025\nCMD server --port 8080\n", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := lintText(t, l, tt.src).Diagnostics
			if tt.want == "" {
				if len(diags) != 0 {
					t.Errorf("diagnostics %v, want none", codes(Result{Diagnostics: diags}))
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("diagnostics %v, want one %s", codes(Result{Diagnostics: diags}), tt.want)
			}
			d := diags[0]
			if d.Rule.Code != tt.want {
				t.Errorf("rule %s, want %s", d.Rule.Code, tt.want)
			}
			var also []string
			for _, r := range d.Also {
				also = append(also, r.Code)
			}
			if strings.Join(also, ",") != strings.Join(tt.also, ",") {
				t.Errorf("also %v, want %v", also, tt.also)
			}
			if !slices.Contains(d.Aliases(), tt.alias) {
				t.Errorf("aliases %v lack %s", d.Aliases(), tt.alias)
			}
		})
	}
}
