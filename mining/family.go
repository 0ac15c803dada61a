package mining

import (
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// sigBins is the number of bins of a file signature.
const sigBins = 64

// signature is a one-permutation MinHash sketch of a file's instruction
// text: bin i holds the smallest shingle hash that falls into it, or 0 when
// none does. Two files' signatures estimate the Jaccard similarity of their
// sets of shingles.
type signature []uint64

// fileSignature sketches a file. Shingles are three consecutive tokens of
// the instructions' text after normalization, so that files generated from
// one template with other versions and checksums look alike: letters are
// lower-cased, every run of digits becomes 0 and long hexadecimal strings
// become #.
func fileSignature(f *ast.File) signature {
	sig := make(signature, sigBins)
	var window [3]uint64
	n := 0
	for _, inst := range f.Instructions {
		text := f.SourceOf(inst.Range)
		for tok := range strings.FieldsSeq(text) {
			if tok == "\\" {
				continue
			}
			window[0], window[1], window[2] = window[1], window[2], tokenHash(tok)
			n++
			if n < 3 {
				continue
			}
			h := mix(window[0]*31*31+window[1]*31+window[2]) | 1
			bin := h % sigBins
			if sig[bin] == 0 || h < sig[bin] {
				sig[bin] = h
			}
		}
	}
	if n < 3 {
		return nil
	}
	return sig
}

// tokenHash returns the FNV-1a hash of a token after normalization: letters
// lower-cased, each run of digits replaced with 0, and a hexadecimal string
// of 16 or more characters replaced with #.
func tokenHash(tok string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	if len(tok) >= 16 && isHex(tok) {
		return (h ^ '#') * prime
	}
	digits := false
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c >= '0' && c <= '9' {
			if !digits {
				h = (h ^ '0') * prime
			}
			digits = true
			continue
		}
		digits = false
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * prime
	}
	return h
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// similarity estimates the Jaccard similarity of the shingle sets of two
// signatures.
func similarity(a, b signature) float64 {
	if a == nil || b == nil {
		return 0
	}
	match, used := 0, 0
	for i := range a {
		if a[i] == 0 && b[i] == 0 {
			continue
		}
		used++
		if a[i] == b[i] {
			match++
		}
	}
	if used == 0 {
		return 0
	}
	return float64(match) / float64(used)
}

// families groups the files of one repository into template families:
// files whose signatures are at least threshold similar are joined, and so
// are their families (single linkage). It returns each file's family as the
// index of the family's first file. A file without a signature is a family
// of its own.
//
// NOTE: copies of one file in different repositories (forks, vendored
// examples) are never joined, so each copy still counts as a repository and
// a family of its own.
func families(sigs []signature, threshold float64) []int {
	n := len(sigs)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(i, j int) {
		ri, rj := find(i), find(j)
		if ri == rj {
			return
		}
		if ri < rj {
			parent[rj] = ri
		} else {
			parent[ri] = rj
		}
	}

	eachCandidatePair(sigs, func(i, j int) {
		if find(i) != find(j) && similarity(sigs[i], sigs[j]) >= threshold {
			union(i, j)
		}
	})

	out := make([]int, n)
	for i := range out {
		out[i] = find(i)
	}
	return out
}

// bandRows is the number of bins per band in locality-sensitive hashing.
// With 16 bands of 4 bins, two files of similarity 0.5 share a band with
// probability 1-(1-0.5^4)^16, about 0.64, and files of 0.7 about 0.98.
const bandRows = 4

// eachCandidatePair calls fn for the pairs of files worth comparing: all
// pairs in a small repository, and pairs that share a band of their
// signatures otherwise. A pair may be visited more than once, and the order
// of visits is not fixed.
func eachCandidatePair(sigs []signature, fn func(i, j int)) {
	n := len(sigs)
	if n <= 96 {
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				fn(i, j)
			}
		}
		return
	}

	for band := 0; band < sigBins/bandRows; band++ {
		buckets := map[uint64][]int{}
		for i, s := range sigs {
			if s == nil {
				continue
			}
			h := uint64(band + 1)
			for _, v := range s[band*bandRows : (band+1)*bandRows] {
				h = mix(h ^ v)
			}
			buckets[h] = append(buckets[h], i)
		}
		for _, members := range buckets {
			for a := 0; a < len(members); a++ {
				for b := a + 1; b < len(members); b++ {
					fn(members[a], members[b])
				}
			}
		}
	}
}
