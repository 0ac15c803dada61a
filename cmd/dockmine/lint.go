package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"

	"golang.org/x/term"

	"github.com/dockmine/dockmine/lint"
	"github.com/dockmine/dockmine/lint/config"
	"github.com/dockmine/dockmine/lint/format"
	"github.com/dockmine/dockmine/rules"
)

func init() {
	subcommands["lint"] = subcommand{
		summary: "check Dockerfiles against a rule pack, and fix what the rules can",
		run:     runLint,
	}
}

// lintFlags are the command-line flags of dockmine lint.
type lintFlags struct {
	packs, only, ignore      valueList
	errorCodes, warningCodes valueList
	infoCodes, styleCodes    valueList
	trusted                  valueList
	exclude                  globList

	configFile          string
	format              string
	output              string
	threshold           string
	disableIgnorePragma bool
	noColor             bool
	fix, diff           bool
	explain             string
	listRules           bool
	jobs                int
	stdinName           string
	logLevel            string

	set map[string]bool // flags given on the command line
}

func (f *lintFlags) register(fset *flag.FlagSet) {
	fset.Var(&f.packs, "pack", "add the rules of compiled pack `FILE` to the embedded ones; a rule equal to an embedded one is skipped (repeatable)")
	fset.Var(&f.only, "only", "run only the rules named by `CODE`, name or alias, even rules that are off by default (repeatable, comma-separated)")
	fset.Var(&f.ignore, "ignore", "never report the rules named by `CODE`, name or alias (repeatable, comma-separated)")
	fset.Var(&f.errorCodes, "error", "report the rule `CODE` as an error (repeatable, comma-separated)")
	fset.Var(&f.warningCodes, "warning", "report the rule `CODE` as a warning (repeatable, comma-separated)")
	fset.Var(&f.infoCodes, "info", "report the rule `CODE` as info (repeatable, comma-separated)")
	fset.Var(&f.styleCodes, "style", "report the rule `CODE` as style (repeatable, comma-separated)")
	fset.Var(&f.trusted, "trusted-registry", "allow base images only from registry `HOST`, or a pattern such as *.example.org (repeatable, comma-separated, default any registry)")
	fset.Var(&f.exclude, "exclude", "leave out of directory walks the files and directories that `GLOB` matches, relative to the working directory; a glob without a slash matches names at any depth (repeatable)")
	fset.StringVar(&f.configFile, "config", "", "read settings from `FILE` instead of searching for .dockmine.yaml and .hadolint.yaml")
	fset.StringVar(&f.format, "format", "tty", "report `FORMAT`: tty, json, sarif, checkstyle, gitlab, junit or gnu, and with --list-rules tty or json")
	fset.StringVar(&f.output, "output", "", "write the report to `FILE` instead of standard output")
	fset.StringVar(&f.threshold, "failure-threshold", lint.DefaultThreshold, "exit 1 when a finding has this `SEVERITY` or a higher one: error, warning, info, style, or none to never fail")
	fset.BoolVar(&f.disableIgnorePragma, "disable-ignore-pragma", false, "ignore the suppression comments (# dockmine ignore=, # hadolint ignore=, # check=skip=) in Dockerfiles")
	fset.BoolVar(&f.noColor, "no-color", false, "never color the tty report, which is otherwise colored on a terminal when NO_COLOR is unset")
	fset.BoolVar(&f.fix, "fix", false, "apply the rules' fixes to the files in place, then report what remains")
	fset.BoolVar(&f.diff, "diff", false, "print the fixes as a unified diff instead of applying them, and write the report only to --output")
	fset.StringVar(&f.explain, "explain", "", "print the rationale and examples of rule `CODE` and exit")
	fset.BoolVar(&f.listRules, "list-rules", false, "print the rules of the packs and exit")
	fset.IntVar(&f.jobs, "jobs", 0, "lint `N` files in parallel, 0 for one per CPU")
	fset.StringVar(&f.stdinName, "stdin-name", "-", "file `NAME` to show for standard input, and where the configuration search starts")
	fset.StringVar(&f.logLevel, "log-level", "warn", "lowest `LEVEL` logged on stderr: debug, info (start and end counts), warn or error")
}

// valueList is a repeatable flag of comma-separated values.
type valueList struct {
	name   string
	values []config.Value
}

func (v *valueList) String() string { return "" }

func (v *valueList) Set(s string) error {
	v.values = append(v.values, config.SplitList(s, config.Origin{Name: "--" + v.name})...)
	return nil
}

// globList is the repeatable --exclude flag. Unlike valueList it does not
// split at commas, which a glob may contain.
type globList []config.Value

func (g *globList) String() string { return "" }

func (g *globList) Set(s string) error {
	if _, err := config.ParseGlob(s); err != nil {
		return err
	}
	*g = append(*g, config.Value{Text: s, Origin: config.Origin{Name: "--exclude"}})
	return nil
}

func runLint(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var f lintFlags
	fset := flag.NewFlagSet("dockmine lint", flag.ContinueOnError)
	fset.SetOutput(stderr)
	f.register(fset)
	fset.VisitAll(func(fl *flag.Flag) {
		if v, ok := fl.Value.(*valueList); ok {
			v.name = fl.Name
		}
	})
	fset.Usage = func() { printLintUsage(fset, stderr) }
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	f.set = map[string]bool{}
	fset.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })

	if err := f.validate(fset.Args()); err != nil {
		fmt.Fprintf(stderr, "dockmine lint: %v\n", err)
		return exitUsage
	}
	log := newLintLogger(stderr, f.logLevel)

	packs, err := f.loadPacks()
	if err != nil {
		fmt.Fprintf(stderr, "dockmine lint: %v\n", err)
		return exitUsage
	}
	switch {
	case f.explain != "":
		return explainRule(stdout, stderr, packs, f.explain)
	case f.listRules:
		return listRules(stdout, stderr, packs, f.format)
	}

	env, err := config.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine lint: %v\n", err)
		return exitUsage
	}
	finder, err := config.NewFinder()
	if err != nil {
		fmt.Fprintf(stderr, "dockmine lint: %v\n", err)
		return exitUsage
	}
	linter, err := lint.New(lint.Options{
		Packs:      packs,
		Only:       f.only.values,
		Env:        env,
		Flags:      f.settings(),
		ConfigFile: f.configFile,
		Finder:     finder,
		Fix:        f.fix || f.diff,
		Jobs:       f.jobs,
	})
	if err != nil {
		fmt.Fprintf(stderr, "dockmine lint: %v\n", err)
		return exitUsage
	}
	return lintFiles(ctx, linter, &f, fset.Args(), stdin, stdout, stderr, log)
}

// validate rejects conflicting and malformed flags before any work.
func (f *lintFlags) validate(paths []string) error {
	hasStdin := slices.Contains(paths, "-")
	switch {
	case f.explain != "" && (f.listRules || len(paths) > 0 || f.fix || f.diff):
		return errors.New("--explain takes no paths and goes with no other action")
	case f.listRules && (len(paths) > 0 || f.fix || f.diff):
		return errors.New("--list-rules takes no paths and goes with no other action")
	case f.listRules && f.format != "tty" && f.format != "json":
		return fmt.Errorf("invalid --format %q with --list-rules: use tty or json", f.format)
	case f.explain != "" || f.listRules:
		return nil
	case len(paths) == 0:
		return errors.New("missing PATH: name Dockerfiles or directories, or - for standard input")
	case f.fix && f.diff:
		return errors.New("--fix and --diff conflict: --fix rewrites the files, --diff only shows the changes")
	case f.fix && hasStdin:
		return errors.New("--fix cannot rewrite standard input: use --diff")
	case f.set["stdin-name"] && !hasStdin:
		return errors.New("--stdin-name needs - among the paths")
	case f.jobs < 0:
		return fmt.Errorf("invalid --jobs %d: use 0 for one per CPU or a positive count", f.jobs)
	case !slices.Contains(config.Thresholds, f.threshold):
		return fmt.Errorf("invalid --failure-threshold %q: use error, warning, info, style or none", f.threshold)
	}
	if f.set["format"] {
		if _, err := format.New(f.format, format.Options{}); err != nil {
			return fmt.Errorf("invalid --format: %w", err)
		}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return fmt.Errorf("invalid --log-level %q: use debug, info, warn or error", f.logLevel)
	}
	return nil
}

// settings returns the flags' layer of configuration: only the flags that
// were given, so that a configuration file's value survives a flag's
// default.
func (f *lintFlags) settings() config.Settings {
	s := config.Settings{
		Ignored:           f.ignore.values,
		TrustedRegistries: f.trusted.values,
		Exclude:           f.exclude,
	}
	for _, o := range []struct {
		severity string
		list     *valueList
	}{{"error", &f.errorCodes}, {"warning", &f.warningCodes}, {"info", &f.infoCodes}, {"style", &f.styleCodes}} {
		for _, v := range o.list.values {
			s.Overrides = append(s.Overrides, config.Override{Severity: o.severity, Code: v})
		}
	}
	if f.set["failure-threshold"] {
		s.FailureThreshold = &config.Value{Text: f.threshold, Origin: config.Origin{Name: "--failure-threshold"}}
	}
	if f.set["format"] {
		s.Format = &config.Value{Text: f.format, Origin: config.Origin{Name: "--format"}}
	}
	if f.set["disable-ignore-pragma"] {
		s.DisableIgnorePragma = &f.disableIgnorePragma
	}
	return s
}

// loadPacks returns the embedded default pack followed by those of --pack,
// without the rules that an earlier pack already holds unchanged.
func (f *lintFlags) loadPacks() ([]*rules.Pack, error) {
	packs := []*rules.Pack{rules.Default()}
	for _, v := range f.packs.values {
		pk, err := lint.ReadPackFile(v.Text)
		if err != nil {
			return nil, fmt.Errorf("--pack: %w", err)
		}
		if packs, err = lint.AddPack(packs, pk); err != nil {
			return nil, fmt.Errorf("--pack %s: %w", v.Text, err)
		}
	}
	return packs, nil
}

func printLintUsage(fset *flag.FlagSet, w io.Writer) {
	fmt.Fprintln(w, "usage: dockmine lint [flags] PATH...")
	fmt.Fprintln(w, "       dockmine lint --explain CODE")
	fmt.Fprintln(w, "       dockmine lint --list-rules [--format tty|json]")
	fmt.Fprintln(w, "A PATH that is a file is linted whatever its name, and - reads standard input. A PATH that is a directory is walked for")
	fmt.Fprintln(w, "the names Dockerfile, dockerfile, Containerfile, Dockerfile.*, Containerfile.*, *.Dockerfile and *.dockerfile. The walk")
	fmt.Fprintln(w, "skips .git, .hg, .svn, node_modules and vendor directories, names whose last extension marks documentation, code,")
	fmt.Fprintln(w, "data, a backup or a template (Dockerfile.md, Dockerfile.py, Dockerfile.yaml, Dockerfile.orig, Dockerfile.template,")
	fmt.Fprintln(w, "Dockerfile.j2, ...), and what --exclude or the exclude key of the configuration file matches.")
	fmt.Fprintln(w, "Settings come from .dockmine.yaml (or .hadolint.yaml) found from each Dockerfile's directory upwards, then DOCKMINE_* variables, then flags.")
	fmt.Fprintln(w, "Exit status: 0 when no finding reaches the failure threshold, 1 when one does, 2 for bad usage, unreadable input or a broken configuration.")
	fmt.Fprintln(w)
	fset.PrintDefaults()
}

func newLintLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level)) // validated with the other flags
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func explainRule(stdout, stderr io.Writer, packs []*rules.Pack, code string) int {
	for _, pk := range packs {
		if r := pk.Rule(code); r != nil {
			if err := format.Explain(stdout, r); err != nil {
				fmt.Fprintf(stderr, "dockmine lint: writing output: %v\n", err)
				return exitUsage
			}
			return exitOK
		}
	}
	fmt.Fprintf(stderr, "dockmine lint: unknown rule %q: see dockmine lint --list-rules\n", code)
	return exitUsage
}

func listRules(stdout, stderr io.Writer, packs []*rules.Pack, name string) int {
	var all []*rules.Rule
	for _, pk := range packs {
		for _, r := range pk.Rules {
			if r.Status != rules.StatusRetired {
				all = append(all, r)
			}
		}
	}
	if err := format.ListRules(stdout, all, name == "json"); err != nil {
		fmt.Fprintf(stderr, "dockmine lint: writing output: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// lintFiles runs the linter over the paths, writes the report and fixes,
// and returns the exit code.
func lintFiles(ctx context.Context, linter *lint.Linter, f *lintFlags, paths []string, stdin io.Reader, stdout, stderr io.Writer, log *slog.Logger) int {
	inputs, err := lintInputs(paths, stdin, f.stdinName, linter)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine lint: %v\n", err)
		return exitUsage
	}

	runSettings, err := linter.Settings(".")
	if err != nil {
		fmt.Fprintf(stderr, "dockmine lint: %v\n", err)
		return exitUsage
	}
	formatter, err := newFormatter(runSettings, f, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine lint: %v\n", err)
		return exitUsage
	}

	log.Info("lint started", "files", len(inputs), "config", runSettings.Path)
	results, err := linter.Lint(ctx, inputs)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine lint: %v\n", err)
		return exitUsage
	}

	for _, pol := range linter.Policies() {
		if len(pol.TrustedRegistries) > 0 && !pol.ChecksTrustedRegistries() {
			log.Warn("trusted-registries has no effect: no rule of the packs checks base image registries", "config", pol.Config)
		}
	}

	code := exitOK
	for i := range results {
		if c := handleResult(&results[i], f, stdout, log); c > code {
			code = c
		}
	}
	if err := writeReport(formatter, results, f, stdout); err != nil {
		fmt.Fprintf(stderr, "dockmine lint: %v\n", err)
		return exitUsage
	}
	logSummary(log, results)
	return code
}

// lintInputs expands the paths into inputs, reading standard input for -.
// Directory walks leave out what the linter's exclude settings match.
func lintInputs(paths []string, stdin io.Reader, stdinName string, linter *lint.Linter) ([]lint.Input, error) {
	files, err := lint.FindDockerfiles(paths, lint.FindOptions{Excluded: linter.Excluded})
	if err != nil {
		return nil, err
	}
	inputs := make([]lint.Input, 0, len(files))
	for _, name := range files {
		if name != "-" {
			inputs = append(inputs, lint.Input{Name: name})
			continue
		}
		src, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
		inputs = append(inputs, lint.Input{Name: stdinName, Source: src})
	}
	return inputs, nil
}

// newFormatter picks the report format from the run's settings, coloring
// tty output only on a terminal and when NO_COLOR is unset
// (https://no-color.org).
func newFormatter(s config.Settings, f *lintFlags, stdout io.Writer) (format.Formatter, error) {
	name := "tty"
	if s.Format != nil {
		name = s.Format.Text
	}
	noColor := f.noColor || s.NoColor != nil && *s.NoColor
	color := useColor(name, f.output != "", isTerminal(stdout), os.Getenv("NO_COLOR"), noColor)
	formatter, err := format.New(name, format.Options{Color: color})
	if err != nil && s.Format != nil {
		return nil, s.Format.Errorf("%v", err)
	}
	return formatter, err
}

// useColor decides whether the tty report is colored: only when it goes
// to a terminal, and never when the NO_COLOR variable is set to a value or
// --no-color (or hadolint's no-color key) turns color off.
func useColor(format string, toFile, terminal bool, noColorEnv string, noColor bool) bool {
	return format == "tty" && !toFile && terminal && noColorEnv == "" && !noColor
}

func isTerminal(w io.Writer) bool {
	file, ok := w.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// handleResult writes or prints one file's fixes, logs its problems, and
// returns the exit code it calls for.
func handleResult(res *lint.Result, f *lintFlags, stdout io.Writer, log *slog.Logger) int {
	if res.Err != nil {
		log.Error("lint failed", "file", res.File, "err", res.Err)
		return exitUsage
	}
	if res.FixErr != nil {
		log.Warn("fix skipped", "file", res.File, "err", res.FixErr)
	}
	log.Debug("linted", "file", res.File, "findings", len(res.Diagnostics), "fixes", res.Fixes)

	if res.Fixed() {
		switch {
		case f.diff:
			if _, err := io.WriteString(stdout, lint.UnifiedDiff(filepath.ToSlash(res.File), res.Original, res.Source)); err != nil {
				log.Error("writing diff", "file", res.File, "err", err)
				return exitUsage
			}
		case f.fix:
			if err := lint.WriteFileAtomic(res.File, res.Source); err != nil {
				log.Error("writing fixes", "file", res.File, "err", err)
				return exitUsage
			}
			log.Info("fixed", "file", res.File, "fixes", res.Fixes)
		}
	}
	if res.Failed() {
		return exitFindings
	}
	return exitOK
}

// writeReport writes the report to --output, or to stdout unless --diff
// has it.
func writeReport(formatter format.Formatter, results []lint.Result, f *lintFlags, stdout io.Writer) error {
	if f.diff && f.output == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := formatter.Format(&buf, &format.Report{Results: results, Version: moduleVersion()}); err != nil {
		return fmt.Errorf("formatting the report: %w", err)
	}
	if f.output != "" {
		if err := os.WriteFile(f.output, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("writing the report: %w", err)
		}
		return nil
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

func logSummary(log *slog.Logger, results []lint.Result) {
	var findings, failed, unreadable, fixed int
	for _, res := range results {
		findings += len(res.Diagnostics)
		if res.Failed() {
			failed++
		}
		if res.Err != nil {
			unreadable++
		}
		if res.Fixed() {
			fixed++
		}
	}
	log.Info("lint finished", "files", len(results), "findings", findings, "failed_files", failed, "unreadable", unreadable, "fixed_files", fixed)
}
