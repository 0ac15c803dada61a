package lint

import (
	"errors"
	"fmt"
	"os"
	"regexp"

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
		all = append(all, pk)
	}
	if err := checkDuplicateCodes(all); err != nil {
		return nil, err
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

func unknownCode(v config.Value) error {
	return v.Errorf("unknown rule %q: use a code, name or alias from dockmine lint --list-rules", v.Text)
}

// checkDuplicateCodes rejects two packs that define the same code.
func checkDuplicateCodes(packs []*rules.Pack) error {
	seen := map[string]int{}
	for i, pk := range packs {
		for _, r := range pk.Rules {
			if j, ok := seen[r.Code]; ok && j != i {
				return fmt.Errorf("%w: rule %s is defined by two packs", ErrPackConflict, r.Code)
			}
			seen[r.Code] = i
		}
	}
	return nil
}

// ErrPackConflict is returned when two packs define the same rule code.
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
