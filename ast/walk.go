package ast

// Scripts returns every top-level script of the file in file order: those of
// instructions, of ONBUILD's inner instructions and of heredocs. Nested
// scripts (sh -c) are reached through Command.Nested; their commands are
// already listed in the outermost script's Commands.
func (f *File) Scripts() []*Script {
	var out []*Script
	for _, inst := range f.Instructions {
		if s := inst.script(); s != nil {
			out = append(out, s)
		}
	}
	return out
}

// Commands returns every command of the file, in file order, with the
// instruction that runs it.
func (f *File) Commands() []InstructionCommand {
	var out []InstructionCommand
	for _, inst := range f.Instructions {
		s := inst.script()
		if s == nil {
			continue
		}
		for _, c := range s.Commands {
			out = append(out, InstructionCommand{Instruction: inst, Command: c})
		}
	}
	return out
}

// InstructionCommand pairs a command with the instruction whose script runs
// it.
type InstructionCommand struct {
	Instruction *Instruction
	Command     *Command
}

// script returns the script an instruction runs, looking inside ONBUILD.
func (inst *Instruction) script() *Script {
	if inst.Inner != nil {
		return inst.Inner.Script
	}
	return inst.Script
}

// Effective returns the instruction that takes effect: the inner one for
// ONBUILD, the instruction itself otherwise.
func (inst *Instruction) Effective() *Instruction {
	if inst.Inner != nil {
		return inst.Inner
	}
	return inst
}

// Flag returns the instruction flag with the given name, or nil.
func (inst *Instruction) Flag(name string) *InstructionFlag {
	for _, f := range inst.Flags {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// HasFlag reports whether the command has a flag with the canonical name.
func (c *Command) HasFlag(name string) bool {
	return c.Flag(name) != nil
}

// Flag returns the first flag with the canonical name, or nil.
func (c *Command) Flag(name string) *Flag {
	for _, f := range c.Flags {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Is reports whether the command has the name and, when sub is not empty,
// the subcommand.
func (c *Command) Is(name, sub string) bool {
	return c.Name == name && (sub == "" || c.Subcommand == sub)
}
