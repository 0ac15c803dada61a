package rules

import (
	"testing"
)

// compilePattern compiles one proposed rule with the pattern p and no
// examples, for checks on hand-written Dockerfiles.
func compilePattern(t *testing.T, p Pattern) *Pack {
	t.Helper()
	r := &Rule{Code: "DM4999", Name: "test-rule", Title: "test rule", Severity: SeverityInfo, Status: StatusProposed,
		Rationale: "test", Message: "test {command}", Pattern: p}
	pack := &Pack{Rules: []*Rule{r}}
	if err := pack.build(); err != nil {
		t.Fatalf("build: %v", err)
	}
	return pack
}

func countFindings(t *testing.T, p *Pack, src string) int {
	t.Helper()
	return len(p.CheckAll(parse(t, src)))
}

func TestSameComparesFlagValue(t *testing.T) {
	p := compilePattern(t, Pattern{
		Match: &Match{Command: Strings{"tar"}, Flag: &FlagTest{Name: Strings{"--file"}}},
		Require: &Require{Clause: Clause{
			Command: Strings{"rm"}, Where: WhereFollows, Same: SameValue,
		}},
	})
	tests := []struct {
		name, run string
		want      int
	}{
		{"same-archive", "tar -xf php.tar.xz -C /usr/src && rm php.tar.xz", 0},
		{"quoted-and-braced", `tar -xf "${ARCHIVE}" && rm $ARCHIVE`, 0},
		{"dot-slash", "tar -xf ./php.tar.xz && rm php.tar.xz", 0},
		{"other-file", "tar -xf php.tar.xz && rm php.tar.xz.asc", 1},
		{"flag-spelling-is-no-match", "tar -xf -f && rm -f", 1},
		{"no-rm", "tar -xf php.tar.xz", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "FROM debian:12.6\nRUN " + tt.run + "\n"
			if got := countFindings(t, p, src); got != tt.want {
				t.Errorf("%d findings, want %d:\n%s", got, tt.want, src)
			}
		})
	}
}

func TestSamePathContains(t *testing.T) {
	p := compilePattern(t, Pattern{
		Match: &Match{Command: Strings{"gpg"}, Operand: &OperandTest{Tags: Strings{"signature"}}},
		Require: &Require{Clause: Clause{
			Command: Strings{"rm"}, Where: WhereFollows, Same: SamePath,
		}},
	})
	tests := []struct {
		name, run string
		want      int
	}{
		{"same-file", "gpg --batch --verify /tmp/x.asc /tmp/x && rm /tmp/x.asc", 0},
		{"parent-directory", "gpg --batch --verify /tmp/build/x.asc /tmp/build/x && rm -rf /tmp/build/", 0},
		{"glob", "gpg --batch --verify /tmp/x.asc /tmp/x && rm /tmp/*.asc", 0},
		{"sibling-directory", "gpg --batch --verify /tmp/build/x.asc /tmp/build/x && rm -rf /tmp/buildx", 1},
		{"script-variable", "f=/tmp/x.asc && gpg --batch --verify $f /tmp/x && rm /tmp/x.asc", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "FROM debian:12.6\nRUN " + tt.run + "\n"
			if got := countFindings(t, p, src); got != tt.want {
				t.Errorf("%d findings, want %d:\n%s", got, tt.want, src)
			}
		})
	}
}

func TestSameOutput(t *testing.T) {
	p := compilePattern(t, Pattern{
		Match: &Match{Command: Strings{"mktemp"}, When: []*Clause{{Flag: &FlagTest{Name: Strings{"--directory"}}}}},
		Require: &Require{Clause: Clause{
			Command: Strings{"rm"}, Where: WhereFollows, Same: SameOutput,
		}},
	})
	tests := []struct {
		name, run string
		want      int
	}{
		{"assignment", `dir="$(mktemp -d)" && cd "$dir" && rm -rf "$dir"`, 0},
		{"export", `export GNUPGHOME="$(mktemp -d)"; gpg --batch --import k.asc; rm -rf "$GNUPGHOME"`, 0},
		{"backquotes", "dir=`mktemp -d`; rm -rf ${dir}", 0},
		{"other-variable", `dir="$(mktemp -d)" && rm -rf "$tmp"`, 1},
		{"not-removed", `dir="$(mktemp -d)" && cd "$dir"`, 1},
		{"output-not-stored", `cd "$(mktemp -d)" && rm -rf /tmp/x`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "FROM debian:12.6\nRUN " + tt.run + "\n"
			if got := countFindings(t, p, src); got != tt.want {
				t.Errorf("%d findings, want %d:\n%s", got, tt.want, src)
			}
		})
	}
}

func TestRelatedOperandVariable(t *testing.T) {
	p := compilePattern(t, Pattern{
		Match: &Match{Command: Strings{"mkdir"}, Operand: &OperandTest{Tags: Strings{"dir:usr-src"}}},
		Require: &Require{Clause: Clause{
			Command: Strings{"rm"}, Where: WhereFollows, Operand: &OperandTest{Tags: Strings{"dir:usr-src"}},
		}},
	})
	tests := []struct {
		name, run string
		want      int
	}{
		{"literal-path", "mkdir -p /usr/src/php && make -C /usr/src/php && rm -rf /usr/src/php", 0},
		{"unrelated-variable", `mkdir -p /usr/src/php && rm -rf "$GNUPGHOME"`, 1},
		{"variable-assigned-before", `dir=/usr/src/php; mkdir -p /usr/src/php && rm -rf "$dir"`, 0},
		{"variable-with-path-prefix", `mkdir -p /usr/src/php && rm -rf "/usr/src/$NAME"`, 0},
		{"variable-assigned-after", `mkdir -p /usr/src/php && rm -rf "$dir"; dir=/usr/src/php`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "FROM debian:12.6\nRUN " + tt.run + "\n"
			if got := countFindings(t, p, src); got != tt.want {
				t.Errorf("%d findings, want %d:\n%s", got, tt.want, src)
			}
		})
	}

	// The stage's ENV makes the variable known.
	src := "FROM debian:12.6\nENV SRC=/usr/src/php\nRUN mkdir -p /usr/src/php && rm -rf \"$SRC\"\n"
	if got := countFindings(t, p, src); got != 0 {
		t.Errorf("%d findings, want 0:\n%s", got, src)
	}
}

func TestSameRejectsWithoutRelated(t *testing.T) {
	r := &Rule{Code: "DM4999", Name: "test-rule", Title: "test rule", Severity: SeverityInfo, Status: StatusProposed,
		Rationale: "test", Message: "test", Pattern: Pattern{
			Match:   &Match{Command: Strings{"tar"}},
			Require: &Require{Clause: Clause{Flag: &FlagTest{Name: Strings{"--file"}}, Same: SameValue}},
		}}
	if _, err := compileRule(r); err == nil {
		t.Error("a clause with same but no related command compiled, want an error")
	}
}
