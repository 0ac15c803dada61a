package mining

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dockmine/dockmine/rules"
)

// FileHistory is the history of one Dockerfile path of a repository: the
// file as it was at the oldest commit walked, then every commit that
// changed it, oldest first.
type FileHistory struct {
	Repo    string
	Path    string
	Start   time.Time // committer date of the oldest commit walked in the repository
	Initial Content   // the file at Start; Src is nil when the path did not exist yet
	Changes []Change  // in first-parent order
}

// Change is one commit that changed a file.
type Change struct {
	Seq    int       // position on the first-parent line; 0 is the oldest commit walked
	Commit string    // hex id
	Time   time.Time // committer date
	After  Content   // the file after the commit; Src is nil when the commit removed it
}

// Content is one version of a file.
type Content struct {
	ID  string // identifies the bytes, as their blob hash: equal IDs must mean equal bytes
	Src []byte // nil for no file
}

// HistorySource yields the file histories of a corpus. A non-nil error
// stops the run.
type HistorySource = iter.Seq2[FileHistory, error]

// HistoryOptions configures [MineHistory]. A zero field takes its default.
type HistoryOptions struct {
	// Candidates are the patterns to follow, as a run of [Mine] wrote them.
	// Without them, every pattern whose consequent is a flag, a flag value
	// or an operand tag is followed.
	Candidates []rules.Candidate
	// Pack holds rules whose findings are followed through the history, as
	// the built-in pack; nil follows none. Every rule that is not retired
	// runs.
	Pack    *rules.Pack
	Workers int          // file versions analyzed at once; 0 means GOMAXPROCS
	Logger  *slog.Logger // progress at debug level; nil discards it
}

// Validate reports the first invalid field.
func (o HistoryOptions) Validate() error {
	if o.Workers < 0 {
		return fmt.Errorf("invalid workers %d: must be 0 or more", o.Workers)
	}
	return nil
}

func (o HistoryOptions) withDefaults() HistoryOptions {
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// HistoryReport is the outcome of [MineHistory]: how often each pattern
// held, year by year, and how the violations of each rule came and went.
type HistoryReport struct {
	Summary HistorySummary
	Drift   []DriftRow
	Rules   []RuleHistory
}

// HistorySummary counts what a history run read.
type HistorySummary struct {
	Repos     int       `json:"repos"`
	Paths     int       `json:"paths"`    // file paths with a history
	Versions  int       `json:"versions"` // file versions: the initial ones and one per change
	Contents  int       `json:"contents"` // distinct contents parsed
	Failed    int       `json:"failed"`   // distinct contents that did not parse
	Failures  []Failure `json:"failures"` // one per content that did not parse, with the first path that had it
	FirstYear int       `json:"first_year"`
	LastYear  int       `json:"last_year"`
	Patterns  int       `json:"patterns"`  // distinct patterns in drift.csv
	Rules     int       `json:"rules"`     // rules and candidates whose violations were followed
	Unmatched []string  `json:"unmatched"` // candidate ids whose pattern this miner does not produce
	Timing    float64   `json:"total_seconds"`
}

// tracked is the pattern of a candidate whose counts and violations are
// followed.
type tracked struct {
	ante, cons     string
	anteID, consID keyID
	variant        int
	candidate      *rules.Candidate
	rule           int // index into the report's rules
}

// MineHistory analyzes every version of every file that src yields. Each
// distinct content is parsed once. A version that does not parse is
// recorded in the summary and left out, so that its neighbours are
// compared with each other. A cancelled ctx or an error of src stops the
// run.
func MineHistory(ctx context.Context, src HistorySource, opts HistoryOptions) (*HistoryReport, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	start := time.Now()

	h := newHistoryRun(opts)
	g, gctx := errgroup.WithContext(ctx)
	jobs := make(chan *pathTimeline, 4*opts.Workers)
	g.Go(func() error {
		defer close(jobs)
		for fh, err := range src {
			if err != nil {
				return fmt.Errorf("read history: %w", err)
			}
			tl := h.timeline(fh)
			select {
			case jobs <- tl:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range opts.Workers {
		g.Go(func() error {
			w := h.newWorker()
			for tl := range jobs {
				if err := gctx.Err(); err != nil {
					return err
				}
				w.analyze(tl)
				opts.Logger.Debug("history analyzed", "repo", tl.repo, "path", tl.path, "versions", len(tl.entries))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	report := h.report()
	report.Summary.Timing = time.Since(start).Seconds()
	return report, nil
}

// historyRun holds the state of one run of [MineHistory].
type historyRun struct {
	opts      HistoryOptions
	keys      *interner
	followAll bool            // no candidates: follow every flag, flag value and operand tag pattern
	track     []tracked       // the candidates' patterns
	byAnte    map[keyID][]int // antecedent to indexes into track
	rules     []RuleHistory   // one per candidate whose pattern the miner makes, then one per pack rule
	codes     map[string]int  // pack rule code to index into rules
	unmatched []string        // candidate ids without a pattern the miner makes

	mu        sync.Mutex
	contents  map[string]*contentStats // by Content.ID
	timelines []*pathTimeline
}

func newHistoryRun(opts HistoryOptions) *historyRun {
	h := &historyRun{opts: opts, keys: newInterner(), contents: map[string]*contentStats{}, codes: map[string]int{}}
	h.followAll = len(opts.Candidates) == 0
	h.byAnte = map[keyID][]int{}
	for i := range opts.Candidates {
		c := &opts.Candidates[i]
		ante, cons, variant, ok := candidateKeys(c)
		if !ok {
			h.unmatched = append(h.unmatched, c.ID)
			continue
		}
		t := tracked{ante: ante, cons: cons, anteID: h.keys.id(ante), consID: h.keys.id(cons), variant: variant, candidate: c, rule: len(h.rules)}
		h.byAnte[t.anteID] = append(h.byAnte[t.anteID], len(h.track))
		h.track = append(h.track, t)
		h.rules = append(h.rules, RuleHistory{
			Source: "candidate", Candidate: c.ID, Kind: c.Kind, Antecedent: c.Antecedent, Consequent: c.Consequent, Title: c.Text,
		})
	}
	if opts.Pack != nil {
		for _, r := range opts.Pack.Rules {
			if r.Status == rules.StatusRetired {
				continue
			}
			h.codes[r.Code] = len(h.rules)
			h.rules = append(h.rules, RuleHistory{Source: "pack", Rule: r.Code, Name: r.Name, Title: r.Title})
		}
	}
	return h
}

// candidateKeys returns the antecedent and consequent keys and the variant
// of a candidate, found by making the id of each way its texts can be read
// and comparing it with the candidate's. It reports false for a candidate
// this miner would not write, as one from another version.
func candidateKeys(c *rules.Candidate) (ante, cons string, variant int, ok bool) {
	text, variant := c.Antecedent, variantAll
	if t, shipped := strings.CutSuffix(text, " "+shippedSuffix); shipped {
		text, variant = t, variantShipped
	}
	var antes []string
	switch text {
	case "final stage":
		antes = []string{keyFinal}
	case "Dockerfile":
		antes = []string{keyFile}
	default:
		antes = []string{prefixCmd + text, prefixInst + text}
		if i := strings.LastIndex(text, " <"); i > 0 && strings.HasSuffix(text, ">") {
			antes = append(antes, prefixOp+text[:i]+" "+text[i+2:len(text)-1])
		}
	}
	for _, a := range antes {
		for _, p := range consequentPrefixes {
			k := p + c.Consequent
			kind, scope := kindOf(a, k)
			if c.Kind == "absent" {
				kind = "absent"
			}
			if candidateID(kind, scope, a, k, variant) == c.ID {
				return a, k, variant, true
			}
		}
	}
	return "", "", 0, false
}

// consequentPrefixes are the kinds of consequent keys, see keys.go.
var consequentPrefixes = []string{prefixFlag, prefixValue, prefixSub, prefixTag, prefixAfter, prefixBefor, prefixStage, prefixFeat, prefixRun}

// followedByDefault reports whether a consequent is followed without
// candidates: a flag, a flag value or an operand tag.
func followedByDefault(cons string) bool {
	return strings.HasPrefix(cons, prefixFlag) || strings.HasPrefix(cons, prefixValue) || strings.HasPrefix(cons, prefixTag)
}

// ReadCandidates reads the candidates of a candidates.jsonl file, one JSON
// object per line. Blank lines are skipped.
func ReadCandidates(r io.Reader) ([]rules.Candidate, error) {
	dec := json.NewDecoder(r)
	var out []rules.Candidate
	for n := 1; ; n++ {
		var c rules.Candidate
		err := dec.Decode(&c)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read candidate %d: %w", n, err)
		}
		if c.ID == "" {
			return nil, fmt.Errorf("read candidate %d: missing id", n)
		}
		out = append(out, c)
	}
}
