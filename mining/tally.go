package mining

import (
	"slices"
	"strings"
)

// weightUnit is the fixed-point unit of family weights: a family counts as
// weightUnit, and a pattern that holds at 2 of a family's 3 occurrences adds
// 2*weightUnit/3. Integers keep sums exact in any order, so merged shards
// give the same numbers as one run.
const weightUnit = 1_000_000_000

// Variants of a tally: all occurrences, or only those in stages whose layers
// end up in the final image.
const (
	variantAll = iota
	variantShipped
	variants
)

// tally counts one antecedent or one pattern in one corpus.
type tally struct {
	Inst     int64 `json:"i"` // occurrences; for a pattern, those that satisfy it
	Files    int64 `json:"f"` // files with at least one of them
	Repos    int64 `json:"r"`
	Families int64 `json:"m"`
	// Weight is, for a pattern, the sum over families of the share of the
	// antecedent's occurrences that satisfy it, in weightUnit.
	Weight int64 `json:"w,omitempty"`
	// VFiles, VRepos and VFamilies count, for a pattern, where at least one
	// occurrence violates it.
	VFiles    int64 `json:"vf,omitempty"`
	VRepos    int64 `json:"vr,omitempty"`
	VFamilies int64 `json:"vm,omitempty"`
}

func (t *tally) add(o tally) {
	t.Inst += o.Inst
	t.Files += o.Files
	t.Repos += o.Repos
	t.Families += o.Families
	t.Weight += o.Weight
	t.VFiles += o.VFiles
	t.VRepos += o.VRepos
	t.VFamilies += o.VFamilies
}

// anteState is the state of one antecedent.
type anteState struct {
	t      [variants]tally
	sample sample // expert corpus only
}

// patState is the state of one pattern: an antecedent and a consequent.
type patState struct {
	t    [variants]tally
	sat  exampleList
	viol exampleList
}

// patKey packs an antecedent and a consequent.
type patKey uint64

func makePatKey(ante, cons keyID) patKey { return patKey(uint64(ante)<<32 | uint64(cons)) }

func (k patKey) ante() keyID { return keyID(k >> 32) }
func (k patKey) cons() keyID { return keyID(k & 0xffffffff) }

// commandStat counts one command and subcommand, for commands.csv.
type commandStat struct {
	Inst         int64 `json:"i"`
	Files        int64 `json:"f"`
	Repos        int64 `json:"r"`
	Known        int64 `json:"k"` // runs the schema matched
	Flags        int64 `json:"fl"`
	UnknownFlags int64 `json:"uf"`
}

func (s *commandStat) add(o commandStat) {
	s.Inst += o.Inst
	s.Files += o.Files
	s.Repos += o.Repos
	s.Known += o.Known
	s.Flags += o.Flags
	s.UnknownFlags += o.UnknownFlags
}

// Failure is an input file that could not be read or parsed.
type Failure struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

// CorpusStats counts what a run read.
type CorpusStats struct {
	Files         int       `json:"files"`  // documents read
	Parsed        int       `json:"parsed"` // of them, parsed
	Failed        int       `json:"failed"` // of them, unreadable or rejected by the parser
	Failures      []Failure `json:"failures"`
	Repos         int       `json:"repos"`
	Families      int       `json:"families"` // template families of parsed files
	Instructions  int       `json:"instructions"`
	Commands      int       `json:"commands"`
	CommandsKnown int       `json:"commands_known"` // commands a schema matched
	Digest        string    `json:"digest"`         // XOR of per-file hashes of name and content, in hex
}

// Counts is the mergeable result of mining one corpus: how often each
// antecedent occurs and each pattern holds, with examples. Its memory grows
// with the number of distinct patterns, not with the number of files.
type Counts struct {
	keys     *interner
	antes    map[keyID]*anteState
	pats     map[patKey]*patState
	commands map[string]*commandStat // "name\tsub"
	repos    map[string]bool
	digest   uint64
	stats    CorpusStats
	examples bool // keep examples and samples
}

func newCounts(keys *interner, examples bool) *Counts {
	return &Counts{
		keys:     keys,
		antes:    map[keyID]*anteState{},
		pats:     map[patKey]*patState{},
		commands: map[string]*commandStat{},
		repos:    map[string]bool{},
		examples: examples,
	}
}

// Stats returns the corpus counts. Failures are sorted by file.
func (c *Counts) Stats() CorpusStats {
	s := c.stats
	s.Repos = len(c.repos)
	s.Failures = slices.Clone(s.Failures)
	slices.SortFunc(s.Failures, func(a, b Failure) int { return strings.Compare(a.File, b.File) })
	s.Digest = hex64(c.digest)
	return s
}

// Patterns returns the number of distinct patterns counted.
func (c *Counts) Patterns() int { return len(c.pats) }

// lookup returns the states of an antecedent and of a pattern by their
// texts; either is nil when the corpus never counted it.
func (c *Counts) lookup(ante, cons string) (*anteState, *patState) {
	aid, ok := c.keys.lookup(ante)
	if !ok {
		return nil, nil
	}
	a := c.antes[aid]
	cid, ok := c.keys.lookup(cons)
	if !ok {
		return a, nil
	}
	return a, c.pats[makePatKey(aid, cid)]
}

func (c *Counts) ante(id keyID) *anteState {
	a := c.antes[id]
	if a == nil {
		a = &anteState{}
		c.antes[id] = a
	}
	return a
}

func (c *Counts) pat(k patKey) *patState {
	p := c.pats[k]
	if p == nil {
		p = &patState{}
		c.pats[k] = p
	}
	return p
}

func hex64(v uint64) string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[v&15]
		v >>= 4
	}
	return string(b[:])
}
