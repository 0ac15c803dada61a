package mining

import (
	"slices"
	"sort"
)

// maxExamples is the number of satisfied and of violated examples kept per
// candidate.
const maxExamples = 5

// sampleSize is the number of occurrences kept per antecedent to find
// violated examples of patterns that a repository never satisfies.
const sampleSize = 32

// exampleRef is one occurrence kept as an example.
type exampleRef struct {
	hash   uint64 // the occurrence hash: examples are the lowest ones
	family uint64 // the template family, so that examples come from different ones
	file   string
	line   int32
	text   string
	doc    string // the instruction as a Dockerfile of its own, see layout.snippet; "" when none
}

// exampleList holds the lowest-hash example of each of the maxExamples
// families whose lowest hashes are smallest, sorted by hash. Offering
// examples in any order, or merging lists, gives the same list.
type exampleList []exampleRef

func (l *exampleList) offer(e exampleRef) {
	list := *l
	if i := slices.IndexFunc(list, func(x exampleRef) bool { return x.family == e.family }); i >= 0 {
		if e.hash >= list[i].hash {
			return
		}
		list = slices.Delete(list, i, i+1)
	} else if len(list) == maxExamples && e.hash >= list[len(list)-1].hash {
		return
	}

	at := sort.Search(len(list), func(i int) bool { return list[i].hash > e.hash })
	list = slices.Insert(list, at, e)
	if len(list) > maxExamples {
		list = list[:maxExamples]
	}
	*l = list
}

func (l *exampleList) merge(other exampleList) {
	for _, e := range other {
		l.offer(e)
	}
}

// full reports whether the list holds maxExamples families.
func (l exampleList) full() bool { return len(l) == maxExamples }

// sampleEntry is an occurrence kept in an antecedent's sample with the
// consequents that hold there.
type sampleEntry struct {
	ex  exampleRef
	sat []keyID // sorted
}

// sample keeps the sampleSize occurrences of lowest hash, sorted by hash.
type sample []sampleEntry

func (s *sample) offer(e sampleEntry) {
	list := *s
	if len(list) == sampleSize && e.ex.hash >= list[len(list)-1].ex.hash {
		return
	}
	at := sort.Search(len(list), func(i int) bool { return list[i].ex.hash >= e.ex.hash })
	if at < len(list) && list[at].ex.hash == e.ex.hash && list[at].ex.file == e.ex.file {
		return
	}
	list = slices.Insert(list, at, e)
	if len(list) > sampleSize {
		list = list[:sampleSize]
	}
	*s = list
}

// accepts reports whether an occurrence of hash h would enter the sample,
// so that callers build its consequent set only then.
func (s sample) accepts(h uint64) bool {
	return len(s) < sampleSize || h < s[len(s)-1].ex.hash
}
