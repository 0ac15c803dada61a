package mining

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dockmine/dockmine/ast"
)

// Default thresholds. See the package documentation for why.
const (
	DefaultMinRepos         = 2
	DefaultMinFamilies      = 3
	DefaultMinConfidence    = 0.65
	DefaultFamilySimilarity = 0.7
)

// Options configures counting and candidate selection. A zero field takes
// its default.
type Options struct {
	Workers          int          // files parsed at once; 0 means GOMAXPROCS
	MinRepos         int          // repositories that must satisfy a candidate; default 2
	MinFamilies      int          // template families that must satisfy a candidate; default 3
	MinConfidence    float64      // family-weighted confidence a candidate needs, in (0, 1]; default 0.65
	FamilySimilarity float64      // estimated Jaccard similarity that joins two files of a repository into one family, in (0, 1]; default 0.7
	Logger           *slog.Logger // progress at debug level; nil discards it
}

// Validate reports the first invalid field.
func (o Options) Validate() error {
	switch {
	case o.Workers < 0:
		return fmt.Errorf("invalid workers %d: must be 0 or more", o.Workers)
	case o.MinRepos < 0:
		return fmt.Errorf("invalid minimum repositories %d: must be 0 or more", o.MinRepos)
	case o.MinFamilies < 0:
		return fmt.Errorf("invalid minimum families %d: must be 0 or more", o.MinFamilies)
	case o.MinConfidence < 0 || o.MinConfidence > 1:
		return fmt.Errorf("invalid minimum confidence %g: must be in (0, 1]", o.MinConfidence)
	case o.FamilySimilarity < 0 || o.FamilySimilarity > 1:
		return fmt.Errorf("invalid family similarity %g: must be in (0, 1]", o.FamilySimilarity)
	}
	return nil
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MinRepos == 0 {
		o.MinRepos = DefaultMinRepos
	}
	if o.MinFamilies == 0 {
		o.MinFamilies = DefaultMinFamilies
	}
	if o.MinConfidence == 0 {
		o.MinConfidence = DefaultMinConfidence
	}
	if o.FamilySimilarity == 0 {
		o.FamilySimilarity = DefaultFamilySimilarity
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// batch is the files of one repository on their way through the workers.
type batch struct {
	repo    string
	results []*fileResult
	pending atomic.Int32
}

type job struct {
	b   *batch
	i   int
	doc Document
}

// Count parses every document of src in parallel and counts antecedents and
// patterns. A file that cannot be read or parsed is recorded in
// [CorpusStats.Failures] and does not stop the run. An error of src itself
// or a cancelled ctx does stop it.
func Count(ctx context.Context, src Source, opts Options) (*Counts, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	keys := newInterner()
	c := newCounts(keys, true)

	g, gctx := errgroup.WithContext(ctx)
	jobs := make(chan job, 4*opts.Workers)
	done := make(chan *batch, opts.Workers)
	g.Go(func() error {
		defer close(jobs)
		return produce(gctx, src, jobs)
	})

	var workers sync.WaitGroup
	for range opts.Workers {
		workers.Add(1)
		g.Go(func() error {
			defer workers.Done()
			x := newExtractor(keys)
			for j := range jobs {
				if err := gctx.Err(); err != nil {
					return err
				}
				j.b.results[j.i] = x.process(j.doc)
				if j.b.pending.Add(-1) == 0 {
					done <- j.b
				}
			}
			return nil
		})
	}
	go func() {
		workers.Wait()
		close(done)
	}()

	fo := newFolder(c, opts.FamilySimilarity)
	for b := range done {
		fo.addRepo(b.repo, b.results)
		opts.Logger.Debug("repository counted", "repo", b.repo, "files", len(b.results))
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return c, nil
}

// produce reads src and sends one job per document, a repository at a
// time.
func produce(ctx context.Context, src Source, jobs chan<- job) error {
	seen := map[string]bool{}
	var repo string
	var docs []Document
	send := func() error {
		if len(docs) == 0 {
			return nil
		}
		b := &batch{repo: repo, results: make([]*fileResult, len(docs))}
		b.pending.Store(int32(len(docs)))
		for i, d := range docs {
			select {
			case jobs <- job{b: b, i: i, doc: d}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		docs = nil
		return nil
	}

	for doc, err := range src {
		if err != nil {
			return fmt.Errorf("read corpus: %w", err)
		}
		if doc.Repo != repo || len(docs) == 0 {
			if err := send(); err != nil {
				return err
			}
			if seen[doc.Repo] {
				return fmt.Errorf("%w: %q", ErrRepoSplit, doc.Repo)
			}
			seen[doc.Repo] = true
			repo = doc.Repo
		}
		docs = append(docs, doc)
	}
	return send()
}

// process parses and extracts one document. A panic in the parser is
// recorded as the file's failure, so one bad file never ends a long run.
func (x *extractor) process(doc Document) (res *fileResult) {
	res = &fileResult{repo: doc.Repo, path: doc.Path, fullName: doc.Name(), digest: fileDigest(doc)}
	if doc.Err != nil {
		res.err = doc.Err
		return res
	}
	defer func() {
		if p := recover(); p != nil {
			res = &fileResult{repo: doc.Repo, path: doc.Path, fullName: doc.Name(), digest: res.digest, err: fmt.Errorf("internal error: %v", p)}
		}
	}()

	f, err := ast.Parse(doc.Name(), doc.Src)
	if err != nil {
		res.err = err
		return res
	}
	out := x.extract(doc, f)
	out.digest = res.digest
	return out
}

// fileDigest hashes a document's name and content.
func fileDigest(doc Document) uint64 {
	h := fnv.New64a()
	h.Write(doc.Src)
	return mix(hashString(doc.Name()) ^ mix(h.Sum64()))
}

// Mine counts the expert corpus and, when contrast is not nil, the contrast
// corpus, then turns the counts into ranked candidates. The report's input
// names are left for the caller to fill in.
func Mine(ctx context.Context, expert, contrast Source, opts Options) (*Report, error) {
	start := time.Now()
	r := &Report{Options: opts}

	var err error
	r.Expert, err = Count(ctx, expert, opts)
	if err != nil {
		return nil, err
	}
	r.Timing.Expert = time.Since(start).Seconds()

	if contrast != nil {
		at := time.Now()
		r.Contrast, err = Count(ctx, contrast, opts)
		if err != nil {
			return nil, err
		}
		r.Timing.Contrast = time.Since(at).Seconds()
	}

	at := time.Now()
	r.Result, err = Candidates(r.Expert, r.Contrast, opts)
	if err != nil {
		return nil, err
	}
	r.Timing.Candidates = time.Since(at).Seconds()
	r.Timing.Total = time.Since(start).Seconds()
	return r, nil
}
