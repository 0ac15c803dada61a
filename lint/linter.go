package lint

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dockmine/dockmine/ast"
	"github.com/dockmine/dockmine/lint/config"
	"github.com/dockmine/dockmine/rules"
)

// maxFixRounds bounds the lint-and-fix rounds of one file. Each round
// applies every fix that does not overlap another, so a file needs one
// round per layer of overlapping fixes. Reaching the bound means that two
// rules undo each other's edits.
const maxFixRounds = 8

// ErrNoPack is returned by [Options.Validate] when no pack is given.
var ErrNoPack = errors.New("no rule pack")

// Options configure a [Linter].
type Options struct {
	// Packs are the rule packs, the embedded default first, at least one.
	// A rule identical to one of an earlier pack is left out; see [AddPack].
	Packs []*rules.Pack
	Only  []config.Value // run only these rules, named by code, name or alias
	Env   config.Settings
	Flags config.Settings
	// ConfigFile replaces the search for configuration files when set. A
	// base name that contains "hadolint" is read as a .hadolint.yaml.
	ConfigFile string
	Finder     *config.Finder // searches for configuration files, nil for no search
	Fix        bool           // apply fixes and re-lint until none applies
	Jobs       int            // files linted at once, 0 for GOMAXPROCS
	// LoadPack reads the packs that configuration files name. Nil uses
	// [ReadPackFile].
	LoadPack func(path string) (*rules.Pack, error)
}

// Validate reports the first invalid option.
func (o *Options) Validate() error {
	if len(o.Packs) == 0 {
		return ErrNoPack
	}
	for i, pk := range o.Packs {
		if pk == nil {
			return fmt.Errorf("%w: pack %d is nil", ErrNoPack, i)
		}
	}
	if o.Jobs < 0 {
		return fmt.Errorf("invalid jobs %d: use 0 for one per CPU or a positive count", o.Jobs)
	}
	_, err := mergePacks(o.Packs)
	return err
}

// Input is one Dockerfile to lint.
type Input struct {
	Name   string // shown in reports, and its directory starts the configuration search
	Source []byte // the text, or nil to read the file Name
}

// Linter lints Dockerfiles under per-file configuration. It is safe for
// concurrent use.
type Linter struct {
	opts Options

	mu       sync.Mutex
	settings map[string]settingsEntry // by configuration file path, "" for none
	policies map[string]*Policy       // by configuration file path
	packs    map[string]*rules.Pack   // packs named by configuration files, by path
}

type settingsEntry struct {
	settings config.Settings
	err      error
}

// New returns a Linter after validating opts.
func New(opts Options) (*Linter, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	// Validate succeeded, so the merge does too.
	opts.Packs, _ = mergePacks(opts.Packs)
	if opts.LoadPack == nil {
		opts.LoadPack = ReadPackFile
	}
	if opts.Jobs == 0 {
		opts.Jobs = runtime.GOMAXPROCS(0)
	}
	return &Linter{
		opts:     opts,
		settings: map[string]settingsEntry{},
		policies: map[string]*Policy{},
		packs:    map[string]*rules.Pack{},
	}, nil
}

// Settings returns the merged settings for a Dockerfile in dir: its
// configuration file, the environment, then the flags. Run-wide choices such
// as the report format read them for the working directory.
func (l *Linter) Settings(dir string) (config.Settings, error) {
	path, hadolint, err := l.configFile(dir)
	if err != nil {
		return config.Settings{}, err
	}

	l.mu.Lock()
	entry, ok := l.settings[path]
	l.mu.Unlock()
	if !ok {
		if path != "" {
			entry.settings, entry.err = config.Load(path, hadolint)
		}
		l.mu.Lock()
		l.settings[path] = entry
		l.mu.Unlock()
	}
	if entry.err != nil {
		return config.Settings{}, entry.err
	}
	return config.Merge(entry.settings, l.opts.Env, l.opts.Flags), nil
}

// configFile returns the configuration file that governs dir.
func (l *Linter) configFile(dir string) (string, bool, error) {
	if l.opts.ConfigFile != "" {
		return l.opts.ConfigFile, strings.Contains(filepath.Base(l.opts.ConfigFile), "hadolint"), nil
	}
	if l.opts.Finder == nil {
		return "", false, nil
	}
	found, err := l.opts.Finder.Find(dir)
	return found.Path, found.Hadolint, err
}

// PolicyFor returns the policy for a Dockerfile in dir. A broken
// configuration file, an unknown rule code or an unreadable pack is an
// error, a [*config.Error] when it has a position.
func (l *Linter) PolicyFor(dir string) (*Policy, error) {
	s, err := l.Settings(dir)
	if err != nil {
		return nil, err
	}

	l.mu.Lock()
	pol, ok := l.policies[s.Path]
	l.mu.Unlock()
	if ok {
		return pol, nil
	}

	b := policyBuilder{settings: s, packs: l.opts.Packs, only: l.opts.Only, loadPack: l.loadPack}
	pol, err = b.build()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.policies[s.Path] = pol
	l.mu.Unlock()
	return pol, nil
}

// Policies returns the policies resolved so far, sorted by configuration
// file, so that a caller can report settings that have no effect.
func (l *Linter) Policies() []*Policy {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]*Policy, 0, len(l.policies))
	for _, pol := range l.policies {
		out = append(out, pol)
	}
	slices.SortFunc(out, func(a, b *Policy) int { return strings.Compare(a.Config, b.Config) })
	return out
}

func (l *Linter) loadPack(path string) (*rules.Pack, error) {
	l.mu.Lock()
	pk, ok := l.packs[path]
	l.mu.Unlock()
	if ok {
		return pk, nil
	}
	pk, err := l.opts.LoadPack(path)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.packs[path] = pk
	l.mu.Unlock()
	return pk, nil
}

// Lint lints the inputs over Options.Jobs workers and returns one result
// per input, in input order. It resolves every input's policy first, so a
// configuration error returns before any file is linted. An input that
// cannot be read, or that cancellation reaches first, has Result.Err set.
func (l *Linter) Lint(ctx context.Context, inputs []Input) ([]Result, error) {
	policies := make([]*Policy, len(inputs))
	for i, in := range inputs {
		pol, err := l.PolicyFor(inputDir(in.Name))
		if err != nil {
			return nil, err
		}
		policies[i] = pol
	}

	results := make([]Result, len(inputs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(l.opts.Jobs, max(1, len(inputs))) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(inputs) {
					return
				}
				if err := ctx.Err(); err != nil {
					results[i] = Result{File: inputs[i].Name, Err: err}
					continue
				}
				results[i] = l.LintSource(inputs[i], policies[i])
			}
		})
	}
	wg.Wait()
	return results, nil
}

// inputDir returns the directory where the configuration search for an
// input starts.
func inputDir(name string) string {
	if name == "-" || name == "" {
		return "."
	}
	return filepath.Dir(name)
}

// LintSource lints one input under a policy: it reads the file when
// Source is nil, checks it, and with Options.Fix applies fixes until none
// applies.
func (l *Linter) LintSource(in Input, pol *Policy) Result {
	res := Result{File: in.Name, Threshold: pol.Threshold}
	src := in.Source
	if src == nil {
		data, err := os.ReadFile(in.Name)
		if err != nil {
			res.Err = fmt.Errorf("reading %s: %w", in.Name, err)
			return res
		}
		src = data
	}
	res.Original = src

	diags, parsed := l.check(in.Name, src, pol)
	if l.opts.Fix && parsed {
		src, diags = l.fix(&res, src, diags, pol)
	}
	res.Source = src
	res.Diagnostics = diags
	return res
}

// fix applies the fixes of diags, re-linting after each round, and returns
// the final text and its diagnostics. A round whose result no longer
// parses is undone, and Result.FixErr names its fixes.
func (l *Linter) fix(res *Result, src []byte, diags []Diagnostic, pol *Policy) ([]byte, []Diagnostic) {
	var errs []error
	for range maxFixRounds {
		var fixes []*rules.Fix
		for _, d := range diags {
			if d.Fix != nil {
				fixes = append(fixes, d.Fix)
			}
		}
		if len(fixes) == 0 {
			break
		}

		next, applied, err := ApplyFixes(src, fixes)
		if err != nil {
			errs = append(errs, err)
		}
		if len(applied) == 0 || string(next) == string(src) {
			break
		}

		nextDiags, parsed := l.check(res.File, next, pol)
		if !parsed {
			errs = append(errs, fmt.Errorf("%w: applying %s made the file unparsable; the fixes were undone", ErrBadEdit, describeFixes(applied)))
			break
		}
		src, diags = next, nextDiags
		res.Fixes += len(applied)
	}
	res.FixErr = errors.Join(errs...)
	return src, diags
}

func describeFixes(fixes []*rules.Fix) string {
	names := make([]string, len(fixes))
	for i, fx := range fixes {
		names[i] = fmt.Sprintf("%q", fx.Description)
	}
	return strings.Join(names, ", ")
}

// check parses and checks one text. parsed is false when the text does
// not parse, and then the diagnostics hold the parse rule's finding.
func (l *Linter) check(name string, src []byte, pol *Policy) (diags []Diagnostic, parsed bool) {
	f, err := ast.Parse(name, src)
	if err != nil {
		return parseDiagnostics(name, err, pol), false
	}

	var findings []rules.Finding
	for _, pk := range pol.packs {
		findings = append(findings, pk.CheckAll(f)...)
	}

	var pragmas []*Pragma
	if !pol.DisableIgnorePragma {
		pragmas = ReadPragmas(f)
		resolvePragmas(pragmas, pol)
	}
	raise := buildKitErrorLevel(pragmas)

	diags = make([]Diagnostic, 0, len(findings))
	for _, group := range sameFindings(findings) {
		// A pragma for any rule of a group covers the finding, so that
		// "# check=skip=JSONArgsRecommended" also hides DM1009's copy.
		hidden := false
		for i := range group {
			hidden = suppressed(pragmas, &group[i]) || hidden
		}
		if hidden {
			continue
		}
		d := Diagnostic{Rule: group[0].Rule, File: name, Range: group[0].Range, Message: group[0].Message}
		for i, fd := range group {
			sev := pol.Severity(fd.Rule)
			if raise && hasBuildKitAlias(fd.Rule) {
				sev = rules.SeverityError
			}
			d.Severity = max(d.Severity, sev)
			if d.Fix == nil {
				d.Fix = fd.Fix
			}
			if i > 0 {
				d.Also = append(d.Also, fd.Rule)
			}
		}
		diags = append(diags, d)
	}
	for _, d := range trustedRegistryDiagnostics(name, f, pol) {
		if !suppressed(pragmas, &rules.Finding{Rule: d.Rule, Range: d.Range}) {
			diags = append(diags, d)
		}
	}
	diags = append(diags, pragmaDiagnostics(name, pragmas, pol)...)
	sortDiagnostics(diags)
	return diags, true
}

// sameFindings groups findings that report the same message at the same
// range, as two rules that mirror hadolint's and BuildKit's version of one
// check do. Groups keep the order of their first finding, and each group
// keeps the order of its findings, so the first has the lowest code.
func sameFindings(findings []rules.Finding) [][]rules.Finding {
	type key struct {
		start, end int
		message    string
	}
	index := map[key]int{}
	var out [][]rules.Finding
	for _, fd := range findings {
		k := key{fd.Range.Start.Offset, fd.Range.End.Offset, fd.Message}
		if i, ok := index[k]; ok && out[i][0].Rule != fd.Rule {
			out[i] = append(out[i], fd)
			continue
		}
		index[k] = len(out)
		out = append(out, []rules.Finding{fd})
	}
	return out
}

// parseDiagnostics reports a file that does not parse with the policy's
// parse rule, at the error's position. An error without a position, such
// as a file over the size limit, is reported at 1:1.
func parseDiagnostics(name string, err error, pol *Policy) []Diagnostic {
	if pol.parse == nil {
		return nil
	}
	pos := ast.Pos{Line: 1, Col: 1}
	msg := err.Error()
	var perr *ast.ParseError
	if errors.As(err, &perr) {
		pos, msg = perr.Pos, perr.Msg
	}
	return []Diagnostic{{
		Rule:     pol.parse,
		Severity: pol.Severity(pol.parse),
		File:     name,
		Range:    ast.Range{Start: pos, End: pos},
		Message:  "the file does not parse: " + msg,
	}}
}
