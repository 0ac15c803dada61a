package rules

import (
	"strconv"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// hit is one place a match selected: a site and the focus within it.
type hit struct {
	site  *site
	focus ast.Range
	word  *ast.Word // the focus operand or argument; nil otherwise
	flag  *ast.Flag // the focus flag of a command; nil otherwise
	text  string    // the focus text for messages
}

// runPattern checks one declarative rule at one site and appends its
// findings.
func (fx *fileIndex) runPattern(cr *compiledRule, s *site, out []Finding) []Finding {
	m := cr.match
	if m == nil {
		return out
	}
	for _, h := range fx.hits(m, s) {
		if !fx.violates(cr, h) {
			continue
		}
		out = append(out, Finding{
			Rule:    cr.rule,
			Range:   h.focus,
			Message: renderMessage(cr.rule.Message, h),
			Fix:     fx.makeFix(cr, h),
		})
	}
	return out
}

// violates reports whether a hit breaks the rule: every when clause holds,
// neither the requirement nor an alternative holds, and no exception does.
func (fx *fileIndex) violates(cr *compiledRule, h *hit) bool {
	for _, c := range cr.match.when {
		if !fx.holds(c, h, cr.scope, doubtFails) {
			return false
		}
	}
	for _, c := range cr.require {
		if fx.holds(c, h, cr.scope, doubtHolds) {
			return false
		}
	}
	for _, c := range cr.exceptions {
		if fx.holds(c, h, cr.scope, doubtHolds) {
			return false
		}
	}
	return true
}

// doubt is the way an operand test decides a value that is only known at
// build time, such as "$VERSION" from an ARG without a default.
type doubt int

const (
	// doubtFails fails the test: a match or when clause selects only what
	// it can see.
	doubtFails doubt = iota
	// doubtHolds passes the test, giving the file the benefit of the doubt
	// in a requirement or exception on the matched place itself.
	doubtHolds
	// doubtText tests the word as written, with its tree tags: a related
	// command counts only for what it visibly names, so rm -rf "$GNUPGHOME"
	// is no cleanup of /usr/src.
	doubtText
)

// hits returns the places a match selects at one site: its focus flags,
// operands or pairs, or the site itself.
func (fx *fileIndex) hits(m *matcher, s *site) []*hit {
	if s.cmd != nil {
		return fx.commandHits(m, s)
	}
	return fx.instructionHits(m, s)
}

func (fx *fileIndex) commandHits(m *matcher, s *site) []*hit {
	c := s.cmd
	if !matchesName(m.commands, c) || !hasWrapper(m.wrappers, c) {
		return nil
	}
	switch {
	case m.flag != nil:
		var out []*hit
		for _, f := range c.Flags {
			if fx.flagMatches(m.flag, f, s, doubtFails) {
				out = append(out, &hit{site: s, focus: f.Range, flag: f, text: f.Spelling})
			}
		}
		return out
	case m.operand != nil:
		var out []*hit
		for _, op := range c.Operands {
			if fx.operandMatches(m.operand, op.Word, op.Role, s, doubtFails) {
				out = append(out, &hit{site: s, focus: op.Range, word: op.Word, text: op.Value})
			}
		}
		if !m.operand.flagValues {
			return out
		}
		for _, f := range c.Flags {
			if f.Value != nil && fx.operandMatches(m.operand, f.Value, "", s, doubtFails) {
				out = append(out, &hit{site: s, focus: f.Value.Range, word: f.Value, flag: f, text: f.Value.Value})
			}
		}
		return out
	}
	return []*hit{{site: s, focus: c.Range, text: commandText(c)}}
}

func (fx *fileIndex) instructionHits(m *matcher, s *site) []*hit {
	inst := s.inst
	if m.image != nil && !fx.imageMatches(m.image, s) {
		return nil
	}
	switch {
	case m.flag != nil:
		var out []*hit
		for _, f := range inst.Flags {
			if m.flag.matchInstructionFlag(f) {
				out = append(out, &hit{site: s, focus: f.Range, text: "--" + f.Name})
			}
		}
		return out
	case m.operand != nil:
		var out []*hit
		for i, a := range inst.Args {
			if fx.operandMatches(m.operand, a, argRole(inst, i), s, doubtFails) {
				out = append(out, &hit{site: s, focus: a.Range, word: a, text: a.Value})
			}
		}
		return out
	case m.pair != nil:
		var out []*hit
		for _, kv := range inst.Pairs {
			if m.pair.matchPair(kv) {
				out = append(out, &hit{site: s, focus: pairRange(inst, kv), text: kv.Key})
			}
		}
		return out
	case m.image != nil && len(inst.Args) > 0:
		a := inst.Args[0]
		return []*hit{{site: s, focus: a.Range, word: a, text: a.Value}}
	}
	return []*hit{{site: s, focus: inst.Range, text: inst.Keyword}}
}

// holds evaluates a clause at a hit. d decides a test on the matched place
// that depends on a value only known at build time. The tests of a related
// command or instruction always see such a value as written.
func (fx *fileIndex) holds(c *clauseMatcher, h *hit, scope string, d doubt) bool {
	if !c.relative() {
		return fx.testsHold(c, h.site, d)
	}
	if c.scope != "" {
		scope = c.scope
	}
	for _, other := range fx.related(c, h.site, scope) {
		if c.same != "" && !fx.sameWord(c.same, h, other) {
			continue
		}
		if fx.testsHold(c, other, doubtText) {
			return true
		}
	}
	return false
}

// related returns the sites a relative clause looks at from s.
func (fx *fileIndex) related(c *clauseMatcher, s *site, scope string) []*site {
	var out []*site
	consider := func(other *site) {
		if other == s || !fx.inScope(scope, s, other) {
			return
		}
		switch c.where {
		case WhereFollows:
			if !s.before(other) {
				return
			}
		case WherePrecedes:
			if !other.before(s) {
				return
			}
		case WherePipesInto:
			if !pipesInto(s, other) {
				return
			}
		}
		out = append(out, other)
	}
	for _, n := range c.commands {
		for _, other := range fx.byName[n.name] {
			if n.matches(other.cmd) {
				consider(other)
			}
		}
	}
	for _, k := range c.keywords {
		for _, other := range fx.byWord[k] {
			consider(other)
		}
	}
	return out
}

// pipesInto reports whether b reads the output of a: both sit in one
// pipeline of one script, b after a.
func pipesInto(a, b *site) bool {
	if a.cmd == nil || b.cmd == nil || a.pos != b.pos {
		return false
	}
	ca, cb := a.cmd.Context, b.cmd.Context
	if ca.Pipeline == 0 || cb.Pipeline <= ca.Pipeline || ca.PipeLen != cb.PipeLen || b.cmd.Index < a.cmd.Index {
		return false
	}
	return ca.Subshell == cb.Subshell && ca.Depth == cb.Depth
}

// testsHold evaluates the non-relative tests of a clause on one site.
func (fx *fileIndex) testsHold(c *clauseMatcher, s *site, d doubt) bool {
	if c.flag != nil && !fx.hasMatchingFlag(c.flag, s, d) {
		return false
	}
	for _, name := range c.noFlag {
		if s.cmd != nil && s.cmd.HasFlag(name) || s.cmd == nil && s.inst.Flag(name) != nil {
			return false
		}
	}
	if c.operand != nil && !fx.anyOperand(c.operand, s, d) {
		return false
	}
	if c.pair != nil && !anyPair(c.pair, s.inst) {
		return false
	}

	if c.assign != nil && !anyAssign(c.assign, s) {
		return false
	}
	if c.env != nil && !fx.envHolds(c.env, s) {
		return false
	}
	if c.mount != nil && !anyMount(c.mount, s.inst) {
		return false
	}
	if c.stage != nil && !fx.stageHolds(c.stage, s) {
		return false
	}

	if c.context != nil && !contextHolds(c.context, s) {
		return false
	}
	if c.shell != nil && !c.shell.MatchString(strings.Join(fx.shellOf(s), " ")) {
		return false
	}
	if c.form != "" && (c.form == "json") != s.inst.JSON {
		return false
	}
	if c.redirect != nil && !anyRedirect(c.redirect, s) {
		return false
	}
	if len(c.any) > 0 && !fx.anyHolds(c.any, s, d) {
		return false
	}
	return true
}

// anyHolds reports whether one of the clauses holds at s, each relative
// clause looking from s in its own scope, or the whole file without one.
func (fx *fileIndex) anyHolds(clauses []*clauseMatcher, s *site, d doubt) bool {
	h := &hit{site: s}
	for _, c := range clauses {
		if fx.holds(c, h, ScopeFile, d) {
			return true
		}
	}
	return false
}

func anyRedirect(re interface{ MatchString(string) bool }, s *site) bool {
	if s.cmd == nil {
		return false
	}
	for _, r := range s.cmd.Redirects {
		if re.MatchString(r) {
			return true
		}
	}
	return false
}

func matchesName(names []commandName, c *ast.Command) bool {
	for _, n := range names {
		if n.name == "*" || n.matches(c) {
			return true
		}
	}
	return false
}

func hasWrapper(wrappers []string, c *ast.Command) bool {
	if len(wrappers) == 0 {
		return true
	}
	for _, w := range c.Wrappers {
		for _, want := range wrappers {
			if w == want {
				return true
			}
		}
	}
	return false
}

// flagMatches tests one flag of a command. A value with variables is
// expanded as an operand's is. When that is not possible, d decides, so a
// related command's value is tested as written.
func (fx *fileIndex) flagMatches(m *flagMatcher, f *ast.Flag, s *site, d doubt) bool {
	if !Strings(m.names).has(f.Name) {
		return false
	}
	if m.count > 1 && f.Count < m.count {
		return false
	}
	if m.value == nil {
		return true
	}
	if f.Value == nil {
		return false
	}
	if f.Value.Static {
		return m.value.MatchString(f.Value.Value)
	}
	value, known := fx.expand(f.Value.Value, s)
	switch {
	case known:
		return m.value.MatchString(value)
	case d == doubtText:
		return m.value.MatchString(f.Value.Value)
	}
	return d == doubtHolds
}

func (m *flagMatcher) matchInstructionFlag(f *ast.InstructionFlag) bool {
	if !Strings(m.names).has(f.Name) {
		return false
	}
	return m.value == nil || m.value.MatchString(f.Value)
}

func (fx *fileIndex) hasMatchingFlag(m *flagMatcher, s *site, d doubt) bool {
	if s.cmd == nil {
		for _, f := range s.inst.Flags {
			if m.matchInstructionFlag(f) {
				return true
			}
		}
		return false
	}
	for _, f := range s.cmd.Flags {
		if fx.flagMatches(m, f, s, d) {
			return true
		}
	}
	return false
}

func (fx *fileIndex) anyOperand(m *operandMatcher, s *site, d doubt) bool {
	if s.cmd != nil {
		for _, op := range s.cmd.Operands {
			if fx.operandMatches(m, op.Word, op.Role, s, d) {
				return true
			}
		}
		if m.flagValues {
			for _, f := range s.cmd.Flags {
				if f.Value != nil && fx.operandMatches(m, f.Value, "", s, d) {
					return true
				}
			}
		}
		return false
	}
	for i, a := range s.inst.Args {
		if fx.operandMatches(m, a, argRole(s.inst, i), s, d) {
			return true
		}
	}
	return false
}

// operandMatches tests one operand. A word with variables is expanded with
// the stage's variables and those the script set before it first; when that
// is not possible, d decides.
func (fx *fileIndex) operandMatches(m *operandMatcher, w *ast.Word, role string, s *site, d doubt) bool {
	if len(m.roles) > 0 && !Strings(m.roles).has(role) {
		return false
	}
	if m.static != nil && *m.static != w.Static {
		return false
	}
	if w.Static {
		tags := w.Tags
		if s.cmd == nil {
			tags = ast.Tags(w.Value, false, role)
		}
		return m.matchValue(w.Value, tags)
	}

	expanded, known := fx.expand(w.Value, s)
	switch {
	case known:
	case d == doubtText && s.cmd != nil:
		return m.matchValue(w.Value, w.Tags)
	case d == doubtText:
		return m.matchValue(w.Value, ast.Tags(w.Value, true, role))
	default:
		return d == doubtHolds
	}
	// The shell splits an unquoted expansion into words, as apk add $PKGS
	// installs each package, and keeps a quoted one whole, as echo
	// "$SHA256 *x.tgz" prints one line.
	fields := []string{expanded}
	if !strings.ContainsAny(w.Raw, `"'`) {
		fields = strings.Fields(expanded)
	}
	if len(fields) == 0 {
		fields = []string{""}
	}
	for _, v := range fields {
		if m.matchValue(v, ast.Tags(v, false, role)) {
			return true
		}
	}
	return false
}

func (m *operandMatcher) matchValue(value string, tags []ast.Tag) bool {
	for _, t := range m.tags {
		if !hasTag(tags, t) {
			return false
		}
	}
	if len(m.anyTags) > 0 && !anyTag(tags, m.anyTags) {
		return false
	}
	for _, t := range m.notTags {
		if hasTag(tags, t) {
			return false
		}
	}
	if m.value != nil && !m.value.MatchString(value) {
		return false
	}
	if m.notValue != nil && m.notValue.MatchString(value) {
		return false
	}
	return true
}

func hasTag(tags []ast.Tag, t ast.Tag) bool {
	for _, x := range tags {
		if x == t {
			return true
		}
	}
	return false
}

// argRole gives an instruction argument the role that operand tests see.
func argRole(inst *ast.Instruction, i int) string {
	switch inst.Keyword {
	case "COPY", "ADD":
		if i == len(inst.Args)-1 {
			return "destination"
		}
		return "source"
	case "FROM":
		switch i {
		case 0:
			return "image"
		case 1:
			return "as"
		case 2:
			return "stage-name"
		}
	case "WORKDIR":
		return "path"
	case "USER":
		return "user"
	case "EXPOSE":
		return "port"
	}
	return "argument"
}

func (m *pairMatcher) matchPair(kv *ast.KeyValue) bool {
	if m.name != nil && !m.name.MatchString(kv.Key) {
		return false
	}
	if m.notName != nil && m.notName.MatchString(kv.Key) {
		return false
	}
	if m.hasValue != nil && *m.hasValue != kv.HasValue {
		return false
	}
	return m.value == nil || m.value.MatchString(kv.Value)
}

func anyPair(m *pairMatcher, inst *ast.Instruction) bool {
	for _, kv := range inst.Pairs {
		if m.matchPair(kv) {
			return true
		}
	}
	return false
}

// pairRange finds the argument word that declares a pair, falling back to
// the whole instruction.
func pairRange(inst *ast.Instruction, kv *ast.KeyValue) ast.Range {
	for _, a := range inst.Args {
		name, _, _ := strings.Cut(a.Value, "=")
		if name == kv.Key {
			return a.Range
		}
	}
	return inst.Range
}

func anyAssign(re interface{ MatchString(string) bool }, s *site) bool {
	if s.cmd == nil {
		return false
	}
	for _, a := range s.cmd.Assigns {
		if re.MatchString(a) {
			return true
		}
	}
	return false
}

func anyMount(m *mountMatcher, inst *ast.Instruction) bool {
	for _, mt := range inst.Mounts {
		if len(m.types) > 0 && !Strings(m.types).has(mt.Type) {
			continue
		}
		if m.target != nil && !m.target.MatchString(mt.Target) {
			continue
		}
		if len(m.targetTag) > 0 && !anyTag(ast.Tags(mt.Target, false, ""), m.targetTag) {
			continue
		}
		return true
	}
	return false
}

func anyTag(tags, want []ast.Tag) bool {
	for _, t := range want {
		if hasTag(tags, t) {
			return true
		}
	}
	return false
}

func (fx *fileIndex) stageHolds(t *StageTest, s *site) bool {
	i := s.stage()
	if i < 0 || i >= len(fx.file.Stages) {
		return false
	}
	st := fx.file.Stages[i]
	if t.ReachesFinal != nil && *t.ReachesFinal != st.ReachesFinal {
		return false
	}
	if t.Final != nil && *t.Final != st.Final {
		return false
	}
	if t.Windows != nil && *t.Windows != st.Windows {
		return false
	}
	if t.BusyBox != nil && *t.BusyBox != fx.busyBoxStage(i) {
		return false
	}
	return true
}

func contextHolds(t *ContextTest, s *site) bool {
	if t.OnBuild != nil && *t.OnBuild != (s.outer != s.inst) {
		return false
	}
	if s.cmd == nil {
		return t.Conditional == nil && t.Pipeline == nil && t.Subshell == nil
	}
	ctx := s.cmd.Context
	if t.Conditional != nil && *t.Conditional != ctx.Conditional {
		return false
	}
	if t.Pipeline != nil && *t.Pipeline != (ctx.PipeLen > 1) {
		return false
	}
	if t.Subshell != nil && *t.Subshell != ctx.Subshell {
		return false
	}
	return true
}

func (fx *fileIndex) imageMatches(m *imageMatcher, s *site) bool {
	i := s.stage()
	if s.inst.Keyword != "FROM" || i < 0 || i >= len(fx.file.Stages) {
		return false
	}
	st := fx.file.Stages[i]
	ref := st.Image
	if st.BaseStage >= 0 || ref.Scratch || ref.Raw == "" || fx.namesStage(ref, st.Index) {
		return false
	}
	if ref.Dynamic != m.dynamic {
		return false
	}
	if m.noTag && ref.Tag != "" {
		return false
	}
	if m.noDigest && ref.Digest != "" {
		return false
	}
	if m.tag != nil && !m.tag.MatchString(ref.Tag) {
		return false
	}
	return m.name == nil || m.name.MatchString(ref.Repository)
}

// namesStage reports whether an image reference with variables names an
// earlier stage once they are substituted, as "base-${TARGETARCH}" does
// when stages base-amd64 and base-arm64 exist.
func (fx *fileIndex) namesStage(ref ast.ImageRef, before int) bool {
	if !ref.Dynamic {
		return false
	}
	prefix, _, _ := strings.Cut(strings.ToLower(ref.Resolved), "$")
	if prefix == "" {
		return false
	}
	for _, st := range fx.file.Stages[:before] {
		if st.Name != "" && strings.HasPrefix(st.Name, prefix) {
			return true
		}
	}
	return false
}

func commandText(c *ast.Command) string {
	if c.Subcommand == "" {
		return c.Name
	}
	return c.Name + " " + c.Subcommand
}

// renderMessage fills a message template: {value} is the focus text quoted
// as %q does, {text} the focus text without quotes (control characters
// still escaped) and {command} the command or instruction.
func renderMessage(tmpl string, h *hit) string {
	name := h.site.inst.Keyword
	if h.site.cmd != nil {
		name = commandText(h.site.cmd)
	}
	quoted := strconv.Quote(h.text)
	bare := strings.ReplaceAll(quoted[1:len(quoted)-1], `\"`, `"`)
	out := strings.ReplaceAll(tmpl, "{value}", quoted)
	out = strings.ReplaceAll(out, "{text}", bare)
	return strings.ReplaceAll(out, "{command}", name)
}
