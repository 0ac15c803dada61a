package mining

import (
	"regexp"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// pattern expresses a candidate in the rule language, so that review can
// turn it into a rule the linter runs. It returns nil for consequents the
// language cannot state yet: the order of RUN commands at file level, the
// form of ENV, and features of the whole file or final stage.
func pattern(kind, scope, anteKey, consKey string, variant int) *rules.Pattern {
	match, label, ok := matchOf(anteKey)
	if !ok {
		return nil
	}
	same := ""
	if label != "" {
		same = focusObject(match, label)
	}
	if variant == variantShipped {
		final := true
		// NOTE: stages whose layers reach the final image are the final
		// stage and the stages it is built FROM; the rule language can
		// select only the final one, so those base stages are not checked.
		match.When = append(match.When, &rules.Clause{Stage: &rules.StageTest{Final: &final}})
	}

	p := &rules.Pattern{Scope: scope, Match: match}
	if kind == "absent" {
		if !avoidInMatch(match, anteKey, consKey) {
			return nil
		}
		return p
	}
	if strings.HasPrefix(consKey, prefixTag) {
		role := anteKey[strings.LastIndexByte(anteKey, ' ')+1:]
		match.Operand = &rules.OperandTest{Role: rules.Strings{role}, NotTags: rules.Strings{strings.TrimPrefix(consKey, prefixTag)}}
		if role == "url" {
			match.Operand.AnyTags = rules.Strings{"url"}
		}
		return p
	}
	req, ok := requireOf(anteKey, consKey, match, same)
	if !ok {
		return nil
	}
	p.Require = req
	if isOrderKey(consKey) && !strings.HasPrefix(consKey, prefixStage) {
		// The miner lets a command that may be skipped satisfy only a
		// match that may be skipped too. The rule language cannot tie the
		// two contexts, so the rule requires an unconditional command and
		// does not apply to a conditional match.
		unconditional, conditional := false, true
		req.Context = &rules.ContextTest{Conditional: &unconditional}
		p.Exceptions = append(p.Exceptions, &rules.Clause{Context: &rules.ContextTest{Conditional: &conditional}})
	}
	return p
}

// matchOf turns an antecedent key into the places a rule looks at. For an
// antecedent with an object ("tar @archive") it also returns the object's
// label.
func matchOf(anteKey string) (*rules.Match, string, bool) {
	switch {
	case strings.HasPrefix(anteKey, prefixCmd):
		text := strings.TrimPrefix(anteKey, prefixCmd)
		label := ""
		if i := strings.LastIndex(text, " @"); i >= 0 {
			text, label = text[:i], text[i+2:]
		}
		name, mode := splitRefined(text)
		m := &rules.Match{Command: rules.Strings{name}}
		switch {
		case strings.HasPrefix(mode, "<"):
			m.Operand = &rules.OperandTest{Tags: rules.Strings{strings.Trim(mode, "<>")}}
		case mode != "":
			m.When = []*rules.Clause{{Flag: &rules.FlagTest{Name: rules.Strings{mode}}}}
		}
		return m, label, true
	case strings.HasPrefix(anteKey, prefixOp):
		rest := strings.TrimPrefix(anteKey, prefixOp)
		return &rules.Match{Command: rules.Strings{rest[:strings.LastIndexByte(rest, ' ')]}}, "", true
	case strings.HasPrefix(anteKey, prefixInst):
		return &rules.Match{Instruction: rules.Strings{strings.TrimPrefix(anteKey, prefixInst)}}, "", true
	}
	return nil, "", false
}

// splitRefined splits "tar --extract" into "tar" and "--extract", and
// "mkdir <dir:usr-src>" into "mkdir" and "<dir:usr-src>".
func splitRefined(text string) (string, string) {
	i := strings.LastIndexByte(text, ' ')
	if i < 0 {
		return text, ""
	}
	last := text[i+1:]
	if strings.HasPrefix(last, "-") || strings.HasPrefix(last, "<") {
		return text[:i], last
	}
	return text, ""
}

// avoidInMatch narrows match to the places that have the consequent a
// negative rule forbids, and reports false when the language cannot.
func avoidInMatch(match *rules.Match, anteKey, consKey string) bool {
	cons := displayConsequent(consKey)
	if match.Operand != nil && (strings.HasPrefix(consKey, prefixFlag) || strings.HasPrefix(consKey, prefixValue)) {
		// A match has one focus: the flag, with the antecedent's operand
		// test as a condition.
		match.When = append(match.When, &rules.Clause{Operand: match.Operand})
		match.Operand = nil
	}
	switch {
	case strings.HasPrefix(consKey, prefixFlag):
		match.Flag = &rules.FlagTest{Name: rules.Strings{cons}}
	case strings.HasPrefix(consKey, prefixValue):
		name, value, _ := strings.Cut(cons, "=")
		match.Flag = &rules.FlagTest{Name: rules.Strings{name}, Value: "^" + regexp.QuoteMeta(value) + "$"}
	case strings.HasPrefix(consKey, prefixSub):
		match.Command = rules.Strings{match.Command[0] + " " + cons}
	case strings.HasPrefix(consKey, prefixTag):
		role := anteKey[strings.LastIndexByte(anteKey, ' ')+1:]
		match.Operand = &rules.OperandTest{Role: rules.Strings{role}, Tags: rules.Strings{cons}}
	case strings.HasPrefix(consKey, prefixRun+"via "):
		match.Instruction = nil
		match.Command = rules.Strings{"*"}
		match.Wrapper = rules.Strings{strings.TrimPrefix(cons, "via ")}
	case consKey == prefixFeat+"latest":
		match.Image = &rules.ImageTest{Tag: "^latest$"}
	case consKey == prefixFeat+"root" && anteKey == prefixInst+"USER":
		match.Operand = &rules.OperandTest{Value: "^(root|0)(:.*)?$"}
	case consKey == prefixFeat+"local-source" && anteKey == prefixInst+"ADD":
		match.Operand = &rules.OperandTest{Role: rules.Strings{"source"}, NotTags: rules.Strings{"url", "archive"}}
	default:
		return false
	}
	return true
}

// requireOf states a positive consequent as the rule's Require. same, when
// not empty, ties a related command to the match's focus as [rules.Clause]
// Same does.
func requireOf(anteKey, consKey string, match *rules.Match, same string) (*rules.Require, bool) {
	cons := displayConsequent(consKey)
	switch {
	case strings.HasPrefix(consKey, prefixFlag):
		if strings.HasPrefix(anteKey, prefixInst) {
			return &rules.Require{Clause: rules.Clause{Flag: &rules.FlagTest{Name: rules.Strings{strings.TrimPrefix(cons, "--")}}}}, true
		}
		return &rules.Require{Clause: rules.Clause{Flag: &rules.FlagTest{Name: rules.Strings{cons}}}}, true
	case strings.HasPrefix(consKey, prefixValue):
		name, value, _ := strings.Cut(cons, "=")
		return &rules.Require{Clause: rules.Clause{Flag: &rules.FlagTest{Name: rules.Strings{name}, Value: "^" + regexp.QuoteMeta(value) + "$"}}}, true
	case strings.HasPrefix(consKey, prefixAfter):
		return orderRequire(cons, rules.WhereFollows, same)
	case strings.HasPrefix(consKey, prefixBefor):
		return orderRequire(cons, rules.WherePrecedes, same)
	case strings.HasPrefix(consKey, prefixStage):
		return stageRequire(cons)
	case strings.HasPrefix(consKey, prefixFeat):
		return featureRequire(anteKey, cons, match)
	}
	return nil, false
}

// orderRequire states that a command with an event runs after or before
// the match in the same script.
func orderRequire(event, where string, same string) (*rules.Require, bool) {
	if dir, ok := strings.CutPrefix(event, "clean <"); ok {
		tag := strings.TrimSuffix(dir, ">")
		clause := rules.Clause{Command: rules.Strings{"rm"}, Where: where, Operand: &rules.OperandTest{Tags: rules.Strings{tag}}}
		mount := &rules.Clause{Mount: &rules.MountTest{Type: rules.Strings{"cache", "tmpfs"}, TargetTag: rules.Strings{tag}}}
		return &rules.Require{Clause: clause, Alternatives: []*rules.Clause{mount}}, true
	}

	name, _, bound := strings.Cut(event, " @")
	name, mode := splitRefined(name)
	clause := rules.Clause{Command: rules.Strings{name}, Where: where}
	switch {
	case mode == "<checksum-line>":
		clause.Operand = &rules.OperandTest{Value: checksumLine.String()}
	case strings.HasPrefix(mode, "<"):
		clause.Operand = &rules.OperandTest{Tags: rules.Strings{strings.Trim(mode, "<>")}}
	case mode != "":
		clause.Flag = &rules.FlagTest{Name: rules.Strings{mode}}
	}
	if bound {
		clause.Same = same
	}
	return &rules.Require{Clause: clause}, true
}

// focusObject narrows the match to commands that name an object of the
// label, moves its focus there, and returns how a related command is tied
// to it, as a [rules.Clause] Same value. The miner binds three kinds of
// objects. The first is the variable a command's output is stored in
// ("output"). The second is a flag's value: the label is a flag name, or
// tar's --file. The third is an operand or flag value with a kind tag, or
// an operand of a role. A related command names one of the last two when it
// names the same path, or a directory or glob that contains it.
func focusObject(match *rules.Match, label string) string {
	switch {
	case label == "output":
		return rules.SameOutput
	case label == "archive" && match.Command[0] == "tar":
		match.Flag = &rules.FlagTest{Name: rules.Strings{"--file"}}
	case strings.HasPrefix(label, "-"):
		match.Flag = &rules.FlagTest{Name: rules.Strings{label}}
	case label == "signature" || label == "archive" || label == "checksum-file":
		match.Operand = &rules.OperandTest{Tags: rules.Strings{label}, FlagValues: true}
	default:
		match.Operand = &rules.OperandTest{Role: rules.Strings{label}}
	}
	return rules.SamePath
}

// stageRequire states that an earlier instruction of the stage set a
// variable, wrote a configuration file or set pipefail.
func stageRequire(event string) (*rules.Require, bool) {
	switch {
	case strings.HasPrefix(event, "env "):
		name := strings.TrimPrefix(event, "env ")
		return &rules.Require{Clause: rules.Clause{Env: &rules.PairTest{Name: "^" + regexp.QuoteMeta(name) + "$"}}}, true
	case event == "shell pipefail":
		return &rules.Require{Clause: rules.Clause{Shell: "pipefail"}}, true
	case strings.HasPrefix(event, "write "):
		file, _, _ := strings.Cut(strings.TrimPrefix(event, "write "), " ")
		return &rules.Require{Clause: rules.Clause{
			Command:  rules.Strings{"echo", "printf", "cat", "tee"},
			Where:    rules.WherePrecedes,
			Scope:    rules.ScopeStage,
			Redirect: "[/ ]" + regexp.QuoteMeta(file) + "$",
		}}, true
	}
	return nil, false
}

// featureRequire states an instruction feature.
func featureRequire(anteKey, feature string, match *rules.Match) (*rules.Require, bool) {
	switch {
	case feature == "exec-form":
		return &rules.Require{Clause: rules.Clause{Form: "json"}}, true
	case strings.HasPrefix(feature, "--") && !strings.Contains(feature, "="):
		return &rules.Require{Clause: rules.Clause{Flag: &rules.FlagTest{Name: rules.Strings{strings.TrimPrefix(feature, "--")}}}}, true
	case anteKey == prefixInst+"FROM" && (feature == "tag" || feature == "pinned"):
		// NOTE: "pinned" also rejects the latest tag, which a Match on
		// one image test cannot add; the rule reports untagged images.
		match.Image = &rules.ImageTest{NoTag: true, NoDigest: true}
		return nil, true
	case anteKey == prefixInst+"FROM" && feature == "digest":
		match.Image = &rules.ImageTest{NoDigest: true}
		return nil, true
	case anteKey == prefixInst+"WORKDIR" && feature == "absolute":
		match.Operand = &rules.OperandTest{NotValue: "^[/$]"}
		return nil, true
	}
	return nil, false
}
