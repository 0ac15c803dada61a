package mining

import (
	"slices"
	"strings"

	"github.com/dockmine/dockmine/ast"
	"github.com/dockmine/dockmine/ast/schema"
)

// modeSpellings lists, per command, flags that select what the command
// does, as a subcommand would: tar -x extracts and tar -c creates. A command
// run with one of them is also an antecedent of its own.
//
// NOTE: the schemas know these as the flags that select an operand pattern
// ("--verify => file..."), but the tree does not expose that, so the list is
// kept here by hand.
var modeSpellings = map[string][]string{
	"tar":       {"-x", "-c", "-t"},
	"gpg":       {"--verify", "--recv-keys", "--import", "--export", "--decrypt", "--dearmor", "--detach-sign", "--fingerprint"},
	"mktemp":    {"-d"},
	"sha256sum": {"-c"},
	"sha512sum": {"-c"},
	"sha384sum": {"-c"},
	"sha224sum": {"-c"},
	"sha1sum":   {"-c"},
	"md5sum":    {"-c"},
}

// modeFlags holds modeSpellings under the canonical flag names that the
// schemas give, which is what the tree carries.
var modeFlags = canonicalModes()

func canonicalModes() map[string][]string {
	out := map[string][]string{}
	for cmd, spellings := range modeSpellings {
		for _, sp := range spellings {
			b := schema.Bind(cmd, []schema.Arg{{Value: sp, Static: true}})
			name := sp
			if len(b.Flags) == 1 && b.Flags[0].Known {
				name = b.Flags[0].Name
			}
			out[cmd] = append(out[cmd], name)
		}
	}
	return out
}

// objectRoles are the operand roles that name a file or directory which a
// later command may use or remove.
var objectRoles = map[string]bool{
	"archive": true, "file": true, "path": true, "directory": true, "destination": true,
	"checksum-file": true, "script-file": true,
}

// skipRoles are operand roles whose tags carry nothing a rule could use:
// free text, expressions and programs.
var skipRoles = map[string]bool{
	"": true, "argument": true, "expression": true, "string": true, "program": true, "words": true,
	"script": true, "assignment": true, "command": true, "pattern": true,
}

// cmdInfo is the events, objects and references of one command of a
// script.
type cmdInfo struct {
	c        *ast.Command
	skip     bool     // dynamic name: no antecedent, no events
	base     string   // "apt-get install"
	modes    []string // mode flags present, canonical
	dirs     []string // dir:* tags of its operands
	events   []string // event texts, see events
	flags    []string // "flag" and "value" consequents
	operands map[string][]string
	objects  []object
	refs     []pathRef // normalized operand and flag values
}

// object is a file or directory a command names, which later commands may
// name again.
type object struct {
	value string // normalized, see normalizePath
	label string // "archive", "signature", "output", an operand role or a flag name
}

// script computes the occurrences of the commands of one script.
func (fc *fileContext) script(inst, eff *ast.Instruction, st *stageState) {
	cmds := fc.commandInfos(eff.Script, st)
	lists := fc.orderLists(cmds, eff)
	shipped := fc.isShipped(inst.Stage)
	stageKeys := st.keys()

	for i := range cmds {
		info := &cmds[i]
		fc.res.uses = append(fc.res.uses, commandUseOf(info.c))
		if info.skip {
			continue
		}
		cond := info.c.Context.Conditional
		after, before := lists.afterAt(i, cond), lists.beforeAt(i, cond)
		own := fc.x.ids(info.flags)

		base := occurrence{shipped: shipped, own: own, after: after, before: before, stage: stageKeys}
		for _, ante := range commandAntecedents(info) {
			o := base
			o.ante = fc.x.keys.id(ante)
			fc.add(o, info.c.Start)
		}
		fc.objectOccurrences(cmds, i, shipped)

		for role, tags := range info.operands {
			o := occurrence{shipped: shipped, ante: fc.x.keys.id(prefixOp + info.base + " " + role)}
			o.own = fc.x.ids(tags)
			fc.add(o, info.c.Start)
		}
	}
	fc.subcommands(cmds, shipped)
}

// subcommands records one occurrence per command name that the script runs
// with subcommands, at its first run, with the subcommands as consequents:
// a script that uses apt-get may or may not run apt-get upgrade.
func (fc *fileContext) subcommands(cmds []cmdInfo, shipped bool) {
	type use struct {
		first *ast.Command
		subs  []string
	}
	var names []string
	uses := map[string]*use{}
	for i := range cmds {
		c := cmds[i].c
		if cmds[i].skip || c.Subcommand == "" {
			continue
		}
		u := uses[c.Name]
		if u == nil {
			u = &use{first: c}
			uses[c.Name] = u
			names = append(names, c.Name)
		}
		u.subs = append(u.subs, prefixSub+c.Subcommand)
	}
	for _, name := range names {
		u := uses[name]
		o := occurrence{shipped: shipped, ante: fc.x.keys.id(prefixCmd + name), own: fc.x.ids(u.subs)}
		fc.add(o, u.first.Start)
	}
}

// commandAntecedents returns the antecedent keys of a command: its name and
// subcommand, and the same with each mode flag and each well-known directory
// among its operands.
func commandAntecedents(info *cmdInfo) []string {
	out := []string{prefixCmd + info.base}
	for _, m := range info.modes {
		out = append(out, prefixCmd+info.base+" "+m)
	}
	if info.c.Name != "rm" {
		for _, d := range info.dirs {
			out = append(out, prefixCmd+info.base+" <"+d+">")
		}
	}
	return out
}

// commandInfos computes the events, objects and references of each command,
// following cd so that relative paths compare and the variables the script
// sets so that "$dir" compares with the path assigned to it.
func (fc *fileContext) commandInfos(script *ast.Script, st *stageState) []cmdInfo {
	cmds := make([]cmdInfo, len(script.Commands))
	cwd := st.workdir
	vars := newScriptVars(script, st)
	for i, c := range script.Commands {
		vars.before(i)
		info := &cmds[i]
		info.c = c
		if c.Dynamic || c.Name == "" {
			info.skip = true
			vars.after(c)
			continue
		}
		info.base = c.Name
		if c.Subcommand != "" {
			info.base += " " + c.Subcommand
		}
		info.modes = modesOf(c)
		info.dirs = dirTags(c, vars)
		info.events = commandEvents(info)
		info.flags = flagConsequents(c, vars)
		info.operands = operandTags(c, vars)
		info.objects, info.refs = objectsOf(script, c, cwd, vars)

		if c.Name == "cd" && !c.Context.Conditional && !c.Context.Subshell && len(c.Operands) == 1 {
			cwd = joinPath(cwd, normalizePath(c.Operands[0].Word, vars))
		}
		vars.after(c)
	}
	return cmds
}

func modesOf(c *ast.Command) []string {
	var out []string
	for _, m := range modeFlags[c.Name] {
		if c.HasFlag(m) {
			out = append(out, m)
		}
	}
	return out
}

// dirTags returns the well-known directory tags of a command's operands, in
// first-seen order without repeats.
func dirTags(c *ast.Command, vars *scriptVars) []string {
	var out []string
	for _, op := range c.Operands {
		_, tags := vars.resolve(op.Word, op.Role)
		for _, t := range tags {
			if s := string(t); strings.HasPrefix(s, "dir:") && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// settingCommands change how the shell runs the rest of the script. They
// are left out of "after" and "before" consequents, because every command
// of a script that starts with set -eux would otherwise be "preceded by
// set"; RUN features record them instead.
var settingCommands = map[string]bool{"set": true, "shopt": true}

// commandEvents returns the event texts of a command, which "after" and
// "before" consequents are made of. They are its name and subcommand, the
// same with each mode flag, and the cleanup of each well-known directory it
// removes. Other commands add the well-known directories they name, a
// checksum line they print and the configuration files they write.
func commandEvents(info *cmdInfo) []string {
	c := info.c
	if settingCommands[c.Name] {
		return nil
	}
	events := []string{info.base}
	for _, m := range info.modes {
		events = append(events, info.base+" "+m)
	}
	for _, d := range info.dirs {
		if c.Name == "rm" {
			events = append(events, "clean <"+d+">")
		} else {
			events = append(events, info.base+" <"+d+">")
		}
	}
	if c.Name == "echo" || c.Name == "printf" {
		for _, op := range c.Operands {
			if isChecksumLine(op.Value) {
				events = append(events, c.Name+" <checksum-line>")
				break
			}
		}
	}
	for _, w := range writtenFiles(c) {
		events = append(events, "write "+w)
		for _, opt := range optionWords(c) {
			events = append(events, "write "+w+" "+opt)
		}
	}
	return events
}

// flagConsequents returns a command's flags and the flag values known
// statically.
func flagConsequents(c *ast.Command, vars *scriptVars) []string {
	var out []string
	for _, f := range c.Flags {
		out = append(out, prefixFlag+f.Name)
		if v := flagValueKey(f, vars); v != "" {
			out = append(out, prefixValue+f.Name+"="+v)
		}
	}
	return out
}

// objectOccurrences records, for each kind of object that command i names,
// an occurrence of "cmd BASE @label" (and of it with each mode flag) whose
// consequents are the later and earlier commands of the script that name
// one of those objects. Only commands with such an object are antecedents,
// so "rm @signature follows gpg --verify @signature" is not broken by a
// gpg --verify whose signature is a variable that cannot be followed.
func (fc *fileContext) objectOccurrences(cmds []cmdInfo, i int, shipped bool) {
	info := &cmds[i]
	var labels []string
	for _, obj := range info.objects {
		if !slices.Contains(labels, obj.label) {
			labels = append(labels, obj.label)
		}
	}

	cond := info.c.Context.Conditional
	for _, label := range labels {
		var bound []string
		for j := range cmds {
			other := &cmds[j]
			if j == i || other.skip || (other.c.Context.Conditional && !cond) {
				continue
			}
			prefix := prefixAfter
			if j < i {
				prefix = prefixBefor
			}
			for _, obj := range info.objects {
				if obj.label == label && refersTo(other.refs, obj.value) {
					bound = append(bound, prefix+other.base+" @"+label)
					break
				}
			}
		}

		own := fc.x.ids(bound)
		for _, prefix := range append([]string{info.base}, modeBases(info)...) {
			o := occurrence{shipped: shipped, ante: fc.x.keys.id(prefixCmd + prefix + " @" + label), own: own}
			fc.add(o, info.c.Start)
		}
	}
}

// modeBases returns the command with each of its mode flags, as "tar
// --extract".
func modeBases(info *cmdInfo) []string {
	out := make([]string, 0, len(info.modes))
	for _, m := range info.modes {
		out = append(out, info.base+" "+m)
	}
	return out
}

// flagValueKey returns the value of a flag as used in a "value" consequent:
// known statically (written so, or through variables set by ENV, ARG or
// earlier in the script, as --keyserver "$PGP_KEYSERVER"), short, and not a
// version, number, checksum or path that differs from file to file. It
// returns "" otherwise.
func flagValueKey(f *ast.Flag, vars *scriptVars) string {
	if f.Value == nil {
		return ""
	}
	v := vars.wordText(f.Value)
	if v == "" || len(v) > 48 || strings.ContainsAny(v, " \t\n$`") {
		return ""
	}
	for _, t := range ast.Tags(v, false, "") {
		switch t {
		case ast.TagVersion, ast.TagNumber, ast.TagChecksum, ast.TagPath, ast.TagArchive:
			return ""
		}
	}
	return v
}

// operandTags groups the informative operands of a command by role and
// returns, per role, the tags that every one of them carries. A word with
// expansions keeps the tree's tags, unless the variables that ENV, ARG or
// the script set statically make it static, so "$URL" can count as https.
// An operand whose value still starts with a variable, or that carries no
// tag but "variable", is left out because its nature is unknown. So is a
// role without any other operand, and a tag that only restates the role,
// such as "package" for a package.
func operandTags(c *ast.Command, vars *scriptVars) map[string][]string {
	var out map[string][]string
	for _, op := range c.Operands {
		if skipRoles[op.Role] {
			continue
		}
		v, tags := vars.resolve(op.Word, op.Role)
		if strings.HasPrefix(v, "$") || informative(tags) == 0 {
			continue
		}

		if out == nil {
			out = map[string][]string{}
		}
		prev, seen := out[op.Role]
		var next []string
		for _, t := range tags {
			if t == ast.TagVariable || restatesRole(t, op.Role) {
				continue
			}
			key := prefixTag + string(t)
			if !seen || slices.Contains(prev, key) {
				next = append(next, key)
			}
		}
		if next == nil {
			next = []string{}
		}
		out[op.Role] = next
	}
	return out
}

// restatesRole reports whether every operand of a role carries the tag
// because of what the role is: such a tag is syntax, not a practice.
func restatesRole(t ast.Tag, role string) bool {
	switch t {
	case ast.TagPackage:
		return role == "package"
	case ast.TagPath:
		return role == "path" || role == "file" || role == "directory" || role == "destination" || role == "script-file"
	case ast.TagArchive:
		return role == "archive"
	case ast.TagNumber:
		return role == "number" || role == "mode"
	case ast.TagURL:
		return role == "url"
	}
	return false
}

func informative(tags []ast.Tag) int {
	n := 0
	for _, t := range tags {
		if t != ast.TagVariable {
			n++
		}
	}
	return n
}

func commandUseOf(c *ast.Command) commandUse {
	u := commandUse{name: c.Name, sub: c.Subcommand, known: c.Known, flags: len(c.Flags)}
	if c.Dynamic {
		u.name = "(dynamic)"
	}
	for _, f := range c.Flags {
		if !f.Known {
			u.unknownFlags++
		}
	}
	return u
}
