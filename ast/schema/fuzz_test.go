package schema

import (
	"strings"
	"testing"
)

// FuzzBind binds arbitrary words and checks that nothing panics and that
// every index and offset of the result stays inside the input. The command
// line contains words separated by newlines, the first being the command name,
// and bit i of static marks args[i] as static.
func FuzzBind(f *testing.F) {
	for _, table := range allBindCases {
		for _, tc := range table {
			name, args := splitCommand(f, tc.cmd)
			words := []string{name}
			var static uint64
			for i, a := range args {
				words = append(words, a.Value)
				if a.Static && i < 64 {
					static |= 1 << i
				}
			}
			f.Add(strings.Join(words, "\n"), static)
		}
	}

	f.Fuzz(func(t *testing.T, line string, static uint64) {
		words := strings.Split(line, "\n")
		args := make([]Arg, len(words)-1)
		for i, w := range words[1:] {
			args[i] = Arg{Value: w, Static: i < 64 && static&(1<<i) != 0}
		}
		checkBinding(t, line, args, Bind(words[0], args))
	})
}
