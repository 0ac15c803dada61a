package mining

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// displayAntecedent renders an antecedent key for people: the command as
// written in a Dockerfile, the instruction keyword, "final stage" or
// "Dockerfile".
func displayAntecedent(key string) string {
	switch {
	case strings.HasPrefix(key, prefixCmd):
		return strings.TrimPrefix(key, prefixCmd)
	case strings.HasPrefix(key, prefixOp):
		rest := strings.TrimPrefix(key, prefixOp)
		i := strings.LastIndexByte(rest, ' ')
		return rest[:i] + " <" + rest[i+1:] + ">"
	case strings.HasPrefix(key, prefixInst):
		return strings.TrimPrefix(key, prefixInst)
	case key == keyFinal:
		return "final stage"
	case key == keyFile:
		return "Dockerfile"
	}
	return key
}

// displayConsequent renders a consequent key without its prefix.
func displayConsequent(key string) string {
	for _, p := range []string{prefixFlag, prefixValue, prefixSub, prefixTag, prefixAfter, prefixBefor, prefixStage, prefixFeat, prefixRun} {
		if strings.HasPrefix(key, p) {
			return strings.TrimPrefix(key, p)
		}
	}
	return key
}

// alternatives lists what else satisfies a disjunctive consequent.
func alternatives(cons string) []string {
	event := displayConsequent(cons)
	switch {
	case strings.HasPrefix(cons, prefixAfter) && strings.HasPrefix(event, "clean <"):
		dir := strings.TrimPrefix(event, "clean ")
		return []string{"rm " + dir, "RUN --mount=type=cache,target=" + dir, "RUN --mount=type=tmpfs,target=" + dir}
	case cons == prefixFeat+"pinned":
		return []string{"tag", "digest"}
	}
	return []string{}
}

// featureText completes "<antecedent> ..." for instruction and file
// features that need more than their name.
var featureText = map[string]string{
	"pinned":         "names its image by a tag other than latest or by a digest",
	"tag":            "names its image by a tag",
	"digest":         "names its image by a digest",
	"latest":         "names its image by the latest tag",
	"registry":       "names a registry",
	"variable":       "uses a variable",
	"exec-form":      "uses the exec (JSON) form",
	"heredoc":        "uses a heredoc",
	"absolute":       "names an absolute path",
	"root":           "sets the root user",
	"numeric":        "sets a numeric user id",
	"name":           "sets a user by name",
	"key=value":      "uses the KEY=value form",
	"default":        "gives a default value",
	"pipefail":       "sets pipefail",
	"none":           "is NONE",
	"url-source":     "downloads a URL",
	"archive-source": "extracts a local archive",
	"local-source":   "adds a local file that is no archive",
	"multi-stage":    "has more than one stage",
	"user":           "sets USER",
	"user-not-root":  "ends with a USER other than root",
}

// sentence states a candidate in one English sentence.
func sentence(kind, scope, ante, cons, consKey string) string {
	not := kind == "absent"
	switch {
	case strings.HasPrefix(consKey, prefixFlag), strings.HasPrefix(consKey, prefixValue):
		return fmt.Sprintf("`%s` is %s with `%s`.", ante, negate("run", not), cons)
	case strings.HasPrefix(consKey, prefixSub):
		return fmt.Sprintf("`%s` is %s as `%s %s`.", ante, negate("run", not), ante, cons)
	case strings.HasPrefix(consKey, prefixTag):
		name, role, _ := strings.Cut(ante, " <")
		role = strings.TrimSuffix(role, ">")
		if not {
			return fmt.Sprintf("Not every %s operand of `%s` is tagged %s.", role, name, cons)
		}
		return fmt.Sprintf("Every %s operand of `%s` is tagged %s.", role, name, cons)
	case strings.HasPrefix(consKey, prefixAfter):
		return fmt.Sprintf("In the same RUN, %s runs after `%s`.", eventText(cons), ante)
	case strings.HasPrefix(consKey, prefixBefor):
		return fmt.Sprintf("In the same RUN, %s runs before `%s`.", eventText(cons), ante)
	case strings.HasPrefix(consKey, prefixStage):
		return fmt.Sprintf("Before `%s`, an earlier instruction of the stage does %s.", ante, eventText(cons))
	case strings.HasPrefix(consKey, prefixRun):
		return fmt.Sprintf("A `%s` instruction %s `%s`.", ante, negate("runs", not), cons)
	}

	predicate, ok := featureText[cons]
	if !ok {
		predicate = "has " + cons
	}
	subject := fmt.Sprintf("`%s`", ante)
	switch ante {
	case "Dockerfile":
		subject = "A Dockerfile"
	case "final stage":
		subject = "The final stage"
	}
	if not {
		return fmt.Sprintf("%s is expected not to be one that %s.", subject, predicate)
	}
	return fmt.Sprintf("%s %s.", subject, predicate)
}

func negate(verb string, not bool) string {
	if !not {
		return verb
	}
	switch verb {
	case "runs":
		return "does not run"
	}
	return "not " + verb
}

// eventText renders an event for a sentence: "rm @archive" becomes "`rm` on
// the same archive".
func eventText(event string) string {
	name, label, bound := strings.Cut(event, " @")
	if bound {
		return fmt.Sprintf("`%s` on the same %s", name, label)
	}
	if dir, ok := strings.CutPrefix(event, "clean "); ok {
		return fmt.Sprintf("a cleanup of %s (rm, or a cache or tmpfs mount)", dir)
	}
	return fmt.Sprintf("`%s`", event)
}

// maxExampleDocs is the number of bad and of good example Dockerfiles a
// candidate carries.
const maxExampleDocs = 3

// examples fills the satisfied and violated examples of the builder's
// pattern from the expert corpus, and the example Dockerfiles cut from
// them: the shortest ones first. Dockerfiles cut from the contrast corpus
// follow the expert ones, so that a rule experts never break still gets a
// bad example. For a negative rule, occurrences with the consequent violate
// it.
func (b *builder) examples(cand *rules.Candidate, absent bool) {
	sat, viol := b.exampleLists(b.expert, absent)
	cand.Examples = rules.Examples{Satisfied: toExamples(sat), Violated: toExamples(viol)}
	cand.ExampleBad, cand.ExampleGood = appendDocs(nil, viol), appendDocs(nil, sat)
	if b.contrast != nil && (len(cand.ExampleBad) < maxExampleDocs || len(cand.ExampleGood) < maxExampleDocs) {
		sat, viol = b.exampleLists(b.contrast, absent)
		cand.ExampleBad, cand.ExampleGood = appendDocs(cand.ExampleBad, viol), appendDocs(cand.ExampleGood, sat)
	}
}

// exampleLists returns the examples that satisfy and violate the builder's
// pattern in the counts c. Violations also come from the antecedent's
// sample, for repositories that never satisfy the pattern.
func (b *builder) exampleLists(c *Counts, absent bool) (sat, viol exampleList) {
	a, p := c.lookup(b.ante, b.cons)
	if a == nil {
		return nil, nil
	}
	if p != nil {
		sat, viol = slices.Clone(p.sat), slices.Clone(p.viol)
	}
	cons, known := c.keys.lookup(b.cons)
	for _, e := range a.sample {
		if !known {
			viol.offer(e.ex)
			continue
		}
		if _, found := slices.BinarySearch(e.sat, cons); !found {
			viol.offer(e.ex)
		}
	}
	if absent {
		sat, viol = viol, sat
	}
	return sat, viol
}

// appendDocs appends to out, until it holds maxExampleDocs, the shortest
// example Dockerfiles of a list that it does not hold yet.
func appendDocs(out []string, list exampleList) []string {
	var docs []string
	for _, e := range list {
		if e.doc != "" && !slices.Contains(out, e.doc) && !slices.Contains(docs, e.doc) {
			docs = append(docs, e.doc)
		}
	}
	slices.SortStableFunc(docs, func(a, b string) int { return cmp.Compare(len(a), len(b)) })
	return append(out, docs[:min(len(docs), max(maxExampleDocs-len(out), 0))]...)
}

func toExamples(list exampleList) []rules.Example {
	out := make([]rules.Example, 0, len(list))
	for _, e := range list {
		out = append(out, rules.Example{File: e.file, Line: int(e.line), Text: e.text})
	}
	return out
}
