package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// PackVersion is the version of the pack file format that this package
// writes and reads.
const PackVersion = 1

// ErrPack wraps every problem with a pack file.
var ErrPack = errors.New("invalid pack")

// Pack is a compiled set of rules, ready to check files. Its JSON form is
// deterministic: rules sorted by code, and a content hash over them.
type Pack struct {
	Version int      `json:"version"` // PackVersion
	Hash    string   `json:"hash"`    // "sha256:" and the hex digest of the rules' JSON
	Packs   []string `json:"packs"`   // the source packs, sorted, as "compliance"
	Rules   []*Rule  `json:"rules"`   // sorted by code

	compiled []*compiledRule
	byKey    map[string]*Rule           // code, name and aliases, lower case
	byName   map[string][]*compiledRule // command name to rules that match it
	byWord   map[string][]*compiledRule // instruction keyword to rules that match it
	builtins []*compiledRule
	parse    *Rule // the rule that reports files that do not parse
}

// compiledRule is a rule with its pattern compiled.
type compiledRule struct {
	rule       *Rule
	match      *matcher
	require    []*clauseMatcher // the required clause, then its alternatives; empty without Require
	exceptions []*clauseMatcher
	scope      string
	builtin    *Builtin
	fix        *fixer
}

// Rule returns the rule with the given code, name or alias ("DM3001",
// "apt-get-no-install-recommends", "DL3015", "StageNameCasing"), ignoring
// case, or nil.
func (p *Pack) Rule(key string) *Rule {
	return p.byKey[strings.ToLower(key)]
}

// ParseRule returns the rule that reports Dockerfiles that do not parse,
// or nil when the pack has none.
func (p *Pack) ParseRule() *Rule {
	return p.parse
}

// Marshal returns the pack's JSON: indented, with rules sorted by code, so
// the same rules always give the same bytes.
func (p *Pack) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("marshal pack: %w", err)
	}
	return append(data, '\n'), nil
}

// WriteTo writes the pack's JSON to w.
func (p *Pack) WriteTo(w io.Writer) (int64, error) {
	data, err := p.Marshal()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(data)
	return int64(n), err
}

// ReadPack reads a pack written by [Pack.WriteTo]. It rejects unknown
// fields, another format version and a hash that does not match the rules,
// then compiles the rules' patterns. It does not run the rules' examples
// again; [Compile] did that when the pack was made.
func ReadPack(r io.Reader) (*Pack, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Pack
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: decode: %v", ErrPack, err)
	}
	if p.Version != PackVersion {
		return nil, fmt.Errorf("%w: format version %d, this dockmine reads version %d", ErrPack, p.Version, PackVersion)
	}
	hash, err := rulesHash(p.Rules)
	if err != nil {
		return nil, err
	}
	if hash != p.Hash {
		return nil, fmt.Errorf("%w: hash %s does not match the rules (%s): the file was edited or damaged", ErrPack, p.Hash, hash)
	}
	if err := p.build(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPack, err)
	}
	return &p, nil
}

// rulesHash returns the content hash of rules: the SHA-256 of their JSON.
func rulesHash(rules []*Rule) (string, error) {
	data, err := json.Marshal(rules)
	if err != nil {
		return "", fmt.Errorf("hash rules: %w", err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// ContentHash returns "sha256:" and the hex digest of the rule's JSON
// without its Pack field, so the same rule file compiled into two packs
// has one hash.
func (r *Rule) ContentHash() (string, error) {
	bare := *r
	bare.Pack = ""
	data, err := json.Marshal(&bare)
	if err != nil {
		return "", fmt.Errorf("hash rule %s: %w", r.Code, err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// build validates the rules, compiles their patterns and fills the
// indexes. Rules must already be sorted by code.
func (p *Pack) build() error {
	p.byKey = map[string]*Rule{}
	p.byName = map[string][]*compiledRule{}
	p.byWord = map[string][]*compiledRule{}
	p.compiled = p.compiled[:0]
	p.builtins = nil
	p.parse = nil

	var errs []error
	for _, r := range p.Rules {
		if err := p.addKeys(r); err != nil {
			errs = append(errs, err)
		}
		cr, err := compileRule(r)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.compiled = append(p.compiled, cr)
		if r.Status == StatusRetired {
			continue
		}
		p.index(cr)
	}
	return errors.Join(errs...)
}

// addKeys registers a rule's code, name and aliases, rejecting a key that
// another rule already uses.
func (p *Pack) addKeys(r *Rule) error {
	keys := append([]string{r.Code, r.Name}, r.Aliases...)
	for i, k := range keys {
		lk := strings.ToLower(k)
		if other, ok := p.byKey[lk]; ok && other != r {
			field := "aliases"
			switch i {
			case 0:
				field = "code"
			case 1:
				field = "name"
			}
			return r.origin.errorAt(field, "%s: %q is already used by %s", r.Code, k, other.Code)
		}
		p.byKey[lk] = r
	}
	return nil
}

// index files a compiled rule under the command names or keywords it
// matches, so Check looks only at rules that can match.
func (p *Pack) index(cr *compiledRule) {
	switch {
	case cr.builtin != nil:
		p.builtins = append(p.builtins, cr)
		if cr.rule.Check == parseCheckName {
			p.parse = cr.rule
		}
	case cr.match != nil:
		seen := map[string]bool{}
		for _, n := range cr.match.commands {
			if !seen[n.name] {
				seen[n.name] = true
				p.byName[n.name] = append(p.byName[n.name], cr)
			}
		}
		for _, k := range cr.match.keywords {
			p.byWord[k] = append(p.byWord[k], cr)
		}
	}
}

// newPack sorts rules by code and builds a pack with its hash.
func newPack(rules []*Rule) (*Pack, error) {
	sorted := append([]*Rule(nil), rules...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Code < sorted[j].Code })

	packs := map[string]bool{}
	for _, r := range sorted {
		if r.Pack != "" {
			packs[r.Pack] = true
		}
	}
	p := &Pack{Version: PackVersion, Rules: sorted, Packs: []string{}}
	for name := range packs {
		p.Packs = append(p.Packs, name)
	}
	sort.Strings(p.Packs)

	hash, err := rulesHash(sorted)
	if err != nil {
		return nil, err
	}
	p.Hash = hash
	if err := p.build(); err != nil {
		return nil, err
	}
	return p, nil
}

// Subset returns a pack of only the rules that keep selects, sharing their
// compiled patterns. The lint engineer's rule selection and the example
// checks of Compile use it.
func (p *Pack) Subset(keep func(*Rule) bool) *Pack {
	q := &Pack{Version: p.Version, Packs: p.Packs, byKey: map[string]*Rule{},
		byName: map[string][]*compiledRule{}, byWord: map[string][]*compiledRule{}}
	for _, cr := range p.compiled {
		if !keep(cr.rule) {
			continue
		}
		q.Rules = append(q.Rules, cr.rule)
		q.compiled = append(q.compiled, cr)
		_ = q.addKeys(cr.rule)
		if cr.rule.Status != StatusRetired {
			q.index(cr)
		}
	}
	q.Hash, _ = rulesHash(q.Rules)
	return q
}
