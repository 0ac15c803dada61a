package corpus

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard selects one of Count disjoint parts of a repository list. Index
// counts from 1. The part a repository falls in depends only on its name, so
// every machine that crawls the same list with the same Count agrees, and
// the order of the list does not matter. The zero Shard selects everything.
type Shard struct {
	Index int // 1 to Count
	Count int // number of parts; 0 for no sharding
}

// ParseShard parses "I/N", for example "2/8".
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if !ok || errors.Join(err1, err2) != nil {
		return Shard{}, fmt.Errorf("invalid shard %q: want I/N, such as 1/4", s)
	}
	shard := Shard{Index: index, Count: count}
	if err := shard.Validate(); err != nil {
		return Shard{}, err
	}
	return shard, nil
}

// Validate checks that 1 <= Index <= Count, or that both are zero.
func (s Shard) Validate() error {
	if s == (Shard{}) {
		return nil
	}
	if s.Count < 1 || s.Index < 1 || s.Index > s.Count {
		return fmt.Errorf("invalid shard %d/%d: want 1 <= I <= N", s.Index, s.Count)
	}
	return nil
}

// Contains reports whether the repository named name belongs to s.
func (s Shard) Contains(name string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()%uint64(s.Count) == uint64(s.Index-1)
}

// String returns "I/N", or "" for the zero Shard.
func (s Shard) String() string {
	if s == (Shard{}) {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Filter returns the sources that belong to s, in their original order.
func (s Shard) Filter(sources []Source) []Source {
	var out []Source
	for _, src := range sources {
		if s.Contains(src.Name) {
			out = append(out, src)
		}
	}
	return out
}
