package review

import (
	"math"
	"testing"
)

// logOf returns a log whose candidate i got verdicts[i].
func logOf(reviewer string, verdicts ...Verdict) *Log {
	l := &Log{Reviewer: reviewer}
	for i, v := range verdicts {
		l.Decisions = append(l.Decisions, Decision{Candidate: string(rune('a' + i)), Verdict: v, Reviewer: reviewer})
	}
	return l
}

// TestCompareKappaByHand checks ten candidates whose table is
//
//	          bob: approve reject defer
//	alice approve      4      1     0
//	alice reject       1      2     0
//	alice defer        0      1     1
//
// p_o = 7/10 = 0.7. Alice's totals are 5, 3, 2 and Bob's 5, 4, 1, so
// p_e = (5·5 + 3·4 + 2·1) / 100 = 0.39 and
// kappa = (0.7 − 0.39) / (1 − 0.39) = 0.31 / 0.61 ≈ 0.5082.
func TestCompareKappaByHand(t *testing.T) {
	a, r, d := Approve, Reject, Defer
	alice := logOf("alice", a, a, a, a, a, r, r, r, d, d)
	bob := logOf("bob", a, a, a, a, r, a, r, r, r, d)

	ag := Compare(alice, bob)
	if ag.Items != 10 {
		t.Errorf("Items = %d, want 10", ag.Items)
	}
	want := [3][3]int{{4, 1, 0}, {1, 2, 0}, {0, 1, 1}}
	if ag.Table != want {
		t.Errorf("Table = %v, want %v", ag.Table, want)
	}
	checkFloat(t, "Observed", ag.Observed, 0.7)
	checkFloat(t, "Expected", ag.Expected, 0.39)
	checkFloat(t, "Kappa", ag.Kappa, 0.31/0.61)
	if len(ag.Disagreements) != 3 {
		t.Fatalf("Disagreements = %+v, want 3", ag.Disagreements)
	}
	first := ag.Disagreements[0]
	if first.Candidate != "e" || first.Verdicts != [2]Verdict{a, r} {
		t.Errorf("first disagreement = %+v, want candidate e, approve against reject", first)
	}
}

func TestCompareOnlyCommonCandidates(t *testing.T) {
	alice := logOf("alice", Approve, Reject, Defer)
	bob := logOf("bob", Approve, Reject)
	// Bob changed his mind on b: only the latest decision counts.
	bob.Decisions = append(bob.Decisions, Decision{Candidate: "b", Verdict: Approve, Reviewer: "bob"})

	ag := Compare(alice, bob)
	if ag.Items != 2 {
		t.Errorf("Items = %d, want 2 (c was decided by alice only)", ag.Items)
	}
	checkFloat(t, "Observed", ag.Observed, 0.5)
	// p_e = (1·2 + 1·0) / 4 = 0.5, so kappa = 0.
	checkFloat(t, "Kappa", ag.Kappa, 0)
}

func TestCompareKappaUndefined(t *testing.T) {
	tests := []struct {
		name       string
		alice, bob *Log
	}{
		{"no common candidates", logOf("alice"), logOf("bob")},
		{"one verdict only", logOf("alice", Approve, Approve), logOf("bob", Approve, Approve)},
	}
	for _, tt := range tests {
		ag := Compare(tt.alice, tt.bob)
		if !math.IsNaN(ag.Kappa) {
			t.Errorf("%s: Kappa = %v, want NaN", tt.name, ag.Kappa)
		}
	}
}

func TestComparePerfectAgreement(t *testing.T) {
	ag := Compare(logOf("alice", Approve, Reject, Defer), logOf("bob", Approve, Reject, Defer))
	checkFloat(t, "Kappa", ag.Kappa, 1)
	if len(ag.Disagreements) != 0 {
		t.Errorf("Disagreements = %+v, want none", ag.Disagreements)
	}
}

func TestCompareAllPairs(t *testing.T) {
	all := CompareAll([]*Log{logOf("a", Approve), logOf("b", Approve), logOf("c", Reject)})
	if len(all) != 3 {
		t.Fatalf("CompareAll of 3 logs gave %d pairs, want 3", len(all))
	}
	if all[2].Reviewers != [2]string{"b", "c"} {
		t.Errorf("third pair = %v, want [b c]", all[2].Reviewers)
	}
}

func checkFloat(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.6f, want %.6f", name, got, want)
	}
}
