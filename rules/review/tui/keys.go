package tui

import "charm.land/bubbles/v2/key"

// keyMap binds the keys of the list view.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Approve, Reject, Defer, Edit, Undo      key.Binding
	Examples                                key.Binding
	Search, Kind, State, ClearFilters       key.Binding
	Focus, Help, Quit                       key.Binding
}

func newKeyMap() keyMap {
	bind := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Up:           bind("↑/k", "up", "up", "k"),
		Down:         bind("↓/j", "down", "down", "j"),
		PageUp:       bind("pgup", "page up", "pgup", "ctrl+b"),
		PageDown:     bind("pgdn", "page down", "pgdown", "ctrl+f"),
		Top:          bind("g", "first", "home", "g"),
		Bottom:       bind("G", "last", "end", "G"),
		Approve:      bind("a", "approve", "a"),
		Reject:       bind("r", "reject", "r"),
		Defer:        bind("d", "defer", "d"),
		Edit:         bind("e", "edit code, name, severity, title, message, reason", "e"),
		Undo:         bind("u", "undo last decision", "u"),
		Examples:     bind("E", "edit example Dockerfiles in $EDITOR", "E"),
		Search:       bind("/", "filter by text", "/"),
		Kind:         bind("f", "next kind filter", "f"),
		State:        bind("s", "next state filter", "s"),
		ClearFilters: bind("x", "clear filters", "x"),
		Focus:        bind("tab", "scroll list or detail", "tab"),
		Help:         bind("?", "help", "?"),
		Quit:         bind("q", "quit", "q", "ctrl+c"),
	}
}

// ShortHelp lists the keys shown in the footer.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Approve, k.Reject, k.Defer, k.Edit, k.Undo, k.Search, k.Kind, k.State, k.Help, k.Quit}
}

// FullHelp lists every key, in columns.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Focus},
		{k.Approve, k.Reject, k.Defer, k.Edit, k.Examples, k.Undo},
		{k.Search, k.Kind, k.State, k.ClearFilters, k.Help, k.Quit},
	}
}
