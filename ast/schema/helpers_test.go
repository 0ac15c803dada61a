package schema

import (
	"strconv"
	"strings"
	"testing"
)

// splitCommand splits a test command line into the command word and its
// args. Words are separated by spaces. Single quotes group a word and are
// removed. A word with a "$" outside single quotes is not static, and its
// Value keeps its text as written.
func splitCommand(t testing.TB, line string) (string, []Arg) {
	t.Helper()
	var words []Arg
	var sb strings.Builder
	inWord, quoted, static := false, false, true
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'':
			quoted = !quoted
			inWord = true
		case c == ' ' && !quoted:
			if inWord {
				words = append(words, Arg{Value: sb.String(), Static: static})
			}
			sb.Reset()
			inWord, static = false, true
		default:
			if c == '$' && !quoted {
				static = false
			}
			sb.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quote in test command %q", line)
	}
	if inWord {
		words = append(words, Arg{Value: sb.String(), Static: static})
	}
	if len(words) == 0 {
		t.Fatalf("empty test command %q", line)
	}
	return words[0].Value, words[1:]
}

// formatBinding prints a binding on one line for comparison in tests:
//
//	CMD[ SUB[?]] [start=N] FLAG... OPERAND... exec[S:E]... scripts@N...
//
// CMD is prefixed with "?" when the command has no schema, and SUB is
// followed by "?" when the schema does not list it. A flag prints as
// NAME(SPELLING)@ARG[+OFFSET][*COUNT][=VALUE@ARG[+OFFSET]], prefixed with
// "?" when unknown. An operand prints as ROLE@ARG.
func formatBinding(b Binding) string {
	var parts []string
	head := b.Command
	if !b.Known {
		head = "?" + head
	}
	if b.Subcommand != "" {
		head += " " + b.Subcommand
		if !b.SubcommandKnown {
			head += "?"
		}
	}
	parts = append(parts, head)
	if b.Start != 0 {
		parts = append(parts, "start="+strconv.Itoa(b.Start))
	}

	for _, f := range b.Flags {
		var sb strings.Builder
		if !f.Known {
			sb.WriteByte('?')
		}
		sb.WriteString(f.Name + "(" + f.Spelling + ")" + position(f.Arg, f.Offset))
		if f.Count != 1 {
			sb.WriteString("*" + strconv.Itoa(f.Count))
		}
		if f.HasValue {
			sb.WriteString("=" + f.Value + position(f.ValueArg, f.ValueOffset))
		}
		parts = append(parts, sb.String())
	}
	for _, op := range b.Operands {
		parts = append(parts, op.Role+position(op.Arg, 0))
	}
	for _, e := range b.Execs {
		parts = append(parts, "exec["+strconv.Itoa(e.Start)+":"+strconv.Itoa(e.End)+"]")
	}
	for _, s := range b.Scripts {
		parts = append(parts, "scripts"+position(s, 0))
	}
	return strings.Join(parts, " ")
}

func position(arg, offset int) string {
	s := "@" + strconv.Itoa(arg)
	if offset != 0 {
		s += "+" + strconv.Itoa(offset)
	}
	return s
}

// bindCase is one command line and the formatted binding it must give.
type bindCase struct {
	name string
	cmd  string
	want string
}

// runBindCases binds each case in a subtest and compares the formatted
// result.
func runBindCases(t *testing.T, cases []bindCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name, args := splitCommand(t, tc.cmd)
			got := formatBinding(Bind(name, args))
			if got != tc.want {
				t.Errorf("Bind(%q)\n got: %s\nwant: %s", tc.cmd, got, tc.want)
			}
			checkBinding(t, tc.cmd, args, Bind(name, args))
		})
	}
}

// checkBinding checks the invariants that hold for every binding: each
// index lies inside args, each spelling and value is the text at its
// offset, and Exec points at Execs[0].
func checkBinding(t testing.TB, input string, args []Arg, b Binding) {
	t.Helper()
	inArgs := func(i int) bool { return i >= 0 && i < len(args) }
	for _, f := range b.Flags {
		if !inArgs(f.Arg) {
			t.Errorf("Bind(%q): flag %s has arg %d outside %d args", input, f.Name, f.Arg, len(args))
			continue
		}
		word := args[f.Arg].Value
		if f.Offset < 0 || f.Len < 0 || f.Offset+f.Len > len(word) || word[f.Offset:f.Offset+f.Len] != f.Spelling {
			t.Errorf("Bind(%q): flag %s spelling %q does not match %q at %d+%d", input, f.Name, f.Spelling, word, f.Offset, f.Len)
		}
		if !f.HasValue {
			if f.ValueArg != -1 {
				t.Errorf("Bind(%q): flag %s has no value but ValueArg %d", input, f.Name, f.ValueArg)
			}
			continue
		}
		if !inArgs(f.ValueArg) {
			t.Errorf("Bind(%q): flag %s has value arg %d outside %d args", input, f.Name, f.ValueArg, len(args))
			continue
		}
		vword := args[f.ValueArg].Value
		if f.ValueOffset < 0 || f.ValueOffset > len(vword) || vword[f.ValueOffset:] != f.Value {
			t.Errorf("Bind(%q): flag %s value %q does not match %q at %d", input, f.Name, f.Value, vword, f.ValueOffset)
		}
	}
	for _, op := range b.Operands {
		if !inArgs(op.Arg) {
			t.Errorf("Bind(%q): operand %d outside %d args", input, op.Arg, len(args))
		}
	}
	for _, e := range b.Execs {
		if e.Start < 0 || e.Start >= e.End || e.End > len(args) {
			t.Errorf("Bind(%q): exec [%d:%d] outside %d args", input, e.Start, e.End, len(args))
		}
	}
	if (b.Exec == nil) != (len(b.Execs) == 0) || b.Exec != nil && *b.Exec != b.Execs[0] {
		t.Errorf("Bind(%q): Exec %v does not match Execs %v", input, b.Exec, b.Execs)
	}
	for _, s := range b.Scripts {
		if !inArgs(s) {
			t.Errorf("Bind(%q): script %d outside %d args", input, s, len(args))
		}
	}
	for level, s := range b.SubcommandArgs {
		if s != -1 && !inArgs(s) {
			t.Errorf("Bind(%q): subcommand word %d outside %d args", input, s, len(args))
		}
		used := level == 0 && b.Subcommand != "" || level == 1 && b.SubcommandKnown && strings.Contains(b.Subcommand, " ")
		if (s != -1) != used {
			t.Errorf("Bind(%q): subcommand words %v do not match subcommand %q", input, b.SubcommandArgs, b.Subcommand)
		}
	}
	if b.Start < 0 || b.Start > len(args) {
		t.Errorf("Bind(%q): start %d outside %d args", input, b.Start, len(args))
	}
}
