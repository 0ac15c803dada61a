package review

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// buildRule makes the rule that approving c writes, without compiling it.
// The evidence is dated with the mining run. Fields of edits win
// over those of prior, the reviewer's own draft or the latest approval by
// anyone, so that approving again keeps earlier edits. The code is then the
// one the candidate had before, or the lowest free code of its family. It
// returns the rule and the edits to record: always the code and name, and
// severity, title and message where they differ from the derived rule.
func (s *Session) buildRule(c *rules.Candidate, edits Edits, prior *Decision, book *codeBook) (*rules.Rule, Edits, error) {
	if prior != nil {
		edits = overlay(prior.Edits, edits)
	}

	code, name := edits.Code, edits.Name
	if code == "" {
		var prevName string
		code, prevName = book.codeOf(c.ID)
		if name == "" {
			name = prevName
		}
	}
	if code == "" {
		var err error
		if code, err = book.next(Family(c)); err != nil {
			return nil, Edits{}, err
		}
	}
	if err := book.checkCode(code, c.ID); err != nil {
		return nil, Edits{}, err
	}
	if name == "" {
		name = book.freeName(SuggestName(c), code)
	}
	if err := CheckName(name); err != nil {
		return nil, Edits{}, err
	}
	if err := book.checkName(name, code); err != nil {
		return nil, Edits{}, err
	}

	derived := rules.FromCandidate(c, code, name)
	r := rules.FromCandidate(c, code, name)
	if err := applyEdits(r, edits); err != nil {
		return nil, Edits{}, err
	}
	r.Status = rules.StatusApproved
	if r.Evidence != nil && r.Evidence.Date == "" {
		r.Evidence.Date = s.runDate
	}

	recorded := Edits{Code: code, Name: name}
	if r.Severity != derived.Severity {
		recorded.Severity = r.Severity.String()
	}
	if r.Title != derived.Title {
		recorded.Title = r.Title
	}
	if r.Message != derived.Message {
		recorded.Message = r.Message
	}
	if r.Rationale != derived.Rationale {
		recorded.Rationale = r.Rationale
	}
	if !slices.Equal(r.Examples.Bad, derived.Examples.Bad) {
		recorded.Bad = r.Examples.Bad
	}
	if !slices.Equal(r.Examples.Good, derived.Examples.Good) {
		recorded.Good = r.Examples.Good
	}
	return r, recorded, nil
}

// overlay returns base with the fields that top sets replaced.
func overlay(base, top Edits) Edits {
	pick := func(b, t string) string {
		if t != "" {
			return t
		}
		return b
	}
	pickList := func(b, t []string) []string {
		if len(t) > 0 {
			return t
		}
		return b
	}
	return Edits{
		Code:      pick(base.Code, top.Code),
		Name:      pick(base.Name, top.Name),
		Severity:  pick(base.Severity, top.Severity),
		Title:     pick(base.Title, top.Title),
		Message:   pick(base.Message, top.Message),
		Rationale: pick(base.Rationale, top.Rationale),
		Bad:       pickList(base.Bad, top.Bad),
		Good:      pickList(base.Good, top.Good),
	}
}

// applyEdits sets the severity, title and message that edits give.
func applyEdits(r *rules.Rule, edits Edits) error {
	if edits.Severity != "" {
		sev, err := rules.ParseSeverity(edits.Severity)
		if err != nil {
			return err
		}
		r.Severity = sev
	}
	if edits.Title != "" {
		r.Title = edits.Title
	}
	if edits.Message != "" {
		r.Message = edits.Message
	}
	if edits.Rationale != "" {
		r.Rationale = edits.Rationale
	}
	if len(edits.Bad) > 0 {
		r.Examples.Bad = edits.Bad
	}
	if len(edits.Good) > 0 {
		r.Examples.Good = edits.Good
	}
	return checkOneLine(edits)
}

// CheckEdits validates a draft the way an approval would, without
// assigning anything: the code and name forms, the severity name and
// one-line texts.
func CheckEdits(edits Edits) error {
	if edits.Code != "" && !codePattern.MatchString(edits.Code) {
		return fmt.Errorf("%w %q: use DM and four digits, as DM3001", ErrCode, edits.Code)
	}
	if edits.Name != "" {
		if err := CheckName(edits.Name); err != nil {
			return err
		}
	}
	if edits.Severity != "" {
		if _, err := rules.ParseSeverity(edits.Severity); err != nil {
			return err
		}
	}
	for _, ex := range slices.Concat(edits.Bad, edits.Good) {
		if strings.TrimSpace(ex) == "" {
			return errors.New("invalid example: an example Dockerfile is empty")
		}
	}
	return checkOneLine(edits)
}

func checkOneLine(edits Edits) error {
	if strings.ContainsAny(edits.Title, "\r\n") {
		return fmt.Errorf("invalid title %q: a title is one line", edits.Title)
	}
	if strings.ContainsAny(edits.Message, "\r\n") {
		return fmt.Errorf("invalid message %q: a finding message is one line", edits.Message)
	}
	return nil
}

// validateRule encodes the rule, parses it back and compiles it alone with
// the rules package. Compiling runs the rule on its examples, so an
// approval never writes a file that "dockmine compile" would reject.
func validateRule(r *rules.Rule) error {
	data, err := r.EncodeYAML()
	if err != nil {
		return err
	}
	parsed, err := rules.ParseRule(r.FileName(), data)
	if err != nil {
		return err
	}
	if _, err := rules.Compile([]*rules.Rule{parsed}); err != nil {
		return err
	}
	return nil
}

// freeName returns name, or name with the lowest suffix -2, -3 and so on
// that no other code's rule file uses.
func (b *codeBook) freeName(name, code string) string {
	if b.checkName(name, code) == nil {
		return name
	}
	for n := 2; ; n++ {
		try := fmt.Sprintf("%s-%d", name, n)
		if b.checkName(try, code) == nil {
			return try
		}
	}
}

// writeRule writes the rule file into the pack and removes the other files
// of the same candidate there, such as one under an earlier name. The
// returned function puts back what writeRule changed.
func (s *Session) writeRule(candidate string, r *rules.Rule, book *codeBook) (restore func() error, err error) {
	data, err := r.EncodeYAML()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(s.opts.Pack, r.FileName())

	saved := map[string][]byte{} // path to old content; nil when the file was new
	old, err := os.ReadFile(path)
	switch {
	case err == nil:
		saved[path] = old
	case errors.Is(err, os.ErrNotExist):
		saved[path] = nil
	default:
		return nil, err
	}
	restore = func() error {
		var errs []error
		for p, content := range saved {
			if content == nil {
				errs = append(errs, removeFile(p))
				continue
			}
			errs = append(errs, writeFileAtomic(p, content))
		}
		return errors.Join(errs...)
	}

	if err := writeFileAtomic(path, data); err != nil {
		return nil, err
	}
	for _, stale := range s.candidateFiles(candidate, book) {
		if sameFile(stale, path) {
			continue
		}
		content, err := os.ReadFile(stale)
		if err == nil {
			err = removeFile(stale)
		}
		if err != nil {
			return nil, errors.Join(err, restore())
		}
		saved[stale] = content
	}
	return restore, nil
}

// syncRule makes the pack agree with the current decisions on c: the
// reviewer's approval if there is one, else the latest approval of another
// reviewer, else no rule file for c at all.
func (s *Session) syncRule(c *rules.Candidate, book *codeBook) error {
	want := s.current[c.ID]
	if want == nil || want.Verdict != Approve {
		want = latestApproval(s.others[c.ID])
	}
	if want != nil {
		r, _, err := s.buildRule(c, want.Edits, nil, book)
		if err != nil {
			return err
		}
		_, err = s.writeRule(c.ID, r, book)
		return err
	}

	var errs []error
	for _, path := range s.candidateFiles(c.ID, book) {
		errs = append(errs, removeFile(path))
	}
	return errors.Join(errs...)
}

// prior returns the edits that an approval of c starts from: the
// reviewer's own latest decision when it carries edits, else the latest
// approval by another reviewer. It returns nil when there is neither.
func (s *Session) prior(id string) *Decision {
	if d := s.current[id]; d != nil && !d.Edits.IsZero() {
		return d
	}
	return latestApproval(s.others[id])
}

func latestApproval(ds []*Decision) *Decision {
	var best *Decision
	for _, d := range ds {
		if d.Verdict == Approve && (best == nil || d.Time.After(best.Time)) {
			best = d
		}
	}
	return best
}

// candidateFiles returns the rule files in the pack whose code belongs to
// the candidate.
func (s *Session) candidateFiles(candidate string, book *codeBook) []string {
	var out []string
	for code, uses := range book.uses {
		owned := false
		for _, u := range uses {
			owned = owned || u.candidate == candidate
		}
		if !owned {
			continue
		}
		for _, path := range book.files[code] {
			if sameDir(filepath.Dir(path), s.opts.Pack) {
				out = append(out, path)
			}
		}
	}
	return out
}

// sameFile reports whether a and b name the same path.
func sameFile(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}
