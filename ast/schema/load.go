package schema

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

//go:embed commands/*.schema
var commandFiles embed.FS

// line is one meaningful line of a schema file.
type line struct {
	file   string
	number int
	words  []string
}

func (l line) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", l.file, l.number, fmt.Sprintf(format, args...))
}

// loader builds schemas from the lines of every schema file.
type loader struct {
	schemas []*schema
	groups  map[string][]line // named flag lists for "use"
	schema  *schema           // the command being read; nil before the first
	scope   *scope            // the level that flag lines go to
	group   string            // the group being read; "" when none
	flagged bool              // the command being read has a flag or subcommand
}

// loadFiles reads every embedded schema file in name order.
func loadFiles(fsys fs.FS) ([]*schema, error) {
	names, err := fs.Glob(fsys, "commands/*.schema")
	if err != nil {
		return nil, err
	}
	ld := &loader{groups: map[string][]line{}}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ld.schema, ld.scope, ld.group = nil, nil, ""
		if err := ld.readFile(name, string(data)); err != nil {
			return nil, err
		}
	}
	for _, s := range ld.schemas {
		finishScope(s.top)
	}
	return ld.schemas, nil
}

func (ld *loader) readFile(name, text string) error {
	sc := bufio.NewScanner(strings.NewReader(text))
	number := 0
	for sc.Scan() {
		number++
		words := strings.Fields(stripComment(sc.Text()))
		if len(words) == 0 {
			continue
		}
		if err := ld.readLine(line{file: name, number: number, words: words}); err != nil {
			return err
		}
	}
	return sc.Err()
}

// stripComment removes a "#" comment that starts the line or follows a
// blank, so that curl's "-#" stays a spelling.
func stripComment(text string) string {
	for i := 0; i < len(text); i++ {
		if text[i] == '#' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t') {
			return text[:i]
		}
	}
	return text
}

func (ld *loader) readLine(l line) error {
	keyword, rest := l.words[0], l.words[1:]
	if keyword == "group" {
		if len(rest) != 1 {
			return l.errorf("group takes one name")
		}
		ld.schema, ld.scope, ld.group = nil, nil, rest[0]
		ld.groups[ld.group] = nil
		return nil
	}
	if ld.group != "" && keyword != "command" {
		if keyword != "use" && keyword != "sub" && keyword != "operands" && !isSpelling(keyword) {
			return l.errorf("a group may contain only flag, use, sub and operands lines, not %q", keyword)
		}
		ld.groups[ld.group] = append(ld.groups[ld.group], l)
		return nil
	}

	if keyword == "command" {
		return ld.startCommand(l, rest)
	}
	if ld.schema == nil {
		return l.errorf("%q before the first command line", keyword)
	}
	switch keyword {
	case "version":
		ld.schema.version = strings.Join(rest, " ")
	case "alias":
		ld.schema.aliases = append(ld.schema.aliases, rest...)
	case "versioned":
		ld.schema.versioned = true
	case "pin":
		if len(rest) == 0 {
			return l.errorf("pin needs at least one operator")
		}
		ld.schema.pins = append(ld.schema.pins, rest...)
		slices.SortStableFunc(ld.schema.pins, func(a, b string) int { return len(b) - len(a) })
	case "module":
		if len(rest) != 1 {
			return l.errorf("module takes one name")
		}
		ld.schema.module = rest[0]
	case "style":
		return ld.setStyle(l, rest)
	case "operands":
		p, err := parsePattern(strings.Join(rest, " "))
		if err != nil {
			return l.errorf("%v", err)
		}
		ld.scope.operands = p
	case "sub":
		return ld.startSub(l, rest)
	case "use":
		return ld.use(l, rest)
	default:
		if !isSpelling(keyword) {
			return l.errorf("unknown keyword %q", keyword)
		}
		return ld.addFlag(l)
	}
	return nil
}

func (ld *loader) startCommand(l line, names []string) error {
	if len(names) == 0 {
		return l.errorf("command needs a name")
	}
	ld.group, ld.flagged = "", false
	source := fmt.Sprintf("%s:%d", l.file, l.number)
	ld.schema = &schema{names: slices.Clone(names), source: source, top: newScope("", nil)}
	ld.scope = ld.schema.top
	ld.schemas = append(ld.schemas, ld.schema)
	return nil
}

func (ld *loader) setStyle(l line, words []string) error {
	if ld.flagged {
		return l.errorf("style must come before flags and subcommands")
	}
	for _, w := range words {
		bits, ok := styleNames[w]
		if !ok {
			return l.errorf("unknown style %q", w)
		}
		ld.schema.style |= bits
	}
	return nil
}

// startSub reads "sub install|i" or "sub cache clean": one word per level,
// with "|" between the aliases of a level.
func (ld *loader) startSub(l line, levels []string) error {
	if len(levels) == 0 || len(levels) > 2 {
		return l.errorf("sub takes one or two levels")
	}
	parent := ld.schema.top
	for _, level := range levels {
		aliases := strings.Split(level, "|")
		child := parent.children[aliases[0]]
		if child == nil {
			path := aliases[0]
			if parent.path != "" {
				path = parent.path + " " + path
			}
			child = newScope(path, parent)
			if parent.children == nil {
				parent.children = map[string]*scope{}
			}
			parent.hasSubs = true
		}
		for _, alias := range aliases {
			if other := parent.children[alias]; other != nil && other != child {
				return l.errorf("subcommand alias %q is used twice", alias)
			}
			parent.children[alias] = child
		}
		parent = child
	}
	ld.scope = parent
	ld.flagged = true
	return nil
}

// use replays the lines of groups at the current level. Subcommands that
// a group declares do not change the level of the lines after "use".
func (ld *loader) use(l line, names []string) error {
	current := ld.scope
	defer func() { ld.scope = current }()
	for _, name := range names {
		lines, ok := ld.groups[name]
		if !ok {
			return l.errorf("unknown group %q", name)
		}
		for _, gl := range lines {
			if err := ld.readLine(gl); err != nil {
				return err
			}
		}
		ld.scope = current
	}
	return nil
}

// isSpelling reports whether a word starts a flag line.
func isSpelling(word string) bool {
	return word[0] == '-' || word[0] == '+'
}

// addFlag reads a flag line and registers each of its spellings at the
// current level.
func (ld *loader) addFlag(l line) error {
	spellings, f, err := parseFlagLine(l.words)
	if err != nil {
		return l.errorf("%v", err)
	}
	ld.flagged = true
	for _, sp := range spellings {
		if err := ld.register(sp, f); err != nil {
			return l.errorf("%v", err)
		}
	}
	return nil
}

// parseFlagLine reads the words of a flag line. The spellings come first.
// An optional value follows as "=role", or "[=role]" when the value is
// optional, and each further "=role" adds a value word. Then come the
// attributes (glued, stop, exec, dispatch) and an optional "=> pattern".
func parseFlagLine(words []string) ([]string, *flagSpec, error) {
	f := &flagSpec{}
	i := 0
	for i < len(words) && isSpelling(words[i]) {
		i++
	}
	spellings := words[:i]
	if len(spellings) == 0 {
		return nil, nil, fmt.Errorf("flag line without a spelling")
	}

	for ; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "=>":
			p, err := parsePattern(strings.Join(words[i+1:], " "))
			if err != nil {
				return nil, nil, err
			}
			f.pattern = p
			i = len(words)
		case strings.HasPrefix(w, "[=") && strings.HasSuffix(w, "]"):
			f.value, f.role = valueOptional, w[2:len(w)-1]
		case strings.HasPrefix(w, "=") && f.value == valueRequired:
			f.extra = append(f.extra, w[1:])
		case strings.HasPrefix(w, "="):
			f.value, f.role = valueRequired, w[1:]
		case w == "glued":
			f.glued = true
		case w == "stop":
			f.stop = true
		case w == "exec":
			f.exec = true
		case w == "dispatch":
			f.dispatch = true
		default:
			return nil, nil, fmt.Errorf("unknown flag attribute %q", w)
		}
	}

	for _, role := range append([]string{f.role}, f.extra...) {
		if f.value != valueNone && !roles[role] {
			return nil, nil, fmt.Errorf("unknown role %q", role)
		}
	}
	if f.glued && !strings.HasSuffix(spellings[0], "*") {
		return nil, nil, fmt.Errorf("glued needs a family spelling ending in *")
	}
	f.name = canonicalName(spellings)
	return spellings, f, nil
}

// canonicalName picks the name of a flag: its first double-dash spelling,
// or its first spelling when it has none. A family's "*" is dropped.
func canonicalName(spellings []string) string {
	name := spellings[0]
	for _, sp := range spellings {
		if strings.HasPrefix(sp, "--") {
			name = sp
			break
		}
	}
	return strings.TrimSuffix(name, "*")
}

// register adds one spelling of f to the current scope.
func (ld *loader) register(spelling string, f *flagSpec) error {
	s := ld.scope
	st := ld.schema.style
	switch {
	case spelling == "-NUM":
		if s.numeric != nil {
			return fmt.Errorf("-NUM is listed twice")
		}
		s.numeric = f
		return nil
	case strings.HasSuffix(spelling, "*") && len(spelling) > 2:
		f.family = true
		s.families = append(s.families, f)
		s.prefixes = append(s.prefixes, strings.TrimSuffix(spelling, "*"))
		return nil
	case len(spelling) == 2 && spelling[1] != '-':
		table := &s.short
		if spelling[0] == '+' {
			table = &s.plus
		}
		if spelling[1] >= 128 {
			return fmt.Errorf("spelling %q is not ASCII", spelling)
		}
		if table[spelling[1]] != nil {
			return fmt.Errorf("spelling %q is listed twice", spelling)
		}
		table[spelling[1]] = f
		if st&styleNoCluster == 0 {
			return nil
		}
	}

	if err := addLong(s, spelling, f); err != nil {
		return err
	}
	if st&styleGo != 0 && !strings.HasPrefix(spelling, "--") {
		return addLong(s, "-"+spelling, f)
	}
	return nil
}

func addLong(s *scope, spelling string, f *flagSpec) error {
	if s.long[spelling] != nil {
		return fmt.Errorf("spelling %q is listed twice", spelling)
	}
	s.long[spelling] = f
	return nil
}

func newScope(path string, parent *scope) *scope {
	return &scope{path: path, parent: parent, long: map[string]*flagSpec{}}
}

// finishScope sorts the lookup lists of s and its subcommands.
func finishScope(s *scope) {
	for spelling := range s.long {
		if strings.HasPrefix(spelling, "--") {
			s.longs = append(s.longs, spelling)
		}
	}
	slices.Sort(s.longs)

	// Longest prefix first, so --with-openssl-dir* wins over --with-*.
	order := make([]int, len(s.prefixes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(s.prefixes[b]) - len(s.prefixes[a]) })
	families := make([]*flagSpec, len(order))
	prefixes := make([]string, len(order))
	for i, j := range order {
		families[i], prefixes[i] = s.families[j], s.prefixes[j]
	}
	s.families, s.prefixes = families, prefixes

	seen := map[*scope]bool{}
	for _, child := range s.children {
		if !seen[child] {
			seen[child] = true
			finishScope(child)
		}
	}
}
