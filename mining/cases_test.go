package mining

import (
	"context"
	"fmt"

	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/rules"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestMineCases runs every archive in testdata/cases. An archive holds a
// small expert corpus under expert/REPO/... and an optional contrast corpus
// under contrast/REPO/..., mined with at least 2 repositories and 2
// families. Its "want" section lists candidates that must be found, one per
// line as "KIND | ANTECEDENT | CONSEQUENT" with optional "| key=value"
// checks (see candidateField). A line that starts with "!" lists a
// candidate that must not be found.
func TestMineCases(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "cases", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no archives in testdata/cases")
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			expert, contrast, want := splitArchive(t, ar)
			var contrastSrc Source
			if len(contrast) > 0 {
				contrastSrc = FromDocuments(contrast)
			}
			r, err := Mine(context.Background(), FromDocuments(expert), contrastSrc, Options{MinRepos: 2, MinFamilies: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range want {
				checkWant(t, r.Result.Candidates, line)
			}
		})
	}
}

// splitArchive returns the expert and contrast documents and the want lines
// of an archive.
func splitArchive(t *testing.T, ar *txtar.Archive) (expert, contrast []Document, want []string) {
	t.Helper()
	for _, f := range ar.Files {
		if f.Name == "want" {
			for _, line := range strings.Split(string(f.Data), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
					want = append(want, line)
				}
			}
			continue
		}
		corpus, rest, ok := strings.Cut(f.Name, "/")
		repo, path, ok2 := strings.Cut(rest, "/")
		if !ok || !ok2 {
			t.Fatalf("archive file %q: want expert/REPO/PATH or contrast/REPO/PATH", f.Name)
		}
		doc := Document{Repo: repo, Path: path, Src: f.Data}
		switch corpus {
		case "expert":
			expert = append(expert, doc)
		case "contrast":
			contrast = append(contrast, doc)
		default:
			t.Fatalf("archive file %q: unknown corpus %q", f.Name, corpus)
		}
	}
	if len(want) == 0 {
		t.Fatal("archive has no want lines")
	}
	return expert, contrast, want
}

// checkWant checks one want line against the candidates.
func checkWant(t *testing.T, cands []rules.Candidate, line string) {
	t.Helper()
	negate := strings.HasPrefix(line, "!")
	fields := strings.Split(strings.TrimPrefix(line, "!"), "|")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	if len(fields) < 3 {
		t.Fatalf("want line %q: need KIND | ANTECEDENT | CONSEQUENT", line)
	}

	var found *rules.Candidate
	for i := range cands {
		c := &cands[i]
		if c.Kind == fields[0] && c.Antecedent == fields[1] && c.Consequent == fields[2] {
			found = c
			break
		}
	}
	switch {
	case negate && found != nil:
		t.Errorf("found %s %q → %q, want none (confidence %.3f, support %+v)", found.Kind, found.Antecedent, found.Consequent, found.Confidence, found.Support)
		return
	case negate:
		return
	case found == nil:
		t.Errorf("missing %s %q → %q; candidates:\n%s", fields[0], fields[1], fields[2], listCandidates(cands))
		return
	}
	for _, check := range fields[3:] {
		key, value, _ := strings.Cut(check, "=")
		if got := candidateField(found, key); got != value {
			t.Errorf("%s %q → %q: %s is %s, want %s", found.Kind, found.Antecedent, found.Consequent, key, got, value)
		}
	}
}

func candidateField(c *rules.Candidate, key string) string {
	switch key {
	case "repos":
		return strconv.Itoa(c.Support.Repos)
	case "families":
		return strconv.Itoa(c.Support.Families)
	case "files":
		return strconv.Itoa(c.Support.Files)
	case "instances":
		return strconv.Itoa(c.Support.Instances)
	case "confidence":
		return strconv.FormatFloat(c.Confidence, 'f', 3, 64)
	case "contrast":
		if c.Contrast == nil {
			return "none"
		}
		return strconv.FormatFloat(c.Contrast.Confidence, 'f', 3, 64)
	case "alternatives":
		return strings.Join(c.Alternatives, ",")
	case "scope":
		return c.Scope
	case "violated":
		return strconv.Itoa(len(c.Examples.Violated))
	case "satisfied":
		return strconv.Itoa(len(c.Examples.Satisfied))
	case "pattern":
		return strconv.FormatBool(c.Pattern != nil)
	}
	return "unknown field " + key
}

func listCandidates(cands []rules.Candidate) string {
	var sb strings.Builder
	for _, c := range cands {
		fmt.Fprintf(&sb, "  %s | %s | %s | confidence=%.3f repos=%d families=%d\n", c.Kind, c.Antecedent, c.Consequent, c.Confidence, c.Support.Repos, c.Support.Families)
	}
	return sb.String()
}
