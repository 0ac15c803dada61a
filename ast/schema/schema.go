package schema

// Arg is one argument word of a command as the shell parser saw it.
type Arg struct {
	Value  string // literal value after quote removal; raw text when not Static
	Static bool   // false when the word contains an expansion ($VAR, $(...)); globs are still static
}

// Binding is the result of reading a command's arguments with its schema.
// Every index in it points into the args slice given to [Bind].
type Binding struct {
	Command string // canonical name: "apt-get"; "pip" for "python3 -m pip"; "./configure" for any path ending in /configure
	// Subcommand is the subcommand path: "install", or "cache clean" for two
	// levels; "" when the command has none or its first operand is not static.
	Subcommand      string
	SubcommandKnown bool   // the schema lists Subcommand
	SubcommandArgs  [2]int // indexes of the words that spell Subcommand, one per level; -1 for a level not used
	Known           bool   // a schema exists for the command
	// Start is the index of the first arg read with Command's schema: 0, or
	// the index after "-m pip" when python runs pip. Flags of the launcher
	// (python -u -m pip) are not reported.
	Start    int
	Flags    []Flag
	Operands []Operand
	Exec     *Exec // the first command run by a wrapper; nil when none
	// Execs lists every command run by a wrapper, in order. It has more than
	// one entry only for find with several -exec actions. Exec points at
	// Execs[0].
	Execs []Exec
	// Scripts lists the indexes of args whose value is a shell script to
	// parse (sh -c STRING, su -c STRING). When the script is an inline flag
	// value (su --command=STRING), the flag whose ValueArg is the index gives
	// the ValueOffset where the script starts. Non-static scripts are listed
	// too; check Arg.Static before parsing.
	Scripts []int
}

// Flag is one option as written, bound to its schema entry.
// args[Arg].Value[Offset:Offset+Len] is always Spelling.
type Flag struct {
	Arg    int // index in args of the word that contains the flag
	Offset int // byte offset of Spelling within args[Arg].Value; non-zero inside combined short flags such as -xzf
	Len    int // byte length of Spelling
	// Name is the canonical name: the first double-dash spelling that the
	// schema lists for the flag, else its first spelling. So -y, --yes and
	// --assume-yes are all "--yes", and find's -name is "-name". An unknown
	// flag is named by its own spelling, with a dash added for a cluster
	// letter ("-z" for z in -xzf).
	Name        string
	Spelling    string // as written: "-y", "--yes", "z" inside -xzf, "-qq" for a count
	Value       string
	HasValue    bool
	ValueArg    int    // index of the arg that contains the value: == Arg when inline (--opt=v, -ov); -1 when none
	ValueOffset int    // byte offset of Value within args[ValueArg].Value
	ValueRole   string // role of the value, from the operand vocabulary in the package doc; "" when unknown
	Count       int    // repeats within one word, as 2 for -qq; 1 otherwise
	Known       bool   // the schema lists this flag
}

// Operand is an argument that is neither a flag, a flag value nor a
// subcommand word, with the role the schema gives it.
type Operand struct {
	Arg  int    // index in args
	Role string // from the role vocabulary in the package doc; "" when the command has no schema
}

// Exec marks args[Start:End] as a command, name first, run by a wrapper.
type Exec struct {
	Start, End int
}
