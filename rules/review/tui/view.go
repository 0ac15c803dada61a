package tui

import (
	"bytes"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dockmine/dockmine/rules"
)

var (
	titleStyle    = lipgloss.NewStyle().Bold(true)
	labelStyle    = lipgloss.NewStyle().Foreground(lipgloss.Color("12"))
	dimStyle      = lipgloss.NewStyle().Foreground(lipgloss.Color("243"))
	errorStyle    = lipgloss.NewStyle().Foreground(lipgloss.Color("9"))
	selectedStyle = lipgloss.NewStyle().Reverse(true)
	borderStyle   = lipgloss.NewStyle().Foreground(lipgloss.Color("240"))
)

// stateMarks mark each row with its decision state.
var stateMarks = map[string]string{
	"undecided": " ",
	"approved":  "✓",
	"rejected":  "✗",
	"deferred":  "…",
}

// Chrome rows around the panes: the header, and the status and key help
// lines at the bottom.
const chromeRows = 3

// layout sizes the panes to the terminal.
func (m *Model) layout() {
	m.detail.SetWidth(m.detailWidth())
	m.detail.SetHeight(max(1, m.height-chromeRows))
	if m.form != nil {
		m.form.setWidth(m.detailWidth())
	}
	m.clampCursor()
	m.refreshDetail()
}

func (m *Model) listWidth() int {
	return max(30, min(m.width*9/20, 80))
}

func (m *Model) detailWidth() int {
	return max(20, m.width-m.listWidth()-3)
}

func (m *Model) listHeight() int {
	return max(1, m.height-chromeRows)
}

// refreshDetail renders the selected candidate into the detail pane, and
// keeps the scroll position while the candidate stays the same.
func (m *Model) refreshDetail() {
	c := m.selected()
	if c == nil {
		m.detail.SetContent("no candidate matches the filter; press x to clear it")
		return
	}

	var buf bytes.Buffer
	if err := m.session.WriteDetail(&buf, c, m.sources); err != nil {
		buf.WriteString("\n" + err.Error() + "\n")
	}
	if dr, ok := m.drafts[c.ID]; ok {
		buf.WriteString("\n" + describeDraft(dr))
	}
	offset := m.detail.YOffset()
	m.detail.SetContent(lipgloss.NewStyle().Width(m.detail.Width()).Render(buf.String()))
	m.detail.SetYOffset(offset)
}

func describeDraft(dr draft) string {
	var b strings.Builder
	b.WriteString("draft (used by the next decision)\n")
	e := dr.edits
	for _, f := range [...][2]string{
		{"code", e.Code}, {"name", e.Name}, {"severity", e.Severity},
		{"title", e.Title}, {"message", e.Message}, {"rationale", e.Rationale}, {"reason", dr.reason},
	} {
		if f[1] != "" {
			fmt.Fprintf(&b, "  %-10s %s\n", f[0], f[1])
		}
	}
	for _, ex := range e.Bad {
		fmt.Fprintf(&b, "  bad example\n%s", indentLines(ex, "    "))
	}
	for _, ex := range e.Good {
		fmt.Fprintf(&b, "  good example\n%s", indentLines(ex, "    "))
	}
	return b.String()
}

// View renders the whole screen in the terminal's alternate screen buffer.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	return v
}

// render returns the text of the whole screen.
func (m Model) render() string {
	header := m.headerView()

	left := m.listView()
	var right string
	switch {
	case m.mode == modeEdit && m.form != nil:
		right = m.form.view(m.detailWidth())
	case m.helpAll:
		right = m.help.FullHelpView(m.keys.FullHelp())
	default:
		right = m.detail.View()
	}
	right = lipgloss.NewStyle().Width(m.detailWidth()).MaxHeight(m.listHeight()).Render(right)

	sep := borderStyle.Render(strings.Repeat("│\n", m.listHeight()-1) + "│")
	body := lipgloss.JoinHorizontal(lipgloss.Top, left, " ", sep, " ", right)

	return lipgloss.JoinVertical(lipgloss.Left, header, body, m.statusView(), m.footerView())
}

func (m *Model) headerView() string {
	all := len(m.session.Candidates())
	decided := 0
	for _, c := range m.session.Candidates() {
		if m.session.Decision(c.ID) != nil {
			decided++
		}
	}
	filters := []string{"kind " + orAll(m.filter.Kind), "state " + orAll(m.filter.State)}
	if m.filter.Text != "" {
		filters = append(filters, fmt.Sprintf("text %q", m.filter.Text))
	}
	line := fmt.Sprintf("dockmine review · %s · %d of %d shown · %d decided · %s",
		m.session.Reviewer(), len(m.filtered), all, decided, strings.Join(filters, " · "))
	return titleStyle.Render(ansi.Truncate(line, m.width, "…"))
}

func orAll(s string) string {
	if s == "" {
		return "all"
	}
	return s
}

// listView renders the visible rows of the candidate list.
func (m *Model) listView() string {
	w := m.listWidth()
	h := m.listHeight()
	var rows []string
	if m.mode == modeSearch {
		m.search.SetWidth(w - 2)
		rows = append(rows, m.search.View())
		h--
	}
	end := min(len(m.filtered), m.offset+h)
	for i := m.offset; i < end; i++ {
		rows = append(rows, m.rowView(m.filtered[i], i == m.cursor, w))
	}
	for len(rows) < m.listHeight() {
		rows = append(rows, "")
	}
	return lipgloss.NewStyle().Width(w).Render(strings.Join(rows, "\n"))
}

// rowView renders one candidate: decision mark, score, kind and statement.
func (m *Model) rowView(c *rules.Candidate, selected bool, width int) string {
	mark := stateMarks[m.session.State(c.ID)]
	if _, ok := m.drafts[c.ID]; ok && mark == " " {
		mark = "*"
	}
	text := c.Text
	if text == "" {
		text = c.Antecedent + " → " + c.Consequent
	}
	row := fmt.Sprintf("%s %6.3f %-11s %s", mark, c.Score, ansi.Truncate(c.Kind, 11, ""), text)
	row = padRight(ansi.Truncate(row, width, "…"), width)
	if selected {
		if m.inList {
			return selectedStyle.Render(row)
		}
		return titleStyle.Render(row)
	}
	return row
}

func (m *Model) statusView() string {
	if m.status == "" {
		return ""
	}
	s := ansi.Truncate(m.status, m.width, "…")
	if m.failed {
		return errorStyle.Render(s)
	}
	return s
}

func (m *Model) footerView() string {
	if m.mode == modeSearch {
		return dimStyle.Render("type to filter · enter keep · esc clear")
	}
	m.help.SetWidth(m.width)
	return m.help.ShortHelpView(m.keys.ShortHelp())
}

// indentLines prefixes every line of s and ends it with a newline.
func indentLines(s, prefix string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString(prefix + line + "\n")
	}
	return b.String()
}

// padRight pads s with spaces to width cells.
func padRight(s string, width int) string {
	if n := width - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}
