package lint

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dockmine/dockmine/ast"
	"github.com/dockmine/dockmine/rules"
)

// PragmaScope is how much of a file an ignore pragma covers.
type PragmaScope int

// Pragma scopes, from the narrowest.
const (
	ScopeInstruction PragmaScope = iota // the next instruction
	ScopeStage                          // the rest of the stage
	ScopeFile                           // the whole file
)

// Pragma is one ignore comment or check directive of a Dockerfile.
type Pragma struct {
	ast.Range        // the comment
	Tool      string // "dockmine", "hadolint" or "buildkit"
	Scope     PragmaScope
	Codes     []string      // as written: codes, aliases or BuildKit check names
	Rules     []*rules.Rule // the rules that Codes name, without unknown codes
	Reason    string        // the text after a second #, empty when none
	Err       string        // the problem with a comment that tries to be a pragma, empty when valid
	From, To  int           // the byte offsets it covers, [From, To)

	// SkipAll is set by BuildKit's check=skip=all.
	SkipAll bool
	// ErrorLevel is set by BuildKit's check=error=true: findings of
	// BuildKit checks fail the build.
	ErrorLevel bool

	used bool // a finding was suppressed by it
}

// pragmaPattern matches the text of a comment after its '#': the tool,
// an optional scope, the code list and an optional reason.
var pragmaPattern = regexp.MustCompile(`(?i)^(dockmine|hadolint)\s+(?:(global|stage)\s+)?ignore\s*=\s*([^#]*?)\s*(?:#\s*(.*?))?\s*$`)

// toolPrefix matches comments that try to be a pragma: the tool's name
// followed by a scope word or a key=, so that a misspelt pragma can be
// reported instead of silently doing nothing, while prose that starts with
// "dockmine" is left alone.
var toolPrefix = regexp.MustCompile(`(?i)^(dockmine|hadolint)\s+(?:(?:ignore|global|stage)\b|\S*=)`)

// ReadPragmas returns the ignore pragmas of a file in source order, with the
// byte range each covers. hadolint's other pragmas, such as shell=, are not
// ignore pragmas and are left out.
func ReadPragmas(f *ast.File) []*Pragma {
	var out []*Pragma
	for _, d := range f.Directives {
		if d.Name == "check" {
			if p := checkDirective(d, len(f.Source())); p != nil {
				out = append(out, p)
			}
		}
	}

	for _, c := range f.Comments {
		p := parsePragma(c)
		if p == nil {
			continue
		}
		p.From, p.To = coverage(f, p)
		out = append(out, p)
	}
	return out
}

// parsePragma reads one comment. It returns nil for a comment that is not
// meant for dockmine or hadolint.
func parsePragma(c *ast.Comment) *Pragma {
	tool := toolPrefix.FindStringSubmatch(c.Text)
	if tool == nil {
		return nil
	}
	name := strings.ToLower(tool[1])

	m := pragmaPattern.FindStringSubmatch(c.Text)
	if m == nil {
		if name == "hadolint" {
			return nil // shell= and other hadolint pragmas suppress nothing
		}
		return &Pragma{Range: c.Range, Tool: name, Err: `expected "dockmine ignore=CODE[,CODE] # reason"`}
	}

	p := &Pragma{Range: c.Range, Tool: name, Reason: m[4]}
	switch strings.ToLower(m[2]) {
	case "stage":
		p.Scope = ScopeStage
	case "global":
		p.Scope = ScopeFile
	}
	p.Codes = splitCodes(m[3])
	if len(p.Codes) == 0 {
		p.Err = "no rule code after ignore="
	}
	return p
}

// checkDirective reads the "# check=skip=A,B;error=true" parser directive
// of Dockerfile syntax 1.8 and later, which applies to the whole file. As
// in BuildKit v0.34 (frontend/dockerfile/linter), skip=all skips every
// BuildKit check and error=true makes a check's warning fail the build.
func checkDirective(d *ast.Directive, size int) *Pragma {
	p := &Pragma{Range: d.Range, Tool: "buildkit", Scope: ScopeFile, From: 0, To: size + 1}
	for _, part := range strings.Split(d.Value, ";") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "skip":
			for _, code := range splitCodes(value) {
				if strings.EqualFold(code, "all") {
					p.SkipAll = true
					continue
				}
				p.Codes = append(p.Codes, code)
			}
		case "error":
			p.ErrorLevel, _ = strconv.ParseBool(strings.TrimSpace(value))
		}
	}
	if len(p.Codes) == 0 && !p.SkipAll && !p.ErrorLevel {
		return nil
	}
	return p
}

func splitCodes(list string) []string {
	var out []string
	for _, code := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		out = append(out, code)
	}
	return out
}

// coverage returns the byte range a pragma covers. A next-instruction
// pragma covers the first instruction that ends after the comment: the one
// after it, or the one it sits in.
func coverage(f *ast.File, p *Pragma) (from, to int) {
	end := len(f.Source()) + 1
	if p.Scope == ScopeFile || p.Err != "" {
		return 0, end
	}

	target := instructionAfter(f, p.Start.Offset)
	if target == nil {
		return p.Start.Offset, p.Start.Offset // nothing follows: it covers nothing
	}
	if p.Scope == ScopeInstruction {
		return target.Start.Offset, target.End.Offset
	}

	if target.Stage < 0 || target.Stage >= len(f.Stages) {
		// Before the first FROM the "stage" is the global ARG section,
		// which the first stage's FROM ends.
		if len(f.Stages) > 0 {
			return p.Start.Offset, f.Stages[0].From.Start.Offset
		}
		return p.Start.Offset, end
	}
	last := f.Instructions[f.Stages[target.Stage].Last]
	return p.Start.Offset, last.End.Offset
}

// instructionAfter returns the first instruction that ends after offset.
func instructionAfter(f *ast.File, offset int) *ast.Instruction {
	for _, inst := range f.Instructions {
		if inst.End.Offset > offset {
			return inst
		}
	}
	return nil
}

// Covers reports whether the pragma covers a finding that starts at offset.
func (p *Pragma) Covers(offset int) bool {
	return p.Err == "" && offset >= p.From && offset < p.To
}
