package rules

import (
	"strings"
	"testing"
)

func TestFromCandidatePrefersCorpusDockerfiles(t *testing.T) {
	long := "FROM alpine:3.20\nENV A=1\nRUN set -eux; apk add curl; echo done\n"
	short := "FROM alpine:3.20\nRUN apk add git\n"
	good := "FROM alpine:3.20\nRUN apk add --no-cache git\n"
	c := &Candidate{
		ID: "mine-apk", Kind: "flag", Scope: ScopeScript, Antecedent: "apk add", Consequent: "--no-cache",
		Text:        "`apk add` is run with `--no-cache`.",
		ExampleBad:  []string{long, short},
		ExampleGood: []string{good},
		Pattern: &Pattern{
			Match:   &Match{Command: Strings{"apk add"}},
			Require: &Require{Clause: Clause{Flag: &FlagTest{Name: Strings{"--no-cache"}}}},
		},
	}
	r := FromCandidate(c, "DM3901", "apk-no-cache-mined")
	if len(r.Examples.Bad) != 1 || r.Examples.Bad[0] != short {
		t.Errorf("bad examples %q, want the shorter corpus Dockerfile %q", r.Examples.Bad, short)
	}
	if len(r.Examples.Good) != 1 || r.Examples.Good[0] != good {
		t.Errorf("good examples %q, want the corpus Dockerfile %q", r.Examples.Good, good)
	}
	if _, err := Compile([]*Rule{r}); err != nil {
		t.Errorf("Compile: %v", err)
	}
}

func TestFromCandidateSkipsUnflaggedDockerfile(t *testing.T) {
	clean := "FROM alpine:3.20\nRUN apk add --no-cache git\n"
	c := &Candidate{
		ID: "mine-apk", Kind: "flag", Scope: ScopeScript, Antecedent: "apk add", Consequent: "--no-cache",
		Text:       "`apk add` is run with `--no-cache`.",
		ExampleBad: []string{clean},
		Pattern: &Pattern{
			Match:   &Match{Command: Strings{"apk add"}},
			Require: &Require{Clause: Clause{Flag: &FlagTest{Name: Strings{"--no-cache"}}}},
		},
	}
	r := FromCandidate(c, "DM3901", "apk-no-cache-mined")
	if len(r.Examples.Bad) != 1 || r.Examples.Bad[0] == clean {
		t.Errorf("bad examples %q: a Dockerfile the rule passes was kept", r.Examples.Bad)
	}
	if _, err := Compile([]*Rule{r}); err != nil {
		t.Errorf("Compile: %v", err)
	}
}

func TestFromCandidateBracesInConsequent(t *testing.T) {
	c := &Candidate{
		ID: "mine-rpm", Kind: "flag", Scope: ScopeScript, Antecedent: "rpm", Consequent: "--qf=%{ARCH}",
		Text: "`rpm` is run with `--qf=%{ARCH}`.",
		Pattern: &Pattern{
			Match:   &Match{Command: Strings{"rpm"}},
			Require: &Require{Clause: Clause{Flag: &FlagTest{Name: Strings{"--qf"}, Value: `^%\{ARCH\}$`}}},
		},
	}
	r := FromCandidate(c, "DM4901", "rpm-qf-mined")
	if strings.Contains(r.Message, "{ARCH}") {
		t.Errorf("message %q keeps {ARCH}, which reads as a placeholder", r.Message)
	}
	if _, err := Compile([]*Rule{r}); err != nil {
		t.Errorf("Compile: %v", err)
	}
}

func TestFromCandidateGeneratedObjects(t *testing.T) {
	tests := []struct {
		name string
		c    *Candidate
	}{
		{"output", &Candidate{
			ID: "mine-mktemp", Kind: "follows", Scope: ScopeScript, Antecedent: "mktemp --directory @output [final image]", Consequent: "rm @output",
			Text: "In the same RUN, `rm` on the same output runs after `mktemp --directory @output`.",
			Pattern: &Pattern{
				Match: &Match{Command: Strings{"mktemp"}, When: []*Clause{{Flag: &FlagTest{Name: Strings{"--directory"}}}}},
				Require: &Require{Clause: Clause{
					Command: Strings{"rm"}, Where: WhereFollows, Same: SameOutput,
				}},
			},
		}},
		{"archive", &Candidate{
			ID: "mine-tar", Kind: "follows", Scope: ScopeScript, Antecedent: "tar --extract @archive", Consequent: "rm @archive",
			Text: "In the same RUN, `rm` on the same archive runs after `tar --extract @archive`.",
			Pattern: &Pattern{
				Match:   &Match{Command: Strings{"tar"}, Flag: &FlagTest{Name: Strings{"--file"}}, When: []*Clause{{Flag: &FlagTest{Name: Strings{"--extract"}}}}},
				Require: &Require{Clause: Clause{Command: Strings{"rm"}, Where: WhereFollows, Same: SamePath}},
			},
		}},
		{"operand", &Candidate{
			ID: "mine-wget", Kind: "operand", Scope: ScopeScript, Antecedent: "wget <url>", Consequent: "scheme:https",
			Text: "Every url operand of `wget` is tagged scheme:https.",
			Pattern: &Pattern{
				Match: &Match{Command: Strings{"wget"}, Operand: &OperandTest{Role: Strings{"url"}, AnyTags: Strings{"url"}, NotTags: Strings{"scheme:https"}}},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := FromCandidate(tt.c, "DM4901", "generated-mined")
			if _, err := Compile([]*Rule{r}); err != nil {
				t.Errorf("the rule with generated examples does not compile: %v\nbad %q\ngood %q", err, r.Examples.Bad, r.Examples.Good)
			}
		})
	}
}
