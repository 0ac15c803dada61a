package rules

import (
	"fmt"
	"regexp"
)

func init() {
	register(&Builtin{Name: "undefined-variable", Doc: "a variable used before the ARG or ENV that declares it", run: checkUndefinedVariable})
}

// expandingInstructions are the instructions whose arguments BuildKit
// expands itself. RUN, CMD and ENTRYPOINT are left to the shell.
var expandingInstructions = map[string]bool{
	"ADD": true, "COPY": true, "ENV": true, "EXPOSE": true, "LABEL": true,
	"STOPSIGNAL": true, "USER": true, "VOLUME": true, "WORKDIR": true,
}

var variableUse = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// checkUndefinedVariable reports a variable that an instruction expands
// before the ARG or ENV of the same stage that declares it, so it expands
// to the empty string (or the base image's value).
//
// NOTE: a variable declared nowhere in the Dockerfile may come from the
// base image's ENV, which a linter cannot see, so only the order within a
// stage is checked; BuildKit, which reads the base image, reports more.
func checkUndefinedVariable(c *checkContext, out []Finding) []Finding {
	for _, s := range c.instructions() {
		if !expandingInstructions[s.inst.Keyword] || s.outer != s.inst || s.stage() < 0 {
			continue
		}
		for _, w := range s.inst.Args {
			for _, m := range variableUse.FindAllStringSubmatch(w.Value, -1) {
				name := m[1]
				if _, found := c.fx.lookup(name, s); found || predefinedArgs[name] {
					continue
				}
				later := c.fx.declaredAfter(name, s)
				if later < 0 {
					continue
				}
				msg := fmt.Sprintf("%q is used before its declaration on line %d: move the ARG or ENV up", name, c.file().Instructions[later].Start.Line)
				out = append(out, c.finding(w.Range, msg, nil))
			}
		}
	}
	return out
}

// declaredAfter returns the index of the first ARG or ENV after s in its
// stage that declares name, or -1.
func (fx *fileIndex) declaredAfter(name string, s *site) int {
	for _, e := range fx.stageEnv(s.stage()) {
		if e.key == name && e.pos > s.pos {
			return e.pos
		}
	}
	return -1
}
