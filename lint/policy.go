package lint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/dockmine/dockmine/lint/config"
	"github.com/dockmine/dockmine/rules"
)

// DefaultThreshold is the failure threshold when no layer sets one.
const DefaultThreshold = "warning"

// Policy is the effective configuration of one Dockerfile: which rules run,
// at what severity, and what fails the run. Files governed by the same
// configuration file share a Policy.
type Policy struct {
	Config    string         // the configuration file, empty when none applies
	Threshold rules.Severity // 0 for none: no finding fails the run
	// TrustedRegistries lists the registries base images may come from.
	// An empty list allows any registry.
	TrustedRegistries   []string
	DisableIgnorePragma bool

	packs    []*rules.Pack // the selected rules of each pack
	all      []*rules.Pack // every rule, to resolve the codes of pragmas
	severity map[*rules.Rule]rules.Severity
	parse    *rules.Rule // the rule for files that do not parse, nil when not selected
	pragma   *rules.Rule // the meta rule on ignore pragmas, nil when not selected
	trusted  *rules.Rule // the trusted-registry rule, nil when not selected
	selected map[*rules.Rule]bool
	// excludeGlobs are the exclude settings that a directory walk applies.
	excludeGlobs []exclude
}

// exclude is one glob of the exclude setting with the absolute directory
// it is relative to.
type exclude struct {
	glob config.Glob
	base string
}

// ChecksTrustedRegistries reports whether the policy runs a rule that
// reads TrustedRegistries. Without one, the setting has no effect.
func (p *Policy) ChecksTrustedRegistries() bool {
	return p.trusted != nil
}

// Lookup returns the rule of the policy's packs with the given code, name
// or alias, or nil.
func (p *Policy) Lookup(key string) *rules.Rule {
	return lookup(p.all, key)
}

// Severity returns the severity of rule r under the policy's overrides.
func (p *Policy) Severity(r *rules.Rule) rules.Severity {
	if s, ok := p.severity[r]; ok {
		return s
	}
	return r.Severity
}

// Rules returns the rules the policy runs, sorted by code within each pack.
func (p *Policy) Rules() []*rules.Rule {
	var out []*rules.Rule
	for _, pk := range p.packs {
		out = append(out, pk.Rules...)
	}
	return out
}

func lookup(packs []*rules.Pack, key string) *rules.Rule {
	for _, pk := range packs {
		if r := pk.Rule(key); r != nil {
			return r
		}
	}
	return nil
}

// policyBuilder turns merged settings into a Policy, reporting the first
// bad setting at its origin.
type policyBuilder struct {
	settings config.Settings
	packs    []*rules.Pack
	only     []config.Value
	loadPack func(path string) (*rules.Pack, error)
}

func (b *policyBuilder) build() (*Policy, error) {
	s := b.settings
	pol := &Policy{Config: s.Path, severity: map[*rules.Rule]rules.Severity{}}
	if s.DisableIgnorePragma != nil {
		pol.DisableIgnorePragma = *s.DisableIgnorePragma
	}
	for _, v := range s.TrustedRegistries {
		pol.TrustedRegistries = append(pol.TrustedRegistries, v.Text)
	}
	for _, v := range s.Exclude {
		ex, err := newExclude(v)
		if err != nil {
			return nil, err
		}
		pol.excludeGlobs = append(pol.excludeGlobs, ex)
	}

	threshold := DefaultThreshold
	if s.FailureThreshold != nil {
		threshold = s.FailureThreshold.Text
	}
	if threshold != "none" {
		sev, err := rules.ParseSeverity(threshold)
		if err != nil {
			return nil, s.FailureThreshold.Errorf("invalid failure-threshold %q: use one of error, warning, info, style or none", threshold)
		}
		pol.Threshold = sev
	}

	all := append([]*rules.Pack(nil), b.packs...)
	for _, v := range s.Packs {
		pk, err := b.loadPack(v.Text)
		if err != nil {
			return nil, v.Errorf("%v", err)
		}
		if all, err = AddPack(all, pk); err != nil {
			return nil, v.Errorf("%s: %v", v.Text, err)
		}
	}
	pol.all = all

	keep, err := b.selection(all, s)
	if err != nil {
		return nil, err
	}
	pol.selected = map[*rules.Rule]bool{}
	for _, pk := range all {
		sub := pk.Subset(keep)
		pol.packs = append(pol.packs, sub)
		for _, r := range sub.Rules {
			pol.selected[r] = true
		}
		if pol.parse == nil && pk.ParseRule() != nil && keep(pk.ParseRule()) {
			pol.parse = pk.ParseRule()
		}
		for _, r := range pk.Rules {
			switch {
			case !keep(r):
			case pol.pragma == nil && r.Check == PragmaCheck:
				pol.pragma = r
			case pol.trusted == nil && r.Check == TrustedRegistryCheck:
				pol.trusted = r
			}
		}
	}

	for _, o := range s.Overrides {
		r := lookup(all, o.Code.Text)
		if r == nil {
			if s.Hadolint && o.Code.Origin.Path != "" {
				continue
			}
			return nil, unknownCode(o.Code)
		}
		sev, err := rules.ParseSeverity(o.Severity)
		if err != nil {
			return nil, o.Code.Errorf("invalid severity %q", o.Severity)
		}
		pol.severity[r] = sev
	}
	return pol, nil
}

// selection returns the predicate of the rules that run: the rules --only
// names when it is given, otherwise the enabled ones, and never the ignored
// ones. The parse rule runs unless it is ignored, so that a file that does
// not parse never passes unnoticed.
func (b *policyBuilder) selection(all []*rules.Pack, s config.Settings) (func(*rules.Rule) bool, error) {
	ignored := map[*rules.Rule]bool{}
	for _, v := range s.Ignored {
		r := lookup(all, v.Text)
		if r == nil {
			// hadolint files name many checks that dockmine has no rule
			// for, such as ShellCheck's SC codes, which cannot fire anyway.
			if s.Hadolint && v.Origin.Path != "" {
				continue
			}
			return nil, unknownCode(v)
		}
		ignored[r] = true
	}

	var only map[*rules.Rule]bool
	if len(b.only) > 0 {
		only = map[*rules.Rule]bool{}
		for _, v := range b.only {
			r := lookup(all, v.Text)
			if r == nil {
				return nil, unknownCode(v)
			}
			only[r] = true
		}
	}

	return func(r *rules.Rule) bool {
		switch {
		case ignored[r], r.Status == rules.StatusRetired:
			return false
		case only != nil:
			return only[r] || isParseRule(all, r)
		}
		return r.Enabled()
	}, nil
}

func isParseRule(all []*rules.Pack, r *rules.Rule) bool {
	for _, pk := range all {
		if pk.ParseRule() == r {
			return true
		}
	}
	return false
}

// newExclude compiles a glob of the exclude setting, relative to the
// directory of its configuration file or else to the working directory.
func newExclude(v config.Value) (exclude, error) {
	g, err := config.ParseGlob(v.Text)
	if err != nil {
		return exclude{}, v.Errorf("%v", err)
	}
	base := "."
	if v.Origin.Path != "" {
		base = filepath.Dir(v.Origin.Path)
	}
	abs, err := filepath.Abs(base)
	if err != nil {
		return exclude{}, v.Errorf("resolving the directory of the glob: %v", err)
	}
	return exclude{glob: g, base: abs}, nil
}

// excludes reports whether an exclude glob of the policy matches path.
func (p *Policy) excludes(path string, isDir bool) bool {
	if len(p.excludeGlobs) == 0 {
		return false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	for _, ex := range p.excludeGlobs {
		rel, err := filepath.Rel(ex.base, abs)
		if err == nil && ex.glob.Match(filepath.ToSlash(rel), isDir) {
			return true
		}
	}
	return false
}

func unknownCode(v config.Value) error {
	return v.Errorf("unknown rule %q: use a code, name or alias from dockmine lint --list-rules", v.Text)
}

// AddPack returns packs followed by the rules of pk that packs do not
// already hold. A rule of pk whose code a rule of packs has is left out
// when both have the same content hash, as when a pack compiled from the
// repository's own rule files is added to the embedded one. Two different
// rules with one code are an error that wraps [ErrPackConflict].
func AddPack(packs []*rules.Pack, pk *rules.Pack) ([]*rules.Pack, error) {
	existing := map[string]*rules.Rule{}
	for _, p := range packs {
		for _, r := range p.Rules {
			existing[r.Code] = r
		}
	}

	var same map[*rules.Rule]bool
	for _, r := range pk.Rules {
		prev, ok := existing[r.Code]
		if !ok {
			continue
		}
		equal, err := sameRule(prev, r)
		if err != nil {
			return nil, err
		}
		if !equal {
			return nil, fmt.Errorf("%w: rule %s of pack %s differs from rule %s of pack %s: give one of them another code",
				ErrPackConflict, r.Code, packName(r), prev.Code, packName(prev))
		}
		if same == nil {
			same = map[*rules.Rule]bool{}
		}
		same[r] = true
	}

	out := append([]*rules.Pack(nil), packs...)
	switch {
	case len(same) == len(pk.Rules):
		return out, nil // every rule is already there
	case len(same) > 0:
		pk = pk.Subset(func(r *rules.Rule) bool { return !same[r] })
	}
	return append(out, pk), nil
}

// mergePacks adds each pack after the first with [AddPack].
func mergePacks(packs []*rules.Pack) ([]*rules.Pack, error) {
	if len(packs) == 0 {
		return nil, nil
	}
	out := packs[:1:1]
	for _, pk := range packs[1:] {
		var err error
		if out, err = AddPack(out, pk); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func sameRule(a, b *rules.Rule) (bool, error) {
	ha, err := a.ContentHash()
	if err != nil {
		return false, err
	}
	hb, err := b.ContentHash()
	if err != nil {
		return false, err
	}
	return ha == hb, nil
}

// packName names the pack a rule came from for errors.
func packName(r *rules.Rule) string {
	if r.Pack == "" {
		return "(unnamed)"
	}
	return strconv.Quote(r.Pack)
}

// ErrPackConflict is returned when two packs define different rules with
// the same code.
var ErrPackConflict = errors.New("conflicting packs")

// buildKitName matches BuildKit's check names, as "StageNameCasing", to
// tell them from hadolint's DL and SC codes among a rule's aliases.
var buildKitName = regexp.MustCompile(`^[A-Z][a-z]+[A-Za-z]*$`)

// hasBuildKitAlias reports whether a rule corresponds to a BuildKit check.
func hasBuildKitAlias(r *rules.Rule) bool {
	for _, a := range r.Aliases {
		if buildKitName.MatchString(a) {
			return true
		}
	}
	return false
}

// ReadPackFile reads a compiled pack from a file.
func ReadPackFile(path string) (*rules.Pack, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading pack: %w", err)
	}
	defer f.Close()
	pk, err := rules.ReadPack(f)
	if err != nil {
		return nil, fmt.Errorf("reading pack %s: %w", path, err)
	}
	return pk, nil
}
