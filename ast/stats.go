package ast

import "sort"

// Stats counts how much of a set of files the phases parsed. Leaves follow
// the metric of Henkel et al. (ICSE 2020): every literal word and operand of
// the trees is a leaf, and an unresolved command counts as one leaf.
type Stats struct {
	Files            int            `json:"files"`
	ParseErrors      int            `json:"parse_errors"`
	Instructions     int            `json:"instructions"`
	Scripts          int            `json:"scripts"`
	ScriptErrors     int            `json:"script_errors"`
	Commands         int            `json:"commands"`
	CommandsResolved int            `json:"commands_resolved"` // matched a schema, or call a function the script declares
	Leaves           int            `json:"leaves"`
	UnresolvedLeaves int            `json:"unresolved_leaves"` // unresolved commands and scripts left unparsed
	Unresolved       map[string]int `json:"-"`                 // unresolved command names and their counts
	TopUnresolved    []NameCount    `json:"top_unresolved"`
}

// NameCount is a command name with the number of times it was seen.
type NameCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// AddError counts a file that failed to parse.
func (s *Stats) AddError() {
	s.Files++
	s.ParseErrors++
}

// Add counts one parsed file.
func (s *Stats) Add(f *File) {
	s.Files++
	for _, inst := range f.Instructions {
		s.addInstruction(inst.Effective())
	}
}

func (s *Stats) addInstruction(inst *Instruction) {
	s.Instructions++
	script := inst.Script
	if script == nil {
		s.Leaves += len(inst.Args)
		return
	}

	s.Scripts++
	if script.Err != nil {
		s.ScriptErrors++
	}
	if script.Err != nil || !parsesCommands(script.Dialect) {
		s.Leaves++
		s.UnresolvedLeaves++
		return
	}

	for _, c := range script.Commands {
		s.Commands++
		if c.Known {
			s.CommandsResolved++
			s.Leaves += 1 + len(c.Flags) + len(c.Operands)
			continue
		}
		s.Leaves++
		s.UnresolvedLeaves++
		if s.Unresolved == nil {
			s.Unresolved = map[string]int{}
		}
		s.Unresolved[c.Name]++
	}
}

func parsesCommands(d Dialect) bool {
	return d == DialectPOSIX || d == DialectBash || d == DialectMksh || d == DialectExec
}

// Finish fills TopUnresolved with the n most frequent unresolved names.
func (s *Stats) Finish(n int) {
	s.TopUnresolved = make([]NameCount, 0, len(s.Unresolved))
	for name, count := range s.Unresolved {
		s.TopUnresolved = append(s.TopUnresolved, NameCount{Name: name, Count: count})
	}
	sort.Slice(s.TopUnresolved, func(i, j int) bool {
		a, b := s.TopUnresolved[i], s.TopUnresolved[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Name < b.Name
	})
	if len(s.TopUnresolved) > n {
		s.TopUnresolved = s.TopUnresolved[:n]
	}
}
