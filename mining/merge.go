package mining

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// ErrContrastMismatch is returned when shards were mined against contrast
// corpora that are neither the same nor disjoint.
var ErrContrastMismatch = errors.New("shards have different contrast corpora that share repositories")

// shard is the counts and input names of one output directory, read for a
// merge.
type shard struct {
	dir            string
	expert         *Counts
	contrast       *Counts
	inputs         []string
	contrastInputs []string
}

// readShard reads the counts and input names of an output directory.
func readShard(dir string) (*shard, error) {
	s := &shard{dir: dir}
	var err error
	if s.expert, err = readCountsFile(filepath.Join(dir, CountsFile)); err != nil {
		return nil, err
	}
	s.contrast, err = readCountsFile(filepath.Join(dir, ContrastCountsFile))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}

	data, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err != nil {
		return nil, fmt.Errorf("read shard %s: %w", dir, err)
	}
	var sum Summary
	if err := json.Unmarshal(data, &sum); err != nil {
		return nil, fmt.Errorf("read shard %s: %s: %w", dir, SummaryFile, err)
	}
	s.inputs, s.contrastInputs = sum.Inputs, sum.ContrastInputs
	return s, nil
}

func readCountsFile(name string) (*Counts, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	defer f.Close()
	c, err := ReadCounts(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

// MergeShards combines the counts of output directories written by
// [Report.Write] for disjoint sets of repositories and makes candidates
// from the sum, as one run over all of them would. Contrast counts must be
// the same in every shard (each shard mined against the whole contrast
// corpus) or come from disjoint repositories.
func MergeShards(dirs []string, opts Options) (*Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if len(dirs) == 0 {
		return nil, errors.New("merge: no shard directories given")
	}
	start := time.Now()

	r := &Report{Options: opts}
	for _, dir := range dirs {
		s, err := readShard(dir)
		if err != nil {
			return nil, err
		}
		if err := r.addShard(s); err != nil {
			return nil, fmt.Errorf("merge %s: %w", dir, err)
		}
	}
	r.Timing.Expert = time.Since(start).Seconds()

	at := time.Now()
	var err error
	if r.Result, err = Candidates(r.Expert, r.Contrast, opts); err != nil {
		return nil, err
	}
	r.Timing.Candidates = time.Since(at).Seconds()
	r.Timing.Total = time.Since(start).Seconds()
	return r, nil
}

// addShard merges one shard into the report.
func (r *Report) addShard(s *shard) error {
	r.Inputs = appendNew(r.Inputs, s.inputs...)
	if r.Expert == nil {
		r.Expert = s.expert
	} else if err := r.Expert.Merge(s.expert); err != nil {
		return err
	}

	switch {
	case s.contrast == nil:
	case r.Contrast == nil:
		r.Contrast = s.contrast
		r.ContrastInputs = appendNew(r.ContrastInputs, s.contrastInputs...)
	case r.Contrast.Same(s.contrast):
	default:
		if err := r.Contrast.Merge(s.contrast); err != nil {
			if errors.Is(err, ErrOverlap) {
				return fmt.Errorf("%w: %w", ErrContrastMismatch, err)
			}
			return err
		}
		r.ContrastInputs = appendNew(r.ContrastInputs, s.contrastInputs...)
	}
	return nil
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
