package review

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/dockmine/dockmine/rules"
)

// Rule families, the first digit of a code. They follow [rules.Rule.Family].
const (
	FamilyMeta           = 0 // parse failures and meta rules
	FamilyInstruction    = 1 // one instruction
	FamilyStage          = 2 // stages and whole files
	FamilyPackageManager = 3 // package manager commands
	FamilyShell          = 4 // other shell commands
	FamilySecurity       = 5 // security and compliance
)

// Sentinel errors of code assignment.
var (
	ErrCode       = errors.New("invalid code")
	ErrCodeTaken  = errors.New("code already used")
	ErrNameTaken  = errors.New("rule name already used")
	ErrFamilyFull = errors.New("no free code left in family")
)

var (
	codePattern     = regexp.MustCompile(`^DM[0-9]{4}$`)
	ruleFilePattern = regexp.MustCompile(`^(DM[0-9]{4})-([a-z0-9-]+)\.yaml$`)
)

// packageManagers are the commands whose rules go to [FamilyPackageManager],
// by canonical name as ast/schema resolves them.
//
// NOTE: ast/schema does not mark package managers, so this list is kept by
// hand. A package manager missing here gets FamilyShell, and the reviewer
// can edit the code.
var packageManagers = map[string]bool{
	"apk": true, "apt": true, "apt-get": true, "aptitude": true, "dpkg": true,
	"dnf": true, "microdnf": true, "rpm": true, "tdnf": true, "yum": true,
	"zypper": true, "pacman": true, "emerge": true,
	"pip": true, "pipx": true, "uv": true, "poetry": true, "conda": true,
	"mamba": true, "micromamba": true, "npm": true, "pnpm": true, "yarn": true,
	"gem": true, "bundle": true, "cargo": true, "composer": true, "cpan": true,
	"cpanm": true, "luarocks": true, "nuget": true, "pecl": true, "pear": true,
}

// Family returns the rule family that a candidate's code starts with. A
// candidate about the final stage or the whole Dockerfile gets
// [FamilyStage]. A candidate about instructions gets [FamilyInstruction],
// or [FamilyStage] when its scope is a stage or the file and its
// consequent is another instruction. A candidate about commands gets
// [FamilyPackageManager] or [FamilyShell] by the antecedent's command name.
func Family(c *rules.Candidate) int {
	// The miner names these antecedents "final stage" and "Dockerfile".
	if c.Antecedent == "final stage" || c.Antecedent == "Dockerfile" {
		return FamilyStage
	}
	if isInstruction(c) {
		if c.Scope == rules.ScopeStage || c.Scope == rules.ScopeFile {
			if c.Kind != "instruction" && c.Kind != "flag" && c.Kind != "operand" {
				return FamilyStage
			}
		}
		return FamilyInstruction
	}
	name, _, _ := strings.Cut(c.Antecedent, " ")
	if packageManagers[name] {
		return FamilyPackageManager
	}
	return FamilyShell
}

// isInstruction reports whether a candidate's antecedent is a Dockerfile
// instruction: its pattern matches instructions, or without a pattern its
// antecedent starts with an upper-case keyword such as FROM.
func isInstruction(c *rules.Candidate) bool {
	if c.Kind == "instruction" {
		return true
	}
	if c.Pattern != nil && c.Pattern.Match != nil {
		return len(c.Pattern.Match.Instruction) > 0 && len(c.Pattern.Match.Command) == 0
	}
	word, _, _ := strings.Cut(c.Antecedent, " ")
	return word != "" && word == strings.ToUpper(word) && strings.ToLower(word) != word
}

// codeUse is one place a code appears.
type codeUse struct {
	candidate string    // the candidate the code belongs to; "" for a rule without one
	name      string    // the rule name, when known
	time      time.Time // the time of the decision; zero for files and reservations
	source    string    // the decisions file or rule file, for messages
}

// codeBook is every code in use across the decisions files and rule packs,
// read fresh before each approval so that two reviewers working at once
// rarely collide.
type codeBook struct {
	uses  map[string][]codeUse // by code
	names map[string]string    // rule name to the code of its rule file
	files map[string][]string  // code to the rule files that carry it
}

// readCodeBook collects the codes of every decisions file in decisionsDir
// and every rule file in the pack directories under rulesRoot, the
// decisions directory excepted.
func readCodeBook(decisionsDir, rulesRoot string) (*codeBook, error) {
	b := &codeBook{uses: map[string][]codeUse{}, names: map[string]string{}, files: map[string][]string{}}

	logs, err := readLogs(decisionsDir)
	if err != nil {
		return nil, err
	}
	for _, l := range logs {
		b.addLog(l, LogPath(decisionsDir, l.Reviewer))
	}

	packs, err := os.ReadDir(rulesRoot)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read rule packs: %w", err)
	}
	for _, p := range packs {
		dir := filepath.Join(rulesRoot, p.Name())
		if !p.IsDir() || sameDir(dir, decisionsDir) {
			continue
		}
		if err := b.addPack(dir); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (b *codeBook) addLog(l *Log, source string) {
	for _, d := range l.Decisions {
		if d.Code != "" {
			b.uses[d.Code] = append(b.uses[d.Code], codeUse{candidate: d.Candidate, name: d.Name, time: d.Time, source: source})
		}
	}
	for _, r := range l.Reserved {
		b.uses[r.Code] = append(b.uses[r.Code], codeUse{candidate: r.Candidate, source: source})
	}
}

// ruleHead is the part of a rule file that code assignment needs. It is
// read leniently, so that one broken rule file does not stop a review.
type ruleHead struct {
	Code     string `yaml:"code"`
	Name     string `yaml:"name"`
	Evidence struct {
		Candidate string `yaml:"candidate"`
	} `yaml:"evidence"`
}

// addPack records the code and name of each rule file in dir. The code
// comes from the file's content, or from its name when the content does
// not parse.
func (b *codeBook) addPack(dir string) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return fmt.Errorf("read rule pack %s: %w", dir, err)
	}
	sort.Strings(paths)
	for _, path := range paths {
		var head ruleHead
		if m := ruleFilePattern.FindStringSubmatch(filepath.Base(path)); m != nil {
			head.Code, head.Name = m[1], m[2]
		}
		if data, err := os.ReadFile(path); err == nil {
			var parsed ruleHead
			if yaml.Unmarshal(data, &parsed) == nil && codePattern.MatchString(parsed.Code) {
				head = parsed
			}
		}
		if head.Code == "" {
			continue
		}
		b.uses[head.Code] = append(b.uses[head.Code], codeUse{candidate: head.Evidence.Candidate, name: head.Name, source: path})
		b.files[head.Code] = append(b.files[head.Code], path)
		if head.Name != "" {
			b.names[head.Name] = head.Code
		}
	}
	return nil
}

// codeOf returns the code a candidate got before and the rule name that
// went with it: from its latest approval in any decisions file, else from a
// reservation or a rule file. It returns empty strings for a candidate that
// never had a code.
func (b *codeBook) codeOf(candidate string) (code, name string) {
	var best codeUse
	var fallback []string
	for c, uses := range b.uses {
		for _, u := range uses {
			if u.candidate != candidate {
				continue
			}
			if u.time.IsZero() {
				fallback = append(fallback, c)
				continue
			}
			if code == "" || u.time.After(best.time) || (u.time.Equal(best.time) && c < code) {
				code, best = c, u
			}
		}
	}
	if code != "" {
		return code, best.name
	}
	if len(fallback) == 0 {
		return "", ""
	}
	sort.Strings(fallback)
	code = fallback[0]
	for _, u := range b.uses[code] {
		if u.candidate == candidate && u.name != "" {
			name = u.name
		}
	}
	return code, name
}

// checkCode returns an error unless candidate may take code: the code is
// well formed and no other candidate or rule ever used it.
func (b *codeBook) checkCode(code, candidate string) error {
	if !codePattern.MatchString(code) {
		return fmt.Errorf("%w %q: use DM and four digits, as DM3001", ErrCode, code)
	}
	for _, u := range b.uses[code] {
		if u.candidate != candidate {
			return fmt.Errorf("%w: %s (in %s)", ErrCodeTaken, code, u.source)
		}
	}
	return nil
}

// checkName returns an error when another code's rule file has the name.
func (b *codeBook) checkName(name, code string) error {
	if other, ok := b.names[name]; ok && other != code {
		return fmt.Errorf("%w: %q is the name of %s", ErrNameTaken, name, other)
	}
	return nil
}

// next returns the lowest free code of a family, from DMf001 up.
func (b *codeBook) next(family int) (string, error) {
	if family < 0 || family > 9 {
		return "", fmt.Errorf("%w: family %d is not a digit", ErrCode, family)
	}
	for n := 1; n <= 999; n++ {
		code := fmt.Sprintf("DM%d%03d", family, n)
		if len(b.uses[code]) == 0 {
			return code, nil
		}
	}
	return "", fmt.Errorf("%w %d: give a code of another family", ErrFamilyFull, family)
}

// readLogs reads every decisions file in dir, in name order. A missing
// directory holds no logs.
func readLogs(dir string) ([]*Log, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("read decisions in %s: %w", dir, err)
	}
	sort.Strings(paths)
	var out []*Log
	for _, p := range paths {
		l, err := ReadLog(p)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// sameDir reports whether a and b name the same directory.
func sameDir(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}
