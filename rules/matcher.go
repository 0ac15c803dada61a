package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// matcher is a compiled [Match]: regular expressions compiled and names
// split, so checking a file needs no reflection or parsing of the pattern.
type matcher struct {
	commands []commandName
	keywords []string
	wrappers []string
	flag     *flagMatcher
	operand  *operandMatcher
	pair     *pairMatcher
	image    *imageMatcher
	when     []*clauseMatcher
}

// commandName is "name" or "name subcommand" split in two; sub is "" for
// any subcommand.
type commandName struct {
	name, sub string
}

func (n commandName) matches(c *ast.Command) bool {
	return c.Name == n.name && (n.sub == "" || c.Subcommand == n.sub)
}

// clauseMatcher is a compiled [Clause].
type clauseMatcher struct {
	commands []commandName
	keywords []string
	where    string
	scope    string
	same     string
	flag     *flagMatcher
	noFlag   []string
	operand  *operandMatcher
	pair     *pairMatcher
	assign   *regexp.Regexp
	env      *pairMatcher
	mount    *mountMatcher
	stage    *StageTest
	context  *ContextTest
	shell    *regexp.Regexp
	form     string
	redirect *regexp.Regexp
	any      []*clauseMatcher
}

// empty reports whether the clause has nothing to test.
func (c *clauseMatcher) empty() bool {
	return !c.relative() && c.flag == nil && len(c.noFlag) == 0 && c.operand == nil && c.pair == nil &&
		c.assign == nil && c.env == nil && c.mount == nil && c.stage == nil && c.context == nil &&
		c.shell == nil && c.form == "" && c.redirect == nil && len(c.any) == 0
}

// relative reports whether the clause looks at another command or
// instruction than the match.
func (c *clauseMatcher) relative() bool {
	return len(c.commands) > 0 || len(c.keywords) > 0
}

type flagMatcher struct {
	names []string
	value *regexp.Regexp
	count int
}

type operandMatcher struct {
	flagValues bool
	roles      []string
	tags       []ast.Tag
	anyTags    []ast.Tag
	notTags    []ast.Tag
	value      *regexp.Regexp
	notValue   *regexp.Regexp
	static     *bool
}

type pairMatcher struct {
	name     *regexp.Regexp
	notName  *regexp.Regexp
	value    *regexp.Regexp
	hasValue *bool
}

type imageMatcher struct {
	tag      *regexp.Regexp
	noTag    bool
	noDigest bool
	name     *regexp.Regexp
	dynamic  bool
}

type mountMatcher struct {
	types     []string
	targetTag []ast.Tag
	target    *regexp.Regexp
}

// patternCompiler compiles one rule's pattern and keeps the first error,
// with the key it was found under.
type patternCompiler struct {
	err error
	key string // top-level key of the rule where err was found
}

func (pc *patternCompiler) fail(key, format string, args ...any) {
	if pc.err == nil {
		pc.err = fmt.Errorf(format, args...)
		pc.key = key
	}
}

func (pc *patternCompiler) regexp(key, expr string) *regexp.Regexp {
	if expr == "" {
		return nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		pc.fail(key, "invalid regular expression %q: %v", expr, err)
		return nil
	}
	return re
}

func (pc *patternCompiler) commandNames(key string, names Strings) []commandName {
	var out []commandName
	for _, n := range names {
		fields := strings.Fields(n)
		if len(fields) == 0 {
			pc.fail(key, "empty command name")
			continue
		}
		out = append(out, commandName{name: fields[0], sub: strings.Join(fields[1:], " ")})
	}
	return out
}

func (pc *patternCompiler) keywords(key string, names Strings) []string {
	var out []string
	for _, n := range names {
		if n != strings.ToUpper(n) || n == "" {
			pc.fail(key, "instruction %q: write keywords in upper case", n)
		}
		out = append(out, n)
	}
	return out
}

func (pc *patternCompiler) match(m *Match) *matcher {
	if len(m.Command) == 0 && len(m.Instruction) == 0 {
		pc.fail("match", "match needs a command or an instruction")
	}
	if len(m.Command) > 0 && len(m.Instruction) > 0 {
		pc.fail("match", "match has both a command and an instruction: split it into two rules")
	}
	if m.Flag != nil && m.Operand != nil {
		pc.fail("match", "match has both a flag and an operand focus: move one of them to when")
	}
	out := &matcher{
		commands: pc.commandNames("match", m.Command),
		keywords: pc.keywords("match", m.Instruction),
		wrappers: m.Wrapper,
		flag:     pc.flag("match", m.Flag),
		operand:  pc.operand("match", m.Operand),
		pair:     pc.pair("match", m.Pair),
		image:    pc.image(m.Image),
	}
	for _, c := range m.When {
		out.when = append(out.when, pc.clause("match", c))
	}
	return out
}

func (pc *patternCompiler) clause(key string, c *Clause) *clauseMatcher {
	if c == nil {
		pc.fail(key, "empty clause")
		return &clauseMatcher{}
	}
	out := &clauseMatcher{
		commands: pc.commandNames(key, c.Command),
		keywords: pc.keywords(key, c.Instruction),
		where:    c.Where,
		scope:    c.Scope,
		same:     c.Same,
		flag:     pc.flag(key, c.Flag),
		noFlag:   c.NoFlag,
		operand:  pc.operand(key, c.Operand),
		pair:     pc.pair(key, c.Pair),
		assign:   pc.regexp(key, c.Assign),
		env:      pc.pair(key, c.Env),
		mount:    pc.mount(key, c.Mount),
		stage:    c.Stage,
		context:  c.Context,
		shell:    pc.regexp(key, c.Shell),
		form:     c.Form,
		redirect: pc.regexp(key, c.Redirect),
	}
	for _, alt := range c.Any {
		out.any = append(out.any, pc.clause(key, alt))
	}
	if out.where == "" {
		out.where = WhereFollows
	}
	switch out.where {
	case WhereFollows, WherePrecedes, WhereAnywhere, WherePipesInto:
	default:
		pc.fail(key, "invalid where %q: use follows, precedes, anywhere or pipes-into", c.Where)
	}
	if c.Where != "" && !out.relative() {
		pc.fail(key, "where %q needs a command or an instruction to look for", c.Where)
	}
	if !validScope(c.Scope) {
		pc.fail(key, "invalid scope %q: use script, stage, stage-chain or file", c.Scope)
	}
	switch c.Same {
	case "", SameValue, SameBasename, SamePath, SameOutput:
	default:
		pc.fail(key, "invalid same %q: use value, basename, path or output", c.Same)
	}
	if c.Same != "" && !out.relative() {
		pc.fail(key, "same %q needs a command or an instruction to compare with", c.Same)
	}
	switch c.Form {
	case "", "json", "shell":
	default:
		pc.fail(key, "invalid form %q: use json or shell", c.Form)
	}
	if out.empty() {
		pc.fail(key, "empty clause: give a command, an instruction or a test")
	}
	return out
}

func validScope(s string) bool {
	switch s {
	case "", ScopeScript, ScopeStage, ScopeChain, ScopeFile:
		return true
	}
	return false
}

func (pc *patternCompiler) flag(key string, f *FlagTest) *flagMatcher {
	if f == nil {
		return nil
	}
	if len(f.Name) == 0 {
		pc.fail(key, "flag test needs a name")
	}
	return &flagMatcher{names: f.Name, value: pc.regexp(key, f.Value), count: f.Count}
}

func (pc *patternCompiler) operand(key string, o *OperandTest) *operandMatcher {
	if o == nil {
		return nil
	}
	return &operandMatcher{
		flagValues: o.FlagValues,
		roles:      o.Role,
		tags:       tags(o.Tags),
		anyTags:    tags(o.AnyTags),
		notTags:    tags(o.NotTags),
		value:      pc.regexp(key, o.Value),
		notValue:   pc.regexp(key, o.NotValue),
		static:     o.Static,
	}
}

func (pc *patternCompiler) pair(key string, p *PairTest) *pairMatcher {
	if p == nil {
		return nil
	}
	return &pairMatcher{
		name:     pc.regexp(key, p.Name),
		notName:  pc.regexp(key, p.NotName),
		value:    pc.regexp(key, p.Value),
		hasValue: p.HasValue,
	}
}

func (pc *patternCompiler) image(i *ImageTest) *imageMatcher {
	if i == nil {
		return nil
	}
	return &imageMatcher{
		tag:      pc.regexp("match", i.Tag),
		noTag:    i.NoTag,
		noDigest: i.NoDigest,
		name:     pc.regexp("match", i.Name),
		dynamic:  i.Dynamic,
	}
}

func (pc *patternCompiler) mount(key string, m *MountTest) *mountMatcher {
	if m == nil {
		return nil
	}
	return &mountMatcher{types: m.Type, targetTag: tags(m.TargetTag), target: pc.regexp(key, m.Target)}
}

func tags(names Strings) []ast.Tag {
	out := make([]ast.Tag, len(names))
	for i, n := range names {
		out[i] = ast.Tag(n)
	}
	return out
}
