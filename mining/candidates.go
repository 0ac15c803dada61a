package mining

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// Thresholds of the contrast comparison. See the package documentation.
const (
	// bothHigh is the contrast confidence above which a pattern that experts
	// follow hardly more often is dropped as syntax everyone follows.
	bothHigh = 0.95
	// minOddsRatio is the smallest ratio of the odds of following a pattern
	// in the expert corpus to the odds in the contrast corpus that keeps a
	// negative candidate, or a positive one that the contrast corpus almost
	// always follows too.
	minOddsRatio = 2.0
	// minSpecificity is the smallest ratio of a follows or precedes
	// candidate's confidence to the rate at which its consequent comes
	// after or before any command. Below it, the consequent is no more
	// likely near this antecedent than near others, as set -eux before
	// every command of a script.
	minSpecificity = 1.25
	// refinementGain is how much more confident a candidate on a refined
	// antecedent (tar -x for tar) must be than the same rule on the plain
	// one to be kept beside it.
	refinementGain = 0.05
)

// Dropped counts the patterns that were not turned into candidates, by
// reason.
type Dropped struct {
	Support     int `json:"support"`                 // below --min-repos or --min-families
	Confidence  int `json:"confidence"`              // below --min-confidence
	HoldsInBoth int `json:"holds_in_both"`           // an operand or instruction property both corpora show almost always
	NoContrast  int `json:"absent_without_contrast"` // negative rules need a contrast corpus
	AbsentWeak  int `json:"absent_weak"`             // candidate negative rules the contrast does not support
	Unspecific  int `json:"unspecific"`              // a command order no more likely here than after or before any command
	Tautology   int `json:"tautology"`               // the consequent restates the antecedent, as mktemp -d has -d
	Redundant   int `json:"redundant"`               // the same rule on the plain command is as confident
	Content     int `json:"content"`                 // a subcommand a script runs, which shows what it builds
}

// Result is the ranked outcome of [Candidates].
type Result struct {
	Candidates []rules.Candidate
	Dropped    Dropped
	Patterns   int // distinct patterns considered
}

// pairCounts is a pattern's numbers in one corpus and variant.
type pairCounts struct {
	ante, pat tally
}

func (p pairCounts) confidence() float64 {
	if p.ante.Families == 0 {
		return 0
	}
	return float64(p.pat.Weight) / float64(p.ante.Families*weightUnit)
}

// smoothed is the confidence with one satisfied and one violated family
// added, so that small counts do not give ratios of 0 or infinity.
func (p pairCounts) smoothed() float64 {
	return (float64(p.pat.Weight)/weightUnit + 1) / (float64(p.ante.Families) + 2)
}

// contrastPrior is the number of pseudo-families that pull a contrast
// confidence toward the expert one. A contrast corpus that barely runs the
// antecedent then shows no difference, instead of a difference made up by
// the smoothing.
const contrastPrior = 2.0

// shrunk is the contrast confidence pulled toward the expert confidence
// expert by contrastPrior families.
func (p pairCounts) shrunk(expert float64) float64 {
	return (float64(p.pat.Weight)/weightUnit + contrastPrior*expert) / (float64(p.ante.Families) + contrastPrior)
}

// Candidates turns counts into ranked candidate rules. contrast may be nil.
// Options supply the thresholds; their zero fields take the defaults.
func Candidates(expert, contrast *Counts, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	res := &Result{Patterns: len(expert.pats)}

	rates := orderRates(expert)
	consider := func(c *Counts, k patKey) {
		ante, cons := c.keys.text(k.ante()), c.keys.text(k.cons())
		if tautology(ante, cons) {
			res.Dropped.Tautology++
			return
		}
		b := &builder{expert: expert, contrast: contrast, opts: opts, ante: ante, cons: cons}
		if id, ok := expert.keys.lookup(cons); ok {
			b.rate = rates[id]
		}
		if c, ok := b.best(&res.Dropped); ok {
			res.Candidates = append(res.Candidates, c)
		}
	}
	for k := range expert.pats {
		consider(expert, k)
	}
	// A negative rule's consequent may never occur in the expert corpus,
	// so patterns seen only in the contrast corpus are considered too.
	if contrast != nil {
		for k := range contrast.pats {
			ante, cons := contrast.keys.text(k.ante()), contrast.keys.text(k.cons())
			if !absentKind(cons) {
				continue
			}
			if a, p := expert.lookup(ante, cons); a != nil && p == nil {
				consider(contrast, k)
			}
		}
	}
	res.Candidates = dropRefinements(res.Candidates, &res.Dropped)

	slices.SortFunc(res.Candidates, func(a, b rules.Candidate) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
	})
	return res, nil
}

// isRefined reports whether an antecedent key adds a mode flag, a
// well-known directory or an object to a command: "cmd tar --extract",
// "cmd mkdir <dir:usr-src>", "cmd tar @archive".
func isRefined(ante string) bool {
	if !strings.HasPrefix(ante, prefixCmd) {
		return false
	}
	last := ante[strings.LastIndexByte(ante, ' ')+1:]
	return strings.HasPrefix(last, "-") || strings.HasPrefix(last, "<") || strings.HasPrefix(last, "@")
}

// tautology reports whether a consequent restates its antecedent: the mode
// flag of a refined antecedent ("tar --extract" has --extract), or the
// directory the antecedent already names.
func tautology(ante, cons string) bool {
	if !isRefined(ante) {
		return false
	}
	last := ante[strings.LastIndexByte(ante, ' ')+1:]
	if strings.HasPrefix(last, "@") {
		return false
	}
	return cons == prefixFlag+last || strings.HasSuffix(cons, " "+last) && !strings.HasPrefix(cons, prefixAfter+"clean ")
}

// orderRates returns, for each "after", "before" and "stage-before"
// consequent, the family-weighted rate at which it holds for plain command
// antecedents taken together: how likely it is near any command.
func orderRates(c *Counts) map[keyID]float64 {
	var families int64
	for id, a := range c.antes {
		if text := c.keys.text(id); strings.HasPrefix(text, prefixCmd) && !isRefined(text) {
			families += a.t[variantAll].Families
		}
	}
	weights := map[keyID]int64{}
	for k, p := range c.pats {
		ante, cons := c.keys.text(k.ante()), c.keys.text(k.cons())
		if !strings.HasPrefix(ante, prefixCmd) || isRefined(ante) || !isOrderKey(cons) {
			continue
		}
		weights[k.cons()] += p.t[variantAll].Weight
	}
	rates := make(map[keyID]float64, len(weights))
	for k, w := range weights {
		if families > 0 {
			rates[k] = float64(w) / float64(families*weightUnit)
		}
	}
	return rates
}

func isOrderKey(cons string) bool {
	return strings.HasPrefix(cons, prefixAfter) || strings.HasPrefix(cons, prefixBefor) || strings.HasPrefix(cons, prefixStage)
}

// dropRefinements removes candidates on a refined antecedent whose plain
// antecedent has the same rule, nearly as confident.
func dropRefinements(cands []rules.Candidate, dropped *Dropped) []rules.Candidate {
	type rule struct{ kind, ante, cons string }
	plain := map[rule]float64{}
	for _, c := range cands {
		plain[rule{c.Kind, c.Antecedent, c.Consequent}] = c.Confidence
	}
	out := cands[:0]
	for _, c := range cands {
		if general, ok := generalize(c.Antecedent); ok {
			if conf, found := plain[rule{c.Kind, general, c.Consequent}]; found && c.Confidence < conf+refinementGain {
				dropped.Redundant++
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// generalize returns the antecedent text of a refined one without its mode
// flag or directory: "tar" for "tar --extract", "tar @archive" for "tar
// --extract @archive". It keeps a [final image] mark.
func generalize(ante string) (string, bool) {
	text, suffix := ante, ""
	if t, ok := strings.CutSuffix(ante, " "+shippedSuffix); ok {
		text, suffix = t, " "+shippedSuffix
	}
	words := strings.Fields(text)
	last := len(words) - 1
	if last > 0 && strings.HasPrefix(words[last], "@") {
		suffix = " " + words[last] + suffix
		words = words[:last]
		last--
	}
	if last < 1 || !strings.HasPrefix(words[last], "-") && !strings.HasPrefix(words[last], "<dir:") {
		return "", false
	}
	return strings.Join(words[:last], " ") + suffix, true
}

// builder makes the candidate of one pattern.
type builder struct {
	expert, contrast *Counts
	opts             Options
	ante, cons       string
	rate             float64 // for order consequents: the rate near any command, see orderRates
}

// counts returns a pattern's numbers in counts c, looked up by text. It
// reports false when c is nil.
func (b *builder) counts(c *Counts, v int) (pairCounts, bool) {
	if c == nil {
		return pairCounts{}, false
	}
	var out pairCounts
	a, p := c.lookup(b.ante, b.cons)
	if a != nil {
		out.ante = a.t[v]
	}
	switch {
	case p != nil:
		out.pat = p.t[v]
	case a != nil:
		// No occurrence satisfies the pattern, so every one violates it.
		out.pat = tally{VFiles: out.ante.Files, VRepos: out.ante.Repos, VFamilies: out.ante.Families}
	}
	return out, true
}

// Reasons a pattern gives no candidate, counted in [Dropped].
const (
	dropSupport = iota + 1
	dropConfidence
	dropHoldsInBoth
	dropNoContrast
	dropAbsentWeak
	dropUnspecific
	dropContent
)

func (d *Dropped) count(reason int) {
	switch reason {
	case dropSupport:
		d.Support++
	case dropConfidence:
		d.Confidence++
	case dropHoldsInBoth:
		d.HoldsInBoth++
	case dropNoContrast:
		d.NoContrast++
	case dropAbsentWeak:
		d.AbsentWeak++
	case dropUnspecific:
		d.Unspecific++
	case dropContent:
		d.Content++
	}
}

// best returns the better of the pattern's candidates over all stages and
// over stages that reach the final image, or false when neither passes.
func (b *builder) best(dropped *Dropped) (rules.Candidate, bool) {
	var found []rules.Candidate
	reason := 0
	for v := range variants {
		c, dropReason := b.make(v)
		switch {
		case dropReason == 0:
			found = append(found, c)
		case reason == 0 && dropReason > 0:
			reason = dropReason
		}
	}
	switch len(found) {
	case 0:
		dropped.count(reason)
		return rules.Candidate{}, false
	case 1:
		return found[0], true
	}
	all, shipped := found[0], found[1]
	if shipped.Score > all.Score*1.05 && shipped.Confidence >= all.Confidence+0.02 {
		return shipped, true
	}
	return all, true
}

// make builds the candidate of variant v, or returns why there is none: a
// drop reason, or -1 when the antecedent does not occur in the variant.
func (b *builder) make(v int) (rules.Candidate, int) {
	e, _ := b.counts(b.expert, v)
	if e.ante.Families == 0 {
		return rules.Candidate{}, -1
	}
	c, hasContrast := b.counts(b.contrast, v)
	conf := e.confidence()

	if absentKind(b.cons) && 1-conf >= b.opts.MinConfidence {
		return b.makeAbsent(v, e, c, hasContrast)
	}
	// Which subcommands a script runs is content, not practice: only their
	// absence makes a rule.
	if strings.HasPrefix(b.cons, prefixSub) {
		return rules.Candidate{}, dropContent
	}

	switch {
	case e.pat.Repos < int64(b.opts.MinRepos) || e.pat.Families < int64(b.opts.MinFamilies):
		return rules.Candidate{}, dropSupport
	case conf < b.opts.MinConfidence:
		return rules.Candidate{}, dropConfidence
	case isOrderKey(b.cons) && b.rate > 0 && conf < minSpecificity*b.rate:
		return rules.Candidate{}, dropUnspecific
	}

	cand := b.base(v, false)
	cand.Confidence = round4(conf)
	cand.Support = rules.Support{
		Instances: int(e.pat.Inst),
		Violated:  int(e.ante.Inst - e.pat.Inst),
		Files:     int(e.pat.Files),
		Repos:     int(e.pat.Repos),
		Families:  int(e.pat.Families),
	}
	weight := 1.0
	if hasContrast {
		es, cs := e.smoothed(), c.shrunk(e.smoothed())
		odds := oddsRatio(es, cs)
		if syntaxLike(b.cons) && c.ante.Families > 0 && c.confidence() >= bothHigh && odds < minOddsRatio {
			return rules.Candidate{}, dropHoldsInBoth
		}
		cand.Contrast = &rules.Contrast{Instances: int(c.pat.Inst), Confidence: round4(c.confidence())}
		cand.Lift = round4(es / cs)
		weight = math.Log2(1 + odds)
	}
	cand.Score = round4(conf * weight * math.Log2(1+float64(e.pat.Repos)))
	b.examples(&cand, false)
	return cand, 0
}

// makeAbsent builds a negative candidate: experts avoid the consequent
// where the contrast corpus uses it.
func (b *builder) makeAbsent(v int, e, c pairCounts, hasContrast bool) (rules.Candidate, int) {
	if !hasContrast {
		return rules.Candidate{}, dropNoContrast
	}
	if e.pat.VRepos < int64(b.opts.MinRepos) || e.pat.VFamilies < int64(b.opts.MinFamilies) {
		return rules.Candidate{}, dropSupport
	}
	avoid := 1 - e.confidence()
	avoidSmoothed := 1 - e.smoothed()
	contrastAvoid := 1 - c.shrunk(e.smoothed())
	odds := oddsRatio(avoidSmoothed, contrastAvoid)
	if c.pat.Repos < int64(b.opts.MinRepos) || odds < minOddsRatio {
		return rules.Candidate{}, dropAbsentWeak
	}

	cand := b.base(v, true)
	cand.Confidence = round4(avoid)
	cand.Support = rules.Support{
		Instances: int(e.ante.Inst - e.pat.Inst),
		Violated:  int(e.pat.Inst),
		Files:     int(e.pat.VFiles),
		Repos:     int(e.pat.VRepos),
		Families:  int(e.pat.VFamilies),
	}
	cand.Contrast = &rules.Contrast{Instances: int(c.ante.Inst - c.pat.Inst), Confidence: round4(1 - c.confidence())}
	cand.Lift = round4(avoidSmoothed / contrastAvoid)
	cand.Score = round4(avoid * math.Log2(1+odds) * math.Log2(1+float64(e.pat.VRepos)))
	b.examples(&cand, true)
	return cand, 0
}

// syntaxLike reports whether a consequent is a property of operands or
// instructions, which the grammar of a command or of Dockerfiles can force.
// Such a property that both corpora show almost always is syntax, not a
// practice. A flag or an order is a choice the writer makes, so it is kept
// even when everyone makes it (apt-get install -y) and ranked low.
func syntaxLike(cons string) bool {
	return strings.HasPrefix(cons, prefixTag) || strings.HasPrefix(cons, prefixFeat)
}

// absentKind reports whether a consequent can make a negative rule: a flag,
// a flag value, a subcommand, an operand tag, an instruction or file
// feature, or a wrapper in RUN. Commands run before or after, and other
// commands of a RUN, are left out, because experts not running pip shows
// what they build, not how.
func absentKind(cons string) bool {
	switch {
	case strings.HasPrefix(cons, prefixFlag), strings.HasPrefix(cons, prefixValue),
		strings.HasPrefix(cons, prefixSub), strings.HasPrefix(cons, prefixTag),
		strings.HasPrefix(cons, prefixFeat), strings.HasPrefix(cons, prefixRun+"via "):
		return true
	}
	return false
}

func oddsRatio(p, q float64) float64 {
	return (p / (1 - p)) / (q / (1 - q))
}

func round4(x float64) float64 {
	return math.Round(x*1e4) / 1e4
}

// base fills the fields that do not depend on counts.
func (b *builder) base(v int, absent bool) rules.Candidate {
	kind, scope := kindOf(b.ante, b.cons)
	if absent {
		kind = "absent"
	}
	ante := displayAntecedent(b.ante)
	if v == variantShipped {
		ante += " " + shippedSuffix
	}
	cons := displayConsequent(b.cons)
	return rules.Candidate{
		ID:           candidateID(kind, scope, b.ante, b.cons, v),
		Kind:         kind,
		Scope:        scope,
		Antecedent:   ante,
		Consequent:   cons,
		Alternatives: alternatives(b.cons),
		Text:         sentence(kind, scope, ante, cons, b.cons),
		Pattern:      pattern(kind, scope, b.ante, b.cons, v),
	}
}

// shippedSuffix marks antecedents counted only in stages whose layers reach
// the final image.
const shippedSuffix = "[final image]"

// candidateID derives a stable id from the normalized pattern.
func candidateID(kind, scope, ante, cons string, v int) string {
	h := sha256.New()
	for _, s := range []string{kind, scope, ante, cons} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write([]byte{byte('0' + v)})
	return "mine-" + hex.EncodeToString(h.Sum(nil)[:6])
}

// kindOf returns the kind and scope of a pattern from its keys.
func kindOf(ante, cons string) (string, string) {
	switch {
	case strings.HasPrefix(cons, prefixFlag), strings.HasPrefix(cons, prefixValue), strings.HasPrefix(cons, prefixSub):
		return "flag", "script"
	case strings.HasPrefix(cons, prefixTag):
		return "operand", "script"
	case strings.HasPrefix(cons, prefixAfter):
		return "follows", "script"
	case strings.HasPrefix(cons, prefixBefor):
		return "precedes", "script"
	case strings.HasPrefix(cons, prefixStage):
		return "precedes", "stage"
	case ante == keyFile:
		return "instruction", "file"
	}
	return "instruction", "stage"
}
