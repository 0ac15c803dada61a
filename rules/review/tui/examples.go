package tui

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"go.yaml.in/yaml/v3"

	"github.com/dockmine/dockmine/rules"
	"github.com/dockmine/dockmine/rules/review"
)

// examplesHeader opens the file that the reviewer edits.
const examplesHeader = `# Example Dockerfiles of the rule. The rule must flag every bad one and
# pass every good one. Save and quit to keep them in the draft; an empty
# list keeps the generated examples.
`

// examplesEdited reports that the editor started by editExamples exited.
type examplesEdited struct {
	candidate string
	path      string // the edited file, removed once read
	err       error  // the editor failed to start or exited with an error
}

// editExamples writes the examples that approving the selected candidate
// would use to a temporary file and opens it in $VISUAL, else $EDITOR,
// else vi. The program waits for the editor to exit.
func (m *Model) editExamples() tea.Cmd {
	c := m.selected()
	if c == nil {
		m.report(errors.New("no candidate selected"))
		return nil
	}
	r, err := m.session.Propose(c.ID, m.drafts[c.ID].edits)
	if err != nil {
		m.report(err)
		return nil
	}
	path, err := writeExamplesFile(r.Examples)
	if err != nil {
		m.report(err)
		return nil
	}

	words := strings.Fields(editorCommand())
	cmd := exec.Command(words[0], append(words[1:], path)...)
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		return examplesEdited{candidate: c.ID, path: path, err: err}
	})
}

// editorCommand returns the command line of the reviewer's editor.
func editorCommand() string {
	for _, name := range []string{"VISUAL", "EDITOR"} {
		if v := strings.TrimSpace(os.Getenv(name)); v != "" {
			return v
		}
	}
	return "vi"
}

func writeExamplesFile(ex rules.ExampleFiles) (string, error) {
	data, err := yaml.Marshal(ex)
	if err != nil {
		return "", fmt.Errorf("encode examples: %w", err)
	}
	f, err := os.CreateTemp("", "dockmine-examples-*.yaml")
	if err != nil {
		return "", fmt.Errorf("write examples: %w", err)
	}
	_, writeErr := f.WriteString(examplesHeader + string(data))
	closeErr := f.Close()
	if err := errors.Join(writeErr, closeErr); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write examples: %w", err)
	}
	return f.Name(), nil
}

// readExamplesFile reads the edited examples back. Unknown keys are an
// error, so a typo does not drop an example silently.
func readExamplesFile(path string) (rules.ExampleFiles, error) {
	var ex rules.ExampleFiles
	data, err := os.ReadFile(path)
	if err != nil {
		return ex, fmt.Errorf("read examples: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&ex); err != nil {
		return ex, fmt.Errorf("read examples %s: %w", path, err)
	}
	return ex, nil
}

// finishExamples stores the edited examples in the candidate's draft.
// Examples equal to the generated ones are no edit.
func (m *Model) finishExamples(msg examplesEdited) {
	defer os.Remove(msg.path)
	if msg.err != nil {
		m.report(fmt.Errorf("editor %s: %w", editorCommand(), msg.err))
		return
	}
	ex, err := readExamplesFile(msg.path)
	if err != nil {
		m.report(err)
		return
	}

	dr := m.drafts[msg.candidate]
	edits := dr.edits
	edits.Bad, edits.Good = ex.Bad, ex.Good
	if base, err := m.session.Propose(msg.candidate, review.Edits{}); err == nil {
		if slices.Equal(edits.Bad, base.Examples.Bad) {
			edits.Bad = nil
		}
		if slices.Equal(edits.Good, base.Examples.Good) {
			edits.Good = nil
		}
	}
	if err := review.CheckEdits(edits); err != nil {
		m.report(err)
		return
	}
	dr.edits = edits
	m.drafts[msg.candidate] = dr
	m.setStatus(fmt.Sprintf("examples saved in the draft of %s: %d bad, %d good", msg.candidate, len(ex.Bad), len(ex.Good)))
	m.refreshDetail()
}
