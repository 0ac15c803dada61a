package lint

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnifiedDiffExample(t *testing.T) {
	old := "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nUSER app\n"
	new := "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\nUSER app\n"
	want := `--- a/Dockerfile
+++ b/Dockerfile
@@ -1,4 +1,4 @@
 FROM debian:12
 RUN apt-get update
-RUN apt-get install -y curl
+RUN apt-get install -y --no-install-recommends curl
 USER app
`
	if got := UnifiedDiff("Dockerfile", []byte(old), []byte(new)); got != want {
		t.Errorf("UnifiedDiff:\n got:\n%s\nwant:\n%s", got, want)
	}
}

func TestUnifiedDiffEqual(t *testing.T) {
	if got := UnifiedDiff("Dockerfile", []byte("FROM a\n"), []byte("FROM a\n")); got != "" {
		t.Errorf("UnifiedDiff of equal texts = %q, want empty", got)
	}
}

func TestUnifiedDiffNoFinalNewline(t *testing.T) {
	got := UnifiedDiff("f", []byte("a\nb"), []byte("a\nc"))
	want := "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
	if got != want {
		t.Errorf("UnifiedDiff:\n got: %q\nwant: %q", got, want)
	}
}

func TestUnifiedDiffSeparateHunks(t *testing.T) {
	var a, b []string
	for i := range 30 {
		line := strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "\n"
		a = append(a, line)
		b = append(b, line)
	}
	b[2] = "changed near the top\n"
	b[25] = "changed near the bottom\n"
	got := UnifiedDiff("f", []byte(strings.Join(a, "")), []byte(strings.Join(b, "")))
	if n := strings.Count(got, "\n@@ "); n != 2 {
		t.Errorf("got %d hunks, want 2:\n%s", n, got)
	}
	if !strings.Contains(got, "@@ -1,6 +1,6 @@") || !strings.Contains(got, "@@ -23,7 +23,7 @@") {
		t.Errorf("hunk headers are wrong:\n%s", got)
	}
}

// TestUnifiedDiffPatchRoundTrip applies random diffs with patch(1) and
// checks that the result is the new text.
func TestUnifiedDiffPatchRoundTrip(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("patch(1) is not installed")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"FROM a\n", "RUN b\n", "COPY c d\n", "USER e\n", "\n", "# note\n"}
	randomText := func() string {
		var sb strings.Builder
		for range rng.IntN(25) {
			sb.WriteString(words[rng.IntN(len(words))])
		}
		if rng.IntN(4) == 0 {
			sb.WriteString("END")
		}
		return sb.String()
	}

	dir := t.TempDir()
	for i := range 200 {
		old, new := randomText(), randomText()
		d := UnifiedDiff("f", []byte(old), []byte(new))
		if old == new {
			continue
		}
		target := filepath.Join(dir, "f")
		if err := os.WriteFile(target, []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(patch, "-s", "-p1", "-f", "-i", "-", "--no-backup-if-mismatch")
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("case %d: patch failed: %v\n%s\nold: %q\nnew: %q\ndiff:\n%s", i, err, out, old, new, d)
		}
		got, err := os.ReadFile(target)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != new {
			t.Fatalf("case %d: patched text differs\n got: %q\nwant: %q\ndiff:\n%s", i, got, new, d)
		}
	}
}

// TestDiffLinesMinimal checks the edit script's length against the longest
// common subsequence computed by dynamic programming.
func TestDiffLinesMinimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		a := randomLines(rng)
		b := randomLines(rng)
		changes := 0
		for _, o := range diffLines(a, b) {
			if o.kind != opEqual {
				changes++
			}
		}
		if want := len(a) + len(b) - 2*lcs(a, b); changes != want {
			t.Fatalf("diffLines(%q, %q) has %d changes, want %d", a, b, changes, want)
		}
	}
}

func randomLines(rng *rand.Rand) []string {
	lines := make([]string, rng.IntN(12))
	for i := range lines {
		lines[i] = string(rune('a' + rng.IntN(3)))
	}
	return lines
}

func lcs(a, b []string) int {
	table := make([][]int, len(a)+1)
	for i := range table {
		table[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				table[i][j] = table[i+1][j+1] + 1
			} else {
				table[i][j] = max(table[i+1][j], table[i][j+1])
			}
		}
	}
	return table[0][0]
}
