package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

func init() {
	subcommands["compile"] = subcommand{
		summary: "validate rule files and write a compiled rule pack",
		run:     runCompile,
	}
}

func runCompile(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("dockmine compile", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var output, short string
	fset.StringVar(&output, "output", "", "file to write the pack to; - or empty for standard output")
	fset.StringVar(&short, "o", "", "short for --output")
	quiet := fset.Bool("quiet", false, "log only errors")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: dockmine compile [--output FILE] PATH...")
		fmt.Fprintln(stderr, "Each PATH is a pack directory (rules/compliance), a directory of pack directories (rules)")
		fmt.Fprintln(stderr, "or one rule file (DM1234-name.yaml). Every rule is validated and its examples are run;")
		fmt.Fprintln(stderr, "the pack is written only when all rules pass.")
		fmt.Fprintln(stderr, "Exit status: 0 when the pack was written, 1 when a rule is invalid, 2 for bad usage or unreadable input.")
		fset.PrintDefaults()
	}
	paths, ok := parseInterleaved(fset, args)
	if !ok {
		return exitUsage
	}
	if output != "" && short != "" && output != short {
		fmt.Fprintf(stderr, "dockmine compile: --output %q and -o %q disagree: give one\n", output, short)
		return exitUsage
	}
	if short != "" {
		output = short
	}
	if len(paths) == 0 {
		fset.Usage()
		return exitUsage
	}

	level := slog.LevelInfo
	if *quiet {
		level = slog.LevelError
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	list, loadErr := loadRuleArgs(paths)
	var unreadable *fs.PathError
	if errors.As(loadErr, &unreadable) {
		fmt.Fprintf(stderr, "dockmine compile: %v\n", loadErr)
		return exitUsage
	}
	log.Info("compile started", "rules", len(list))
	if !*quiet {
		for _, w := range rules.CommandWarnings(list) {
			fmt.Fprintf(stderr, "%v (warning)\n", w)
		}
	}

	// Rules that loaded are compiled even when others did not, so one run
	// lists every problem.
	pack, err := rules.Compile(list)
	if err = errors.Join(loadErr, err); err != nil {
		printErrors(stderr, err)
		log.Error("compile failed", "rules", len(list), "errors", countErrors(err))
		return exitFindings
	}

	if err := writePack(pack, output, stdout); err != nil {
		fmt.Fprintf(stderr, "dockmine compile: %v\n", err)
		return exitUsage
	}
	log.Info("compile finished", "rules", len(pack.Rules), "packs", strings.Join(pack.Packs, ","), "hash", pack.Hash)
	return exitOK
}

// parseInterleaved parses flags that may come before, between or after
// the paths, as in "dockmine compile rules/compliance -o pack.json". After
// "--" every argument is a path.
func parseInterleaved(fset *flag.FlagSet, args []string) ([]string, bool) {
	var paths []string
	for {
		if err := fset.Parse(args); err != nil {
			return nil, false
		}
		rest := fset.Args()
		if len(rest) == 0 {
			return paths, true
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(paths, rest...), true
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}

// loadRuleArgs reads the rules that the command-line paths name: rule
// files, pack directories, or directories of pack directories.
func loadRuleArgs(paths []string) ([]*rules.Rule, error) {
	var out []*rules.Rule
	var errs []error
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		var list []*rules.Rule
		switch {
		case !info.IsDir():
			var r *rules.Rule
			r, err = rules.LoadFile(p)
			if r != nil {
				list = []*rules.Rule{r}
			}
		default:
			list, err = loadRuleDir(p)
		}
		out = append(out, list...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// loadRuleDir reads a pack directory, or each pack directory below dir
// when it holds no rule files itself.
func loadRuleDir(dir string) ([]*rules.Rule, error) {
	own, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(own) > 0 {
		return rules.LoadDir(dir)
	}
	packs, err := rules.PackDirs(dir)
	if err != nil {
		return nil, err
	}
	if len(packs) == 0 {
		return nil, fmt.Errorf("%s: no rule files (DM0000-name.yaml) and no pack directories", dir)
	}
	return rules.LoadDirs(packs)
}

// writePack writes the pack to a file through a temporary file, so a
// failed write leaves no half pack, or to stdout for "" and "-".
func writePack(pack *rules.Pack, output string, stdout io.Writer) error {
	if output == "" || output == "-" {
		_, err := pack.WriteTo(stdout)
		return err
	}

	tmp, err := os.CreateTemp(filepath.Dir(output), ".pack-*.json")
	if err != nil {
		return fmt.Errorf("write pack: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := pack.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write pack %s: %w", output, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write pack %s: %w", output, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write pack: %w", err)
	}
	if err := os.Rename(tmp.Name(), output); err != nil {
		return fmt.Errorf("write pack: %w", err)
	}
	return nil
}

// printErrors writes each error of a joined error on its own line.
func printErrors(w io.Writer, err error) {
	for _, e := range flattenErrors(err) {
		fmt.Fprintln(w, e)
	}
}

func countErrors(err error) int {
	return len(flattenErrors(err))
}

func flattenErrors(err error) []error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range joined.Unwrap() {
		out = append(out, flattenErrors(e)...)
	}
	return out
}
