package rules

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// fixer is a compiled [FixSpec].
type fixer struct {
	spec    *FixSpec
	replace *regexp.Regexp
	of      []commandName
}

func (pc *patternCompiler) fix(f *FixSpec, m *Match) *fixer {
	if f == nil {
		return nil
	}
	out := &fixer{spec: f, replace: pc.regexp("fix", f.Replace), of: pc.commandNames("fix", f.Of)}
	if f.Description == "" {
		pc.fail("fix", "fix needs a description, as \"add --no-install-recommends\"")
	}
	switch {
	case f.Replace != "" && f.Insert != "":
		pc.fail("fix", "fix has both insert and replace: use one")
	case f.Replace == "" && f.Insert == "":
		pc.fail("fix", "fix needs insert or replace")
	case f.Insert != "":
		switch f.At {
		case AtAfterName, AtAfterSubcommand, AtEndOfCommand, AtAfterLast:
			if m == nil || len(m.Command) == 0 {
				pc.fail("fix", "fix at %q needs a rule that matches a command", f.At)
			}
		case AtAfterFocus, AtBeforeFocus:
		default:
			pc.fail("fix", "invalid at %q: use after-name, after-subcommand, after-focus, before-focus, end-of-command or after-last", f.At)
		}
	}
	if len(f.Of) > 0 && f.At != AtAfterLast {
		pc.fail("fix", "of goes with at: after-last")
	}
	return out
}

// makeFix returns the edit of a rule's fix at a hit, or nil where the edit
// cannot be placed exactly: inside a sh -c string, or where the source does
// not hold the words as parsed.
func (fx *fileIndex) makeFix(cr *compiledRule, h *hit) *Fix {
	f := cr.fix
	if f == nil {
		return nil
	}
	src := fx.file.Source()
	c := h.site.cmd
	if c != nil && (c.Context.Depth > 0 || !exact(fx.file, c.NameWord)) {
		return nil
	}

	if f.replace != nil {
		text := fx.file.SourceOf(h.focus)
		if text == "" || !f.replace.MatchString(text) {
			return nil
		}
		return &Fix{Description: f.spec.Description, Edits: []Edit{{
			Start: h.focus.Start.Offset, End: h.focus.End.Offset, NewText: f.replace.ReplaceAllString(text, f.spec.With),
		}}}
	}

	at := -1
	switch f.spec.At {
	case AtAfterFocus:
		at = h.focus.End.Offset
	case AtBeforeFocus:
		at = h.focus.Start.Offset
	case AtAfterName:
		at = c.NameWord.End.Offset
	case AtAfterSubcommand:
		at = subcommandEnd(fx.file, c)
	case AtEndOfCommand:
		at = endOfStatement(c)
	case AtAfterLast:
		at = fx.afterLast(f, cr, h.site)
	}
	if at < 0 || at > len(src) {
		return nil
	}
	return &Fix{Description: f.spec.Description, Edits: []Edit{{Start: at, End: at, NewText: f.spec.Insert}}}
}

// exact reports whether a word's range holds its raw text, so offsets
// around it are real file offsets.
func exact(f *ast.File, w *ast.Word) bool {
	return w != nil && f.SourceOf(w.Range) == w.Raw
}

// subcommandEnd returns the offset after the last word that spells the
// command's subcommand, or after its name when it has none.
func subcommandEnd(f *ast.File, c *ast.Command) int {
	if c == nil {
		return -1
	}
	end := c.NameWord.End.Offset
	if c.Subcommand == "" {
		return end
	}
	words := splitFields(c.Subcommand)
	j := 0
	for _, a := range c.Args {
		if j < len(words) && a.Value == words[j] {
			if !exact(f, a) {
				return -1
			}
			end = a.End.Offset
			j++
			if j == len(words) {
				return end
			}
		}
	}
	return -1
}

// endOfStatement returns the end of a command when text appended there
// still belongs to the same statement: not in a pipeline, in the
// background or before a redirection.
func endOfStatement(c *ast.Command) int {
	if c == nil || c.Context.PipeLen > 0 || c.Context.Background || len(c.Redirects) > 0 {
		return -1
	}
	return c.End.Offset
}

// afterLast returns the end of the last command of the site's script that
// the fix names (or the match names), when text can be appended there.
func (fx *fileIndex) afterLast(f *fixer, cr *compiledRule, s *site) int {
	names := f.of
	if len(names) == 0 {
		names = cr.match.commands
	}
	var last *ast.Command
	for _, c := range s.inst.Script.Commands {
		for _, n := range names {
			if c.Name == n.name && (n.sub == "" || c.Subcommand == n.sub) {
				last = c
			}
		}
	}
	if last == nil || last.Context.Depth > 0 || last.Context.Conditional || last.Context.Subshell || !exact(fx.file, last.NameWord) {
		return -1
	}
	return endOfStatement(last)
}

func splitFields(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return out
}

// deletesComment reports whether an edit of fix removes a comment line, or
// part of one, without writing its text back: a "#" inside the replaced
// bytes with only blanks before it on its line. Comment lines sit inside
// continued instructions too, where BuildKit drops them, and a fix that
// joins such lines must not lose them.
func deletesComment(src []byte, fix *Fix) bool {
	for _, e := range fix.Edits {
		if e.Start < 0 || e.End > len(src) || e.Start >= e.End {
			continue
		}
		for q := e.Start; q < e.End; q++ {
			if src[q] != '#' || !onlyBlanksBefore(src, q) {
				continue
			}
			line := src[q:]
			if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
				line = line[:nl]
			}
			if !strings.Contains(e.NewText, strings.TrimRight(string(line), " \t\r")) {
				return true
			}
		}
	}
	return false
}

// onlyBlanksBefore reports whether only spaces and tabs precede offset q
// on its line.
func onlyBlanksBefore(src []byte, q int) bool {
	for i := q - 1; i >= 0 && src[i] != '\n'; i-- {
		if src[i] != ' ' && src[i] != '\t' {
			return false
		}
	}
	return true
}

// ApplyFixes returns src with the fixes of findings applied. Edits are
// applied from the end of the file backwards; an edit that overlaps one
// already applied is skipped, and so is an edit equal to one applied.
func ApplyFixes(src []byte, findings []Finding) ([]byte, error) {
	var edits []Edit
	for _, f := range findings {
		if f.Fix != nil {
			edits = append(edits, f.Fix.Edits...)
		}
	}
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].Start != edits[j].Start {
			return edits[i].Start > edits[j].Start
		}
		return edits[i].End > edits[j].End
	})

	out := append([]byte(nil), src...)
	limit := len(src) + 1
	var prev *Edit
	for i := range edits {
		e := edits[i]
		if e.Start < 0 || e.End > len(src) || e.Start > e.End {
			return nil, fmt.Errorf("apply fixes: edit [%d,%d) outside the file of %d bytes", e.Start, e.End, len(src))
		}
		if prev != nil && *prev == e {
			continue
		}
		if e.End > limit {
			continue // overlaps an edit already applied
		}
		out = append(out[:e.Start], append([]byte(e.NewText), out[e.End:]...)...)
		limit = e.Start
		prev = &edits[i]
	}
	return out, nil
}
