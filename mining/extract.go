package mining

import (
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// occurrence is one place where an antecedent holds, with the consequents
// that hold there. The consequents are split into slices so that the
// occurrences of one script can share the long "after" and "before" lists:
// each such slice is a prefix of a list that only grows at its end.
type occurrence struct {
	ante    keyID
	shipped bool   // in a stage whose layers end up in the final image
	line    int32  // 1-based line in the file
	inst    int32  // index of its instruction in the file; -1 for the file and its final stage
	hash    uint64 // stable per file and offset: orders examples
	text    string // the source line, trimmed
	own     []keyID
	after   []keyID
	before  []keyID
	stage   []keyID
}

// each calls fn for every consequent of the occurrence. No consequent
// appears twice.
func (o *occurrence) each(fn func(keyID)) {
	for _, part := range [...][]keyID{o.own, o.after, o.before, o.stage} {
		for _, k := range part {
			fn(k)
		}
	}
}

// commandUse is one command run, for commands.csv.
type commandUse struct {
	name, sub    string
	known        bool
	flags        int // flags written
	unknownFlags int // flags the schema does not list
}

// fileResult is the outcome of one file: its occurrences, command uses,
// signature and any error.
type fileResult struct {
	repo, path   string
	fullName     string // Document.Name
	digest       uint64 // hash of name and content, see CorpusStats.Digest
	err          error
	sig          signature
	occs         []occurrence
	uses         []commandUse
	instructions int
	layout       *layout // for example Dockerfiles
}

func (r *fileResult) name() string { return r.fullName }

// extractor turns parsed files into occurrences. One worker owns one.
type extractor struct {
	keys   *localInterner
	events map[string][2]keyID // event text to its "after" and "before" keys
	seen   map[keyID]bool      // scratch set, cleared after each use
}

func newExtractor(shared *interner) *extractor {
	return &extractor{
		keys:   &localInterner{shared: shared, cache: map[string]keyID{}},
		events: map[string][2]keyID{},
		seen:   map[keyID]bool{},
	}
}

// fileContext holds what the instructions of one file share.
type fileContext struct {
	x       *extractor
	f       *ast.File
	name    string
	base    uint64
	lines   []int // byte offset of each line start
	texts   map[int32]string
	shipped []bool // per stage: its layers reach the final image
	res     *fileResult
	cur     int32 // index of the instruction being read; -1 after the last
}

// extract computes the occurrences of one parsed file.
func (x *extractor) extract(doc Document, f *ast.File) *fileResult {
	res := &fileResult{repo: doc.Repo, path: doc.Path, fullName: doc.Name(), instructions: len(f.Instructions)}
	fc := &fileContext{
		x:       x,
		f:       f,
		name:    res.fullName,
		base:    hashString(doc.Name()),
		lines:   lineStarts(f.Source()),
		texts:   map[int32]string{},
		shipped: shippedStages(f),
		res:     res,
	}
	res.sig = fileSignature(f)
	res.layout = newLayout(f)

	stages := make([]*stageState, len(f.Stages))
	for i, inst := range f.Instructions {
		fc.cur = int32(i)
		eff := inst.Effective()
		st := fc.stage(stages, inst.Stage)
		fc.instruction(inst, eff, st)
		if eff.Script != nil && eff.Script.Err == nil {
			fc.script(inst, eff, st)
		}
		st.record(fc, eff)
	}
	fc.cur = -1
	fc.fileFeatures(stages)
	return res
}

// stage returns the state of stage i, creating it from its base stage's.
func (fc *fileContext) stage(stages []*stageState, i int) *stageState {
	if i < 0 || i >= len(stages) {
		return &stageState{env: map[string]string{}}
	}
	if stages[i] != nil {
		return stages[i]
	}
	st := &stageState{env: map[string]string{}}
	if b := fc.f.Stages[i].BaseStage; b >= 0 && b < i && stages[b] != nil {
		st.inherit(stages[b])
	}
	for _, a := range fc.f.Args {
		if a.HasDefault {
			st.env[a.Name] = a.Default
		}
	}
	stages[i] = st
	return st
}

// isShipped reports whether instructions of stage i reach the final image.
func (fc *fileContext) isShipped(i int) bool {
	return i < 0 || i >= len(fc.shipped) || fc.shipped[i]
}

// shippedStages marks the final stage and the stages it is built on with
// FROM: their layers are in the final image. Stages that the final one only
// copies from are not.
func shippedStages(f *ast.File) []bool {
	out := make([]bool, len(f.Stages))
	for i := len(f.Stages) - 1; i >= 0; {
		if out[i] {
			break
		}
		out[i] = true
		i = f.Stages[i].BaseStage
	}
	return out
}

// add records an occurrence at a position of the file.
func (fc *fileContext) add(o occurrence, pos ast.Pos) {
	o.line = int32(pos.Line)
	o.inst = fc.cur
	o.hash = mix(fc.base + uint64(pos.Offset) + 1)
	o.text = fc.lineText(o.line)
	fc.res.occs = append(fc.res.occs, o)
}

// lineText returns a source line, trimmed and cut to 160 bytes.
func (fc *fileContext) lineText(line int32) string {
	if t, ok := fc.texts[line]; ok {
		return t
	}
	src := fc.f.Source()
	i := int(line) - 1
	if i < 0 || i >= len(fc.lines) {
		return ""
	}
	end := len(src)
	if i+1 < len(fc.lines) {
		end = fc.lines[i+1]
	}
	t := strings.TrimSpace(string(src[fc.lines[i]:end]))
	t = strings.TrimSuffix(t, "\\")
	t = strings.TrimSpace(t)
	if len(t) > 160 {
		t = t[:160] + "…"
	}
	fc.texts[line] = t
	return t
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' && i+1 < len(src) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// ids interns key texts, dropping duplicates.
func (x *extractor) ids(texts []string) []keyID {
	out := make([]keyID, 0, len(texts))
	for _, t := range texts {
		id := x.keys.id(t)
		if x.seen[id] {
			continue
		}
		x.seen[id] = true
		out = append(out, id)
	}
	clear(x.seen)
	return out
}
