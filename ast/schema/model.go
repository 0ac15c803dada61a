package schema

import "strings"

// style is a set of parsing conventions of one command's option parser.
type style uint16

const (
	stylePOSIX       style = 1 << iota // options end at the first operand (getopt with "+", wrappers, shells)
	styleNoCluster                     // a single-dash word is one option: find -name, java -jar
	styleGo                            // Go's flag package: -flag and --flag are one option, no clusters
	styleOldTar                        // a first arg without a dash is a cluster of short options: tar xzf
	stylePlus                          // +x clusters turn shell options off: set +x
	styleEcho                          // a dash word with a letter that is not a flag is an operand: echo -foo
	styleNoOptions                     // every arg is an operand: test, [
	styleFind                          // operands after the first expression word have role "expression"
	styleMode                          // a dash word that spells a symbolic mode is an operand: chmod -x
	styleAssignments                   // NAME=value operands have role "assignment": make, configure
	styleAbbrev                        // a unique prefix of a long option selects it (getopt_long, gpg)
)

// styleNames maps the words of a "style" line to their bits.
var styleNames = map[string]style{
	"posix":       stylePOSIX,
	"no-cluster":  styleNoCluster,
	"go":          styleGo | styleNoCluster | stylePOSIX,
	"oldtar":      styleOldTar,
	"plus":        stylePlus,
	"echo":        styleEcho | stylePOSIX,
	"no-options":  styleNoOptions,
	"find":        styleFind | styleNoCluster,
	"mode":        styleMode,
	"assignments": styleAssignments,
	"abbrev":      styleAbbrev,
}

// valueKind is the way a flag takes a value: not at all, always or optionally.
type valueKind uint8

const (
	valueNone     valueKind = iota
	valueRequired           // inline (--opt=v, -ov) or the next arg
	valueOptional           // inline only, except a number role also takes a next arg of digits
)

// flagSpec is one flag of a schema with all its spellings.
type flagSpec struct {
	name     string // canonical name: the first double-dash spelling, else the first; no trailing "*"
	value    valueKind
	role     string   // role of the value
	extra    []string // roles of more value words after the value: jq --arg NAME VALUE
	family   bool     // the spelling is a prefix: --enable-*, -Xmx*
	glued    bool     // for a family, the value is the rest of the word after the prefix
	stop     bool     // options end after this flag and its value: python -c, java -jar
	exec     bool     // the following args up to ";" or "{} +" form a command: find -exec
	dispatch bool     // the value names a module whose schema reads the rest: python -m pip
	pattern  *pattern // operand pattern that this flag selects: sh -c, dpkg -i; nil to keep the current one
}

// scope is the table of one command level: the command itself or one of
// its subcommands.
type scope struct {
	path     string               // "" for the command, "install" or "cache clean" for subcommands
	parent   *scope               // the enclosing level; nil for the command
	long     map[string]*flagSpec // every spelling of two or more bytes: "--yes", "-name", "-nv", "-"
	short    [128]*flagSpec       // single-letter flags by letter: short['y'] is -y
	plus     [128]*flagSpec       // +x flags by letter
	families []*flagSpec          // prefix spellings, longest first
	prefixes []string             // the prefix of each entry of families
	numeric  *flagSpec            // -NUM, as head -5 or nice -10
	operands *pattern             // nil for the default: every operand is an "argument"
	children map[string]*scope    // subcommands one level down, by every alias
	hasSubs  bool
	longs    []string // sorted long spellings, for styleAbbrev
}

// schema describes one command or a family of commands that share options
// (sha256sum, sha512sum and md5sum).
type schema struct {
	names     []string // canonical names; each is its own command
	aliases   []string // other words that resolve to names[0]: pip3 for pip
	versioned bool     // a version suffix resolves to names[0]: python3.11, gcc-12
	version   string   // the tool version that the flag data follows
	source    string   // file:line of the command line, for messages
	style     style
	module    string   // module name reachable with python -m; "" when none
	pins      []string // operators between a package name and its version, longest first
	top       *scope
}

// lookupLong finds a spelling of two or more bytes in s and its parents.
func (s *scope) lookupLong(spelling string) *flagSpec {
	for ; s != nil; s = s.parent {
		if f := s.long[spelling]; f != nil {
			return f
		}
	}
	return nil
}

// lookupShort finds the flag of one letter, written after '-' or '+'.
func (s *scope) lookupShort(prefix, letter byte) *flagSpec {
	if letter >= 128 {
		return nil
	}
	for ; s != nil; s = s.parent {
		table := &s.short
		if prefix == '+' {
			table = &s.plus
		}
		if f := table[letter]; f != nil {
			return f
		}
	}
	return nil
}

// lookupFamily finds the longest prefix spelling that begins word.
func (s *scope) lookupFamily(word string) (*flagSpec, string) {
	for ; s != nil; s = s.parent {
		for i, prefix := range s.prefixes {
			if strings.HasPrefix(word, prefix) {
				return s.families[i], prefix
			}
		}
	}
	return nil, ""
}

// lookupNumeric finds the -NUM flag in s and its parents.
func (s *scope) lookupNumeric() *flagSpec {
	for ; s != nil; s = s.parent {
		if s.numeric != nil {
			return s.numeric
		}
	}
	return nil
}

// lookupAbbrev finds the flag that a unique prefix of a long spelling
// selects, as --recv-key for --recv-keys.
func (s *scope) lookupAbbrev(word string) *flagSpec {
	var found *flagSpec
	for ; s != nil; s = s.parent {
		for _, name := range s.longs {
			if !strings.HasPrefix(name, word) {
				continue
			}
			f := s.long[name]
			if found != nil && found != f {
				return nil
			}
			found = f
		}
	}
	return found
}

// operandPattern returns the operand pattern of s. A subcommand does not
// inherit the pattern of its command.
func (s *scope) operandPattern() *pattern {
	if s.operands != nil {
		return s.operands
	}
	return defaultPattern
}
