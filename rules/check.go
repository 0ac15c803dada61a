package rules

import (
	"errors"
	"sort"

	"github.com/dockmine/dockmine/ast"
)

// Check runs every enabled rule of the pack on one parsed file and returns
// the findings sorted by position, then by rule code. Rules are indexed by
// command name and instruction keyword, so a rule costs nothing on a file
// without its command.
func (p *Pack) Check(f *ast.File) []Finding {
	return p.check(f, (*Rule).Enabled)
}

// CheckAll is Check with every rule that is not retired, including
// proposed and default-off rules.
func (p *Pack) CheckAll(f *ast.File) []Finding {
	return p.check(f, func(r *Rule) bool { return r.Status != StatusRetired })
}

func (p *Pack) check(f *ast.File, enabled func(*Rule) bool) []Finding {
	fx := newFileIndex(f)
	var out []Finding
	for _, s := range fx.sites {
		candidates, every := p.byWord[s.inst.Keyword], []*compiledRule(nil)
		if s.cmd != nil {
			candidates = p.byName[s.cmd.Name]
			if s.cmd.Name != "*" {
				every = p.byName["*"]
			}
		}
		for _, list := range [2][]*compiledRule{candidates, every} {
			for _, cr := range list {
				if enabled(cr.rule) {
					out = fx.runPattern(cr, s, out)
				}
			}
		}
	}
	for _, cr := range p.builtins {
		if enabled(cr.rule) {
			out = cr.builtin.run(&checkContext{fx: fx, rule: cr.rule}, out)
		}
	}
	for i := range out {
		if out[i].Fix != nil && deletesComment(f.Source(), out[i].Fix) {
			out[i].Fix = nil
		}
	}
	sortFindings(out)
	return out
}

// Lint parses src and checks it. A file that does not parse yields one
// finding of the pack's parse rule at the error's position. Without an
// enabled parse rule, Lint returns the parse error instead.
func (p *Pack) Lint(name string, src []byte) ([]Finding, error) {
	return p.lint(name, src, (*Rule).Enabled)
}

func (p *Pack) lint(name string, src []byte, enabled func(*Rule) bool) ([]Finding, error) {
	f, err := ast.Parse(name, src)
	if err == nil {
		return p.check(f, enabled), nil
	}
	var perr *ast.ParseError
	if p.parse == nil || !enabled(p.parse) || !errors.As(err, &perr) {
		return nil, err
	}
	return []Finding{parseFinding(p.parse, perr)}, nil
}

// parseFinding reports a parse error as a finding of rule r.
func parseFinding(r *Rule, perr *ast.ParseError) Finding {
	end := perr.Pos
	return Finding{
		Rule:    r,
		Range:   ast.Range{Start: perr.Pos, End: end},
		Message: "the file does not parse: " + perr.Msg,
	}
}

func sortFindings(out []Finding) {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Range.Start.Offset != b.Range.Start.Offset {
			return a.Range.Start.Offset < b.Range.Start.Offset
		}
		if a.Rule.Code != b.Rule.Code {
			return a.Rule.Code < b.Rule.Code
		}
		return a.Range.End.Offset < b.Range.End.Offset
	})
}

// site is one place a pattern can match: an instruction, or one command of
// an instruction's script.
type site struct {
	outer *ast.Instruction // as listed in File.Instructions: ONBUILD for a wrapped one
	inst  *ast.Instruction // the effective instruction: what ONBUILD wraps, or outer
	pos   int              // index of outer in File.Instructions
	cmd   *ast.Command     // nil for an instruction site
}

// before reports whether a comes before b in the file.
func (a *site) before(b *site) bool {
	if a.pos != b.pos {
		return a.pos < b.pos
	}
	return a.cmdIndex() < b.cmdIndex()
}

// cmdIndex orders an instruction before the commands of its script.
func (a *site) cmdIndex() int {
	if a.cmd == nil {
		return -1
	}
	return a.cmd.Index
}

// stage returns the index of the site's stage, or -1 before the first FROM.
func (a *site) stage() int {
	return a.inst.Stage
}

// fileIndex holds what the checks of one file share: every site in file
// order, sites by command name and keyword, and per-stage variables.
type fileIndex struct {
	file     *ast.File
	sites    []*site
	byName   map[string][]*site
	byWord   map[string][]*site
	envs     map[int][]envEntry // by stage, built on first use
	shells   [][]string         // the SHELL in force at each instruction
	declared map[string]bool    // every variable an ARG or ENV declares, built on first use
}

func newFileIndex(f *ast.File) *fileIndex {
	fx := &fileIndex{file: f, byName: map[string][]*site{}, byWord: map[string][]*site{}}
	for i, outer := range f.Instructions {
		inst := outer.Effective()
		s := &site{outer: outer, inst: inst, pos: i}
		fx.sites = append(fx.sites, s)
		fx.byWord[inst.Keyword] = append(fx.byWord[inst.Keyword], s)
		if inst.Script == nil {
			continue
		}
		for _, c := range inst.Script.Commands {
			cs := &site{outer: outer, inst: inst, pos: i, cmd: c}
			fx.sites = append(fx.sites, cs)
			fx.byName[c.Name] = append(fx.byName[c.Name], cs)
		}
	}
	fx.shells = shellsAt(f)
	return fx
}

// inScope reports whether other lies in the scope of s.
func (fx *fileIndex) inScope(scope string, s, other *site) bool {
	switch scope {
	case ScopeScript:
		return other.pos == s.pos
	case ScopeStage:
		return other.stage() == s.stage()
	case ScopeChain:
		return fx.inChain(s.stage(), other.stage())
	}
	return true
}

// inChain reports whether stage other is stage s or one it is built FROM,
// directly or through other stages.
func (fx *fileIndex) inChain(s, other int) bool {
	for steps := 0; s >= 0 && s < len(fx.file.Stages) && steps <= len(fx.file.Stages); steps++ {
		if s == other {
			return true
		}
		s = fx.file.Stages[s].BaseStage
	}
	return false
}
