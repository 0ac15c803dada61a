package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

func init() {
	subcommands["parse"] = subcommand{
		summary: "print the abstracted tree of Dockerfiles, or parse coverage",
		run:     runParse,
	}
}

func runParse(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("dockmine parse", flag.ContinueOnError)
	fset.SetOutput(stderr)
	format := fset.String("format", "json", "tree output: json (one object per file and line) or tree (indented text)")
	stats := fset.Bool("stats", false, "print parse coverage of all files instead of trees")
	asJSON := fset.Bool("json", false, "with --stats: print coverage as one JSON object")
	top := fset.Int("top", 20, "with --stats: how many unresolved command names to list")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: dockmine parse [--format json|tree] PATH...")
		fmt.Fprintln(stderr, "       dockmine parse --stats [--json] PATH...")
		fmt.Fprintln(stderr, "A PATH that is a directory is walked for Dockerfile-like names; - reads standard input.")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	if *format != "json" && *format != "tree" {
		fmt.Fprintf(stderr, "dockmine parse: invalid --format %q: use json or tree\n", *format)
		return exitUsage
	}
	if *asJSON && !*stats {
		fmt.Fprintln(stderr, "dockmine parse: --json goes with --stats; use --format json for trees")
		return exitUsage
	}
	if fset.NArg() == 0 {
		fset.Usage()
		return exitUsage
	}

	paths, err := dockerfilePaths(fset.Args())
	if err != nil {
		fmt.Fprintf(stderr, "dockmine parse: %v\n", err)
		return exitUsage
	}

	var total ast.Stats
	code := exitOK
	enc := json.NewEncoder(stdout)
	for _, path := range paths {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "dockmine parse: %v\n", ctx.Err())
			return exitUsage
		}

		src, err := readInput(path, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "dockmine parse: %v\n", err)
			return exitUsage
		}
		f, err := ast.Parse(path, src)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			total.AddError()
			code = exitFindings
			continue
		}

		switch {
		case *stats:
			total.Add(f)
		case *format == "tree":
			err = ast.Fprint(stdout, f)
		default:
			err = enc.Encode(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "dockmine parse: writing output: %v\n", err)
			return exitUsage
		}
	}

	if *stats {
		total.Finish(*top)
		if err := printStats(stdout, &total, *asJSON); err != nil {
			fmt.Fprintf(stderr, "dockmine parse: writing output: %v\n", err)
			return exitUsage
		}
	}
	return code
}

// readInput reads a file, or standard input for "-".
func readInput(path string, stdin io.Reader) ([]byte, error) {
	if path == "-" {
		src, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
		return src, nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return src, nil
}

// dockerfilePaths expands directories into the Dockerfile-like files below
// them, in lexical order. Files named explicitly are kept whatever their
// name.
func dockerfilePaths(args []string) ([]string, error) {
	var out []string
	for _, arg := range args {
		if arg == "-" {
			out = append(out, arg)
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", arg, err)
		}
		if !info.IsDir() {
			out = append(out, arg)
			continue
		}

		var found []string
		err = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && ast.IsDockerfileName(d.Name()) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walking %s: %w", arg, err)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no Dockerfile-like file found in %s", strings.Join(args, ", "))
	}
	return out, nil
}

func printStats(w io.Writer, s *ast.Stats, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}

	ratio := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	_, err := fmt.Fprintf(w, "files              %d\nparse errors       %d\ninstructions       %d\nscripts            %d\nscript errors      %d\ncommands           %d\ncommands resolved  %d (%.4f)\nleaves             %d\nunresolved leaves  %d (%.4f)\n",
		s.Files, s.ParseErrors, s.Instructions, s.Scripts, s.ScriptErrors, s.Commands,
		s.CommandsResolved, ratio(s.CommandsResolved, s.Commands), s.Leaves,
		s.UnresolvedLeaves, ratio(s.UnresolvedLeaves, s.Leaves))
	if err != nil {
		return err
	}
	for _, nc := range s.TopUnresolved {
		if _, err := fmt.Fprintf(w, "  unresolved %-30s %d\n", nc.Name, nc.Count); err != nil {
			return err
		}
	}
	return nil
}
