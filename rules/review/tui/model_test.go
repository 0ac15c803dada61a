package tui

import (
	"bytes"
	"errors"
	"image/color"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"go.yaml.in/yaml/v3"

	"github.com/dockmine/dockmine/rules"
	"github.com/dockmine/dockmine/rules/review"
)

const (
	aptFlag  = "3a7f9c01d2e4b5a6" // the best candidate
	aptClean = "8b1e44c0a9f27d13" // the second best
	apkFlag  = "c40d2f6e17a8b9e5"
)

// fixture is a session over the review package's test candidates, with the
// decisions and the pack in a temporary directory.
type fixture struct {
	dir     string
	session *review.Session
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	now := time.Date(2025, 12, 4, 20, 0, 0, 0, time.UTC)
	s, err := review.Open(review.Options{
		Candidates: "../testdata/run",
		Decisions:  filepath.Join(dir, "decisions"),
		Pack:       filepath.Join(dir, "mined"),
		Reviewer:   "alice",
		Now: func() time.Time {
			now = now.Add(time.Minute)
			return now
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{dir: dir, session: s}
}

func (f *fixture) log(t *testing.T) *review.Log {
	t.Helper()
	l, err := review.ReadLog(filepath.Join(f.dir, "decisions", "alice.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (f *fixture) ruleExists(name string) bool {
	_, err := os.Stat(filepath.Join(f.dir, "mined", name))
	return err == nil
}

// runes returns the key press of one printable character, as a terminal
// without keyboard enhancements reports it.
func runes(s string) tea.KeyPressMsg {
	r := []rune(s)[0]
	k := tea.KeyPressMsg{Code: r, Text: s}
	if unicode.IsUpper(r) {
		k.Code, k.ShiftedCode, k.Mod = unicode.ToLower(r), r, tea.ModShift
	}
	return k
}

// special returns the key press of a key without text, such as tab.
func special(code rune, mod tea.KeyMod) tea.KeyPressMsg {
	return tea.KeyPressMsg{Code: code, Mod: mod}
}

// press sends the messages in order and returns the resulting model.
func press(t *testing.T, m Model, msgs ...tea.Msg) Model {
	t.Helper()
	for _, msg := range msgs {
		next, _ := m.Update(msg)
		m = next.(Model)
	}
	return m
}

// typeText sends each rune of s as its own key.
func typeText(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, runes(string(r)))
	}
	return out
}

func sized(t *testing.T, f *fixture) Model {
	t.Helper()
	return press(t, New(f.session, nil), tea.WindowSizeMsg{Width: 140, Height: 40})
}

func TestModelViewListsByScore(t *testing.T) {
	m := sized(t, newFixture(t))
	view := m.View().Content

	first := strings.Index(view, "0.910 flag        apt-get install is run")
	second := strings.Index(view, "0.840 follows     apt-get install is followed")
	if first < 0 || second < 0 || first > second {
		t.Errorf("view does not list the candidates best first:\n%s", view)
	}
	for _, want := range []string{"0 decided", "5 of 5 shown", "support    412 instances in 233 files, 41 repos, 57 families", "docker-library/ruby/3.3/bookworm/Dockerfile:20"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
}

func TestModelApproveKey(t *testing.T) {
	f := newFixture(t)
	m := press(t, sized(t, f), runes("a"))

	if !strings.Contains(m.status, "approved "+aptFlag+" as DM3001") {
		t.Errorf("status = %q, want the approval with its code", m.status)
	}
	if got := m.selectedID(); got != aptClean {
		t.Errorf("selected after approval = %s, want the next candidate %s", got, aptClean)
	}
	l := f.log(t)
	if len(l.Decisions) != 1 || l.Decisions[0].Verdict != review.Approve || l.Decisions[0].Candidate != aptFlag {
		t.Errorf("decisions file = %+v, want one approval of %s", l.Decisions, aptFlag)
	}
	if !f.ruleExists("DM3001-apt-get-install-no-install-recommends.yaml") {
		t.Error("approval wrote no rule file")
	}
	if view := m.View().Content; !strings.Contains(view, "✓") {
		t.Errorf("view does not mark the approved candidate:\n%s", view)
	}
}

func TestModelRejectDeferUndo(t *testing.T) {
	f := newFixture(t)
	m := press(t, sized(t, f), runes("r"), runes("d"))

	l := f.log(t)
	if len(l.Decisions) != 2 || l.Decisions[0].Verdict != review.Reject || l.Decisions[1].Verdict != review.Defer {
		t.Fatalf("decisions file = %+v, want a rejection then a deferral", l.Decisions)
	}

	m = press(t, m, runes("u"))
	if got := m.selectedID(); got != aptClean {
		t.Errorf("selected after undo = %s, want the undone candidate %s", got, aptClean)
	}
	if !strings.Contains(m.status, "undid defer of "+aptClean) {
		t.Errorf("status = %q, want the undone deferral", m.status)
	}
	if l := f.log(t); len(l.Decisions) != 1 {
		t.Errorf("decisions file after undo holds %d decisions, want 1", len(l.Decisions))
	}

	m = press(t, m, runes("u"), runes("u"))
	if !m.failed || !strings.Contains(m.status, "no decision to undo") {
		t.Errorf("status after undoing everything = %q, want an error", m.status)
	}
}

func TestModelEditThenApprove(t *testing.T) {
	f := newFixture(t)
	m := press(t, sized(t, f), runes("e"))
	if m.mode != modeEdit {
		t.Fatalf("mode after e = %d, want the edit form", m.mode)
	}
	if got := m.form.inputs[fieldCode].Value(); got != "DM3001" {
		t.Errorf("code field = %q, want the proposed DM3001", got)
	}
	if view := m.View().Content; !strings.Contains(view, "edit "+aptFlag) {
		t.Errorf("view does not show the form:\n%s", view)
	}

	// Replace the name, set the severity and a reason.
	keys := []tea.Msg{special(tea.KeyTab, 0), special('u', tea.ModCtrl)}
	keys = append(keys, typeText("apt-no-recommends")...)
	keys = append(keys, special(tea.KeyTab, 0), special('u', tea.ModCtrl))
	keys = append(keys, typeText("error")...)
	keys = append(keys, special(tea.KeyTab, tea.ModShift), special(tea.KeyTab, tea.ModShift), special(tea.KeyTab, tea.ModShift))
	keys = append(keys, typeText("common practice")...) // shift+tab from code wraps to reason
	keys = append(keys, special(tea.KeyEnter, 0))
	m = press(t, m, keys...)
	if m.mode != modeBrowse {
		t.Fatalf("mode after enter = %d, want browsing; form error %q", m.mode, m.form.err)
	}
	dr := m.drafts[aptFlag]
	if !reflect.DeepEqual(dr.edits, review.Edits{Name: "apt-no-recommends", Severity: "error"}) || dr.reason != "common practice" {
		t.Errorf("draft = %+v, want the new name, severity and reason only", dr)
	}
	if view := m.View().Content; !strings.Contains(view, "draft (used by the next decision)") {
		t.Errorf("detail pane does not show the draft:\n%s", view)
	}

	m = press(t, m, runes("a"))
	l := f.log(t)
	if len(l.Decisions) != 1 {
		t.Fatalf("decisions file holds %d decisions, want 1", len(l.Decisions))
	}
	d := l.Decisions[0]
	if d.Name != "apt-no-recommends" || d.Severity != "error" || d.Reason != "common practice" {
		t.Errorf("recorded decision = %+v, want the draft's name, severity and reason", d)
	}
	if !f.ruleExists("DM3001-apt-no-recommends.yaml") {
		t.Error("approval did not write the renamed rule file")
	}
	if _, ok := m.drafts[aptFlag]; ok {
		t.Error("the draft outlived its decision")
	}
}

func TestModelEditRejectsBadValue(t *testing.T) {
	f := newFixture(t)
	keys := []tea.Msg{runes("e"), special(tea.KeyTab, 0), special(tea.KeyTab, 0), special('u', tea.ModCtrl)}
	keys = append(keys, typeText("loud")...)
	keys = append(keys, special(tea.KeyEnter, 0))
	m := press(t, sized(t, f), keys...)
	if m.mode != modeEdit {
		t.Fatal("the form closed on an invalid severity")
	}
	if !strings.Contains(m.form.err, `invalid severity "loud"`) {
		t.Errorf("form error = %q, want the invalid severity", m.form.err)
	}

	m = press(t, m, special(tea.KeyEscape, 0))
	if m.mode != modeBrowse || len(m.drafts) != 0 {
		t.Errorf("esc left mode %d and drafts %+v, want browsing and no draft", m.mode, m.drafts)
	}
}

func TestModelFilters(t *testing.T) {
	f := newFixture(t)
	m := press(t, sized(t, f), runes("a")) // approve the best candidate

	m = press(t, m, runes("f"))
	if m.filter.Kind != "flag" || len(m.filtered) != 2 {
		t.Errorf("kind filter: kind %q, %d shown; want flag and 2", m.filter.Kind, len(m.filtered))
	}
	m = press(t, m, runes("s"))
	if m.filter.State != "undecided" || len(m.filtered) != 1 || m.filtered[0].ID != apkFlag {
		t.Errorf("state filter: state %q, shown %d; want undecided and only %s", m.filter.State, len(m.filtered), apkFlag)
	}
	if view := m.View().Content; !strings.Contains(view, "kind flag · state undecided") {
		t.Errorf("header does not name the filters:\n%s", view)
	}

	m = press(t, m, runes("x"))
	if len(m.filtered) != 5 {
		t.Errorf("after clearing, %d shown, want 5", len(m.filtered))
	}

	// The filter ignores case: "add" is in apk add and in ADD.
	keys := append([]tea.Msg{runes("/")}, typeText("add")...)
	m = press(t, m, keys...)
	if len(m.filtered) != 2 || m.filter.Text != "add" {
		t.Errorf("text filter add: %d shown, want 2", len(m.filtered))
	}
	m = press(t, m, special(tea.KeyEnter, 0), runes("j"))
	if m.mode != modeBrowse || m.filter.Text != "add" {
		t.Errorf("enter did not keep the text filter: mode %d, text %q", m.mode, m.filter.Text)
	}
	m = press(t, m, runes("/"), special(tea.KeyEscape, 0))
	if m.filter.Text != "" || len(m.filtered) != 5 {
		t.Errorf("esc did not clear the text filter: text %q, %d shown", m.filter.Text, len(m.filtered))
	}
}

func TestModelNavigation(t *testing.T) {
	// 20 rows leave the detail pane shorter than its text, so it scrolls.
	m := press(t, New(newFixture(t).session, nil), tea.WindowSizeMsg{Width: 140, Height: 20})
	m = press(t, m, runes("j"), runes("j"))
	if m.cursor != 2 {
		t.Errorf("cursor after j j = %d, want 2", m.cursor)
	}
	m = press(t, m, runes("G"))
	if m.cursor != 4 {
		t.Errorf("cursor after G = %d, want 4", m.cursor)
	}
	m = press(t, m, runes("j"))
	if m.cursor != 4 {
		t.Errorf("cursor moved past the end: %d", m.cursor)
	}
	m = press(t, m, runes("g"), runes("k"))
	if m.cursor != 0 {
		t.Errorf("cursor after g k = %d, want 0", m.cursor)
	}

	// With the detail pane focused, j scrolls it and leaves the list.
	m = press(t, m, special(tea.KeyTab, 0), runes("j"))
	if m.cursor != 0 || m.detail.YOffset() != 1 {
		t.Errorf("detail focus: cursor %d, detail offset %d; want 0 and 1", m.cursor, m.detail.YOffset())
	}
}

func TestModelHelpAndQuit(t *testing.T) {
	m := sized(t, newFixture(t))
	m = press(t, m, runes("?"))
	if view := m.View().Content; !strings.Contains(view, "undo last decision") {
		t.Errorf("full help does not list undo:\n%s", view)
	}
	if _, cmd := m.Update(runes("q")); cmd == nil || cmd() != tea.Quit() {
		t.Error("q does not quit")
	}
}

func TestModelViewUsesAltScreen(t *testing.T) {
	if v := sized(t, newFixture(t)).View(); !v.AltScreen {
		t.Error("view does not ask for the alternate screen")
	}
}

func TestModelBackgroundColorPicksStyles(t *testing.T) {
	m := press(t, sized(t, newFixture(t)), runes("e"))
	if !m.dark || !reflect.DeepEqual(m.help.Styles, help.DefaultDarkStyles()) {
		t.Error("before the terminal reports its background, the help styles are not the dark ones")
	}

	m = press(t, m, tea.BackgroundColorMsg{Color: color.White})
	if m.dark {
		t.Error("a white background is taken as dark")
	}
	if !reflect.DeepEqual(m.help.Styles, help.DefaultLightStyles()) {
		t.Error("help styles are not the light ones on a white background")
	}
	if !reflect.DeepEqual(m.search.Styles(), textinput.DefaultLightStyles()) {
		t.Error("search input styles are not the light ones on a white background")
	}
	if !reflect.DeepEqual(m.form.inputs[fieldName].Styles(), textinput.DefaultLightStyles()) {
		t.Error("form input styles are not the light ones on a white background")
	}

	m = press(t, m, tea.BackgroundColorMsg{Color: color.Black})
	if !m.dark || !reflect.DeepEqual(m.help.Styles, help.DefaultDarkStyles()) {
		t.Error("a black background does not bring back the dark styles")
	}
}

// TestProgramApproveAndQuit runs the model in a bubbletea program, as the
// command does, and checks the screen and the files.
func TestProgramApproveAndQuit(t *testing.T) {
	f := newFixture(t)
	tm := teatest.NewTestModel(t, New(f.session, nil), teatest.WithInitialTermSize(140, 40))

	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("apt-get install is run with --no-install-recommends"))
	}, teatest.WithDuration(5*time.Second))

	tm.Send(runes("a"))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("as DM3001"))
	}, teatest.WithDuration(5*time.Second))

	tm.Send(runes("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	final := tm.FinalModel(t).(Model)
	if final.session.State(aptFlag) != "approved" {
		t.Errorf("final state of %s = %s, want approved", aptFlag, final.session.State(aptFlag))
	}
	if !f.ruleExists("DM3001-apt-get-install-no-install-recommends.yaml") {
		t.Error("the program's approval wrote no rule file")
	}
}

func TestModelEditExamples(t *testing.T) {
	f := newFixture(t)
	m := sized(t, f)

	// The file the editor gets holds the proposed rule's examples.
	r, err := f.session.Propose(aptFlag, review.Edits{})
	if err != nil {
		t.Fatal(err)
	}
	path, err := writeExamplesFile(r.Examples)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readExamplesFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r.Examples) {
		t.Errorf("examples file reads back as %+v, want %+v", got, r.Examples)
	}

	// The reviewer replaces the good example and keeps the bad one.
	good := "FROM debian:12.6\nRUN apt-get install -y --no-install-recommends curl\n"
	edited := rules.ExampleFiles{Bad: r.Examples.Bad, Good: []string{good}}
	data, err := yaml.Marshal(edited)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, examplesEdited{candidate: aptFlag, path: path})
	dr := m.drafts[aptFlag]
	if len(dr.edits.Bad) != 0 || !reflect.DeepEqual(dr.edits.Good, []string{good}) {
		t.Errorf("draft examples = bad %q, good %q; want only the new good one", dr.edits.Bad, dr.edits.Good)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the examples file was not removed: %v", err)
	}
	if view := m.View().Content; !strings.Contains(view, "good example") {
		t.Errorf("detail pane does not show the edited example:\n%s", view)
	}

	// The draft's examples reach the rule file.
	m = press(t, m, runes("a"))
	written, err := rules.LoadFile(filepath.Join(f.dir, "mined", "DM3001-apt-get-install-no-install-recommends.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(written.Examples.Good, []string{good}) {
		t.Errorf("rule file good examples = %q, want the edited one", written.Examples.Good)
	}
}

func TestModelEditExamplesErrors(t *testing.T) {
	m := sized(t, newFixture(t))
	path := filepath.Join(t.TempDir(), "examples.yaml")
	if err := os.WriteFile(path, []byte("bad: []\ngod: [x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, examplesEdited{candidate: aptFlag, path: path})
	if !m.failed || !strings.Contains(m.status, "field god not found") {
		t.Errorf("status after a typo = %q, want the unknown field", m.status)
	}
	if _, ok := m.drafts[aptFlag]; ok {
		t.Error("a file with a typo changed the draft")
	}

	m = press(t, m, examplesEdited{candidate: aptFlag, path: path, err: errors.New("exit status 1")})
	if !m.failed || !strings.Contains(m.status, "exit status 1") {
		t.Errorf("status after a failed editor = %q, want its error", m.status)
	}
}

func TestModelEditExamplesRunsEditor(t *testing.T) {
	m := sized(t, newFixture(t))
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "true --wait")
	if got := editorCommand(); got != "true --wait" {
		t.Errorf("editorCommand() = %q, want $EDITOR", got)
	}
	if _, cmd := m.Update(runes("E")); cmd == nil {
		t.Error("E started no editor")
	}
}

func TestModelReportsMultilineErrorOnOneLine(t *testing.T) {
	m := sized(t, newFixture(t))
	m.report(errors.Join(errors.New("first problem"), errors.New("second problem")))
	if m.status != "first problem · second problem" {
		t.Errorf("status = %q, want both errors on one line", m.status)
	}
	if lines := strings.Count(m.View().Content, "\n"); lines != 39 {
		t.Errorf("view has %d line breaks with an error status, want 39 for 40 rows", lines)
	}
}
