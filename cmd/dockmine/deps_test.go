package main

import (
	"runtime/debug"
	"testing"
)

// TestDepsExcludeCharmV1 checks that the command links none of the v1 Charm
// modules. The package init of bubbletea v1.3.10 calls
// lipgloss.HasDarkBackground, which writes terminal queries to stdout. Then
// termenv v0.16.0 waits up to its OSCTimeout of 5 seconds for the reply,
// before any command runs.
func TestDepsExcludeCharmV1(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("the test binary carries no build information")
	}
	banned := map[string]bool{
		"github.com/charmbracelet/bubbletea": true,
		"github.com/charmbracelet/bubbles":   true,
		"github.com/charmbracelet/lipgloss":  true,
	}
	for _, dep := range info.Deps {
		if banned[dep.Path] {
			t.Errorf("dockmine links v1 module %s %s; import its charm.land v2 module, because bubbletea v1 queries the terminal at init", dep.Path, dep.Version)
		}
	}
}
