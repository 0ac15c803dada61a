// Command dockmine learns Dockerfile best practices from expert repositories
// and enforces them. Each subcommand is one stage of the pipeline.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"syscall"
)

// Exit codes shared by every subcommand.
const (
	exitOK       = 0 // nothing reached the failure threshold
	exitFindings = 1 // findings or failed inputs reached the threshold
	exitUsage    = 2 // bad usage or input that could not be read
)

// subcommand is one verb of the dockmine command.
type subcommand struct {
	summary string // one line for the usage text
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// subcommands lists every verb by name. Each file that implements a verb adds
// itself here from an init function, so this file does not change per verb.
var subcommands = map[string]subcommand{}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches args to a subcommand and returns the process exit code.
// Tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}

	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		printUsage(stdout)
		return exitOK
	case "-version", "--version", "version":
		fmt.Fprintf(stdout, "dockmine %s\n", moduleVersion())
		return exitOK
	}

	cmd, ok := subcommands[name]
	if !ok {
		fmt.Fprintf(stderr, "dockmine: unknown command %q\n", name)
		printUsage(stderr)
		return exitUsage
	}
	return cmd.run(ctx, args[1:], stdin, stdout, stderr)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: dockmine COMMAND [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")

	names := make([]string, 0, len(subcommands))
	for name := range subcommands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-10s %s\n", name, subcommands[name].summary)
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'dockmine COMMAND -h' for the flags of one command, and 'dockmine version' for the version.")
}

// moduleVersion returns the module version that the binary was built
// from, as the Go toolchain records it, or "devel" when it records none.
func moduleVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return "devel"
	}
	return info.Main.Version
}
