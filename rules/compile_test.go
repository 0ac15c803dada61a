package rules

import (
	"strings"
	"testing"
)

func mustParse(t *testing.T, src string) *Rule {
	t.Helper()
	r, err := ParseRule("x.yaml", []byte(src))
	if err != nil {
		t.Fatalf("ParseRule: %v", err)
	}
	return r
}

func TestCompileRejects(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want string
	}{
		{"code", func(s string) string { return strings.Replace(s, "DM4999", "DL4999", 1) }, `x.yaml:1:1: DL4999: invalid code "DL4999"`},
		{"name", func(s string) string { return strings.Replace(s, "name: curl-fail", "name: Curl_Fail", 1) }, `x.yaml:2:1: DM4999: invalid name "Curl_Fail"`},
		{"title-capital", func(s string) string { return strings.Replace(s, "title: curl", "title: Curl", 1) }, `title "Curl without --fail" starts with a capital`},
		{"title-period", func(s string) string { return strings.Replace(s, "--fail\nseverity", "--fail.\nseverity", 1) }, "title ends with a period"},
		{"title-missing", func(s string) string { return strings.Replace(s, "title: curl without --fail\n", "", 1) }, "missing title"},
		{"severity", func(s string) string { return strings.Replace(s, "severity: info\n", "", 1) }, "missing severity"},
		{"status", func(s string) string { return strings.Replace(s, "status: approved", "status: done", 1) }, `invalid status "done"`},
		{"rationale", func(s string) string {
			return strings.Replace(s, "rationale: |\n  Without --fail curl saves an error page as the file.\n", "", 1)
		}, "missing rationale"},
		{"message", func(s string) string { return strings.Replace(s, "message: add --fail to {command}\n", "", 1) }, "missing message"},
		{"no-good-example", func(s string) string { return s[:strings.Index(s, "  good:")] }, "missing a good example"},
		{"unknown-check", func(s string) string {
			return strings.Replace(s, "match:\n  command: curl\nrequire:\n  flag: {name: --fail}\n", "check: nope\n", 1)
		}, `unknown built-in check "nope"`},
		{"check-and-match", func(s string) string { return strings.Replace(s, "match:", "check: pipefail\nmatch:", 1) }, "a rule with a built-in check has no match"},
		{"regexp", func(s string) string {
			return strings.Replace(s, "flag: {name: --fail}", "flag: {name: --fail, value: '('}", 1)
		}, `x.yaml:10:1: DM4999: invalid regular expression "("`},
		{"where", func(s string) string {
			return strings.Replace(s, "  flag: {name: --fail}", "  command: rm\n  where: later", 1)
		}, `invalid where "later"`},
		{"both-match-kinds", func(s string) string {
			return strings.Replace(s, "  command: curl", "  command: curl\n  instruction: RUN", 1)
		}, "both a command and an instruction"},
		{"lower-keyword", func(s string) string { return strings.Replace(s, "  command: curl", "  instruction: run", 1) }, `instruction "run": write keywords in upper case`},
		{"fix-place", func(s string) string {
			return strings.Replace(s, "message:", "fix:\n  description: add\n  insert: x\n  at: somewhere\nmessage:", 1)
		}, `invalid at "somewhere"`},
		{"bad-not-flagged", func(s string) string { return strings.Replace(s, "RUN curl -o /a", "RUN curl -f -o /a", 1) }, "x.yaml:15:7: DM4999: bad example 1 is not flagged"},
		{"good-flagged", func(s string) string { return strings.Replace(s, "RUN curl -f -o /a", "RUN curl -o /a", 1) }, "x.yaml:19:7: DM4999: good example 1 is flagged at 2:5: add --fail to curl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRule("x.yaml", []byte(tt.edit(validRule)))
			if err == nil {
				_, err = Compile([]*Rule{r})
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestCompileDuplicateKeys(t *testing.T) {
	a := mustParse(t, validRule)
	b := mustParse(t, strings.Replace(validRule, "DM4999", "DM4998", 1))
	_, err := Compile([]*Rule{a, b})
	if err == nil || !strings.Contains(err.Error(), `"curl-fail" is already used by DM4998`) {
		t.Fatalf("error %v, want a duplicate name", err)
	}

	c := mustParse(t, strings.Replace(validRule, "name: curl-fail", "name: other\naliases: [DL3015]", 1))
	d := mustParse(t, strings.Replace(strings.Replace(validRule, "DM4999", "DM4998", 1), "name: curl-fail", "name: more\naliases: [dl3015]", 1))
	if _, err := Compile([]*Rule{c, d}); err == nil || !strings.Contains(err.Error(), "is already used by") {
		t.Fatalf("error %v, want a duplicate alias", err)
	}
}

func TestCompileAllErrorsAtOnce(t *testing.T) {
	a := mustParse(t, strings.Replace(validRule, "title: curl", "title: Curl", 1))
	b := mustParse(t, strings.Replace(strings.Replace(validRule, "DM4999", "DM4998", 1), "status: approved", "status: x", 1))
	_, err := Compile([]*Rule{a, b})
	if err == nil || !strings.Contains(err.Error(), "DM4999") || !strings.Contains(err.Error(), "DM4998") {
		t.Fatalf("error %v, want problems of both rules", err)
	}
}

func TestFromCandidate(t *testing.T) {
	c := &Candidate{
		ID: "c-apt-recommends", Kind: "flag", Scope: ScopeScript,
		Antecedent: "apt-get install -y curl=7.88.1-10+deb12u5", Consequent: "--no-install-recommends",
		Text:    "Apt-get install is run with --no-install-recommends.",
		Support: Support{Instances: 120, Files: 80, Repos: 30, Families: 25}, Confidence: 0.93,
		Contrast: &Contrast{Instances: 400, Confidence: 0.41},
		Examples: Examples{Violated: []Example{{File: "r/Dockerfile", Line: 3, Text: "RUN apt-get install -y curl"}}},
		Pattern: &Pattern{
			Scope:      ScopeScript,
			Match:      &Match{Command: Strings{"apt-get install"}},
			Require:    &Require{Clause: Clause{Flag: &FlagTest{Name: Strings{"--no-install-recommends"}}}},
			Exceptions: []*Clause{{Stage: &StageTest{ReachesFinal: new(bool)}}},
		},
	}
	r := FromCandidate(c, "DM3901", "apt-recommends-mined")
	if r.Status != StatusProposed || r.Evidence == nil || r.Evidence.Candidate != c.ID || r.Evidence.Support.Repos != 30 {
		t.Fatalf("FromCandidate lost status or evidence: %+v", r)
	}
	if r.Title != "apt-get install is run with --no-install-recommends" {
		t.Errorf("title %q", r.Title)
	}
	if _, err := Compile([]*Rule{r}); err != nil {
		t.Fatalf("the rule made from a candidate does not compile: %v", err)
	}
	data, err := r.EncodeYAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseRule("mined.yaml", data)
	if err != nil {
		t.Fatalf("the written rule does not load: %v\n%s", err, data)
	}
	if back.Evidence.Confidence != 0.93 || back.Match.Command[0] != "apt-get install" {
		t.Errorf("the written rule lost fields:\n%s", data)
	}
}

func TestFromCandidateExamples(t *testing.T) {
	c := &Candidate{
		ID: "c-lists", Kind: "follows", Scope: ScopeScript,
		Antecedent: "apt-get update", Consequent: "rm <dir:apt-lists>",
		Text: "apt-get update is followed by removing the apt lists.",
		Examples: Examples{
			Violated:  []Example{{File: "r/Dockerfile", Line: 4, Text: "\t&& apt-get update && apt-get install -y curl \\"}},
			Satisfied: []Example{{File: "r/Dockerfile", Line: 9, Text: "# a comment line"}},
		},
		Pattern: &Pattern{
			Match: &Match{Command: Strings{"apt-get update"}},
			Require: &Require{Clause: Clause{
				Command: Strings{"rm"}, Where: WhereFollows, Operand: &OperandTest{Tags: Strings{"dir:apt-lists"}},
			}},
		},
	}
	r := FromCandidate(c, "DM3902", "apt-lists-mined")
	wantBad := "FROM debian:12.6\nRUN apt-get update && apt-get install -y curl\n"
	if len(r.Examples.Bad) != 1 || r.Examples.Bad[0] != wantBad {
		t.Errorf("bad examples %q, want the corpus line %q", r.Examples.Bad, wantBad)
	}
	wantGood := "FROM debian:12.6\nRUN apt-get update && rm /var/lib/apt/lists/*\n"
	if len(r.Examples.Good) != 1 || r.Examples.Good[0] != wantGood {
		t.Errorf("good examples %q, want the generated %q", r.Examples.Good, wantGood)
	}
	if _, err := Compile([]*Rule{r}); err != nil {
		t.Errorf("Compile: %v", err)
	}

	absent := &Candidate{
		ID: "c-quiet", Kind: "absent", Scope: ScopeScript, Antecedent: "wget", Consequent: "--tries=0",
		Text:    "wget runs without --tries=0.",
		Pattern: &Pattern{Match: &Match{Command: Strings{"wget"}, Flag: &FlagTest{Name: Strings{"--tries"}, Value: "^0$"}}},
	}
	r = FromCandidate(absent, "DM4903", "wget-tries-mined")
	if _, err := Compile([]*Rule{r}); err != nil {
		t.Errorf("an absent candidate's rule does not compile: %v\n%q", err, r.Examples)
	}
}
