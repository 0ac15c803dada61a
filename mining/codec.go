package mining

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
)

// countsVersion is the format version of a counts file.
const countsVersion = 1

// ErrOverlap is returned when merging counts that share a repository: a
// merge of shards is only exact when each repository was mined in one.
var ErrOverlap = errors.New("counts share a repository")

// countsHeader is the first line of a counts file.
type countsHeader struct {
	Version  int         `json:"version"`
	Examples bool        `json:"examples"`
	Stats    CorpusStats `json:"stats"`
	Repos    []string    `json:"repos"`
}

type exampleJSON struct {
	Hash   string `json:"h"`
	Family string `json:"m"`
	File   string `json:"f"`
	Line   int32  `json:"l"`
	Text   string `json:"x"`
	Doc    string `json:"d,omitempty"` // id of its example Dockerfile, see recordJSON
}

type sampleJSON struct {
	exampleJSON
	Sat []string `json:"k"`
}

// recordJSON is one line after the header: an example Dockerfile, an
// antecedent, a pattern or a command. Example Dockerfiles come first, each
// once, and examples name them by id.
type recordJSON struct {
	DocID   string           `json:"doc,omitempty"`
	DocText string           `json:"text,omitempty"`
	Ante    string           `json:"a,omitempty"`
	Cons    string           `json:"c,omitempty"`
	Tallies *[variants]tally `json:"t,omitempty"`
	Sample  []sampleJSON     `json:"s,omitempty"`
	Sat     []exampleJSON    `json:"sat,omitempty"`
	Viol    []exampleJSON    `json:"viol,omitempty"`
	Command string           `json:"cmd,omitempty"`
	Stat    *commandStat     `json:"stat,omitempty"`
}

// WriteTo writes the counts as gzip-compressed JSON lines: a header, then
// antecedents, patterns and commands sorted by text. The output depends only
// on the counts, so equal counts give equal bytes.
func (c *Counts) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestSpeed)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(zw, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)

	records, err := c.records()
	if err != nil {
		return 0, err
	}
	header := countsHeader{Version: countsVersion, Examples: c.examples, Stats: c.Stats(), Repos: slices.Sorted(maps.Keys(c.repos))}
	if err := enc.Encode(header); err != nil {
		return cw.n, err
	}
	for _, rec := range records {
		if err := enc.Encode(rec); err != nil {
			return cw.n, err
		}
	}
	if err := bw.Flush(); err != nil {
		return cw.n, err
	}
	if err := zw.Close(); err != nil {
		return cw.n, err
	}
	return cw.n, nil
}

// records returns the lines after the header, in their stable order.
func (c *Counts) records() ([]recordJSON, error) {
	docs := docTable{}
	var antes []recordJSON
	for id, a := range c.antes {
		t := a.t
		rec := recordJSON{Ante: c.keys.text(id), Tallies: &t}
		for _, e := range a.sample {
			s := sampleJSON{exampleJSON: docs.example(e.ex)}
			for _, k := range e.sat {
				s.Sat = append(s.Sat, c.keys.text(k))
			}
			slices.Sort(s.Sat)
			rec.Sample = append(rec.Sample, s)
		}
		antes = append(antes, rec)
	}
	slices.SortFunc(antes, func(a, b recordJSON) int { return cmp.Compare(a.Ante, b.Ante) })

	var pats []recordJSON
	for k, p := range c.pats {
		t := p.t
		rec := recordJSON{Ante: c.keys.text(k.ante()), Cons: c.keys.text(k.cons()), Tallies: &t}
		for _, e := range p.sat {
			rec.Sat = append(rec.Sat, docs.example(e))
		}
		for _, e := range p.viol {
			rec.Viol = append(rec.Viol, docs.example(e))
		}
		pats = append(pats, rec)
	}
	slices.SortFunc(pats, func(a, b recordJSON) int {
		return cmp.Or(cmp.Compare(a.Ante, b.Ante), cmp.Compare(a.Cons, b.Cons))
	})

	var cmds []recordJSON
	for name, s := range c.commands {
		st := *s
		cmds = append(cmds, recordJSON{Command: name, Stat: &st})
	}
	slices.SortFunc(cmds, func(a, b recordJSON) int { return cmp.Compare(a.Command, b.Command) })

	if docs.err != nil {
		return nil, docs.err
	}
	var texts []recordJSON
	for id, text := range docs.texts {
		texts = append(texts, recordJSON{DocID: id, DocText: text})
	}
	slices.SortFunc(texts, func(a, b recordJSON) int { return cmp.Compare(a.DocID, b.DocID) })
	return slices.Concat(texts, antes, pats, cmds), nil
}

// docTable gives each distinct example Dockerfile an id: 16 hexadecimal
// digits of the SHA-256 of its text.
type docTable struct {
	texts map[string]string // by id
	ids   map[string]string // by text
	err   error
}

func (t *docTable) example(e exampleRef) exampleJSON {
	out := exampleJSON{Hash: hex64(e.hash), Family: hex64(e.family), File: e.file, Line: e.line, Text: e.text}
	if e.doc == "" {
		return out
	}
	id, ok := t.ids[e.doc]
	if !ok {
		sum := sha256.Sum256([]byte(e.doc))
		id = hex.EncodeToString(sum[:8])
		if t.texts == nil {
			t.texts, t.ids = map[string]string{}, map[string]string{}
		}
		if _, collision := t.texts[id]; collision && t.err == nil {
			t.err = fmt.Errorf("write counts: two example Dockerfiles share the id %s", id)
		}
		t.texts[id], t.ids[e.doc] = e.doc, id
	}
	out.Doc = id
	return out
}

func fromExampleJSON(e exampleJSON, docs map[string]string) (exampleRef, error) {
	h, err := strconv.ParseUint(e.Hash, 16, 64)
	if err != nil {
		return exampleRef{}, fmt.Errorf("invalid example hash %q: %w", e.Hash, err)
	}
	m, err := strconv.ParseUint(e.Family, 16, 64)
	if err != nil {
		return exampleRef{}, fmt.Errorf("invalid example family %q: %w", e.Family, err)
	}
	doc, ok := docs[e.Doc]
	if e.Doc != "" && !ok {
		return exampleRef{}, fmt.Errorf("example %s:%d names an unknown Dockerfile %q", e.File, e.Line, e.Doc)
	}
	return exampleRef{hash: h, family: m, file: e.File, line: e.Line, text: e.Text, doc: doc}, nil
}

// ReadCounts reads counts written by [Counts.WriteTo].
func ReadCounts(r io.Reader) (*Counts, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	defer zr.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(zr, 1<<16))

	var header countsHeader
	if err := dec.Decode(&header); err != nil {
		return nil, fmt.Errorf("read counts header: %w", err)
	}
	if header.Version != countsVersion {
		return nil, fmt.Errorf("read counts: unsupported version %d, want %d", header.Version, countsVersion)
	}

	c := newCounts(newInterner(), header.Examples)
	c.stats = header.Stats
	digest, err := strconv.ParseUint(header.Stats.Digest, 16, 64)
	if err != nil {
		return nil, fmt.Errorf("read counts: invalid digest %q: %w", header.Stats.Digest, err)
	}
	c.digest = digest
	for _, r := range header.Repos {
		c.repos[r] = true
	}

	docs := map[string]string{}
	for line := 2; ; line++ {
		var rec recordJSON
		err := dec.Decode(&rec)
		if err == io.EOF {
			return c, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read counts record %d: %w", line, err)
		}
		if err := c.addRecord(rec, docs); err != nil {
			return nil, fmt.Errorf("read counts record %d: %w", line, err)
		}
	}
}

// addRecord adds one decoded line to the counts. docs holds the example
// Dockerfiles read so far, by id.
func (c *Counts) addRecord(rec recordJSON, docs map[string]string) error {
	switch {
	case rec.DocID != "":
		docs[rec.DocID] = rec.DocText
	case rec.Command != "" && rec.Stat != nil:
		s := c.commands[rec.Command]
		if s == nil {
			s = &commandStat{}
			c.commands[rec.Command] = s
		}
		s.add(*rec.Stat)
	case rec.Ante != "" && rec.Cons == "" && rec.Tallies != nil:
		a := c.ante(c.keys.id(rec.Ante))
		for v := range variants {
			a.t[v].add(rec.Tallies[v])
		}
		for _, s := range rec.Sample {
			ex, err := fromExampleJSON(s.exampleJSON, docs)
			if err != nil {
				return err
			}
			e := sampleEntry{ex: ex}
			for _, k := range s.Sat {
				e.sat = append(e.sat, c.keys.id(k))
			}
			slices.Sort(e.sat)
			a.sample.offer(e)
		}
	case rec.Ante != "" && rec.Cons != "" && rec.Tallies != nil:
		p := c.pat(makePatKey(c.keys.id(rec.Ante), c.keys.id(rec.Cons)))
		for v := range variants {
			p.t[v].add(rec.Tallies[v])
		}
		for _, list := range []struct {
			in  []exampleJSON
			out *exampleList
		}{{rec.Sat, &p.sat}, {rec.Viol, &p.viol}} {
			for _, e := range list.in {
				ex, err := fromExampleJSON(e, docs)
				if err != nil {
					return err
				}
				list.out.offer(ex)
			}
		}
	default:
		return errors.New("record is neither an antecedent, a pattern nor a command")
	}
	return nil
}

// Merge adds other into c. The two must not share a repository, since a
// repository split over shards would be counted twice in repository and
// family support; Merge then returns an error wrapping [ErrOverlap] and
// leaves c unchanged.
func (c *Counts) Merge(other *Counts) error {
	// The first shared repository in name order, so the error is the same
	// on every run.
	var shared []string
	for r := range other.repos {
		if c.repos[r] {
			shared = append(shared, r)
		}
	}
	if len(shared) > 0 {
		sort.Strings(shared)
		return fmt.Errorf("%w: %q", ErrOverlap, shared[0])
	}

	for r := range other.repos {
		c.repos[r] = true
	}
	c.digest ^= other.digest
	s, o := &c.stats, other.stats
	s.Files += o.Files
	s.Parsed += o.Parsed
	s.Failed += o.Failed
	s.Failures = append(s.Failures, o.Failures...)
	s.Families += o.Families
	s.Instructions += o.Instructions
	s.Commands += o.Commands
	s.CommandsKnown += o.CommandsKnown
	c.examples = c.examples && other.examples

	records, err := other.records()
	if err != nil {
		return err
	}
	docs := map[string]string{}
	for _, rec := range records {
		if err := c.addRecord(rec, docs); err != nil {
			return err
		}
	}
	return nil
}

// Same reports whether two counts were made from the same files: the same
// repositories and the same file digest.
func (c *Counts) Same(other *Counts) bool {
	return c.digest == other.digest && maps.Equal(c.repos, other.repos)
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (cw *countingWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.n += int64(n)
	return n, err
}
