package lint

import (
	"errors"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/rules"
)

// compileRules compiles rule files given as YAML texts by file name.
func compileRules(t *testing.T, files map[string]string) *rules.Pack {
	t.Helper()
	var list []*rules.Rule
	for name, text := range files {
		r, err := rules.ParseRule(name, []byte(text))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		list = append(list, r)
	}
	pk, err := rules.Compile(list)
	if err != nil {
		t.Fatal(err)
	}
	return pk
}

const teamRule = `code: DM4998
name: team-no-wget
title: wget in a RUN of this team
severity: error
status: approved
rationale: |
  This team fetches files with curl only.
scope: script
match:
  command: wget
message: fetch files with curl instead of {command}
examples:
  bad:
    - |
      FROM debian:12.6
      RUN wget -q https://example.org/a
  good:
    - |
      FROM debian:12.6
      RUN echo ok
`

func TestAddPackSkipsIdenticalRules(t *testing.T) {
	base := parityPack(t)
	same := parityPack(t).Subset(func(r *rules.Rule) bool { return r.Code == "DM3001" })

	got, err := AddPack([]*rules.Pack{base}, same)
	if err != nil {
		t.Fatalf("AddPack of an identical rule: %v", err)
	}
	if len(got) != 1 {
		t.Errorf("AddPack returned %d packs, want 1: the added pack holds only a rule already present", len(got))
	}

	team := compileRules(t, map[string]string{"DM4998-team-no-wget.yaml": teamRule})
	got, err = AddPack([]*rules.Pack{base}, team)
	if err != nil {
		t.Fatalf("AddPack of a new rule: %v", err)
	}
	if len(got) != 2 || got[1].Rule("DM4998") == nil {
		t.Errorf("AddPack did not add the pack with rule DM4998: %d packs", len(got))
	}
}

func TestAddPackRejectsChangedRule(t *testing.T) {
	base := compileRules(t, map[string]string{"DM4998-team-no-wget.yaml": teamRule})
	changed := compileRules(t, map[string]string{"DM4998-team-no-wget.yaml": strings.Replace(teamRule, "severity: error", "severity: info", 1)})

	_, err := AddPack([]*rules.Pack{base}, changed)
	if !errors.Is(err, ErrPackConflict) {
		t.Fatalf("AddPack of a changed rule with the same code: error %v, want ErrPackConflict", err)
	}
	if !strings.Contains(err.Error(), "rule DM4998") {
		t.Errorf("error %q does not name the rule", err)
	}
}
