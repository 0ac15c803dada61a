package schema

import "strings"

// dashNames and plusNames name unknown letters inside clusters without an
// allocation per call: dashNames['q'] is "-q".
var dashNames, plusNames [128]string

func init() {
	for c := range 128 {
		dashNames[c] = "-" + string(rune(c))
		plusNames[c] = "+" + string(rune(c))
	}
}

// long reads a word that starts with "--": --yes, --opt=v or --opt v.
func (p *binder) long() {
	v := p.args[p.i].Value
	name := v
	if eq := strings.IndexByte(v, '='); eq > 0 {
		name = v[:eq]
	}

	f := p.scope.lookupLong(name)
	if f == nil {
		var prefix string
		if f, prefix = p.scope.lookupFamily(name); f != nil {
			p.family(f, prefix)
			return
		}
	}
	// NOTE: many parsers (APT, npm, wget, git) also accept --no-X for any
	// boolean --X. Such a spelling is known only where the schema lists it.
	if f == nil && p.s.style&styleAbbrev != 0 && len(name) > 3 {
		f = p.scope.lookupAbbrev(name)
	}
	p.word(f, name)
}

// single reads a word that starts with one dash: a whole-word flag (find
// -name, wget -nv), a number (head -5) or a cluster of short flags (-xzf).
func (p *binder) single() {
	v := p.args[p.i].Value
	noCluster := p.s.style&styleNoCluster != 0
	name := v
	if eq := strings.IndexByte(v, '='); eq > 0 && noCluster {
		name = v[:eq]
	}

	if f := p.scope.lookupLong(name); f != nil {
		p.word(f, name)
		return
	}
	if f := p.scope.lookupNumeric(); f != nil && isDigits(v[1:]) {
		p.numeric(f)
		return
	}

	// In no-cluster style, -I/usr/include and -j4 glue a value to a letter.
	if noCluster {
		if f := p.scope.lookupShort('-', v[1]); f != nil && f.value != valueNone {
			p.cluster(1, '-')
			return
		}
	}
	if f, prefix := p.scope.lookupFamily(name); f != nil {
		p.family(f, prefix)
		return
	}
	if !noCluster {
		p.cluster(1, '-')
		return
	}
	p.word(nil, name)
}

// word reads a flag whose spelling is name, the whole word or the part
// before "=". f is nil for an unknown flag.
func (p *binder) word(f *flagSpec, name string) {
	i := p.i
	v := p.args[i].Value
	fl := Flag{Arg: i, Len: len(name), Name: name, Spelling: name, Count: 1, ValueArg: -1}
	if f != nil {
		fl.Name, fl.Known, fl.ValueRole = f.name, true, f.role
	}

	next := i + 1
	switch {
	case len(name) < len(v):
		fl.Value, fl.HasValue, fl.ValueArg, fl.ValueOffset = v[len(name)+1:], true, i, len(name)+1
	case f != nil:
		next = p.separateValue(f, &fl, next)
	}
	p.finish(f, fl, next)
}

// family reads a flag that matched a prefix spelling: --enable-foo or,
// when glued, -Xmx512m.
func (p *binder) family(f *flagSpec, prefix string) {
	i := p.i
	v := p.args[i].Value
	if f.glued {
		fl := Flag{Arg: i, Len: len(prefix), Name: f.name, Spelling: prefix, Count: 1, Known: true, ValueArg: -1, ValueRole: f.role}
		if len(v) > len(prefix) {
			fl.Value, fl.HasValue, fl.ValueArg, fl.ValueOffset = v[len(prefix):], true, i, len(prefix)
		}
		p.finish(f, fl, i+1)
		return
	}

	// The name of a family member is its own spelling: --enable-shared.
	name := v
	if eq := strings.IndexByte(v, '='); eq > 0 {
		name = v[:eq]
	}
	fl := Flag{Arg: i, Len: len(name), Name: name, Spelling: name, Count: 1, Known: true, ValueArg: -1, ValueRole: f.role}
	next := i + 1
	if len(name) < len(v) {
		fl.Value, fl.HasValue, fl.ValueArg, fl.ValueOffset = v[len(name)+1:], true, i, len(name)+1
	} else {
		next = p.separateValue(f, &fl, next)
	}
	p.finish(f, fl, next)
}

// numeric reads -NUM, as head -5: the dash is the spelling and the digits
// the value.
func (p *binder) numeric(f *flagSpec) {
	i := p.i
	v := p.args[i].Value
	fl := Flag{
		Arg: i, Len: 1, Name: f.name, Spelling: v[:1], Count: 1, Known: true,
		Value: v[1:], HasValue: true, ValueArg: i, ValueOffset: 1, ValueRole: f.role,
	}
	p.finish(f, fl, i+1)
}

// separateValue binds the value of f from args[next] when f takes one there,
// and returns the index after the words it used.
func (p *binder) separateValue(f *flagSpec, fl *Flag, next int) int {
	if next >= len(p.args) {
		return next
	}
	take := f.value == valueRequired ||
		f.value == valueOptional && f.role == "number" && isDigits(p.args[next].Value)
	if !take {
		return next
	}
	fl.Value, fl.HasValue, fl.ValueArg = p.args[next].Value, true, next
	next++

	// Further value words are operands with the roles that f gives them.
	for _, role := range f.extra {
		if next >= len(p.args) {
			break
		}
		p.b.Operands = append(p.b.Operands, Operand{Arg: next, Role: role})
		next++
	}
	return next
}

// cluster reads the short flags of the word at p.i from byte from on, each
// written after prefix ('-' or '+'): -xzf, +ex. A letter that takes a value
// takes the rest of the word, or the next arg when the rest is empty. A
// letter that takes none may still have an inline value after "=" (-q=2).
func (p *binder) cluster(from int, prefix byte) {
	i := p.i
	v := p.args[i].Value
	next := i + 1
	for j := from; j < len(v); {
		c := v[j]
		if c == '$' || c == '`' {
			p.expansionTail(i, from, j)
			break
		}
		f := p.scope.lookupShort(prefix, c)
		n := 1
		for f == nil || f.value == valueNone {
			if j+n >= len(v) || v[j+n] != c {
				break
			}
			n++
		}

		// The first flag of a word includes its dash: "-x" in -xzf.
		start := j
		if j == from {
			start = 0
		}
		fl := Flag{Arg: i, Offset: start, Len: j + n - start, Spelling: v[start : j+n], Count: n, ValueArg: -1}
		fl.Name = letterName(prefix, c, fl.Spelling)
		if f != nil {
			fl.Name, fl.Known, fl.ValueRole = f.name, true, f.role
		}
		j += n

		switch {
		case f != nil && f.value != valueNone:
			if j < len(v) {
				fl.Value, fl.HasValue, fl.ValueArg, fl.ValueOffset = v[j:], true, i, j
			} else {
				next = p.separateValue(f, &fl, next)
			}
			j = len(v)
		case j < len(v) && v[j] == '=':
			// APT reads -q=2 as -q with the value 2.
			fl.Value, fl.HasValue, fl.ValueArg, fl.ValueOffset = v[j+1:], true, i, j+1
			j = len(v)
		}
		p.finish(f, fl, next)
	}
	p.i = next
}

// expansionTail records the rest of a cluster word from byte j on as one
// unknown flag, because an expansion such as -${OPTS} hides its letters.
func (p *binder) expansionTail(i, from, j int) {
	v := p.args[i].Value
	start := j
	if j == from {
		start = 0
	}
	p.b.Flags = append(p.b.Flags, Flag{
		Arg: i, Offset: start, Len: len(v) - start, Name: v[start:], Spelling: v[start:], Count: 1, ValueArg: -1,
	})
}

// oldTar reads an old-style tar key without a dash, as xzf in
// "tar xzf a.tgz". Each letter that takes a value takes the next unused
// arg in turn.
func (p *binder) oldTar() {
	i := p.i
	v := p.args[i].Value
	next := i + 1
	for j := 0; j < len(v); j++ {
		c := v[j]
		f := p.scope.lookupShort('-', c)
		fl := Flag{Arg: i, Offset: j, Len: 1, Spelling: v[j : j+1], Count: 1, ValueArg: -1}
		fl.Name = letterName('-', c, fl.Spelling)
		if f != nil {
			fl.Name, fl.Known, fl.ValueRole = f.name, true, f.role
			if f.value == valueRequired {
				next = p.separateValue(f, &fl, next)
			}
		}
		p.finish(f, fl, next)
	}
	p.i = next
}

// letterName names a cluster letter: "-q" for q after a dash.
func letterName(prefix, c byte, spelling string) string {
	if c >= 128 {
		return spelling
	}
	if prefix == '+' {
		return plusNames[c]
	}
	return dashNames[c]
}

// finish records fl, applies the effects of its schema entry f and moves
// to args[next].
func (p *binder) finish(f *flagSpec, fl Flag, next int) {
	p.b.Flags = append(p.b.Flags, fl)
	p.i = next
	if p.s.style&styleFind != 0 && len(p.b.Operands) > 0 {
		p.expression = true
	}
	if f == nil {
		return
	}

	// NOTE: the last flag that selects a pattern gives roles to every
	// operand, including those before it, as dpkg and gpg read their modes.
	if f.pattern != nil {
		p.pat = f.pattern
	}
	if f.stop {
		p.optionsDone = true
	}
	if f.exec {
		p.execUntilTerminator()
	}
	if f.dispatch && fl.HasValue {
		if mod := modules[fl.Value]; mod != nil {
			p.enter(mod, mod.names[0], next)
		}
	}
}

// execUntilTerminator binds the command after find -exec: the args up to
// ";" or up to "+" right after "{}". Without a terminator the command runs
// to the end.
func (p *binder) execUntilTerminator() {
	start := p.i
	end := len(p.args)
	for j := start; j < len(p.args); j++ {
		a := p.args[j]
		if a.Static && (a.Value == ";" || a.Value == "+" && j > start && p.args[j-1].Value == "{}") {
			end = j
			break
		}
	}
	if end > start {
		p.addExec(start, end)
	}
	p.i = min(end+1, len(p.args))
}

// allShort reports whether every letter after the dash of v is a known
// short flag.
func (p *binder) allShort(v string) bool {
	for j := 1; j < len(v); j++ {
		if p.scope.lookupShort('-', v[j]) == nil {
			return false
		}
	}
	return true
}

// isSymbolicMode reports whether v is a chmod mode that starts with a dash,
// as -x or -rwx,g+w.
func isSymbolicMode(v string) bool {
	for j := 1; j < len(v); j++ {
		if !strings.ContainsRune("rwxXstugoa+-=,01234567", rune(v[j])) {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
