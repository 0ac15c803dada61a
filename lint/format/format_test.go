package format

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/ast"
	"github.com/dockmine/dockmine/lint"
	"github.com/dockmine/dockmine/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files of the format tests")

var (
	ruleRecommends = &rules.Rule{
		Code: "DM3001", Name: "apt-no-install-recommends", Title: "apt-get install without --no-install-recommends",
		Severity: rules.SeverityInfo, Status: rules.StatusApproved, Aliases: []string{"DL3015"},
		Rationale: "Recommended packages make the image larger.\n\nSecond paragraph.",
		Examples: rules.ExampleFiles{
			Bad:  []string{"FROM debian:12\nRUN apt-get install -y curl\n"},
			Good: []string{"FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n"},
		},
	}
	ruleParse = &rules.Rule{
		Code: "DM0001", Name: "parse-error", Title: "the Dockerfile does not parse",
		Severity: rules.SeverityError, Status: rules.StatusApproved, Aliases: []string{"DL1000"},
		Rationale: "BuildKit rejects the file.",
	}
)

func pos(offset, line, col int) ast.Pos { return ast.Pos{Offset: offset, Line: line, Col: col} }

// sampleReport has a finding on a tab-indented continuation line with a
// multi-byte character before it, a fix, a parse failure and a clean file.
func sampleReport() *Report {
	src := []byte("FROM debian:12\nRUN echo \"é\" \\\n\t&& apt-get install -y curl\n")
	parseSrc := []byte("FROM debian:12\nRUN <<EOF\n")
	return &Report{Version: "v0.1.0", Results: []lint.Result{
		{File: "svc/Dockerfile", Source: src, Original: src, Threshold: rules.SeverityWarning, Diagnostics: []lint.Diagnostic{{
			Rule: ruleRecommends, Severity: rules.SeverityInfo, File: "svc/Dockerfile",
			Range:   ast.Range{Start: pos(34, 3, 5), End: pos(52, 3, 23)},
			Message: "add --no-install-recommends to apt-get install to skip recommended packages",
			Fix:     &rules.Fix{Description: "add --no-install-recommends", Edits: []rules.Edit{{Start: 52, End: 52, NewText: " --no-install-recommends"}}},
		}}},
		{File: "broken.Dockerfile", Source: parseSrc, Original: parseSrc, Threshold: rules.SeverityWarning, Diagnostics: []lint.Diagnostic{{
			Rule: ruleParse, Severity: rules.SeverityError, File: "broken.Dockerfile",
			Range:   ast.Range{Start: pos(15, 2, 1), End: pos(15, 2, 1)},
			Message: "the file does not parse: unterminated heredoc",
		}}},
		{File: "clean/Dockerfile", Source: []byte("FROM scratch\n"), Original: []byte("FROM scratch\n"), Threshold: rules.SeverityWarning},
	}}
}

func render(t *testing.T, name string, opts Options) string {
	t.Helper()
	f, err := New(name, opts)
	if err != nil {
		t.Fatalf("New(%q): %v", name, err)
	}
	var buf bytes.Buffer
	if err := f.Format(&buf, sampleReport()); err != nil {
		t.Fatalf("Format: %v", err)
	}
	return buf.String()
}

func checkGolden(t *testing.T, file, got string) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file\n got:\n%s\nwant:\n%s", file, got, want)
	}
}

func TestFormatGolden(t *testing.T) {
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, name+".golden", render(t, name, Options{}))
		})
	}
}

func TestFormatTTYColor(t *testing.T) {
	got := render(t, "tty", Options{Color: true})
	checkGolden(t, "tty-color.golden", got)
	if !strings.Contains(got, "\x1b[") {
		t.Error("colored output has no ANSI escape")
	}
	if plain := render(t, "tty", Options{}); strings.Contains(plain, "\x1b[") {
		t.Error("plain output has an ANSI escape")
	}
}

func TestFormatUnknown(t *testing.T) {
	if _, err := New("xml", Options{}); err == nil {
		t.Error("New(xml) succeeded, want ErrUnknownFormat")
	}
}

func TestFormatTTYCaret(t *testing.T) {
	got := render(t, "tty", Options{})
	lines := strings.Split(got, "\n")
	// The caret line keeps the tab of the source line and covers
	// "apt-get install -y curl": 18 characters.
	want := "      | \t   ^" + strings.Repeat("~", 17)
	if lines[2] != want {
		t.Errorf("caret line = %q, want %q", lines[2], want)
	}
}

func TestFormatJSONFields(t *testing.T) {
	var got []map[string]any
	if err := json.Unmarshal([]byte(render(t, "json", Options{})), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d findings, want 2", len(got))
	}
	for _, key := range []string{"code", "aliases", "name", "severity", "message", "file", "line", "column", "end_line", "end_column"} {
		if _, ok := got[0][key]; !ok {
			t.Errorf("finding has no %q field", key)
		}
	}
}

func TestFormatSARIFStructure(t *testing.T) {
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID               string `json:"id"`
						HelpURI          string `json:"helpUri"`
						ShortDescription struct{ Text string }
						Help             struct{ Text, Markdown string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(render(t, "sarif", Options{})), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with 1", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != 2 {
		t.Fatalf("%d rules, want 2", len(run.Tool.Driver.Rules))
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.ShortDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" || r.HelpURI == "" {
			t.Errorf("rule %s lacks a title, help text or help URI", r.ID)
		}
	}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d of rule %s", res.RuleID, res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID)
		}
	}
	region := run.Results[0].Locations[0].PhysicalLocation.Region
	// Line 3 is "\t&& apt-get install -y curl": byte columns equal UTF-16
	// columns there.
	if region.StartLine != 3 || region.StartColumn != 5 || region.EndColumn != 23 {
		t.Errorf("region = %+v, want 3:5 to 3:23", region)
	}
}

func TestUTF16Col(t *testing.T) {
	line := `RUN echo "é😀" x`
	tests := []struct{ byteCol, want int }{
		{1, 1},
		{11, 11},            // the é, first byte after the quote
		{13, 12},            // after é (2 bytes, 1 unit)
		{17, 14},            // after 😀 (4 bytes, 2 units)
		{len(line) + 1, 17}, // just past the end
		{len(line) + 3, 19}, // beyond the end keeps its distance
	}
	for _, tt := range tests {
		if got := utf16Col(line, tt.byteCol); got != tt.want {
			t.Errorf("utf16Col(%d) = %d, want %d", tt.byteCol, got, tt.want)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	tests := map[string]string{
		"Dockerfile":              "Dockerfile",
		"svc/a b/Dockerfile":      "svc/a%20b/Dockerfile",
		"/abs/path/Dockerfile":    "file:///abs/path/Dockerfile",
		"docker/Dockerfile.#prod": "docker/Dockerfile.%23prod",
	}
	for in, want := range tests {
		if got := artifactURI(in); got != want {
			t.Errorf("artifactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatXMLWellFormed(t *testing.T) {
	for _, name := range []string{"checkstyle", "junit"} {
		dec := xml.NewDecoder(strings.NewReader(render(t, name, Options{})))
		for {
			_, err := dec.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%s: %v", name, err)
				}
				break
			}
		}
	}
}

func TestGitLabFingerprintStable(t *testing.T) {
	first := render(t, "gitlab", Options{})
	r := sampleReport()
	// Two lines inserted above the finding move it but keep its text.
	res := &r.Results[0]
	res.Source = append([]byte("# a\n# b\n"), res.Source...)
	res.Diagnostics[0].Range.Start.Line += 2
	res.Diagnostics[0].Range.End.Line += 2
	var buf bytes.Buffer
	if err := (gitlab{}).Format(&buf, r); err != nil {
		t.Fatal(err)
	}
	var a, b []gitlabIssue
	if err := json.Unmarshal([]byte(first), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	if a[0].Fingerprint != b[0].Fingerprint {
		t.Error("the fingerprint changed when the finding moved down two lines")
	}
	if a[0].Fingerprint == a[1].Fingerprint {
		t.Error("two different findings share a fingerprint")
	}
}

func TestExplainAndList(t *testing.T) {
	var buf bytes.Buffer
	if err := Explain(&buf, ruleRecommends); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "explain.golden", buf.String())

	buf.Reset()
	if err := ListRules(&buf, []*rules.Rule{ruleParse, ruleRecommends}, false); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "list-rules.golden", buf.String())

	buf.Reset()
	if err := ListRules(&buf, []*rules.Rule{ruleParse, ruleRecommends}, true); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "list-rules-json.golden", buf.String())
}
