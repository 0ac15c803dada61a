package main

import (
	"context"
	"os"
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
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
