package mining

import (
	"hash/fnv"
	"strings"
	"sync"
)

// A key is the normalized text of an antecedent or a consequent. Its first
// word names the kind of key, and the rest is canonical text from the tree.
//
// Antecedent keys:
//
//	cmd NAME [SUB] [MODE]    every run of a command, as "cmd apt-get install"
//	cmd NAME [SUB] <dir:X>   a command with an operand in a well-known directory
//	cmd NAME [SUB] [MODE] @L a command that names an object labeled L
//	cmd NAME                 a script that runs NAME with subcommands
//	op NAME [SUB] ROLE       a command with at least one operand of a role
//	inst KEYWORD             every instruction with that keyword
//	stage final              the final stage of a file
//	file                     every file
//
// Consequent keys:
//
//	flag F                   the command has flag F (canonical name)
//	value F=V                the command has flag F with the static value V
//	sub S                    the command runs subcommand S
//	tag T                    every operand of the antecedent's role has tag T
//	after E / before E       a command with event E runs later / earlier in the same script
//	stage-before E           an earlier instruction of the same stage has event E
//	feature X                an instruction or file property
//	run E                    the RUN instruction's script has event E
const (
	prefixCmd   = "cmd "
	prefixOp    = "op "
	prefixInst  = "inst "
	keyFinal    = "stage final"
	keyFile     = "file"
	prefixFlag  = "flag "
	prefixValue = "value "
	prefixSub   = "sub "
	prefixTag   = "tag "
	prefixAfter = "after "
	prefixBefor = "before "
	prefixStage = "stage-before "
	prefixFeat  = "feature "
	prefixRun   = "run "
)

// keyID is an interned key. IDs depend on the order keys were first seen, so
// they never leave a process: files and outputs use the text.
type keyID uint32

// interner maps key text to dense IDs. It is safe for concurrent use.
type interner struct {
	mu    sync.RWMutex
	ids   map[string]keyID
	texts []string
	sums  []uint64 // FNV-1a hash of each text, for stable example order
}

func newInterner() *interner {
	return &interner{ids: map[string]keyID{}}
}

// id returns the ID of text, adding it when new.
func (in *interner) id(text string) keyID {
	in.mu.RLock()
	id, ok := in.ids[text]
	in.mu.RUnlock()
	if ok {
		return id
	}

	in.mu.Lock()
	defer in.mu.Unlock()
	if id, ok := in.ids[text]; ok {
		return id
	}
	id = keyID(len(in.texts))
	text = strings.Clone(text)
	in.ids[text] = id
	in.texts = append(in.texts, text)
	in.sums = append(in.sums, hashString(text))
	return id
}

// lookup returns the ID of text without adding it.
func (in *interner) lookup(text string) (keyID, bool) {
	in.mu.RLock()
	defer in.mu.RUnlock()
	id, ok := in.ids[text]
	return id, ok
}

// text returns the text of an ID.
func (in *interner) text(id keyID) string {
	in.mu.RLock()
	defer in.mu.RUnlock()
	return in.texts[id]
}

// sum returns the stable hash of an ID's text.
func (in *interner) sum(id keyID) uint64 {
	in.mu.RLock()
	defer in.mu.RUnlock()
	return in.sums[id]
}

// localInterner caches IDs for one worker so that most lookups take no lock.
type localInterner struct {
	shared *interner
	cache  map[string]keyID
}

func (l *localInterner) id(text string) keyID {
	if id, ok := l.cache[text]; ok {
		return id
	}
	id := l.shared.id(text)
	l.cache[strings.Clone(text)] = id
	return id
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// mix scrambles a 64-bit value (the finalizer of SplitMix64), so that
// example order looks random but stays the same from run to run.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
