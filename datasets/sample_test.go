package datasets

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dockmine/dockmine/mining"
	"github.com/dockmine/dockmine/rules"
)

// TestSampleMinesExpertPractices mines the sample as dockmine mine
// --contrast sample/contrast sample/expert does, and checks that practices
// the expert files follow and the contrast files break come out as
// candidates. The sample exists to show that.
func TestSampleMinesExpertPractices(t *testing.T) {
	expert, err := mining.FromPaths([]string{filepath.Join("sample", "expert")})
	if err != nil {
		t.Fatal(err)
	}
	contrast, err := mining.FromPaths([]string{filepath.Join("sample", "contrast")})
	if err != nil {
		t.Fatal(err)
	}
	report, err := mining.Mine(context.Background(), expert, contrast, mining.Options{})
	if err != nil {
		t.Fatal(err)
	}

	stats := report.Expert.Stats()
	if stats.Failed > 0 {
		t.Errorf("%d expert sample files failed to parse: %v", stats.Failed, stats.Failures)
	}
	if cs := report.Contrast.Stats(); cs.Failed > 0 {
		t.Errorf("%d contrast sample files failed to parse: %v", cs.Failed, cs.Failures)
	}

	want := []struct{ kind, antecedent, consequent string }{
		{"flag", "apt-get install", "--no-install-recommends"},
		{"flag", "curl", "--fail"},
		{"flag", "gpg", "--batch"},
	}
	cands := report.Result.Candidates
	for _, w := range want {
		if !hasCandidate(cands, w.kind, w.antecedent, w.consequent) {
			t.Errorf("no %s candidate %q -> %q among %d candidates of the sample", w.kind, w.antecedent, w.consequent, len(cands))
		}
	}
}

func hasCandidate(cands []rules.Candidate, kind, antecedent, consequent string) bool {
	for _, c := range cands {
		if c.Kind == kind && c.Antecedent == antecedent && c.Consequent == consequent {
			return true
		}
	}
	return false
}
