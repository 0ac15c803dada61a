package lint

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockmine/dockmine/rules"
)

// TestRepositoryDockerfileClean lints the Dockerfile that builds dockmine
// itself with the default pack and default settings: it must have no
// finding at any severity.
func TestRepositoryDockerfileClean(t *testing.T) {
	path := filepath.Join("..", "Dockerfile")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the repository Dockerfile is missing: %v", err)
	}
	l, err := New(Options{Packs: []*rules.Pack{rules.Default()}})
	if err != nil {
		t.Fatal(err)
	}
	results, err := l.Lint(context.Background(), []Input{{Name: path}})
	if err != nil {
		t.Fatal(err)
	}
	res := results[0]
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("%s:%d:%d: %s %s: %s", d.File, d.Range.Start.Line, d.Range.Start.Col, d.Rule.Code, d.Severity, d.Message)
	}
}
