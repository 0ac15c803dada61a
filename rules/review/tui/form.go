package tui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/dockmine/dockmine/rules"
	"github.com/dockmine/dockmine/rules/review"
)

// Fields of the edit form, in the order shown.
const (
	fieldCode = iota
	fieldName
	fieldSeverity
	fieldTitle
	fieldMessage
	fieldRationale
	fieldReason
	fieldCount
)

var fieldLabels = [fieldCount]string{"code", "name", "severity", "title", "message", "rationale", "reason"}

// formLabelWidth is the width of the focus marker and the label before
// each input, in cells.
const formLabelWidth = 2 + 10

// editForm edits the draft of one candidate: the rule fields that an
// approval would write, and the reason recorded with any decision.
type editForm struct {
	candidate string
	inputs    [fieldCount]textinput.Model
	base      [fieldCount]string // the values without the draft; a field equal to its base is no edit
	focused   int
	err       string // the error of the last save, shown under the form
}

// openForm opens the edit form on the selected candidate, filled with the
// rule that approving it would write.
func (m *Model) openForm() tea.Cmd {
	c := m.selected()
	if c == nil {
		m.setStatus("no candidate selected")
		return nil
	}
	dr := m.drafts[c.ID]

	f := &editForm{candidate: c.ID}
	if r, err := m.session.Propose(c.ID, review.Edits{}); err == nil {
		f.base = ruleValues(r)
	} else {
		m.report(err)
	}
	values := f.base
	if r, err := m.session.Propose(c.ID, dr.edits); err == nil {
		values = ruleValues(r)
	}
	overlayDraft(&values, dr.edits)
	values[fieldReason] = dr.reason

	for i := range f.inputs {
		in := textinput.New()
		in.Prompt = ""
		in.CharLimit = 400
		in.SetValue(values[i])
		in.CursorStart()
		f.inputs[i] = in
	}
	f.setStyles(m.dark)
	f.inputs[fieldSeverity].Placeholder = "error, warning, info or style"
	f.inputs[fieldReason].Placeholder = "why you decide as you do"
	m.form = f
	m.mode = modeEdit
	m.layout()
	return f.focus(0)
}

// setWidth fits the inputs to a pane of the given width, after the marker
// and the label.
func (f *editForm) setWidth(width int) {
	for i := range f.inputs {
		f.inputs[i].SetWidth(max(10, width-formLabelWidth-1))
		// SetValue recomputes the visible part of the value for the width.
		pos := f.inputs[i].Position()
		f.inputs[i].SetValue(f.inputs[i].Value())
		f.inputs[i].SetCursor(pos)
	}
}

// setStyles picks the input styles for a dark or a light background.
func (f *editForm) setStyles(dark bool) {
	for i := range f.inputs {
		f.inputs[i].SetStyles(textinput.DefaultStyles(dark))
	}
}

func (m Model) updateForm(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	f := m.form
	switch msg.String() {
	case "esc":
		m.closeForm()
		m.setStatus("edit cancelled")
		return m, nil
	case "enter":
		if err := m.saveForm(); err != nil {
			f.err = err.Error()
			return m, nil
		}
		m.closeForm()
		m.setStatus("draft saved for " + f.candidate + "; press a, r or d to decide with it")
		return m, nil
	case "tab", "down":
		return m, f.focus(f.focused + 1)
	case "shift+tab", "up":
		return m, f.focus(f.focused - 1)
	}
	var cmd tea.Cmd
	f.inputs[f.focused], cmd = f.inputs[f.focused].Update(msg)
	return m, cmd
}

// focus moves the cursor to field i, wrapping around.
func (f *editForm) focus(i int) tea.Cmd {
	f.inputs[f.focused].Blur()
	f.focused = (i + fieldCount) % fieldCount
	f.inputs[f.focused].CursorEnd()
	return f.inputs[f.focused].Focus()
}

// saveForm checks the form and stores it as the candidate's draft. Fields
// that still hold their base value are not edits.
func (m *Model) saveForm() error {
	f := m.form
	var v [fieldCount]string
	for i := range f.inputs {
		v[i] = strings.TrimSpace(f.inputs[i].Value())
	}
	edit := func(i int) string {
		if v[i] == f.base[i] {
			return ""
		}
		return v[i]
	}
	old := m.drafts[f.candidate].edits
	edits := review.Edits{
		Code:      edit(fieldCode),
		Name:      edit(fieldName),
		Severity:  edit(fieldSeverity),
		Title:     edit(fieldTitle),
		Message:   edit(fieldMessage),
		Rationale: edit(fieldRationale),
		Bad:       old.Bad, // the form does not show examples
		Good:      old.Good,
	}
	if err := review.CheckEdits(edits); err != nil {
		return err
	}
	m.drafts[f.candidate] = draft{edits: edits, reason: v[fieldReason]}
	return nil
}

func (m *Model) closeForm() {
	m.form = nil
	m.mode = modeBrowse
	m.layout()
}

// ruleValues returns the form values of a rule.
func ruleValues(r *rules.Rule) [fieldCount]string {
	return [fieldCount]string{
		fieldCode:     r.Code,
		fieldName:     r.Name,
		fieldSeverity: r.Severity.String(),
		fieldTitle:    r.Title,
		fieldMessage:  r.Message,
		// The form edits one line, so the rationale's paragraphs are
		// joined; the reviewer replaces it as a whole or not at all.
		fieldRationale: strings.Join(strings.Fields(r.Rationale), " "),
	}
}

// overlayDraft sets the fields that a draft edits, for a draft that the
// session could not turn into a rule.
func overlayDraft(values *[fieldCount]string, e review.Edits) {
	for i, s := range [...]string{e.Code, e.Name, e.Severity, e.Title, e.Message, e.Rationale} {
		if s != "" {
			values[i] = s
		}
	}
}

// view renders the form.
func (f *editForm) view(width int) string {
	var b strings.Builder
	b.WriteString(titleStyle.Render("edit "+f.candidate) + "\n\n")
	for i, in := range f.inputs {
		marker := "  "
		if i == f.focused {
			marker = "> "
		}
		b.WriteString(marker + labelStyle.Render(padRight(fieldLabels[i], formLabelWidth-2)) + in.View() + "\n")
	}
	b.WriteString("\n" + dimStyle.Render("tab/↓ next field · shift+tab/↑ previous · enter save draft · esc cancel") + "\n")
	if f.err != "" {
		b.WriteString(errorStyle.Render(f.err) + "\n")
	}
	return b.String()
}
