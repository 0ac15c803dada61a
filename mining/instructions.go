package mining

import (
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// stageState is the state that the instructions of a stage have set so
// far.
type stageState struct {
	env     map[string]string // static values of ENV and ARG
	workdir string            // the last static WORKDIR, "" when unknown
	user    string            // the last USER, "" when none
	events  keySet            // "stage-before" consequents for later instructions
	keyword map[string]bool   // instruction keywords seen
}

// inherit starts a stage from the state of the stage it is built on.
func (st *stageState) inherit(base *stageState) {
	maps.Copy(st.env, base.env)
	st.workdir = base.workdir
	st.user = base.user
	for _, id := range base.events.list {
		st.events.add(id)
	}
}

// keys returns the "stage-before" consequents that hold now. The slice
// stays valid while the stage grows.
func (st *stageState) keys() []keyID {
	n := len(st.events.list)
	return st.events.list[:n:n]
}

// expand substitutes $NAME and ${NAME} with static ENV and ARG values. It
// reports false when any other expansion remains.
func (st *stageState) expand(v string) (string, bool) {
	v = stripQuotes(v)
	var sb strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '$' {
			sb.WriteByte(v[i])
			continue
		}
		var name string
		switch {
		case i+1 < len(v) && v[i+1] == '{':
			end := strings.IndexByte(v[i:], '}')
			if end < 0 || !allNameBytes(v[i+2:i+end]) {
				return "", false
			}
			name = v[i+2 : i+end]
			i += end
		default:
			j := i + 1
			for j < len(v) && isNameByte(v[j]) {
				j++
			}
			name = v[i+1 : j]
			i = j - 1
		}
		value, ok := st.env[name]
		if !ok || strings.Contains(value, "$") {
			return "", false
		}
		sb.WriteString(value)
	}
	return sb.String(), true
}

// expandKnown substitutes the $NAME and ${NAME} of a word's unquoted value
// whose values are known statically, leaving other expansions as written.
// A variable of vars, set earlier in the script, hides an ENV or ARG of the
// same name; vars may be nil.
func (st *stageState) expandKnown(v string, vars map[string]string) string {
	if !strings.Contains(v, "$") {
		return v
	}
	var sb strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '$' {
			sb.WriteByte(v[i])
			continue
		}
		name, end := variableAt(v, i)
		value, ok := vars[name]
		if !ok {
			value, ok = st.env[name]
		}
		if name == "" || !ok || strings.Contains(value, "$") {
			sb.WriteString(v[i:end])
		} else {
			sb.WriteString(value)
		}
		i = end - 1
	}
	return sb.String()
}

// variableAt reads the variable reference that starts at v[i] == '$' and
// returns its name and the index after it. The name is "" for other
// expansions, such as ${X:-y} or $(cmd).
func variableAt(v string, i int) (string, int) {
	if i+1 < len(v) && v[i+1] == '{' {
		end := strings.IndexByte(v[i:], '}')
		if end < 0 {
			return "", len(v)
		}
		name := v[i+2 : i+end]
		if !allNameBytes(name) {
			return "", i + end + 1
		}
		return name, i + end + 1
	}
	j := i + 1
	for j < len(v) && isNameByte(v[j]) {
		j++
	}
	return v[i+1 : j], max(j, i+1)
}

// record updates the stage after an instruction: variables, working
// directory, user and the events later instructions can see: variables
// defined, configuration files written and the shell's options.
func (st *stageState) record(fc *fileContext, eff *ast.Instruction) {
	if st.keyword == nil {
		st.keyword = map[string]bool{}
	}
	st.keyword[eff.Keyword] = true

	x := fc.x
	switch eff.Keyword {
	case "ENV", "ARG":
		for _, kv := range eff.Pairs {
			if kv.HasValue {
				st.env[kv.Key] = kv.Value
			}
			if eff.Keyword == "ENV" {
				st.events.add(x.keys.id(prefixStage + "env " + kv.Key))
			}
		}
	case "WORKDIR":
		if len(eff.Args) == 1 {
			if v, ok := st.expand(eff.Args[0].Value); ok {
				st.workdir = path.Clean(joinPath(st.workdir, v))
			} else {
				st.workdir = ""
			}
		}
	case "USER":
		if len(eff.Args) > 0 {
			st.user = eff.Args[0].Value
		}
	case "SHELL":
		for _, a := range eff.Args {
			if strings.Contains(a.Value, "pipefail") {
				st.events.add(x.keys.id(prefixStage + "shell pipefail"))
			}
		}
	}

	if eff.Script == nil || eff.Keyword != "RUN" {
		return
	}
	for _, c := range eff.Script.Commands {
		for _, w := range writtenFiles(c) {
			st.events.add(x.keys.id(prefixStage + "write " + w))
			for _, opt := range optionWords(c) {
				st.events.add(x.keys.id(prefixStage + "write " + w + " " + opt))
			}
		}
	}
}

// instruction records the occurrence of an instruction with its features.
func (fc *fileContext) instruction(inst, eff *ast.Instruction, st *stageState) {
	features, ok := instructionFeatures(fc.f, eff, st)
	if !ok {
		return
	}
	o := occurrence{
		ante:    fc.x.keys.id(prefixInst + eff.Keyword),
		shipped: fc.isShipped(inst.Stage),
		own:     fc.x.ids(features),
	}
	fc.add(o, inst.Start)
}

// instructionFeatures returns the features of one instruction as
// consequent keys. It reports false for an instruction that is no
// antecedent: a FROM of another stage, of scratch or of an image only known
// at build time.
func instructionFeatures(f *ast.File, eff *ast.Instruction, st *stageState) ([]string, bool) {
	var out []string
	feature := func(name string) { out = append(out, prefixFeat+name) }

	switch eff.Keyword {
	case "FROM":
		if eff.Stage < 0 || eff.Stage >= len(f.Stages) {
			return nil, false
		}
		s := f.Stages[eff.Stage]
		img := s.Image
		if s.BaseStage >= 0 || img.Scratch || img.Dynamic || img.Raw == "" {
			return nil, false
		}
		if img.Tag != "" {
			feature("tag")
		}
		if img.Digest != "" {
			feature("digest")
		}
		if img.Digest != "" || img.Tag != "" && img.Tag != "latest" {
			feature("pinned")
		}
		if img.Tag == "latest" {
			feature("latest")
		}
		if s.Platform != "" {
			feature("--platform")
		}
		if img.Registry != "" {
			feature("registry")
		}
		if strings.Contains(img.Raw, "$") {
			feature("variable")
		}
	case "RUN":
		out = append(out, runFeatures(eff)...)
	case "CMD", "ENTRYPOINT":
		if eff.JSON {
			feature("exec-form")
		}
	case "WORKDIR":
		if len(eff.Args) == 0 {
			return nil, false
		}
		v := eff.Args[0].Value
		if e, ok := st.expand(v); ok {
			v = e
		}
		if strings.HasPrefix(v, "/") {
			feature("absolute")
		}
		if strings.Contains(eff.Args[0].Value, "$") {
			feature("variable")
		}
	case "COPY", "ADD":
		for _, fl := range eff.Flags {
			feature("--" + fl.Name)
		}
		if eff.Keyword == "ADD" {
			out = append(out, addSources(eff)...)
		}
	case "USER":
		if len(eff.Args) == 0 {
			return nil, false
		}
		u := eff.Args[0].Value
		name, _, _ := strings.Cut(u, ":")
		switch {
		case name == "root" || name == "0":
			feature("root")
		case isDigits(name):
			feature("numeric")
		default:
			feature("name")
		}
	case "ENV":
		if len(eff.Args) > 0 && strings.Contains(eff.Args[0].Value, "=") {
			feature("key=value")
		}
	case "ARG":
		if len(eff.Pairs) > 0 && eff.Pairs[0].HasValue {
			feature("default")
		}
	case "SHELL":
		for _, a := range eff.Args {
			if strings.Contains(a.Value, "pipefail") {
				feature("pipefail")
			}
		}
	case "HEALTHCHECK":
		if len(eff.Args) > 0 && strings.EqualFold(eff.Args[0].Value, "NONE") {
			feature("none")
		}
	default:
		return nil, false
	}
	return out, true
}

// runFeatures returns the features of a RUN: its form, heredoc, mounts, and
// what its script runs (command names, the wrappers sudo and su, and the
// options of set).
func runFeatures(eff *ast.Instruction) []string {
	var out []string
	if eff.JSON {
		out = append(out, prefixFeat+"exec-form")
	}
	if len(eff.Heredocs) > 0 {
		out = append(out, prefixFeat+"heredoc")
	}
	for _, m := range eff.Mounts {
		out = append(out, prefixFeat+"--mount=type="+m.Type)
	}
	if eff.Script == nil {
		return out
	}
	for _, c := range eff.Script.Commands {
		if c.Dynamic {
			continue
		}
		base := c.Name
		if c.Subcommand != "" {
			base += " " + c.Subcommand
		}
		out = append(out, prefixRun+base)
		for _, w := range c.Wrappers {
			out = append(out, prefixRun+"via "+w)
		}
		if c.Name == "set" {
			for _, fl := range c.Flags {
				out = append(out, prefixRun+"set "+fl.Name)
			}
		}
	}
	return out
}

// addSources returns features of the sources of ADD: every argument but the
// last.
func addSources(eff *ast.Instruction) []string {
	var out []string
	args := eff.Args
	if len(args) < 2 {
		return nil
	}
	for _, a := range args[:len(args)-1] {
		tags := ast.Tags(a.Value, !a.Static, "")
		switch {
		case slices.Contains(tags, ast.TagURL):
			out = append(out, prefixFeat+"url-source")
		case slices.Contains(tags, ast.TagArchive):
			out = append(out, prefixFeat+"archive-source")
		default:
			out = append(out, prefixFeat+"local-source")
		}
	}
	return out
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// fileFeatures records the occurrences of the file and of its final stage.
func (fc *fileContext) fileFeatures(stages []*stageState) {
	f := fc.f
	if len(f.Instructions) == 0 {
		return
	}

	var out []string
	keywords := map[string]bool{}
	for _, inst := range f.Instructions {
		keywords[inst.Keyword] = true
		if inst.Inner != nil {
			keywords[inst.Inner.Keyword] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(keywords)) {
		out = append(out, prefixFeat+k)
	}
	for _, d := range f.Directives {
		out = append(out, prefixFeat+"directive "+d.Name)
	}
	if len(f.Stages) > 1 {
		out = append(out, prefixFeat+"multi-stage")
	}
	fc.add(occurrence{ante: fc.x.keys.id(keyFile), shipped: true, own: fc.x.ids(out)}, f.Instructions[0].Start)

	if len(f.Stages) == 0 || stages[len(stages)-1] == nil {
		return
	}
	final := f.Stages[len(f.Stages)-1]
	st := stages[len(stages)-1]
	out = out[:0]
	if st.user != "" {
		out = append(out, prefixFeat+"user")
		name, _, _ := strings.Cut(st.user, ":")
		if name != "root" && name != "0" {
			out = append(out, prefixFeat+"user-not-root")
		}
	}
	for _, k := range []string{"HEALTHCHECK", "CMD", "ENTRYPOINT", "EXPOSE", "LABEL", "VOLUME"} {
		if st.keyword[k] {
			out = append(out, prefixFeat+k)
		}
	}
	fc.add(occurrence{ante: fc.x.keys.id(keyFinal), shipped: true, own: fc.x.ids(out)}, final.From.Start)
}
