package ast

// Dialect names the language of a script: what the stage's SHELL runs.
type Dialect string

// Dialects of scripts. Only the POSIX and Bash ones are parsed into commands.
const (
	DialectPOSIX      Dialect = "posix"      // /bin/sh, dash, ash
	DialectBash       Dialect = "bash"       // bash, or a POSIX SHELL whose script needed Bash syntax
	DialectMksh       Dialect = "mksh"       // mksh and ksh
	DialectPowerShell Dialect = "powershell" // powershell, pwsh
	DialectCmd        Dialect = "cmd"        // cmd.exe
	DialectOther      Dialect = "other"      // an interpreter that is not a shell, such as python3
	DialectExec       Dialect = "exec"       // the exec form: one command, no shell
)

// Script is shell code that an instruction runs: a shell-form RUN, CMD,
// ENTRYPOINT or HEALTHCHECK, a heredoc body, or the string given to sh -c.
type Script struct {
	Range
	Source  string  `json:"source"` // the text given to the shell parser
	Dialect Dialect `json:"dialect"`
	// BashOnly is set when the SHELL is POSIX but the script parses only as
	// Bash: it uses Bash syntax that /bin/sh may reject.
	BashOnly bool        `json:"bash_only,omitempty"`
	Err      *ParseError `json:"error,omitempty"` // the first shell syntax error; Commands is then empty
	// Commands holds every simple command in source order, including those
	// of nested scripts (sh -c) and of wrapped commands (sudo, xargs).
	Commands []*Command `json:"commands,omitempty"`
	Depth    int        `json:"depth,omitempty"` // 0 for an instruction's script, 1 for sh -c inside it, ...
	// Assignments holds the statements that only set variables, as
	// dir="$(mktemp -d)", in source order, including nested scripts'.
	Assignments []*Assignment `json:"assignments,omitempty"`
}

// Assignment is a shell variable set by a statement of its own.
type Assignment struct {
	Range
	Name    string  `json:"name"`
	Value   *Word   `json:"value,omitempty"` // nil for an array or an empty value
	Context Context `json:"context"`
	Index   int     `json:"index"` // the number of commands before it in Script.Commands
}

// Command is one simple command after wrappers are seen through, with its
// arguments bound to the command's schema.
type Command struct {
	Range
	Name       string     `json:"name"`                 // canonical name: "apt-get", "pip", "./configure"
	Subcommand string     `json:"subcommand,omitempty"` // "install", or "cache clean"
	NameWord   *Word      `json:"name_word"`
	Args       []*Word    `json:"args,omitempty"` // every word after the name, as written
	Flags      []*Flag    `json:"flags,omitempty"`
	Operands   []*Operand `json:"operands,omitempty"`
	Assigns    []string   `json:"assigns,omitempty"`  // NAME=value prefixes, including those given to env
	Wrappers   []string   `json:"wrappers,omitempty"` // outermost first: "sudo", "env", "xargs", "find"
	Known      bool       `json:"known"`              // a schema matched the name
	Dynamic    bool       `json:"dynamic,omitempty"`  // the name is only known at run time, as "$PM"
	Context    Context    `json:"context"`
	Nested     []*Script  `json:"nested,omitempty"` // scripts this command runs (sh -c, su -c)
	Redirects  []string   `json:"redirects,omitempty"`
	Index      int        `json:"index"` // position in Script.Commands of the outermost script
}

// Context is the place of a command in its script's control flow.
type Context struct {
	// Conditional is set when the command may be skipped in a successful
	// build: the right side of ||, a then or else branch, a loop body, a
	// function body or a case arm.
	Conditional bool `json:"conditional,omitempty"`
	Condition   bool `json:"condition,omitempty"`  // the test of if or while, or the left side of ||
	Negated     bool `json:"negated,omitempty"`    // preceded by !
	Pipeline    int  `json:"pipeline,omitempty"`   // 1-based position in a pipeline of two or more; 0 outside one
	PipeLen     int  `json:"pipe_len,omitempty"`   // commands in that pipeline
	Subshell    bool `json:"subshell,omitempty"`   // inside ( ), $( ) or backquotes
	Background  bool `json:"background,omitempty"` // ends in &
	Depth       int  `json:"depth,omitempty"`      // nesting of sh -c scripts
}

// Word is one shell word or instruction argument.
type Word struct {
	Range
	Raw    string `json:"raw"`              // as written, quotes included
	Value  string `json:"value"`            // after quote removal; expansions stay as written
	Static bool   `json:"static,omitempty"` // no expansion: Value is what the program receives
	Tags   []Tag  `json:"tags,omitempty"`

	at int // offset in the source of the script the word belongs to
}

// Flag is one command-line option of a command, as the schema reads it.
type Flag struct {
	Range           // the option as written, within its word
	Name     string `json:"name"`     // canonical spelling from the schema, as "--yes"
	Spelling string `json:"spelling"` // as written, as "-y"
	Value    *Word  `json:"value,omitempty"`
	Count    int    `json:"count,omitempty"` // repeats in one word, as 2 for -qq
	Known    bool   `json:"known"`           // the schema lists the option
}

// Operand is a command argument that is not an option, with the role the
// schema gives it.
type Operand struct {
	*Word
	Role string `json:"role,omitempty"` // "package", "url", "path", "archive", "file", ...
}
