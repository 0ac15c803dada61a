package rules

// Pattern is a rule in the declarative rule language: what to look at
// (Match), what must also hold there (Require), where to look for it
// (Scope), and when the rule does not apply (Exceptions). Hand-written rule
// files and mined candidates share it. A place breaks the rule when Match
// and all of Match.When hold, neither Require nor any of its alternatives
// holds, and no exception holds. A pattern without Require reports every
// place it matches. rules/README.md documents the language with examples.
type Pattern struct {
	Scope      string    `yaml:"scope,omitempty" json:"scope,omitempty"` // script, stage or file; see [ScopeScript]
	Match      *Match    `yaml:"match,omitempty" json:"match,omitempty"`
	Require    *Require  `yaml:"require,omitempty" json:"require,omitempty"`
	Exceptions []*Clause `yaml:"exceptions,omitempty" json:"exceptions,omitempty"`
}

// Scopes say where Require and relative clauses look for a related command
// or instruction.
const (
	ScopeScript = "script"      // the same RUN (or other instruction's) script
	ScopeStage  = "stage"       // the same build stage
	ScopeChain  = "stage-chain" // the same stage and the stages it is built FROM
	ScopeFile   = "file"        // the whole Dockerfile
)

// Match selects the places a rule looks at: commands of RUN scripts, or
// instructions. The place a finding points at (its focus) is the command or
// instruction, narrowed to the flag or operand that Flag or Operand selects.
type Match struct {
	// Command names commands as "name" or "name subcommand", by the
	// canonical names of ast/schema: "apt-get install", "pip install". "*"
	// matches every command; give it with a wrapper or a when clause.
	Command Strings `yaml:"command,omitempty" json:"command,omitempty"`
	// Instruction names instruction keywords, upper case: "FROM", "ADD".
	Instruction Strings `yaml:"instruction,omitempty" json:"instruction,omitempty"`
	// Wrapper keeps only commands run through one of these wrappers, as sudo.
	Wrapper Strings `yaml:"wrapper,omitempty" json:"wrapper,omitempty"`
	// Flag keeps commands or instructions with this flag and moves the
	// focus to it. One finding is reported per matching flag.
	Flag *FlagTest `yaml:"flag,omitempty" json:"flag,omitempty"`
	// Operand keeps commands or instructions with an operand (argument)
	// that passes the test and moves the focus to it. One finding is
	// reported per matching operand.
	Operand *OperandTest `yaml:"operand,omitempty" json:"operand,omitempty"`
	// Pair keeps ENV, ARG and LABEL instructions with a name and value
	// that pass the test, and moves the focus to the name.
	Pair *PairTest `yaml:"pair,omitempty" json:"pair,omitempty"`
	// Image keeps FROM instructions whose base image passes the test.
	Image *ImageTest `yaml:"image,omitempty" json:"image,omitempty"`
	// When lists further conditions that must all hold at the match.
	When []*Clause `yaml:"when,omitempty" json:"when,omitempty"`
}

// Require is the consequent of a rule: a clause that must hold wherever
// Match matches, or one of its alternatives.
type Require struct {
	Clause       `yaml:",inline"`
	Alternatives []*Clause `yaml:"alternatives,omitempty" json:"alternatives,omitempty"`
}

// Clause is one condition of a rule. Without Command or Instruction it
// tests the matched place itself. With one of them it holds when a related
// command or instruction exists at Where, in the rule's scope or in Scope,
// and passes the clause's tests.
type Clause struct {
	Command     Strings `yaml:"command,omitempty" json:"command,omitempty"`         // a related command, by name or "name subcommand"
	Instruction Strings `yaml:"instruction,omitempty" json:"instruction,omitempty"` // a related instruction, by keyword
	Where       string  `yaml:"where,omitempty" json:"where,omitempty"`             // follows (the default), precedes, anywhere or pipes-into
	Scope       string  `yaml:"scope,omitempty" json:"scope,omitempty"`             // overrides the rule's scope for this clause
	// Same ties the related command to the match: one of its operands or
	// flag values names what the match's focus word names (an operand, or
	// the value of a focus flag such as tar's --file). It compares by
	// "value" (equal after quotes and known variables are resolved),
	// "basename" (the part after the last slash), "path" (the same path,
	// or a directory or glob that contains it) or "output" (the variable
	// that stores the matched command's output, as dir="$(mktemp -d)").
	Same string `yaml:"same,omitempty" json:"same,omitempty"`

	Flag    *FlagTest    `yaml:"flag,omitempty" json:"flag,omitempty"`       // the subject has this flag
	NoFlag  Strings      `yaml:"no-flag,omitempty" json:"no-flag,omitempty"` // the subject has none of these flags
	Operand *OperandTest `yaml:"operand,omitempty" json:"operand,omitempty"` // the subject has such an operand
	Pair    *PairTest    `yaml:"pair,omitempty" json:"pair,omitempty"`       // the subject (ENV, ARG, LABEL) has such a pair
	// Assign is a regular expression that one NAME=value prefix of the
	// subject command matches, as "^PIP_NO_CACHE_DIR=".
	Assign string `yaml:"assign,omitempty" json:"assign,omitempty"`
	// Env holds when an ENV or ARG of the subject's stage, declared before
	// it, passes the test: PIP_NO_CACHE_DIR=1 disables pip's cache.
	Env *PairTest `yaml:"env,omitempty" json:"env,omitempty"`
	// Mount holds when the subject's RUN has a --mount that passes the test.
	Mount *MountTest `yaml:"mount,omitempty" json:"mount,omitempty"`
	// Stage tests the build stage of the subject.
	Stage *StageTest `yaml:"stage,omitempty" json:"stage,omitempty"`
	// Context tests where the subject command sits in its script.
	Context *ContextTest `yaml:"context,omitempty" json:"context,omitempty"`
	// Shell is a regular expression on the SHELL in force, its words joined
	// by spaces: "^/bin/bash .*pipefail".
	Shell string `yaml:"shell,omitempty" json:"shell,omitempty"`
	// Form tests an instruction's form: "json" (exec form) or "shell".
	Form string `yaml:"form,omitempty" json:"form,omitempty"`
	// Redirect is a regular expression that one redirection of the subject
	// command matches, as ">> */etc/ssh/sshd_config".
	Redirect string `yaml:"redirect,omitempty" json:"redirect,omitempty"`
	// Any holds when at least one of its clauses holds: the language's "or".
	Any []*Clause `yaml:"any,omitempty" json:"any,omitempty"`
}

// Where values of a relative [Clause].
const (
	WhereFollows   = "follows"    // after the match, in source order
	WherePrecedes  = "precedes"   // before the match
	WhereAnywhere  = "anywhere"   // before or after, but not the match itself
	WherePipesInto = "pipes-into" // later in the same pipeline: the command reads the match's output
)

// FlagTest selects a flag of a command or an instruction.
type FlagTest struct {
	// Name lists canonical flag names as ast/schema spells them ("--yes"
	// for -y), or instruction flag names without dashes ("checksum").
	Name  Strings `yaml:"name" json:"name"`
	Value string  `yaml:"value,omitempty" json:"value,omitempty"` // regular expression on the flag's value; "" accepts any
	Count int     `yaml:"count,omitempty" json:"count,omitempty"` // minimum repeats, as 2 for -qq; 0 or 1 accept one
}

// OperandTest selects a command operand or an instruction argument. Every
// given test must pass. Instruction arguments carry the roles "source" and
// "destination" (COPY, ADD), "image", "as" and "stage-name" (FROM), "path"
// (WORKDIR), "user" (USER), "port" (EXPOSE) and "argument" (others).
type OperandTest struct {
	Role    Strings `yaml:"role,omitempty" json:"role,omitempty"`         // one of these schema roles
	Tags    Strings `yaml:"tags,omitempty" json:"tags,omitempty"`         // all of these ast tags, as "scheme:http"
	AnyTags Strings `yaml:"any-tags,omitempty" json:"any-tags,omitempty"` // at least one of these tags
	NotTags Strings `yaml:"not-tags,omitempty" json:"not-tags,omitempty"` // none of these tags
	// Value is a regular expression the operand's value matches. NotValue is
	// one it must not match. A value with variables is first expanded with
	// the stage's ARG and ENV defaults; see the README on variables.
	Value    string `yaml:"value,omitempty" json:"value,omitempty"`
	NotValue string `yaml:"not-value,omitempty" json:"not-value,omitempty"`
	// Static keeps only operands without expansions when true, and only
	// those with expansions when false.
	Static *bool `yaml:"static,omitempty" json:"static,omitempty"`
	// FlagValues also tests the values of a command's flags, which have no
	// role: the file of curl -o FILE or tar -f FILE.
	FlagValues bool `yaml:"flag-values,omitempty" json:"flag-values,omitempty"`
}

// PairTest selects a name and value of ENV, ARG or LABEL by regular
// expressions. An empty expression accepts anything.
type PairTest struct {
	Name     string `yaml:"name,omitempty" json:"name,omitempty"`
	NotName  string `yaml:"not-name,omitempty" json:"not-name,omitempty"`
	Value    string `yaml:"value,omitempty" json:"value,omitempty"`
	HasValue *bool  `yaml:"has-value,omitempty" json:"has-value,omitempty"` // the pair has a value (ARG NAME has none)
}

// ImageTest selects FROM instructions by their base image. Stage names
// (FROM build) and scratch never match.
type ImageTest struct {
	Tag      string `yaml:"tag,omitempty" json:"tag,omitempty"`             // regular expression on the tag
	NoTag    bool   `yaml:"no-tag,omitempty" json:"no-tag,omitempty"`       // the reference has no tag
	NoDigest bool   `yaml:"no-digest,omitempty" json:"no-digest,omitempty"` // the reference has no digest
	Name     string `yaml:"name,omitempty" json:"name,omitempty"`           // regular expression on the repository, as "library/debian"
	// Dynamic matches a reference whose variables have no static default
	// when true, and skips it when false or unset.
	Dynamic bool `yaml:"dynamic,omitempty" json:"dynamic,omitempty"`
}

// MountTest selects a --mount of a RUN instruction.
type MountTest struct {
	Type      Strings `yaml:"type,omitempty" json:"type,omitempty"`             // bind, cache, tmpfs, secret or ssh
	TargetTag Strings `yaml:"target-tag,omitempty" json:"target-tag,omitempty"` // one of these tags on the target, as "dir:apt-lists"
	Target    string  `yaml:"target,omitempty" json:"target,omitempty"`         // regular expression on the target
}

// StageTest selects build stages.
type StageTest struct {
	// ReachesFinal is true for stages whose layers end up in the final
	// image: the final stage and the stages it is built FROM. A builder
	// stage that is only copied from is false.
	ReachesFinal *bool `yaml:"reaches-final,omitempty" json:"reaches-final,omitempty"`
	Final        *bool `yaml:"final,omitempty" json:"final,omitempty"`
	// Windows is true for stages of a Windows image: by the base image's
	// name, the base stage, or a cmd SHELL (ast.Stage.Windows).
	Windows *bool `yaml:"windows,omitempty" json:"windows,omitempty"`
	// BusyBox is true for stages whose commands are BusyBox applets: an
	// Alpine or BusyBox base image, or a stage chain that runs apk.
	BusyBox *bool `yaml:"busybox,omitempty" json:"busybox,omitempty"`
}

// ContextTest selects commands by their place in the script's control flow.
// An unset field accepts both values.
type ContextTest struct {
	Conditional *bool `yaml:"conditional,omitempty" json:"conditional,omitempty"` // may be skipped: after ||, in a branch or loop
	Pipeline    *bool `yaml:"pipeline,omitempty" json:"pipeline,omitempty"`       // part of a pipeline of two or more
	Subshell    *bool `yaml:"subshell,omitempty" json:"subshell,omitempty"`
	OnBuild     *bool `yaml:"onbuild,omitempty" json:"onbuild,omitempty"` // the instruction is wrapped in ONBUILD
}

// FixSpec is the edit a rule implies, applied at each finding. Either
// Insert text At a place, or Replace a regular expression within the
// focus With a text.
type FixSpec struct {
	Description string `yaml:"description" json:"description"` // lower case, as "add --no-install-recommends"
	Insert      string `yaml:"insert,omitempty" json:"insert,omitempty"`
	// At is where Insert goes: after-name, after-subcommand, after-focus,
	// before-focus, end-of-command, or after-last (after the last command
	// in the script named as the match's command, or as one of Of).
	At      string  `yaml:"at,omitempty" json:"at,omitempty"`
	Of      Strings `yaml:"of,omitempty" json:"of,omitempty"`
	Replace string  `yaml:"replace,omitempty" json:"replace,omitempty"`
	With    string  `yaml:"with,omitempty" json:"with,omitempty"`
}

// Fix positions of [FixSpec.At].
const (
	AtAfterName       = "after-name"
	AtAfterSubcommand = "after-subcommand"
	AtAfterFocus      = "after-focus"
	AtBeforeFocus     = "before-focus"
	AtEndOfCommand    = "end-of-command"
	AtAfterLast       = "after-last"
)
