package mining

import (
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// orderLists holds the "after" and "before" consequents of one script. The
// consequents after command i are a prefix of one list built from the end
// of the script, so the occurrences of a script share it instead of each
// copying a set. A command that may be skipped (a branch, a loop body, the
// right side of ||) counts only for commands that may be skipped too, so
// each list exists twice: with every command, and with unconditional ones
// only.
type orderLists struct {
	afterAll, afterUncond   []keyID
	afterAllN, afterUncondN []int // per command: length of the prefix that covers later commands
	beforeAll, beforeUncond []keyID
	beforeAllN, beforeUncN  []int
}

func (l *orderLists) afterAt(i int, conditional bool) []keyID {
	if conditional {
		return l.afterAll[:l.afterAllN[i]:l.afterAllN[i]]
	}
	return l.afterUncond[:l.afterUncondN[i]:l.afterUncondN[i]]
}

func (l *orderLists) beforeAt(i int, conditional bool) []keyID {
	if conditional {
		return l.beforeAll[:l.beforeAllN[i]:l.beforeAllN[i]]
	}
	return l.beforeUncond[:l.beforeUncN[i]:l.beforeUncN[i]]
}

// keySet is an ordered set of keys that grows at its end.
type keySet struct {
	list []keyID
	seen map[keyID]bool
}

func (s *keySet) add(id keyID) {
	if s.seen[id] {
		return
	}
	if s.seen == nil {
		s.seen = map[keyID]bool{}
	}
	s.seen[id] = true
	s.list = append(s.list, id)
}

// orderLists builds the lists of a script. A cache or tmpfs mount of RUN on
// a well-known directory counts as a cleanup after every command, because
// nothing written there reaches the image.
func (fc *fileContext) orderLists(cmds []cmdInfo, eff *ast.Instruction) *orderLists {
	n := len(cmds)
	l := &orderLists{
		afterAllN: make([]int, n), afterUncondN: make([]int, n),
		beforeAllN: make([]int, n), beforeUncN: make([]int, n),
	}

	var all, uncond keySet
	for _, e := range mountEvents(eff) {
		id := fc.x.eventKeys(e)[0]
		all.add(id)
		uncond.add(id)
	}
	for i := n - 1; i >= 0; i-- {
		l.afterAllN[i], l.afterUncondN[i] = len(all.list), len(uncond.list)
		for _, e := range cmds[i].events {
			id := fc.x.eventKeys(e)[0]
			all.add(id)
			if !cmds[i].c.Context.Conditional {
				uncond.add(id)
			}
		}
	}
	l.afterAll, l.afterUncond = all.list, uncond.list

	all, uncond = keySet{}, keySet{}
	for i := 0; i < n; i++ {
		l.beforeAllN[i], l.beforeUncN[i] = len(all.list), len(uncond.list)
		for _, e := range cmds[i].events {
			id := fc.x.eventKeys(e)[1]
			all.add(id)
			if !cmds[i].c.Context.Conditional {
				uncond.add(id)
			}
		}
	}
	l.beforeAll, l.beforeUncond = all.list, uncond.list
	return l
}

// mountEvents returns a cleanup event for each cache or tmpfs mount on a
// well-known directory.
func mountEvents(inst *ast.Instruction) []string {
	var out []string
	for _, m := range inst.Mounts {
		if (m.Type != "cache" && m.Type != "tmpfs") || m.Target == "" {
			continue
		}
		for _, t := range ast.Tags(m.Target, false, "path") {
			if s := string(t); strings.HasPrefix(s, "dir:") {
				out = append(out, "clean <"+s+">")
			}
		}
	}
	return out
}

// eventKeys returns the IDs of "after E" and "before E" for event text E.
func (x *extractor) eventKeys(event string) [2]keyID {
	if ids, ok := x.events[event]; ok {
		return ids
	}
	ids := [2]keyID{x.keys.id(prefixAfter + event), x.keys.id(prefixBefor + event)}
	x.events[strings.Clone(event)] = ids
	return ids
}
