package rules

import (
	"path"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// Comparisons of a clause's Same.
const (
	SameValue    = "value"    // an operand or flag value names the same thing as the focus word
	SameBasename = "basename" // the same, compared after the last slash
	SamePath     = "path"     // the same path, or a directory or glob that contains it
	SameOutput   = "output"   // names the variable that stores the match's output, or contains it
)

// sameWord reports whether a related site has an operand, argument or flag
// value that names what the hit's focus names. The focus is the operand or
// argument the match selected, the value of the flag it selected (the
// archive of tar -f ARCHIVE), or, for "output", the variable that stores
// the matched command's output. Values are compared after normalization,
// see [fileIndex.normalValue].
func (fx *fileIndex) sameWord(compare string, h *hit, other *site) bool {
	var want string
	switch {
	case compare == SameOutput:
		if h.site.cmd == nil {
			return false
		}
		name := OutputVariable(h.site.inst.Script, h.site.cmd)
		if name == "" {
			return false
		}
		want = "$" + name
	case h.word != nil:
		want = fx.normalValue(h.word, h.site)
	case h.flag != nil && h.flag.Value != nil:
		want = fx.normalValue(h.flag.Value, h.site)
	default:
		want = h.text
	}
	if compare == SameBasename {
		want = baseName(want)
	}

	matches := func(w *ast.Word) bool {
		v := fx.normalValue(w, other)
		switch compare {
		case SameBasename:
			return baseName(v) == want
		case SamePath, SameOutput:
			return contains(v, want)
		}
		return v == want
	}
	if other.cmd == nil {
		for _, a := range other.inst.Args {
			if matches(a) {
				return true
			}
		}
		return false
	}
	for _, op := range other.cmd.Operands {
		if matches(op.Word) {
			return true
		}
	}
	for _, f := range other.cmd.Flags {
		if f.Value != nil && matches(f.Value) {
			return true
		}
	}
	return false
}

// normalValue returns a word's value in a form where two spellings of one
// path compare equal. Variables with known values are substituted and
// others written $NAME. A "./" prefix and a trailing slash are dropped, and
// "." and ".." are cleaned from a value without expansions.
//
// NOTE: relative paths are not joined to the directory cd moved to, so
// "cd /tmp && rm x.tgz" does not name /tmp/x.tgz.
func (fx *fileIndex) normalValue(w *ast.Word, s *site) string {
	v := w.Value
	if !w.Static {
		v = fx.expandKnown(v, s)
	}
	for strings.HasPrefix(v, "./") {
		v = v[2:]
	}
	if len(v) > 1 {
		v = strings.TrimRight(v, "/")
	}
	if v != "" && !strings.ContainsAny(v, "*?[$`") {
		v = path.Clean(v)
	}
	return v
}

// expandKnown substitutes the variables whose values are known at s and
// writes the others as $NAME, so that "${dir}" and "$dir" compare equal.
func (fx *fileIndex) expandKnown(raw string, s *site) string {
	if !strings.Contains(raw, "$") {
		return raw
	}
	return expansionPattern.ReplaceAllStringFunc(raw, func(m string) string {
		sub := expansionPattern.FindStringSubmatch(m)
		name := sub[1] + sub[4]
		if name == "" {
			return m
		}
		if sub[2] == "" {
			if value, ok := fx.variable(name, s); ok {
				return value
			}
		}
		if sub[1] != "" && sub[2] == "" {
			return "$" + name
		}
		return m
	})
}

// contains reports whether ref names v, or a directory or glob that
// contains it: rm -rf /tmp/build removes /tmp/build/x.tgz, and rm
// /tmp/*.asc removes /tmp/x.asc.
func contains(ref, v string) bool {
	if ref == "" || v == "" {
		return false
	}
	i := strings.IndexAny(ref, "*?[")
	if i < 0 {
		rest, ok := strings.CutPrefix(v, ref)
		return ok && (rest == "" || rest[0] == '/' || strings.HasSuffix(ref, "/"))
	}
	if strings.HasSuffix(ref, "/*") && i == len(ref)-1 && strings.HasPrefix(v, ref[:i]) {
		return true
	}
	ok, _ := path.Match(ref, v)
	return ok
}

func baseName(v string) string {
	return path.Base(strings.TrimRight(v, "/"))
}
