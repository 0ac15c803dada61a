package mining

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/ast"
	"github.com/dockmine/dockmine/rules"
)

// objectsOf returns the objects a command names and the normalized values of
// all its operands and flag values. Relative paths are joined to cwd.
func objectsOf(script *ast.Script, c *ast.Command, cwd string, vars *scriptVars) ([]object, []pathRef) {
	var objects []object
	var refs []pathRef
	for _, op := range c.Operands {
		v := joinPath(cwd, normalizePath(op.Word, vars))
		if trivialPath(v) {
			continue
		}
		refs = append(refs, newPathRef(v))
		if objectRoles[op.Role] {
			objects = append(objects, object{value: v, label: tagLabel(op.Tags, op.Role)})
		}
	}

	for _, f := range c.Flags {
		if f.Value == nil {
			continue
		}
		v := joinPath(cwd, normalizePath(f.Value, vars))
		if trivialPath(v) {
			continue
		}
		refs = append(refs, newPathRef(v))
		_, tags := vars.resolve(f.Value, "")
		if namesFile(tags) || isLoneVariable(v) {
			objects = append(objects, object{value: v, label: tagLabel(tags, f.Name)})
		}
	}

	if name := rules.OutputVariable(script, c); name != "" {
		objects = append(objects, object{value: "$" + name, label: "output"})
	}
	return objects, refs
}

// tagLabel names an object by its kind (signature, archive or checksum
// file) when its tags show one, and by fallback otherwise.
func tagLabel(tags []ast.Tag, fallback string) string {
	switch {
	case slices.Contains(tags, ast.TagSig):
		return "signature"
	case slices.Contains(tags, ast.TagArchive):
		return "archive"
	case slices.Contains(tags, ast.TagSumsFile):
		return "checksum-file"
	}
	return fallback
}

func namesFile(tags []ast.Tag) bool {
	for _, t := range tags {
		switch t {
		case ast.TagPath, ast.TagArchive, ast.TagSig, ast.TagSumsFile:
			return true
		}
	}
	return false
}

// isLoneVariable reports whether v is one variable and nothing else, as
// "$file": such a flag value may well name a file.
func isLoneVariable(v string) bool {
	if len(v) < 2 || v[0] != '$' {
		return false
	}
	for i := 1; i < len(v); i++ {
		if !isNameByte(v[i]) {
			return false
		}
	}
	return true
}

func trivialPath(v string) bool {
	return v == "" || v == "." || v == "/" || v == "-" || v == ".."
}

// normalizePath returns a word's value in a form where two spellings of one
// path compare equal: variables with known values substituted, ${NAME}
// written $NAME, no "./" prefix and no trailing slash. Values without
// expansions are also cleaned of "." and "..".
func normalizePath(w *ast.Word, vars *scriptVars) string {
	v := w.Value
	if !w.Static {
		v = bracedToPlain(vars.expand(v))
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

// stripQuotes removes every single and double quote of an instruction
// argument.
func stripQuotes(v string) string {
	if !strings.ContainsAny(v, `"'`) {
		return v
	}
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] != '"' && v[i] != '\'' {
			b = append(b, v[i])
		}
	}
	return string(b)
}

// bracedToPlain rewrites ${NAME} as $NAME; other ${...} forms stay.
func bracedToPlain(v string) string {
	if !strings.Contains(v, "${") {
		return v
	}
	var sb strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '$' && i+1 < len(v) && v[i+1] == '{' {
			end := strings.IndexByte(v[i:], '}')
			if end > 2 && allNameBytes(v[i+2:i+end]) {
				sb.WriteByte('$')
				sb.WriteString(v[i+2 : i+end])
				i += end
				continue
			}
		}
		sb.WriteByte(v[i])
	}
	return sb.String()
}

func allNameBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return s != ""
}

func isNameByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// joinPath resolves a relative path against the working directory. Paths
// that start with /, $ or ~ are returned as they are, and so is every path
// while the working directory is unknown.
func joinPath(cwd, p string) string {
	if p == "" || cwd == "" || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "$") || strings.HasPrefix(p, "~") {
		return p
	}
	return path.Join(cwd, p)
}

// pathRef is a normalized operand or flag value that may name an object.
type pathRef struct {
	value   string
	literal string // the part before the first glob character; all of value without one
	glob    bool
}

func newPathRef(v string) pathRef {
	if i := strings.IndexAny(v, "*?["); i >= 0 {
		return pathRef{value: v, literal: v[:i], glob: true}
	}
	return pathRef{value: v, literal: v}
}

// refersTo reports whether one of refs names v, or a directory or glob that
// contains it.
func refersTo(refs []pathRef, v string) bool {
	for _, r := range refs {
		if !strings.HasPrefix(v, r.literal) {
			continue
		}
		rest := v[len(r.literal):]
		switch {
		case !r.glob:
			if rest == "" || rest[0] == '/' {
				return true
			}
		case len(r.literal) == len(r.value)-1 && strings.HasSuffix(r.value, "/*"):
			return true
		default:
			if ok, _ := path.Match(r.value, v); ok {
				return true
			}
		}
	}
	return false
}

// writtenFiles returns the base names of the files that a command writes
// text to: the targets of > and >> for echo, printf and cat, and the file
// operands of tee. Devices and names built from variables are left out.
func writtenFiles(c *ast.Command) []string {
	var out []string
	switch c.Name {
	case "echo", "printf", "cat":
		for _, r := range c.Redirects {
			if target, ok := redirectTarget(r); ok {
				out = append(out, path.Base(target))
			}
		}
	case "tee":
		for _, op := range c.Operands {
			if op.Static && !strings.HasPrefix(op.Value, "/dev/") {
				out = append(out, path.Base(op.Value))
			}
		}
	}
	return out
}

// redirectTarget reads an output redirect such as ">> /etc/gemrc" or
// "1>file" and returns its static target.
func redirectTarget(r string) (string, bool) {
	r = strings.TrimLeft(r, "1")
	switch {
	case strings.HasPrefix(r, ">>"):
		r = r[2:]
	case strings.HasPrefix(r, ">|"):
		r = r[2:]
	case strings.HasPrefix(r, ">") && !strings.HasPrefix(r, ">&"):
		r = r[1:]
	default:
		return "", false
	}
	r = strings.Trim(strings.TrimSpace(r), `"'`)
	if r == "" || strings.ContainsAny(r, "$`") || strings.HasPrefix(r, "/dev/") {
		return "", false
	}
	return r, true
}

// optionWords returns the long options written inside the text operands of
// echo and printf, such as --no-document in 'gem: --no-document', at most
// four.
func optionWords(c *ast.Command) []string {
	if c.Name != "echo" && c.Name != "printf" {
		return nil
	}
	var out []string
	for _, op := range c.Operands {
		for _, field := range strings.Fields(op.Value) {
			if len(out) == 4 {
				return out
			}
			if isLongOption(field) && !slices.Contains(out, field) {
				out = append(out, field)
			}
		}
	}
	return out
}

func isLongOption(s string) bool {
	if len(s) < 4 || !strings.HasPrefix(s, "--") || s[2] < 'a' || s[2] > 'z' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9' || s[i] == '-') {
			return false
		}
	}
	return true
}

// checksumLine matches an echo operand shaped like a line of sha256sum -c
// input: a checksum and a file name, such as "$PHP_SHA256 *php.tar.xz" or
// "3a5f...  node.tar.gz", quotes included. A variable counts as the
// checksum when its name mentions a sum or hash. Any first word counts when
// the file name has the binary-mode star.
var checksumLine = regexp.MustCompile(`^["']?(?:(?:\$\{?\w*(?i:sha|sum|md5|hash)\w*\}?|[0-9a-fA-F]{32,128})\s+\*?|\S+\s+\*)[^\s*"'-][^\s"']*["']?$`)

// isChecksumLine reports whether an echo operand matches checksumLine.
func isChecksumLine(v string) bool {
	return checksumLine.MatchString(v)
}
