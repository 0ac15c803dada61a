package review

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/dockmine/dockmine/rules"
)

// Default locations, relative to the repository root.
const (
	DefaultDecisions = "rules/decisions"
	DefaultPack      = "rules/mined"
)

// ErrNothingToUndo is returned by [Session.Undo] when the reviewer's
// decisions file is empty.
var ErrNothingToUndo = errors.New("no decision to undo")

// Options configure a [Session].
type Options struct {
	Candidates string // the miner's output directory, or its candidates.jsonl
	Decisions  string // directory of the decisions files; DefaultDecisions when empty
	Pack       string // rule pack directory that approvals write to; DefaultPack when empty
	Reviewer   string // the reviewer's name, which names the decisions file
	// Now returns the time of a decision; time.Now when nil.
	Now func() time.Time
}

// Validate fills in defaults and checks the options.
func (o *Options) Validate() error {
	if o.Candidates == "" {
		return errors.New("missing candidates path")
	}
	if o.Decisions == "" {
		o.Decisions = DefaultDecisions
	}
	if o.Pack == "" {
		o.Pack = DefaultPack
	}
	if sameDir(o.Decisions, o.Pack) {
		return fmt.Errorf("the decisions directory and the rule pack are both %s; give them separate directories", o.Pack)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return CheckReviewer(o.Reviewer)
}

// Session is one reviewer's review of one mining run. It keeps the
// reviewer's decisions file and the rule pack in step with every decision.
// A Session is not safe for concurrent use.
//
// NOTE: each decision rereads the decisions files before it writes, so a
// terminal UI and a command of the same reviewer can run side by side. The
// files are not locked, though: two decisions written at the same instant
// can lose one of them.
type Session struct {
	opts    Options
	runDate string // YYYY-MM-DD of the mining run, from the candidates file's modification time
	cands   []*rules.Candidate
	byID    map[string]*rules.Candidate
	log     *Log
	current map[string]*Decision   // the reviewer's latest decision by candidate
	others  map[string][]*Decision // other reviewers' latest decisions by candidate
}

// Open reads the candidates and the decisions files.
func Open(opts Options) (*Session, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	cands, err := ReadCandidates(opts.Candidates)
	if err != nil {
		return nil, err
	}

	s := &Session{opts: opts, cands: cands, byID: make(map[string]*rules.Candidate, len(cands))}
	if info, err := os.Stat(candidatesPath(opts.Candidates)); err == nil {
		s.runDate = info.ModTime().UTC().Format(time.DateOnly)
	}
	for _, c := range cands {
		s.byID[c.ID] = c
	}
	if err := s.reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// reload reads every decisions file again.
func (s *Session) reload() error {
	logs, err := readLogs(s.opts.Decisions)
	if err != nil {
		return err
	}
	s.log = &Log{Reviewer: s.opts.Reviewer}
	s.others = map[string][]*Decision{}
	for _, l := range logs {
		if l.Reviewer == s.opts.Reviewer {
			s.log = l
			continue
		}
		for _, d := range l.Current() {
			s.others[d.Candidate] = append(s.others[d.Candidate], d)
		}
	}
	s.current = s.log.Current()
	return nil
}

// Reviewer returns the name of the session's reviewer.
func (s *Session) Reviewer() string { return s.opts.Reviewer }

// Candidates returns every candidate, the highest score first.
func (s *Session) Candidates() []*rules.Candidate { return s.cands }

// Find returns the candidate with the given id or unique id prefix.
func (s *Session) Find(id string) (*rules.Candidate, error) {
	return findCandidate(s.cands, id)
}

// Decision returns the reviewer's latest decision on a candidate, or nil.
func (s *Session) Decision(id string) *Decision { return s.current[id] }

// Others returns the latest decisions of the other reviewers on a
// candidate, as read when the session opened or last decided.
func (s *Session) Others(id string) []*Decision { return s.others[id] }

// Log returns the reviewer's decisions, in the order made.
func (s *Session) Log() *Log { return s.log }

// Propose returns the rule that approving the candidate with these edits
// would write, with its code and name assigned. It writes nothing and does
// not compile the rule, so a rule that approving would reject still shows.
func (s *Session) Propose(id string, edits Edits) (*rules.Rule, error) {
	c, err := s.Find(id)
	if err != nil {
		return nil, err
	}
	book, err := s.readCodeBook()
	if err != nil {
		return nil, err
	}
	r, _, err := s.buildRule(c, edits, s.prior(c.ID), book)
	return r, err
}

// Decide records the reviewer's verdict on a candidate and rewrites the
// decisions file. Approving writes the candidate's rule file into the pack;
// rejecting or deferring a candidate that only this reviewer approved
// removes it. Edits apply to approvals and deferrals; a rejection takes
// none. Decide returns the recorded decision.
func (s *Session) Decide(id string, v Verdict, edits Edits, reason string) (*Decision, error) {
	c, err := s.Find(id)
	if err != nil {
		return nil, err
	}
	if _, err := ParseVerdict(string(v)); err != nil {
		return nil, err
	}
	if v == Reject && !edits.IsZero() {
		return nil, fmt.Errorf("decide %s: a rejection takes no edits", c.ID)
	}
	if err := s.reload(); err != nil {
		return nil, err
	}

	d := Decision{
		Candidate: c.ID,
		Verdict:   v,
		Time:      s.opts.Now().UTC().Truncate(time.Second),
		Reviewer:  s.opts.Reviewer,
		Edits:     edits,
		Reason:    reason,
	}

	book, err := s.readCodeBook()
	if err != nil {
		return nil, err
	}
	if v == Defer {
		if err := checkDraft(c.ID, edits, book); err != nil {
			return nil, fmt.Errorf("defer %s: %w", c.ID, err)
		}
	}
	var restore func() error
	if v == Approve {
		r, recorded, err := s.buildRule(c, edits, s.prior(c.ID), book)
		if err == nil {
			err = validateRule(r)
		}
		if err != nil {
			return nil, fmt.Errorf("approve %s: %w", c.ID, err)
		}
		d.Edits = recorded
		restore, err = s.writeRule(c.ID, r, book)
		if err != nil {
			return nil, fmt.Errorf("approve %s: %w", c.ID, err)
		}
	}

	s.log.Decisions = append(s.log.Decisions, d)
	if err := s.log.WriteFile(s.logPath()); err != nil {
		s.log.Decisions = s.log.Decisions[:len(s.log.Decisions)-1]
		if restore != nil {
			err = errors.Join(err, restore())
		}
		return nil, err
	}
	s.current = s.log.Current()

	if v != Approve {
		if err := s.syncRule(c, book); err != nil {
			return nil, fmt.Errorf("decided %s, but updating its rule file failed: %w", c.ID, err)
		}
	}
	return s.current[c.ID], nil
}

// Undo removes the reviewer's last decision and rewrites the decisions
// file. The candidate's rule file is then rewritten or removed to match the
// remaining decisions. The code of an undone approval stays reserved for
// its candidate. Undo returns the removed decision.
func (s *Session) Undo() (*Decision, error) {
	if err := s.reload(); err != nil {
		return nil, err
	}
	n := len(s.log.Decisions)
	if n == 0 {
		return nil, ErrNothingToUndo
	}
	last := s.log.Decisions[n-1]
	s.log.Decisions = s.log.Decisions[:n-1]
	if last.Code != "" && !s.log.mentions(last.Code) {
		s.log.Reserved = append(s.log.Reserved, Reservation{Code: last.Code, Candidate: last.Candidate})
	}
	if err := s.log.WriteFile(s.logPath()); err != nil {
		return nil, err
	}
	s.current = s.log.Current()

	c := s.byID[last.Candidate]
	if c == nil {
		if last.Verdict == Approve {
			return &last, fmt.Errorf("undid %s, but it is not among the candidates, so its rule file %s-%s.yaml was left as is", last.Candidate, last.Code, last.Name)
		}
		return &last, nil
	}
	book, err := s.readCodeBook()
	if err != nil {
		return &last, err
	}
	if err := s.syncRule(c, book); err != nil {
		return &last, fmt.Errorf("undid %s, but updating its rule file failed: %w", c.ID, err)
	}
	return &last, nil
}

// checkDraft validates the edits of a deferral. A drafted code must be
// free, because the decisions file reserves it for the candidate.
func checkDraft(id string, edits Edits, book *codeBook) error {
	if err := CheckEdits(edits); err != nil {
		return err
	}
	if edits.Code != "" {
		return book.checkCode(edits.Code, id)
	}
	return nil
}

// mentions reports whether a decision or reservation of the log has code.
func (l *Log) mentions(code string) bool {
	for _, d := range l.Decisions {
		if d.Code == code {
			return true
		}
	}
	for _, r := range l.Reserved {
		if r.Code == code {
			return true
		}
	}
	return false
}

func (s *Session) logPath() string {
	return LogPath(s.opts.Decisions, s.opts.Reviewer)
}

func (s *Session) readCodeBook() (*codeBook, error) {
	return readCodeBook(s.opts.Decisions, filepath.Dir(filepath.Clean(s.opts.Pack)))
}
