package review

import (
	"math"
	"sort"
)

// Agreement compares the decisions of two reviewers with Cohen's kappa,
// over the candidates both decided, with approve, reject and defer as the
// three categories.
//
// With N such candidates, the observed agreement p_o is the share with
// the same verdict, and the agreement expected by chance is
// p_e = Σ_k (a_k / N)(b_k / N), where a_k and b_k count the verdicts k of
// each reviewer. Kappa is (p_o − p_e) / (1 − p_e): 1 for full agreement
// and 0 for agreement no better than chance.
type Agreement struct {
	Reviewers [2]string
	Items     int       // candidates both reviewers decided
	Table     [3][3]int // rows: the first reviewer's verdict, columns: the second's, both in the order of Verdicts
	Observed  float64   // p_o
	Expected  float64   // p_e
	// Kappa is NaN when it is undefined: with no items, or when both
	// reviewers gave every candidate one and the same verdict (p_e = 1).
	Kappa         float64
	Disagreements []Disagreement // by candidate id
}

// Disagreement is a candidate that two reviewers decided differently.
type Disagreement struct {
	Candidate string     `json:"candidate"`
	Verdicts  [2]Verdict `json:"verdicts"` // in the order of Agreement.Reviewers
	Reasons   [2]string  `json:"reasons"`
}

// Compare measures the agreement of the latest decisions in two logs.
func Compare(a, b *Log) *Agreement {
	ag := &Agreement{Reviewers: [2]string{a.Reviewer, b.Reviewer}}
	da, db := a.Current(), b.Current()

	ids := make([]string, 0, len(da))
	for id := range da {
		if db[id] != nil {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)

	for _, id := range ids {
		x, y := da[id], db[id]
		ag.Table[verdictIndex(x.Verdict)][verdictIndex(y.Verdict)]++
		if x.Verdict != y.Verdict {
			ag.Disagreements = append(ag.Disagreements, Disagreement{
				Candidate: id,
				Verdicts:  [2]Verdict{x.Verdict, y.Verdict},
				Reasons:   [2]string{x.Reason, y.Reason},
			})
		}
	}
	ag.Items = len(ids)
	ag.Observed, ag.Expected, ag.Kappa = kappa(ag.Table)
	return ag
}

// CompareAll compares every pair of logs, in the order given.
func CompareAll(logs []*Log) []*Agreement {
	var out []*Agreement
	for i := range logs {
		for j := i + 1; j < len(logs); j++ {
			out = append(out, Compare(logs[i], logs[j]))
		}
	}
	return out
}

// kappa returns p_o, p_e and Cohen's kappa of a confusion table. With an
// empty table all three are NaN.
func kappa(t [3][3]int) (observed, expected, k float64) {
	var n, agree int
	var rows, cols [3]int
	for i := range t {
		for j := range t[i] {
			n += t[i][j]
			rows[i] += t[i][j]
			cols[j] += t[i][j]
		}
		agree += t[i][i]
	}
	if n == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}

	total := float64(n)
	observed = float64(agree) / total
	for i := range rows {
		expected += float64(rows[i]) / total * float64(cols[i]) / total
	}
	if expected >= 1 {
		return observed, expected, math.NaN()
	}
	return observed, expected, (observed - expected) / (1 - expected)
}

func verdictIndex(v Verdict) int {
	for i, x := range Verdicts {
		if x == v {
			return i
		}
	}
	panic("review: verdict " + string(v) + " was not validated")
}
