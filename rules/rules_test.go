package rules

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestRuleExamples runs every rule of the repository's packs alone on its
// examples: each bad one must be flagged and each good one must not.
func TestRuleExamples(t *testing.T) {
	p := compileRepoPacks(t)
	all := func(*Rule) bool { return true }
	for _, r := range p.Rules {
		only := p.Subset(func(x *Rule) bool { return x == r })
		external := builtins[r.Check] != nil && builtins[r.Check].External
		t.Run(r.Code, func(t *testing.T) {
			if len(r.Examples.Bad) == 0 || len(r.Examples.Good) == 0 && r.Check != parseCheckName {
				t.Fatalf("%s needs at least one bad and one good example", r.Code)
			}
			for i, src := range r.Examples.Bad {
				findings, err := only.lint(r.Code, []byte(src), all)
				if err != nil {
					t.Errorf("bad example %d: %v\n%s", i+1, err, src)
					continue
				}
				if len(findings) == 0 && !external {
					t.Errorf("bad example %d is not flagged:\n%s", i+1, src)
				}
			}
			for i, src := range r.Examples.Good {
				findings, err := only.lint(r.Code, []byte(src), all)
				if err != nil {
					t.Errorf("good example %d: %v\n%s", i+1, err, src)
					continue
				}
				for _, f := range findings {
					t.Errorf("good example %d flagged at %d:%d: %s\n%s", i+1, f.Range.Start.Line, f.Range.Start.Col, f.Message, src)
				}
			}
		})
	}
}

// TestRuleExamplesOnBuild checks that every rule on shell commands shows
// that it also applies to a RUN wrapped in ONBUILD.
func TestRuleExamplesOnBuild(t *testing.T) {
	for _, r := range compileRepoPacks(t).Rules {
		if r.Match == nil || len(r.Match.Command) == 0 {
			continue
		}
		found := false
		for _, src := range r.Examples.Bad {
			if strings.Contains(src, "ONBUILD RUN") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s matches commands but has no bad example with ONBUILD RUN", r.Code)
		}
	}
}

// TestRuleFixes applies the fixes of every fixable rule to its bad
// examples: the fixed file must parse, must not trigger the rule again,
// and fixing it again must change nothing.
func TestRuleFixes(t *testing.T) {
	p := compileRepoPacks(t)
	all := func(*Rule) bool { return true }
	fixed := 0
	for _, r := range p.Rules {
		if !r.Fixable() {
			continue
		}
		only := p.Subset(func(x *Rule) bool { return x == r })
		for i, src := range r.Examples.Bad {
			findings, err := only.lint(r.Code, []byte(src), all)
			if err != nil || len(findings) == 0 || findings[0].Fix == nil {
				continue
			}
			out, err := ApplyFixes([]byte(src), findings)
			if err != nil {
				t.Errorf("%s bad example %d: %v", r.Code, i+1, err)
				continue
			}
			again, err := only.lint(r.Code, out, all)
			if err != nil {
				t.Errorf("%s bad example %d: the fixed file does not parse: %v\n%s", r.Code, i+1, err, out)
				continue
			}
			if len(again) > 0 {
				t.Errorf("%s bad example %d: the fixed file is flagged again: %s\n%s", r.Code, i+1, again[0].Message, out)
				continue
			}
			twice, err := ApplyFixes(out, again)
			if err != nil || !bytes.Equal(twice, out) {
				t.Errorf("%s bad example %d: a second fix changed the file", r.Code, i+1)
			}
			fixed++
		}
	}
	if fixed < 10 {
		t.Errorf("only %d bad examples were fixed, want at least 10", fixed)
	}
}

// TestBuiltinsUsed checks the list of built-in checks against the rules:
// every built-in is used by exactly one rule of the repository's packs,
// and every rule's check is a built-in.
func TestBuiltinsUsed(t *testing.T) {
	uses := map[string][]string{}
	for _, r := range compileRepoPacks(t).Rules {
		if r.Check == "" {
			continue
		}
		if builtins[r.Check] == nil {
			t.Errorf("%s names unknown check %q", r.Code, r.Check)
		}
		uses[r.Check] = append(uses[r.Check], r.Code)
	}
	for _, name := range Builtins() {
		if len(uses[name]) != 1 {
			t.Errorf("built-in %q is used by %v, want exactly one rule", name, uses[name])
		}
		if builtins[name].Doc == "" || builtins[name].run == nil {
			t.Errorf("built-in %q has no doc or no function", name)
		}
	}
}

// TestRulePacksSize checks that the first packs are as large as planned:
// 15 compliance rules and 30 hadolint parity rules at least, every parity
// rule with an alias of hadolint or BuildKit. The pragma rule and the
// shell syntax rule have none: hadolint reports shell syntax errors
// through several ShellCheck SC1xxx codes, no one of which matches.
func TestRulePacksSize(t *testing.T) {
	count := map[string]int{}
	for _, r := range compileRepoPacks(t).Rules {
		count[r.Pack]++
		if r.Pack == "hadolint-parity" && len(r.Aliases) == 0 && r.Check != ignorePragmaCheckName && r.Check != "shell-syntax-error" {
			t.Errorf("%s is in hadolint-parity without an alias", r.Code)
		}
	}
	for pack, min := range map[string]int{"compliance": 15, "hadolint-parity": 30} {
		if count[pack] < min {
			t.Errorf("pack %s has %d rules, want at least %d", pack, count[pack], min)
		}
	}
}

// TestRuleCodesMatchFamily checks that rule codes follow the families and
// that the file names follow the codes.
func TestRuleCodesMatchFamily(t *testing.T) {
	for _, r := range compileRepoPacks(t).Rules {
		if f := r.Family(); f < 0 || f > 5 {
			t.Errorf("%s: family %d is not one of 0 to 5", r.Code, f)
		}
		if r.Pack == "compliance" && r.Family() != 5 {
			t.Errorf("%s: compliance rules belong to family 5", r.Code)
		}
		if !strings.HasPrefix(r.FileName(), r.Code+"-") {
			t.Errorf("%s: file name %s", r.Code, r.FileName())
		}
	}
}

func ExamplePack_Rule() {
	r := Default().Rule("DL3015")
	fmt.Println(r.Code, r.Name, r.Severity)
	// Output: DM3001 apt-no-install-recommends info
}
