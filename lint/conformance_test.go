package lint

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/lint/config"
	"github.com/dockmine/dockmine/rules"
)

// casesFile holds the conformance cases, outside the repository.
var casesFile = filepath.Join("..", "..", "shared", "cases", "cases.jsonl")

// minAgreement is the share of covered cases on which dockmine must agree
// with the expected outcome.
const minAgreement = 0.95

// deliberate lists the cases whose expectation dockmine contradicts on
// purpose, with the reason; CONFORMANCE.md records each one.
var deliberate = map[string]string{}

// conformanceCase is one line of cases.jsonl.
type conformanceCase struct {
	ID          string         `json:"id"`
	Topic       string         `json:"topic"`
	Dockerfile  string         `json:"dockerfile"`
	MustFire    []string       `json:"must_fire"`
	MustNotFire []string       `json:"must_not_fire"`
	Disputed    bool           `json:"disputed"`
	Config      map[string]any `json:"config"`
}

func readConformanceCases(t *testing.T) []conformanceCase {
	t.Helper()
	f, err := os.Open(casesFile)
	if err != nil {
		t.Skipf("conformance cases not found at %s: %v", casesFile, err)
	}
	defer f.Close()

	var out []conformanceCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c conformanceCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s:%d: %v", casesFile, line, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// caseOutcome is what dockmine did on one covered case.
type caseOutcome struct {
	c        conformanceCase
	agree    bool
	problems []string // expected codes that did not fire, or fired but must not
}

// TestConformance runs every case whose expected codes map to rules of
// the default pack, through their aliases, and reports agreement per topic
// and overall. Codes without a rule are left out of a case; a case with
// none left, or with a peer configuration dockmine does not read, is not
// covered.
func TestConformance(t *testing.T) {
	pack := rules.Default()
	cases := readConformanceCases(t)

	var outcomes []caseOutcome
	skipped := 0
	for _, c := range cases {
		fire := coveredCodes(pack, c.MustFire)
		notFire := coveredCodes(pack, c.MustNotFire)
		if len(fire)+len(notFire) == 0 || c.Config != nil {
			skipped++
			continue
		}
		outcomes = append(outcomes, runConformanceCase(t, pack, c, fire, notFire))
	}

	reportConformance(t, outcomes, skipped)
	for _, o := range outcomes {
		reason, onPurpose := deliberate[o.c.ID]
		switch {
		case o.agree && onPurpose:
			t.Errorf("case %s now agrees, but it is listed as a deliberate disagreement (%s): update the list and CONFORMANCE.md", o.c.ID, reason)
		case !o.agree && onPurpose:
			t.Logf("deliberate disagreement %s: %s", o.c.ID, reason)
		case !o.agree:
			t.Logf("disagreement %s (%s): %s", o.c.ID, o.c.Topic, strings.Join(o.problems, "; "))
		}
	}
}

// coveredCodes keeps the codes that name a rule of the pack and maps them
// to it.
func coveredCodes(pack *rules.Pack, codes []string) map[string]*rules.Rule {
	out := map[string]*rules.Rule{}
	for _, code := range codes {
		if r := pack.Rule(code); r != nil && r.Status != rules.StatusRetired {
			out[code] = r
		}
	}
	return out
}

func runConformanceCase(t *testing.T, pack *rules.Pack, c conformanceCase, fire, notFire map[string]*rules.Rule) caseOutcome {
	t.Helper()
	var only []config.Value
	for code := range fire {
		only = append(only, config.Value{Text: code})
	}
	for code := range notFire {
		only = append(only, config.Value{Text: code})
	}
	l, err := New(Options{Packs: []*rules.Pack{pack}, Only: only, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	results, err := l.Lint(context.Background(), []Input{{Name: "Dockerfile", Source: []byte(c.Dockerfile)}})
	if err != nil {
		t.Fatal(err)
	}
	fired := map[*rules.Rule]bool{}
	for _, d := range results[0].Diagnostics {
		fired[d.Rule] = true
		for _, r := range d.Also {
			fired[r] = true // the rule reported the same finding
		}
	}

	o := caseOutcome{c: c, agree: true}
	for _, code := range sortedKeys(fire) {
		if !fired[fire[code]] {
			o.agree = false
			o.problems = append(o.problems, code+" ("+fire[code].Code+") did not fire")
		}
	}
	for _, code := range sortedKeys(notFire) {
		if fired[notFire[code]] {
			o.agree = false
			o.problems = append(o.problems, code+" ("+notFire[code].Code+") fired")
		}
	}
	return o
}

func sortedKeys(m map[string]*rules.Rule) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// reportConformance logs agreement per topic and overall, and fails below
// minAgreement.
func reportConformance(t *testing.T, outcomes []caseOutcome, skipped int) {
	t.Helper()
	type tally struct{ agree, total int }
	byTopic := map[string]*tally{}
	var overall tally
	for _, o := range outcomes {
		tl := byTopic[o.c.Topic]
		if tl == nil {
			tl = &tally{}
			byTopic[o.c.Topic] = tl
		}
		tl.total++
		overall.total++
		if o.agree {
			tl.agree++
			overall.agree++
		}
	}

	topics := make([]string, 0, len(byTopic))
	for topic := range byTopic {
		topics = append(topics, topic)
	}
	slices.Sort(topics)
	for _, topic := range topics {
		tl := byTopic[topic]
		t.Logf("%-55s %3d/%-3d", topic, tl.agree, tl.total)
	}
	if overall.total == 0 {
		t.Fatalf("no conformance case is covered by the default pack (%d not covered)", skipped)
	}
	share := float64(overall.agree) / float64(overall.total)
	t.Logf("overall: %d of %d covered cases agree (%.1f%%); %d cases not covered", overall.agree, overall.total, 100*share, skipped)
	if share < minAgreement {
		t.Errorf("agreement %.1f%% is below %.0f%%", 100*share, 100*minAgreement)
	}
}

// TestConformanceDecisionsDocumented checks that CONFORMANCE.md records
// the decision on every disputed case and every deliberate disagreement.
func TestConformanceDecisionsDocumented(t *testing.T) {
	doc, err := os.ReadFile("CONFORMANCE.md")
	if err != nil {
		t.Fatal(err)
	}
	for id := range deliberate {
		if !strings.Contains(string(doc), "`"+id+"`") {
			t.Errorf("CONFORMANCE.md does not list the deliberate disagreement %s", id)
		}
	}
	for _, c := range readConformanceCases(t) {
		if c.Disputed && !strings.Contains(string(doc), "`"+c.ID+"`") {
			t.Errorf("CONFORMANCE.md does not record the decision on the disputed case %s", c.ID)
		}
	}
}
