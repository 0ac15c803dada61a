package ast

// Pos is a position in the original Dockerfile bytes.
type Pos struct {
	Offset int `json:"offset"` // byte offset from the start of the file, 0-based
	Line   int `json:"line"`   // 1-based line number
	Col    int `json:"col"`    // 1-based byte column within the line
}

// Range is a half-open span of the original file: End is the position just
// after the last byte.
type Range struct {
	Start Pos `json:"start"`
	End   Pos `json:"end"`
}

// File is the abstracted tree of one Dockerfile. Instructions are in file
// order; Stages group them by FROM.
type File struct {
	Name         string         `json:"name"`
	EscapeToken  string         `json:"escape_token"` // "\\" or "`"
	Directives   []*Directive   `json:"directives,omitempty"`
	Comments     []*Comment     `json:"comments,omitempty"`
	Instructions []*Instruction `json:"instructions"`
	Stages       []*Stage       `json:"stages"`
	Args         []*BuildArg    `json:"args,omitempty"` // ARGs declared before the first FROM
	Warnings     []*Warning     `json:"warnings,omitempty"`

	src []byte // the original bytes, kept for SourceOf and for fixes
}

// Source returns the original bytes of the file. Callers must not modify them.
func (f *File) Source() []byte { return f.src }

// SourceOf returns the original text covered by r.
func (f *File) SourceOf(r Range) string {
	if r.Start.Offset < 0 || r.End.Offset > len(f.src) || r.Start.Offset > r.End.Offset {
		return ""
	}
	return string(f.src[r.Start.Offset:r.End.Offset])
}

// Directive is a parser directive at the top of the file: syntax, escape or
// check.
type Directive struct {
	Range
	Name  string `json:"name"` // lower case
	Value string `json:"value"`
}

// Comment is a whole-line comment that is not a parser directive.
type Comment struct {
	Range
	Text string `json:"text"` // without the leading '#' and surrounding spaces
}

// Warning is a problem that BuildKit accepts but reports, such as an empty
// continuation line.
type Warning struct {
	Range
	Message string `json:"message"`
}

// Instruction is one Dockerfile instruction, with its continuation lines and
// heredoc bodies.
type Instruction struct {
	Range
	Keyword      string             `json:"keyword"` // upper case, as "RUN"
	KeywordRange Range              `json:"keyword_range"`
	Flags        []*InstructionFlag `json:"flags,omitempty"` // --mount, --from, ... in source order
	JSON         bool               `json:"json,omitempty"`  // exec form: a JSON array of strings
	// Args holds the arguments after the flags: the array elements of the
	// exec form, or the blank-separated words of the shell form. It is empty
	// for the shell form of RUN, CMD and ENTRYPOINT, whose Script holds them.
	Args     []*Word      `json:"args,omitempty"`
	Heredocs []*Heredoc   `json:"heredocs,omitempty"`
	Inner    *Instruction `json:"inner,omitempty"`    // the instruction that ONBUILD wraps
	Script   *Script      `json:"script,omitempty"`   // shell form of RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD
	Stage    int          `json:"stage"`              // index into File.Stages; -1 before the first FROM
	Unknown  bool         `json:"unknown,omitempty"`  // not an instruction of the Dockerfile frontend 1.x
	Mounts   []*Mount     `json:"mounts,omitempty"`   // parsed --mount flags of RUN
	Pairs    []*KeyValue  `json:"pairs,omitempty"`    // ENV, LABEL and ARG as name and value
	Comments []string     `json:"comments,omitempty"` // comment lines just before the instruction
	Logical  string       `json:"-"`                  // the joined line that BuildKit parsed
	pieces   []piece      // map from Logical to file offsets
	shell    []string     // the SHELL in force, for the shell phase
	argsAt   int          // offset in Logical where a shell-form script starts
}

// InstructionFlag is an instruction flag such as --from=builder. Unknown
// flags are kept.
type InstructionFlag struct {
	Range
	Name     string `json:"name"` // without the leading dashes
	Value    string `json:"value,omitempty"`
	HasValue bool   `json:"has_value,omitempty"`
}

// Mount is one parsed --mount flag of RUN.
type Mount struct {
	Range
	Type   string            `json:"type"`             // bind, cache, tmpfs, secret or ssh; bind when not given
	Target string            `json:"target,omitempty"` // target, dst or destination
	Source string            `json:"source,omitempty"`
	From   string            `json:"from,omitempty"`
	Opts   map[string]string `json:"opts,omitempty"` // every key as written
}

// KeyValue is one name and value of ENV, LABEL or ARG.
type KeyValue struct {
	Key      string `json:"key"`
	Value    string `json:"value"`
	HasValue bool   `json:"has_value"`
}

// Heredoc is one here-document attached to an instruction.
type Heredoc struct {
	Range               // from the line after the instruction to the end of the delimiter line
	Name        string  `json:"name"`
	Expand      bool    `json:"expand"` // false when the delimiter was quoted
	Chomp       bool    `json:"chomp"`  // <<- strips leading tabs
	Body        string  `json:"body"`
	BodyRange   Range   `json:"body_range"`
	Interpreter string  `json:"interpreter,omitempty"` // from a #! line, as "/usr/bin/env python3"
	Script      *Script `json:"script,omitempty"`      // set when the body runs as a shell script
}

// BuildArg is an ARG instruction's name and default.
type BuildArg struct {
	Name       string `json:"name"`
	Default    string `json:"default,omitempty"`
	HasDefault bool   `json:"has_default,omitempty"`
}

// Stage is one build stage, from its FROM to the next one.
type Stage struct {
	Index         int          `json:"index"`
	Name          string       `json:"name,omitempty"` // the AS alias, lower case
	From          *Instruction `json:"-"`
	Image         ImageRef     `json:"image"`
	Platform      string       `json:"platform,omitempty"`
	BaseStage     int          `json:"base_stage"`        // index of the stage this one builds on, or -1
	First         int          `json:"first"`             // index of its FROM in File.Instructions
	Last          int          `json:"last"`              // index of its last instruction
	Final         bool         `json:"final"`             // the last stage: the default build target
	CopiedFrom    bool         `json:"copied_from"`       // another stage copies from or mounts it
	ReachesFinal  bool         `json:"reaches_final"`     // its layers are in the final image: the final stage and those it is built FROM
	NeededByFinal bool         `json:"needed_by_final"`   // the final build needs it: ReachesFinal, or copied or mounted from by such a stage
	Shell         []string     `json:"shell"`             // the SHELL in force at the stage's end
	Windows       bool         `json:"windows,omitempty"` // a Windows image: by its base image's name, its base stage, or a cmd SHELL
}

// ImageRef is a base image reference split into its parts.
type ImageRef struct {
	Raw        string `json:"raw"`      // as written
	Resolved   string `json:"resolved"` // after static ARG defaults are substituted
	Registry   string `json:"registry,omitempty"`
	Repository string `json:"repository,omitempty"` // with the library/ prefix for Docker Hub official images
	Tag        string `json:"tag,omitempty"`
	Digest     string `json:"digest,omitempty"`
	Dynamic    bool   `json:"dynamic,omitempty"` // a variable without a static default remains
	Scratch    bool   `json:"scratch,omitempty"`
	Stage      bool   `json:"stage,omitempty"` // names an earlier stage, so the other parts are empty
}
