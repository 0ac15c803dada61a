package mining

import (
	"cmp"
	"slices"
)

// folder adds the results of one repository to [Counts]. It keeps scratch
// space between repositories; one goroutine owns it.
type folder struct {
	c         *Counts
	threshold float64 // family similarity, see Options.FamilySimilarity

	// per repository
	files    []*fileResult // parsed files
	famOf    []int         // compact family index of each parsed file
	famHash  []uint64      // identity of each family, for example diversity
	occs     []*occurrence // occurrences of the current antecedent, in file order
	occFile  []int32
	occFam   []int32
	byHash   []int32 // indexes into occs, by occurrence hash
	consSlot map[keyID]int
	slots    [][]int32 // occurrence indexes that satisfy each consequent, in file order
	slotKeys []keyID
	nFile    [variants][]int32 // antecedent occurrences per file
	nFam     [variants][]int32 // antecedent occurrences per family
	aFiles   [variants]int64   // files with an occurrence of the current antecedent
	aFams    [variants]int64   // families with one
	sFile    []int32           // scratch: satisfying occurrences per file
	sFam     []int32           // scratch: satisfying occurrences per family
	mark     []bool
	bestOf   []int32           // scratch for offerSatisfied
	docs     map[uint64]string // example Dockerfiles of the repository, by file and instruction
}

func newFolder(c *Counts, threshold float64) *folder {
	return &folder{c: c, threshold: threshold, consSlot: map[keyID]int{}, docs: map[uint64]string{}}
}

// addRepo folds the files of one repository into the counts.
func (fo *folder) addRepo(repo string, results []*fileResult) {
	c := fo.c
	c.repos[repo] = true
	fo.files = fo.files[:0]
	clear(fo.docs)
	var sigs []signature
	for _, r := range results {
		c.stats.Files++
		c.digest ^= r.digest
		if r.err != nil {
			c.stats.Failed++
			c.stats.Failures = append(c.stats.Failures, Failure{File: r.name(), Error: r.err.Error()})
			continue
		}
		c.stats.Parsed++
		c.stats.Instructions += r.instructions
		fo.files = append(fo.files, r)
		sigs = append(sigs, r.sig)
	}
	if len(fo.files) == 0 {
		return
	}

	fo.assignFamilies(repo, sigs)
	fo.addCommands()

	groups := map[keyID][]int32{} // antecedent -> packed (file, occurrence) refs
	var refs [][2]int32
	for fi, r := range fo.files {
		for oi := range r.occs {
			id := r.occs[oi].ante
			groups[id] = append(groups[id], int32(len(refs)))
			refs = append(refs, [2]int32{int32(fi), int32(oi)})
		}
	}
	for ante, list := range groups {
		fo.occs = fo.occs[:0]
		fo.occFile = fo.occFile[:0]
		for _, ri := range list {
			ref := refs[ri]
			fo.occs = append(fo.occs, &fo.files[ref[0]].occs[ref[1]])
			fo.occFile = append(fo.occFile, ref[0])
		}
		fo.addAntecedent(ante)
	}
}

// assignFamilies groups the parsed files into template families.
func (fo *folder) assignFamilies(repo string, sigs []signature) {
	roots := families(sigs, fo.threshold)
	compact := map[int]int{}
	fo.famOf = fo.famOf[:0]
	fo.famHash = fo.famHash[:0]
	for _, root := range roots {
		idx, ok := compact[root]
		if !ok {
			idx = len(compact)
			compact[root] = idx
			fo.famHash = append(fo.famHash, hashString(repo+"\x00"+fo.files[root].path))
		}
		fo.famOf = append(fo.famOf, idx)
	}
	fo.c.stats.Families += len(compact)

	nf := len(compact)
	for v := range variants {
		fo.nFile[v] = resize(fo.nFile[v], len(fo.files))
		fo.nFam[v] = resize(fo.nFam[v], nf)
	}
	fo.sFile = resize(fo.sFile, len(fo.files))
	fo.sFam = resize(fo.sFam, nf)
}

// resize returns s with length n and every element zero.
func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// addCommands counts the commands of the repository's files.
func (fo *folder) addCommands() {
	c := fo.c
	repoSeen := map[string]bool{}
	for _, r := range fo.files {
		fileSeen := map[string]bool{}
		for _, u := range r.uses {
			c.stats.Commands++
			if u.known {
				c.stats.CommandsKnown++
			}
			key := u.name + "\t" + u.sub
			s := c.commands[key]
			if s == nil {
				s = &commandStat{}
				c.commands[key] = s
			}
			s.Inst++
			s.Flags += int64(u.flags)
			s.UnknownFlags += int64(u.unknownFlags)
			if u.known {
				s.Known++
			}
			if !fileSeen[key] {
				fileSeen[key] = true
				s.Files++
			}
			if !repoSeen[key] {
				repoSeen[key] = true
				s.Repos++
			}
		}
	}
}

// addAntecedent folds the occurrences in fo.occs, all of one antecedent.
func (fo *folder) addAntecedent(ante keyID) {
	n := len(fo.occs)
	fo.occFam = fo.occFam[:0]
	for i := range n {
		fo.occFam = append(fo.occFam, int32(fo.famOf[fo.occFile[i]]))
	}

	// Count the antecedent per file and family, in both variants.
	a := fo.c.ante(ante)
	var totals [variants]int64
	var touchedFiles, touchedFams []int32
	for i, o := range fo.occs {
		f, m := fo.occFile[i], fo.occFam[i]
		if fo.nFile[variantAll][f] == 0 {
			touchedFiles = append(touchedFiles, f)
		}
		if fo.nFam[variantAll][m] == 0 {
			touchedFams = append(touchedFams, m)
		}
		fo.nFile[variantAll][f]++
		fo.nFam[variantAll][m]++
		totals[variantAll]++
		if o.shipped {
			fo.nFile[variantShipped][f]++
			fo.nFam[variantShipped][m]++
			totals[variantShipped]++
		}
	}
	for v := range variants {
		fo.aFiles[v] = countNonZero(fo.nFile[v], touchedFiles)
		fo.aFams[v] = countNonZero(fo.nFam[v], touchedFams)
		if totals[v] == 0 {
			continue
		}
		a.t[v].add(tally{Inst: totals[v], Files: fo.aFiles[v], Families: fo.aFams[v], Repos: 1})
	}

	fo.collectConsequents()
	for s, cons := range fo.slotKeys {
		fo.addPattern(ante, cons, fo.slots[s], totals)
	}
	if fo.c.examples {
		fo.addExamples(ante, a)
	}

	for v := range variants {
		for _, f := range touchedFiles {
			fo.nFile[v][f] = 0
		}
		for _, m := range touchedFams {
			fo.nFam[v][m] = 0
		}
	}
}

func countNonZero(counts []int32, touched []int32) int64 {
	var n int64
	for _, i := range touched {
		if counts[i] > 0 {
			n++
		}
	}
	return n
}

// collectConsequents lists, for each consequent seen, the occurrences that
// satisfy it.
func (fo *folder) collectConsequents() {
	clear(fo.consSlot)
	for i := range fo.slots {
		fo.slots[i] = fo.slots[i][:0]
	}
	fo.slotKeys = fo.slotKeys[:0]
	for i, o := range fo.occs {
		o.each(func(k keyID) {
			s, ok := fo.consSlot[k]
			if !ok {
				s = len(fo.slotKeys)
				fo.consSlot[k] = s
				fo.slotKeys = append(fo.slotKeys, k)
				if s == len(fo.slots) {
					fo.slots = append(fo.slots, nil)
				}
			}
			fo.slots[s] = append(fo.slots[s], int32(i))
		})
	}
}

// addPattern folds one pattern: the occurrences idx satisfy it, out of the
// antecedent's totals.
func (fo *folder) addPattern(ante, cons keyID, idx []int32, totals [variants]int64) {
	p := fo.c.pat(makePatKey(ante, cons))
	for v := range variants {
		var t tally
		var touchedFiles, touchedFams []int32
		for _, i := range idx {
			if v == variantShipped && !fo.occs[i].shipped {
				continue
			}
			f, m := fo.occFile[i], fo.occFam[i]
			if fo.sFile[f] == 0 {
				touchedFiles = append(touchedFiles, f)
			}
			if fo.sFam[m] == 0 {
				touchedFams = append(touchedFams, m)
			}
			fo.sFile[f]++
			fo.sFam[m]++
			t.Inst++
		}
		t.Files = int64(len(touchedFiles))
		t.Families = int64(len(touchedFams))
		if t.Inst > 0 {
			t.Repos = 1
		}
		fullFiles, fullFams := int64(0), int64(0)
		for _, f := range touchedFiles {
			if fo.sFile[f] == fo.nFile[v][f] {
				fullFiles++
			}
			fo.sFile[f] = 0
		}
		for _, m := range touchedFams {
			t.Weight += int64(fo.sFam[m]) * weightUnit / int64(fo.nFam[v][m])
			if fo.sFam[m] == fo.nFam[v][m] {
				fullFams++
			}
			fo.sFam[m] = 0
		}
		t.VFiles = fo.aFiles[v] - fullFiles
		t.VFamilies = fo.aFams[v] - fullFams
		if t.Inst < totals[v] {
			t.VRepos = 1
		}
		p.t[v].add(t)
	}
}

// addExamples offers the lowest-hash satisfied and violated occurrences of
// each pattern of the antecedent, one per family, and updates the
// antecedent's sample.
func (fo *folder) addExamples(ante keyID, a *anteState) {
	n := len(fo.occs)
	fo.byHash = fo.byHash[:0]
	for i := range n {
		fo.byHash = append(fo.byHash, int32(i))
	}
	slices.SortFunc(fo.byHash, func(x, y int32) int {
		return cmp.Or(cmp.Compare(fo.occs[x].hash, fo.occs[y].hash), cmp.Compare(fo.occFile[x], fo.occFile[y]))
	})
	if cap(fo.mark) < n {
		fo.mark = make([]bool, n)
	}
	fo.mark = fo.mark[:n]

	nFams := len(fo.famHash)
	for s, cons := range fo.slotKeys {
		p := fo.c.pats[makePatKey(ante, cons)]
		fo.offerSatisfied(p, fo.slots[s])

		for _, i := range fo.slots[s] {
			fo.mark[i] = true
		}
		var violFams []int32
		for _, i := range fo.byHash {
			if len(violFams) == maxExamples || len(violFams) == nFams {
				break
			}
			if fam := fo.occFam[i]; !fo.mark[i] && !slices.Contains(violFams, fam) {
				violFams = append(violFams, fam)
				p.viol.offer(fo.example(i))
			}
		}
		for _, i := range fo.slots[s] {
			fo.mark[i] = false
		}
	}

	for _, i := range fo.byHash {
		o := fo.occs[i]
		if !a.sample.accepts(o.hash) {
			break
		}
		var sat []keyID
		o.each(func(k keyID) { sat = append(sat, k) })
		slices.Sort(sat)
		a.sample.offer(sampleEntry{ex: fo.example(i), sat: sat})
	}
}

// offerSatisfied offers the lowest-hash occurrence of each family among
// idx, the occurrences that satisfy p.
func (fo *folder) offerSatisfied(p *patState, idx []int32) {
	best := fo.bestOf[:0]
	for _, i := range idx {
		fam := fo.occFam[i]
		j := slices.IndexFunc(best, func(b int32) bool { return fo.occFam[b] == fam })
		switch {
		case j < 0:
			best = append(best, i)
		case fo.before(i, best[j]):
			best[j] = i
		}
	}
	slices.SortFunc(best, func(x, y int32) int {
		if fo.before(x, y) {
			return -1
		}
		return 1
	})
	for _, i := range best[:min(len(best), maxExamples)] {
		p.sat.offer(fo.example(i))
	}
	fo.bestOf = best
}

// before orders occurrences by hash, then by file.
func (fo *folder) before(x, y int32) bool {
	hx, hy := fo.occs[x].hash, fo.occs[y].hash
	return hx < hy || hx == hy && fo.occFile[x] < fo.occFile[y]
}

func (fo *folder) example(i int32) exampleRef {
	o := fo.occs[i]
	r := fo.files[fo.occFile[i]]
	ref := exampleRef{hash: o.hash, family: fo.famHash[fo.occFam[i]], file: r.name(), line: o.line, text: o.text}
	if o.inst >= 0 && r.layout != nil {
		key := uint64(fo.occFile[i])<<32 | uint64(o.inst)
		doc, ok := fo.docs[key]
		if !ok {
			doc = r.layout.snippet(int(o.inst))
			fo.docs[key] = doc
		}
		ref.doc = doc
	}
	return ref
}
