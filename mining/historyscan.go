package mining

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dockmine/dockmine/ast"
)

// pathTimeline is the versions of one path, oldest first, without their
// bytes once they are analyzed.
type pathTimeline struct {
	repo, path string
	entries    []timelineEntry
}

// timelineEntry is one version of a path: the initial one, or the file
// after a change.
type timelineEntry struct {
	seq    int // -1 for the version at the oldest commit walked
	commit string
	time   time.Time
	id     string // content ID; "" when the file does not exist
	src    []byte // dropped after analysis
	stats  *contentStats
}

// exists reports whether the entry is a file, not a removal.
func (e *timelineEntry) exists() bool { return e.id != "" }

// contentStats is what one content holds: how often each antecedent occurs
// and each followed pattern holds, and the violations of each followed
// rule.
type contentStats struct {
	antes map[keyID][variants]int32
	pats  map[patKey][variants]int32 // occurrences where the consequent holds
	viols map[int][]violation        // by index into historyRun.rules
	err   error                      // the content did not parse
}

// violation is one place that breaks a rule. sig identifies it across
// versions: its line with digits and long hexadecimal strings normalized,
// so that a version bump on the line does not count as a fix.
type violation struct {
	sig  uint64
	text string
}

// timeline turns a file history into entries that still carry their bytes.
func (h *historyRun) timeline(fh FileHistory) *pathTimeline {
	tl := &pathTimeline{repo: fh.Repo, path: fh.Path}
	if fh.Initial.Src != nil {
		tl.entries = append(tl.entries, timelineEntry{seq: -1, time: fh.Start, id: contentID(fh.Initial), src: fh.Initial.Src})
	}
	for _, c := range fh.Changes {
		e := timelineEntry{seq: c.Seq, commit: c.Commit, time: c.Time}
		if c.After.Src != nil {
			e.id, e.src = contentID(c.After), c.After.Src
		}
		tl.entries = append(tl.entries, e)
	}
	return tl
}

// contentID returns the ID of a content, or a hash of its bytes when the
// source gave none.
func contentID(c Content) string {
	if c.ID != "" {
		return c.ID
	}
	return fmt.Sprintf("fnv:%016x:%d", hashString(string(c.Src)), len(c.Src))
}

// historyWorker is the state of one goroutine of a history run.
type historyWorker struct {
	h       *historyRun
	x       *extractor
	counted map[keyID]bool // whether an antecedent is counted without candidates
}

func (h *historyRun) newWorker() *historyWorker {
	return &historyWorker{h: h, x: newExtractor(h.keys), counted: map[keyID]bool{}}
}

// analyze computes the stats of every version of a timeline, each distinct
// content once, and adds the timeline to the run.
func (w *historyWorker) analyze(tl *pathTimeline) {
	h := w.h
	for i := range tl.entries {
		e := &tl.entries[i]
		if !e.exists() {
			continue
		}
		h.mu.Lock()
		st, ok := h.contents[e.id]
		h.mu.Unlock()
		if !ok {
			st = w.contentStats(tl, e)
			h.mu.Lock()
			if prev, again := h.contents[e.id]; again {
				st = prev
			} else {
				h.contents[e.id] = st
			}
			h.mu.Unlock()
		}
		e.stats, e.src = st, nil
	}
	h.mu.Lock()
	h.timelines = append(h.timelines, tl)
	h.mu.Unlock()
}

// contentStats parses one content and counts it.
func (w *historyWorker) contentStats(tl *pathTimeline, e *timelineEntry) *contentStats {
	h := w.h
	st := &contentStats{antes: map[keyID][variants]int32{}, pats: map[patKey][variants]int32{}, viols: map[int][]violation{}}
	doc := Document{Repo: tl.repo, Path: tl.path, Src: e.src}
	f, err := parseSafely(doc)
	if err != nil {
		st.err = err
		return st
	}

	res := w.x.extract(doc, f)
	lines := bytes.Split(e.src, []byte("\n"))
	for i := range res.occs {
		w.countOccurrence(st, &res.occs[i])
	}
	if h.opts.Pack != nil {
		for _, fd := range h.opts.Pack.CheckAll(f) {
			idx, ok := h.codes[fd.Rule.Code]
			if !ok {
				continue
			}
			text := lineOf(lines, fd.Range.Start.Line)
			sig := hashString(normalizeLine(text) + "\x00" + normalizeLine(f.SourceOf(fd.Range)))
			st.viols[idx] = append(st.viols[idx], violation{sig: sig, text: text})
		}
	}
	return st
}

// parseSafely parses a document and turns a parser panic into an error, so
// that one bad version never ends a run.
func parseSafely(doc Document) (f *ast.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("internal error: %v", p)
		}
	}()
	return ast.Parse(doc.Name(), doc.Src)
}

// countOccurrence adds one occurrence to the stats of its content.
func (w *historyWorker) countOccurrence(st *contentStats, o *occurrence) {
	h := w.h
	add := func(counts [variants]int32) [variants]int32 {
		counts[variantAll]++
		if o.shipped {
			counts[variantShipped]++
		}
		return counts
	}

	if h.followAll {
		counted, seen := w.counted[o.ante]
		if !seen {
			ante := h.keys.text(o.ante)
			counted = strings.HasPrefix(ante, prefixCmd) || strings.HasPrefix(ante, prefixOp)
			w.counted[o.ante] = counted
		}
		if !counted {
			return
		}
		st.antes[o.ante] = add(st.antes[o.ante])
		// Flags, flag values and tags are always among the occurrence's
		// own consequents.
		for _, k := range o.own {
			if followedByDefault(h.keys.text(k)) {
				pk := makePatKey(o.ante, k)
				st.pats[pk] = add(st.pats[pk])
			}
		}
		return
	}

	idxs := h.byAnte[o.ante]
	if len(idxs) == 0 {
		return
	}
	st.antes[o.ante] = add(st.antes[o.ante])
	present := map[keyID]bool{}
	o.each(func(k keyID) { present[k] = true })
	for _, i := range idxs {
		t := &h.track[i]
		has := present[t.consID]
		if has {
			pk := makePatKey(o.ante, t.consID)
			st.pats[pk] = add(st.pats[pk])
		}
		if t.variant == variantShipped && !o.shipped {
			continue
		}
		if has == (t.candidate.Kind == "absent") {
			st.viols[t.rule] = append(st.viols[t.rule], violation{sig: hashString(normalizeLine(o.text)), text: o.text})
		}
	}
}

// lineOf returns line n (1-based) of a file, trimmed.
func lineOf(lines [][]byte, n int) string {
	if n < 1 || n > len(lines) {
		return ""
	}
	t := strings.TrimSpace(string(lines[n-1]))
	if len(t) > 160 {
		t = t[:160] + "…"
	}
	return t
}

// normalizeLine rewrites a line so that versions of it that differ only in
// version numbers or checksums compare equal: runs of digits become 0,
// hexadecimal words of 16 characters or more become #, and runs of blanks
// become one space.
func normalizeLine(s string) string {
	var sb strings.Builder
	for _, field := range strings.Fields(s) {
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		if len(field) >= 16 && isHex(field) {
			sb.WriteByte('#')
			continue
		}
		digits := false
		for i := 0; i < len(field); i++ {
			c := field[i]
			switch {
			case c >= '0' && c <= '9':
				if !digits {
					sb.WriteByte('0')
				}
				digits = true
			default:
				sb.WriteByte(c)
				digits = false
			}
		}
	}
	return sb.String()
}

// violations returns the violations of a rule in a content, or nil.
func (st *contentStats) violations(rule int) []violation {
	if st == nil {
		return nil
	}
	return st.viols[rule]
}

// ruleIndexes returns the rules with violations in either content, sorted.
func ruleIndexes(a, b *contentStats) []int {
	var out []int
	for _, st := range []*contentStats{a, b} {
		if st == nil {
			continue
		}
		for i := range st.viols {
			if !slices.Contains(out, i) {
				out = append(out, i)
			}
		}
	}
	slices.Sort(out)
	return out
}
