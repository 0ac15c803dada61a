// Package tui is the terminal user interface of dockmine review. The left
// pane lists the candidates sorted by score, with filters by kind, decision
// state and text. The right pane shows the selected candidate's statement,
// evidence and examples. Keys approve, reject, defer, edit and undo, and
// every decision goes through a [review.Session], which rewrites the
// decisions file at once.
package tui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/dockmine/dockmine/rules"
	"github.com/dockmine/dockmine/rules/review"
)

// mode is the part of the screen that receives key presses.
type mode int

const (
	modeBrowse mode = iota // the list and its keys
	modeSearch             // the text filter input
	modeEdit               // the edit form
)

// Default terminal size, used until the terminal reports its own.
const (
	defaultWidth  = 100
	defaultHeight = 30
)

// draft is the edits and reason that the reviewer typed for a candidate
// and has not used in a decision yet.
type draft struct {
	edits  review.Edits
	reason string
}

// Model is the bubbletea model of the review interface.
type Model struct {
	session *review.Session
	sources *review.Sources
	keys    keyMap
	help    help.Model

	filter   review.Filter
	kinds    []string           // the kinds the kind filter cycles through
	filtered []*rules.Candidate // the candidates the filter selects
	cursor   int                // index into filtered
	offset   int                // index of the first visible row
	inList   bool               // true: arrow keys move the list; false: they scroll the detail
	mode     mode
	search   textinput.Model
	form     *editForm
	detail   viewport.Model
	drafts   map[string]draft // by candidate id
	status   string           // the outcome of the last action
	failed   bool             // status reports an error
	width    int
	height   int
	helpAll  bool // the full key help replaces the detail pane
	dark     bool // the terminal background is dark, or has not been reported
}

// New returns the interface for a session. Sources, which may be nil,
// shows the corpus lines around each example.
func New(s *review.Session, sources *review.Sources) Model {
	search := textinput.New()
	search.Prompt = "/"
	m := Model{
		session: s,
		sources: sources,
		keys:    newKeyMap(),
		help:    help.New(),
		kinds:   review.Kinds(s.Candidates()),
		inList:  true,
		search:  search,
		detail:  viewport.New(viewport.WithWidth(defaultWidth), viewport.WithHeight(defaultHeight)),
		drafts:  map[string]draft{},
		dark:    true,
		width:   defaultWidth,
		height:  defaultHeight,
	}
	m.refilter("")
	m.layout()
	return m
}

// Init requests the terminal's background color, which selects the styles
// of the key help and the inputs. Until a reply arrives, and when none
// does, the model keeps the styles for a dark background.
func (m Model) Init() tea.Cmd { return tea.RequestBackgroundColor }

// Update applies one message and returns the new model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		m.setDark(msg.IsDark())
		return m, nil
	case examplesEdited:
		m.finishExamples(msg)
		return m, nil
	case tea.KeyPressMsg:
		switch m.mode {
		case modeSearch:
			return m.updateSearch(msg)
		case modeEdit:
			return m.updateForm(msg)
		}
		return m.updateBrowse(msg)
	}
	return m, nil
}

func (m Model) updateBrowse(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.helpAll = !m.helpAll
	case key.Matches(msg, k.Focus):
		m.inList = !m.inList
	case !m.inList && m.scrollDetail(msg):
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-m.listHeight())
	case key.Matches(msg, k.PageDown):
		m.move(m.listHeight())
	case key.Matches(msg, k.Top):
		m.move(-len(m.filtered))
	case key.Matches(msg, k.Bottom):
		m.move(len(m.filtered))
	case key.Matches(msg, k.Approve):
		m.decide(review.Approve)
	case key.Matches(msg, k.Reject):
		m.decide(review.Reject)
	case key.Matches(msg, k.Defer):
		m.decide(review.Defer)
	case key.Matches(msg, k.Undo):
		m.undo()
	case key.Matches(msg, k.Edit):
		return m, m.openForm()
	case key.Matches(msg, k.Examples):
		return m, m.editExamples()
	case key.Matches(msg, k.Search):
		m.mode = modeSearch
		m.search.SetValue(m.filter.Text)
		m.search.CursorEnd()
		return m, m.search.Focus()
	case key.Matches(msg, k.Kind):
		m.filter.Kind = nextOf(m.kinds, m.filter.Kind)
		m.refilter(m.selectedID())
	case key.Matches(msg, k.State):
		m.filter.State = nextOf(review.States[:], m.filter.State)
		m.refilter(m.selectedID())
	case key.Matches(msg, k.ClearFilters):
		m.filter = review.Filter{}
		m.refilter(m.selectedID())
	}
	return m, nil
}

// scrollDetail scrolls the detail pane for a movement key and reports
// whether the key was one.
func (m *Model) scrollDetail(msg tea.KeyPressMsg) bool {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.detail.ScrollUp(1)
	case key.Matches(msg, k.Down):
		m.detail.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		m.detail.PageUp()
	case key.Matches(msg, k.PageDown):
		m.detail.PageDown()
	case key.Matches(msg, k.Top):
		m.detail.GotoTop()
	case key.Matches(msg, k.Bottom):
		m.detail.GotoBottom()
	default:
		return false
	}
	return true
}

func (m Model) updateSearch(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.Code {
	case tea.KeyEnter:
		m.mode = modeBrowse
		m.search.Blur()
		return m, nil
	case tea.KeyEscape:
		m.mode = modeBrowse
		m.search.Blur()
		m.search.SetValue("")
		m.filter.Text = ""
		m.refilter(m.selectedID())
		return m, nil
	}
	var cmd tea.Cmd
	m.search, cmd = m.search.Update(msg)
	if m.search.Value() != m.filter.Text {
		m.filter.Text = m.search.Value()
		m.refilter(m.selectedID())
	}
	return m, cmd
}

// decide records a verdict on the selected candidate with its draft, then
// selects the next candidate.
func (m *Model) decide(v review.Verdict) {
	c := m.selected()
	if c == nil {
		m.report(errors.New("no candidate selected"))
		return
	}
	dr := m.drafts[c.ID]
	edits := dr.edits
	if v == review.Reject {
		edits = review.Edits{}
	}
	d, err := m.session.Decide(c.ID, v, edits, dr.reason)
	if err != nil {
		m.report(err)
		return
	}
	delete(m.drafts, c.ID)

	msg := fmt.Sprintf("%s %s", d.Verdict.State(), c.ID)
	if d.Verdict == review.Approve {
		msg += fmt.Sprintf(" as %s %s", d.Code, d.Name)
	}
	m.setStatus(msg)

	at := m.cursor
	m.refilter(c.ID)
	if m.cursor == at && m.selectedID() == c.ID {
		m.cursor++
	} else {
		m.cursor = at
	}
	m.clampCursor()
	m.refreshDetail()
}

// undo removes the reviewer's last decision and selects its candidate.
func (m *Model) undo() {
	d, err := m.session.Undo()
	if d == nil {
		m.report(err)
		return
	}
	m.refilter(d.Candidate)
	if err != nil {
		m.report(err)
		return
	}
	m.setStatus(fmt.Sprintf("undid %s of %s", d.Verdict, d.Candidate))
}

// refilter applies the filter and keeps the candidate id selected when it
// is still shown.
func (m *Model) refilter(id string) {
	m.filtered = m.session.Filter(m.filter)
	for i, c := range m.filtered {
		if c.ID == id {
			m.cursor = i
			break
		}
	}
	m.clampCursor()
	m.refreshDetail()
}

func (m *Model) move(delta int) {
	m.cursor += delta
	m.clampCursor()
	m.refreshDetail()
}

// clampCursor keeps the cursor on a shown row and the row on screen.
func (m *Model) clampCursor() {
	m.cursor = max(0, min(m.cursor, len(m.filtered)-1))
	h := m.listHeight()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(0, min(m.offset, len(m.filtered)-h))
}

func (m *Model) selected() *rules.Candidate {
	if m.cursor < 0 || m.cursor >= len(m.filtered) {
		return nil
	}
	return m.filtered[m.cursor]
}

func (m *Model) selectedID() string {
	if c := m.selected(); c != nil {
		return c.ID
	}
	return ""
}

// setDark picks the styles of the key help and the inputs for a dark or a
// light terminal background.
func (m *Model) setDark(dark bool) {
	m.dark = dark
	m.help.Styles = help.DefaultStyles(dark)
	m.search.SetStyles(textinput.DefaultStyles(dark))
	if m.form != nil {
		m.form.setStyles(dark)
	}
}

func (m *Model) setStatus(s string) {
	m.status, m.failed = s, false
}

// report shows an error on the status line. A joined error of several
// lines, such as the compile errors of a rule, is put on one line.
func (m *Model) report(err error) {
	m.status, m.failed = strings.ReplaceAll(err.Error(), "\n", " · "), true
}

// nextOf returns the value after cur in values, cycling through "" (no
// filter) after the last one.
func nextOf(values []string, cur string) string {
	if cur == "" {
		if len(values) == 0 {
			return ""
		}
		return values[0]
	}
	for i, v := range values {
		if v == cur && i+1 < len(values) {
			return values[i+1]
		}
	}
	return ""
}
