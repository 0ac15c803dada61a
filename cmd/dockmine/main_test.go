package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the testscript archives run dockmine as a command in the
// test binary itself.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"dockmine": func() {
			os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

// TestScript runs every archive under testdata/script. Each archive runs
// dockmine and compares its standard output and error.
func TestScript(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(root, "..", "shared", "corpus")
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// REPO is the repository root, for its datasets; SHARED is the
			// shared corpus beside it, which scripts skip without.
			env.Setenv("REPO", root)
			env.Setenv("SHARED", shared)
			return nil
		},
		// [shared] holds when the shared corpus is beside the repository.
		Condition: func(cond string) (bool, error) {
			if cond != "shared" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			_, err := os.Stat(shared)
			return err == nil, nil
		},
	})
}
