package rules

import "fmt"

func init() {
	register(&Builtin{Name: "env-self-reference", Doc: "ENV refers to a variable it defines itself", run: checkEnvSelfReference})
}

// checkEnvSelfReference reports ENV A=1 B=$A: all substitutions of one ENV
// use the values from before the instruction, so B gets the old A (or
// nothing), not 1.
func checkEnvSelfReference(c *checkContext, out []Finding) []Finding {
	for _, s := range c.instructions() {
		inst := s.inst
		if inst.Keyword != "ENV" || len(inst.Pairs) < 2 {
			continue
		}
		defined := map[string]bool{}
		for _, kv := range inst.Pairs {
			for _, m := range variableUse.FindAllStringSubmatch(kv.Value, -1) {
				if !defined[m[1]] {
					continue
				}
				msg := fmt.Sprintf("%s refers to %q, which this ENV defines: it gets the value from before the instruction; split the ENV in two", kv.Key, m[1])
				out = append(out, c.finding(pairRange(inst, kv), msg, nil))
			}
			defined[kv.Key] = true
		}
	}
	return out
}
