package rules

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// conformanceCase is one line of the shared linter conformance cases.
type conformanceCase struct {
	ID          string   `json:"id"`
	Dockerfile  string   `json:"dockerfile"`
	MustFire    []string `json:"must_fire"`
	MustNotFire []string `json:"must_not_fire"`
	Disputed    bool     `json:"disputed"`
	Note        string   `json:"note"`
	Config      any      `json:"config"`
}

// casesPath is the conformance file, relative to this package.
var casesPath = filepath.Join("..", "..", "shared", "cases", "cases.jsonl")

func readCases(t *testing.T) []conformanceCase {
	t.Helper()
	f, err := os.Open(casesPath)
	if err != nil {
		t.Skipf("conformance cases not found at %s: %v", casesPath, err)
	}
	defer f.Close()

	var out []conformanceCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c conformanceCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("read %s: %v", casesPath, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", casesPath, err)
	}
	return out
}

// TestConformanceCases runs the fresh packs on the shared conformance cases
// and checks each expectation whose id is an alias of one of our rules.
// Cases that need a peer configuration are skipped. The linter runs the
// same cases through its own pipeline; this test keeps the rules honest
// while they are written.
func TestConformanceCases(t *testing.T) {
	cases := readCases(t)
	pack := compileRepoPacks(t)

	agreed, checked := 0, 0
	var failures []string
	for _, c := range cases {
		if c.Config != nil {
			continue
		}
		findings, err := pack.Lint(c.ID, []byte(c.Dockerfile))
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		fired := map[string]bool{}
		for _, f := range findings {
			for _, a := range f.Rule.Aliases {
				fired[a] = true
			}
		}
		check := func(id string, want bool) {
			if pack.Rule(id) == nil {
				return
			}
			checked++
			if fired[id] == want {
				agreed++
				return
			}
			verb := "must fire"
			if !want {
				verb = "must not fire"
			}
			failures = append(failures, c.ID+": "+id+" "+verb+" ("+c.Note+")")
		}
		for _, id := range c.MustFire {
			check(id, true)
		}
		for _, id := range c.MustNotFire {
			check(id, false)
		}
	}

	sort.Strings(failures)
	for _, f := range failures {
		t.Log(f)
	}
	if checked == 0 {
		t.Fatal("no conformance expectation names a rule alias")
	}
	ratio := float64(agreed) / float64(checked)
	t.Logf("agreement %d/%d = %.3f", agreed, checked, ratio)
	if ratio < 0.95 {
		t.Errorf("agreement %.3f on %d covered expectations, want at least 0.95", ratio, checked)
	}
}
