package schema

import (
	"fmt"
	"strings"
)

// roles is the operand and value role vocabulary. The package doc explains
// each role.
var roles = map[string]bool{
	"archive":       true,
	"argument":      true,
	"assignment":    true,
	"checksum-file": true,
	"command":       true,
	"destination":   true,
	"directory":     true,
	"duration":      true,
	"expression":    true,
	"extension":     true,
	"file":          true,
	"format":        true,
	"group":         true,
	"header":        true,
	"host":          true,
	"key":           true,
	"keyserver":     true,
	"list":          true,
	"locale":        true,
	"mode":          true,
	"module":        true,
	"name":          true,
	"number":        true,
	"owner":         true,
	"package":       true,
	"path":          true,
	"pattern":       true,
	"platform":      true,
	"program":       true,
	"revision":      true,
	"script":        true,
	"script-file":   true,
	"setting":       true,
	"signal":        true,
	"string":        true,
	"target":        true,
	"url":           true,
	"user":          true,
	"variable":      true,
	"version":       true,
	"words":         true,
}

// unbounded is the max of a variadic slot.
const unbounded = -1

// slot is one position of an operand pattern.
type slot struct {
	role     string
	min, max int // max is unbounded for "role..." and "role+"
}

// pattern is the operand layout of a command, as "owner path+" for chown.
// An "exec..." slot, always last, starts the command that a wrapper runs.
type pattern struct {
	text   string // as written in the schema, for messages
	slots  []slot // without the exec slot
	sumMin int    // operands that the slots need
	exec   bool   // the last slot was "exec..."
	// leadAssign is set when the first slot is "assignment...": before the
	// command of env or sudo, NAME=value words are assignments.
	leadAssign bool
	// before is the number of single slots before "exec...": the command
	// starts at that operand.
	before int
}

// defaultPattern gives every operand the role "argument".
var defaultPattern = mustPattern("argument...")

// parsePattern reads an operand pattern: space-separated roles, each
// optionally followed by "?" (optional), "+" (one or more) or "..." (any
// number), and an optional final "exec...".
func parsePattern(text string) (*pattern, error) {
	p := &pattern{text: text}
	words := strings.Fields(text)
	for i, word := range words {
		s := slot{min: 1, max: 1}
		switch {
		case strings.HasSuffix(word, "..."):
			s.role, s.min, s.max = strings.TrimSuffix(word, "..."), 0, unbounded
		case strings.HasSuffix(word, "+"):
			s.role, s.max = strings.TrimSuffix(word, "+"), unbounded
		case strings.HasSuffix(word, "?"):
			s.role, s.min = strings.TrimSuffix(word, "?"), 0
		default:
			s.role = word
		}

		if s.role == "exec" {
			if s.max != unbounded || i != len(words)-1 {
				return nil, fmt.Errorf("exec must be the last slot and variadic in %q", text)
			}
			p.exec = true
			break
		}
		if !roles[s.role] {
			return nil, fmt.Errorf("unknown role %q in %q", s.role, text)
		}
		if s.role == "assignment" && s.max == unbounded {
			if i != 0 {
				return nil, fmt.Errorf("assignment... must be the first slot in %q", text)
			}
			p.leadAssign = true
		}
		p.slots = append(p.slots, s)
		p.sumMin += s.min
	}

	if p.exec {
		for _, s := range p.slots {
			if s.role == "assignment" && s.max == unbounded {
				continue
			}
			if s.min != 1 || s.max != 1 {
				return nil, fmt.Errorf("only single slots may come before exec... in %q", text)
			}
			p.before++
		}
	}
	return p, nil
}

// mustPattern parses a pattern of this package's code and panics on error.
func mustPattern(text string) *pattern {
	p, err := parsePattern(text)
	if err != nil {
		panic("schema: " + err.Error())
	}
	return p
}

// assign gives a role to every operand whose role is still "". Slots take
// operands from left to right. Each takes at least its minimum while
// enough operands remain for the minimums of the later slots, and as many
// more as it allows. Operands beyond every slot become "argument".
func (p *pattern) assign(ops []Operand) {
	remaining := 0
	for _, op := range ops {
		if op.Role == "" {
			remaining++
		}
	}

	next := 0 // index in ops of the next operand to assign
	reserve := p.sumMin
	for _, s := range p.slots {
		if p.leadAssign && s.role == "assignment" && s.max == unbounded {
			continue // bound while reading, see binder.operand
		}
		reserve -= s.min
		take := remaining - reserve
		if take < s.min {
			take = min(s.min, remaining)
		}
		if s.max != unbounded && take > s.max {
			take = s.max
		}
		take = max(take, 0)
		next = fillRoles(ops, next, take, s.role)
		remaining -= take
	}
	fillRoles(ops, next, remaining, "argument")
}

// fillRoles gives role to the next count operands without a role, starting
// at ops[from], and returns the index after the last one it set.
func fillRoles(ops []Operand, from, count int, role string) int {
	i := from
	for ; i < len(ops) && count > 0; i++ {
		if ops[i].Role != "" {
			continue
		}
		ops[i].Role = role
		count--
	}
	return i
}
