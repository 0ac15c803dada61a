package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/term"

	"github.com/dockmine/dockmine/mining"
	"github.com/dockmine/dockmine/rules"
	"github.com/dockmine/dockmine/rules/review"
	"github.com/dockmine/dockmine/rules/review/tui"
)

func init() {
	subcommands["review"] = subcommand{
		summary: "triage mined candidates in a terminal UI, or with list, show, approve, reject, defer, undo and agreement",
		run:     runReview,
	}
}

// reviewVerbs are the subcommands of dockmine review that need no terminal.
var reviewVerbs = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) int{
	"list": runReviewList,
	"show": runReviewShow,
	"approve": func(_ context.Context, args []string, stdout, stderr io.Writer) int {
		return runReviewDecide(review.Approve, args, stdout, stderr)
	},
	"reject": func(_ context.Context, args []string, stdout, stderr io.Writer) int {
		return runReviewDecide(review.Reject, args, stdout, stderr)
	},
	"defer": func(_ context.Context, args []string, stdout, stderr io.Writer) int {
		return runReviewDecide(review.Defer, args, stdout, stderr)
	},
	"undo":      runReviewUndo,
	"agreement": runReviewAgreement,
}

func runReview(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if verb, ok := reviewVerbs[args[0]]; ok {
			return verb(ctx, args[1:], stdout, stderr)
		}
		if !strings.HasPrefix(args[0], "-") {
			fmt.Fprintf(stderr, "dockmine review: unknown subcommand %q\n", args[0])
			printReviewUsage(stderr)
			return exitUsage
		}
	}
	return runReviewUI(ctx, args, stdin, stdout, stderr)
}

func printReviewUsage(w io.Writer) {
	fmt.Fprint(w, `usage: dockmine review --candidates DIR [flags]          open the terminal UI
       dockmine review list --candidates DIR [flags]     list candidates, best first
       dockmine review show --candidates DIR [flags] ID  print one candidate with its evidence
       dockmine review approve|reject|defer --candidates DIR [flags] ID
       dockmine review undo --candidates DIR [flags]     remove your last decision
       dockmine review agreement [flags]                 Cohen's kappa between reviewers
ID is a candidate id or a unique prefix of one. Decisions go to
DECISIONS/<reviewer>.yaml; approvals write PACK/<CODE>-<name>.yaml.
Run 'dockmine review VERB -h' for the flags of one verb.
`)
}

// reviewFlags are the flags that the verbs working on a session share.
type reviewFlags struct {
	candidates string
	decisions  string
	pack       string
	reviewer   string
	corpus     []string
	context    int
	set        map[string]bool
}

// register adds the session flags, and the example context flags when
// withSources is true.
func (f *reviewFlags) register(fset *flag.FlagSet, withSources bool) {
	fset.StringVar(&f.candidates, "candidates", "", "the `DIR` that dockmine mine wrote, or its candidates.jsonl (required)")
	fset.StringVar(&f.decisions, "decisions", review.DefaultDecisions, "`DIR` of the decisions files, one per reviewer")
	fset.StringVar(&f.pack, "pack", review.DefaultPack, "rule pack `DIR` that approvals write rule files to")
	fset.StringVar(&f.reviewer, "reviewer", "", "your reviewer `NAME` (default $DOCKMINE_REVIEWER, then the OS user name)")
	if withSources {
		fset.Func("corpus", "corpus `DIR` to read example files from, to show the lines around them; repeatable (default: the expert inputs in the run's summary.json that exist from here)", func(s string) error {
			f.corpus = append(f.corpus, s)
			return nil
		})
		fset.IntVar(&f.context, "context", 2, "with --corpus: `LINES` shown before and after each example")
	}
}

// options checks the flags and returns the session options.
func (f *reviewFlags) options(fset *flag.FlagSet) (review.Options, error) {
	f.set = map[string]bool{}
	fset.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	switch {
	case f.candidates == "":
		return review.Options{}, errors.New("missing --candidates DIR: give the output directory of dockmine mine")
	case f.context < 0:
		return review.Options{}, fmt.Errorf("invalid --context %d: must not be negative", f.context)
	}
	reviewer, err := reviewerName(f.reviewer)
	if err != nil {
		return review.Options{}, err
	}
	opts := review.Options{Candidates: f.candidates, Decisions: f.decisions, Pack: f.pack, Reviewer: reviewer}
	return opts, opts.Validate()
}

// sources returns the corpus roots that examples are read from: --corpus,
// else the expert inputs that the mining run's summary.json names and that
// are directories from here. It returns nil when there are none.
func (f *reviewFlags) sources() *review.Sources {
	roots := f.corpus
	if len(roots) == 0 {
		roots = minedInputs(f.candidates)
	}
	if len(roots) == 0 {
		return nil
	}
	return &review.Sources{Roots: roots, Context: f.context}
}

// minedInputs returns the expert corpus directories of a mining run. The
// summary gives them as the miner was called, so relative paths resolve
// only from the directory where dockmine mine ran.
func minedInputs(candidates string) []string {
	dir := candidates
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		dir = filepath.Dir(dir)
	}
	data, err := os.ReadFile(filepath.Join(dir, mining.SummaryFile))
	if err != nil {
		return nil
	}
	var sum mining.Summary
	if err := json.Unmarshal(data, &sum); err != nil {
		return nil
	}
	var out []string
	for _, in := range sum.Inputs {
		if info, err := os.Stat(in); err == nil && info.IsDir() {
			out = append(out, in)
		}
	}
	return out
}

// reviewerName returns the flag value, else $DOCKMINE_REVIEWER, else the
// name of the OS user.
func reviewerName(flagValue string) (string, error) {
	name := flagValue
	if name == "" {
		name = os.Getenv("DOCKMINE_REVIEWER")
	}
	if name == "" {
		u, err := user.Current()
		if err != nil {
			return "", fmt.Errorf("no reviewer name: give --reviewer NAME or set DOCKMINE_REVIEWER (%w)", err)
		}
		name = u.Username
	}
	if err := review.CheckReviewer(name); err != nil {
		return "", fmt.Errorf("%w; give --reviewer NAME or set DOCKMINE_REVIEWER", err)
	}
	return name, nil
}

// parseReviewArgs parses flags that may come before and after the
// positional arguments, and returns the positional ones.
func parseReviewArgs(fset *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fset.Parse(args); err != nil {
			return nil, err
		}
		if fset.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fset.Arg(0))
		args = fset.Args()[1:]
	}
}

// newReviewFlagSet returns a flag set whose usage prints the synopsis of
// one verb.
func newReviewFlagSet(verb, synopsis string, stderr io.Writer) *flag.FlagSet {
	name := strings.TrimSpace("dockmine review " + verb)
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s %s\n", name, synopsis)
		fset.PrintDefaults()
	}
	return fset
}

// openReview parses a verb's arguments, opens the session and returns the
// positional arguments. On failure it prints the error and returns a nil
// session.
func openReview(fset *flag.FlagSet, f *reviewFlags, args []string, wantArgs int, stderr io.Writer) (*review.Session, []string) {
	pos, err := parseReviewArgs(fset, args)
	if err != nil {
		return nil, nil
	}
	if len(pos) != wantArgs {
		fmt.Fprintf(stderr, "%s: expected %d argument(s), got %d\n", fset.Name(), wantArgs, len(pos))
		fset.Usage()
		return nil, nil
	}
	opts, err := f.options(fset)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fset.Name(), err)
		return nil, nil
	}
	s, err := review.Open(opts)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fset.Name(), err)
		return nil, nil
	}
	return s, pos
}

func runReviewUI(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := newReviewFlagSet("", "--candidates DIR [flags]", stderr)
	var f reviewFlags
	f.register(fset, true)
	s, _ := openReview(fset, &f, args, 0, stderr)
	if s == nil {
		return exitUsage
	}
	in, inOK := stdin.(*os.File)
	out, outOK := stdout.(*os.File)
	if !inOK || !outOK || !term.IsTerminal(int(in.Fd())) || !term.IsTerminal(int(out.Fd())) {
		fmt.Fprintln(stderr, "dockmine review: the review UI needs a terminal; use dockmine review list, show, approve, reject or defer instead")
		return exitUsage
	}

	p := tea.NewProgram(tui.New(s, f.sources()), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	_, err := p.Run()
	printReviewSummary(stdout, s)
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(stderr, "dockmine review: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// printReviewSummary counts the reviewer's decisions on the session's
// candidates.
func printReviewSummary(w io.Writer, s *review.Session) {
	counts := map[string]int{}
	for _, c := range s.Candidates() {
		counts[s.State(c.ID)]++
	}
	fmt.Fprintf(w, "%s: %d approved, %d rejected, %d deferred, %d undecided of %d candidates\n",
		s.Reviewer(), counts["approved"], counts["rejected"], counts["deferred"], counts["undecided"], len(s.Candidates()))
}

func runReviewList(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fset := newReviewFlagSet("list", "--candidates DIR [flags]", stderr)
	var f reviewFlags
	f.register(fset, false)
	var filter review.Filter
	fset.StringVar(&filter.Kind, "kind", "", "only candidates of this `KIND`, as flag or follows (default all)")
	fset.StringVar(&filter.State, "state", "", "only candidates in this `STATE`: undecided, approved, rejected or deferred (default all)")
	fset.StringVar(&filter.Text, "text", "", "only candidates whose id, statement, antecedent or consequent contains `TEXT`, ignoring case")
	limit := fset.Int("limit", 0, "print at most `N` candidates; 0 for all")
	format := fset.String("format", "text", "output `FORMAT`: text (one line per candidate) or json (one object per line)")
	s, _ := openReview(fset, &f, args, 0, stderr)
	if s == nil {
		return exitUsage
	}
	switch {
	case *format != "text" && *format != "json":
		fmt.Fprintf(stderr, "dockmine review list: invalid --format %q: use text or json\n", *format)
		return exitUsage
	case *limit < 0:
		fmt.Fprintf(stderr, "dockmine review list: invalid --limit %d: must not be negative\n", *limit)
		return exitUsage
	}
	if err := filter.Validate(); err != nil {
		fmt.Fprintf(stderr, "dockmine review list: %v\n", err)
		return exitUsage
	}

	selected := s.Filter(filter)
	if *limit > 0 && len(selected) > *limit {
		selected = selected[:*limit]
	}
	if err := review.WriteList(stdout, s, selected, *format == "json"); err != nil {
		fmt.Fprintf(stderr, "dockmine review list: writing output: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func runReviewShow(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fset := newReviewFlagSet("show", "--candidates DIR [flags] ID", stderr)
	var f reviewFlags
	f.register(fset, true)
	format := fset.String("format", "text", "output `FORMAT`: text, or json (the candidate record with the decisions)")
	s, pos := openReview(fset, &f, args, 1, stderr)
	if s == nil {
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "dockmine review show: invalid --format %q: use text or json\n", *format)
		return exitUsage
	}
	c, err := s.Find(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "dockmine review show: %v\n", err)
		return exitUsage
	}

	if *format == "json" {
		out := struct {
			*rules.Candidate
			Decision *review.Decision   `json:"decision"`
			Others   []*review.Decision `json:"other_decisions"`
		}{c, s.Decision(c.ID), s.Others(c.ID)}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(out)
	} else {
		err = s.WriteDetail(stdout, c, f.sources())
	}
	if err != nil {
		fmt.Fprintf(stderr, "dockmine review show: writing output: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func runReviewDecide(v review.Verdict, args []string, stdout, stderr io.Writer) int {
	verb := string(v)
	fset := newReviewFlagSet(verb, "--candidates DIR [flags] ID", stderr)
	var f reviewFlags
	f.register(fset, false)
	var edits review.Edits
	var badFiles, goodFiles []string
	reason := fset.String("reason", "", "the reason for the decision, as `TEXT`, recorded with it")
	if v != review.Reject {
		fset.Func("bad", "read an example Dockerfile that the rule must flag from `FILE`; repeatable; replaces the generated bad examples", func(s string) error {
			badFiles = append(badFiles, s)
			return nil
		})
		fset.Func("good", "read an example Dockerfile that the rule must pass from `FILE`; repeatable; replaces the generated good examples", func(s string) error {
			goodFiles = append(goodFiles, s)
			return nil
		})
		fset.StringVar(&edits.Code, "code", "", "the rule `CODE`, DM and four digits (default: the candidate's earlier code, else the next free one of its family)")
		fset.StringVar(&edits.Name, "name", "", "the rule `NAME`, kebab-case (default derived from the candidate)")
		fset.StringVar(&edits.Severity, "severity", "", "the rule `SEVERITY`: error, warning, info or style (default from the rules package)")
		fset.StringVar(&edits.Title, "title", "", "the rule `TITLE`: one line, lower case, no final period")
		fset.StringVar(&edits.Message, "message", "", "the finding `MESSAGE`; {value} and {command} are replaced")
		fset.StringVar(&edits.Rationale, "rationale", "", "the rule's `RATIONALE`: why the practice matters and when it does not apply (default restates the candidate and its counts)")
	}
	s, pos := openReview(fset, &f, args, 1, stderr)
	if s == nil {
		return exitUsage
	}
	var err error
	if edits.Bad, err = readExampleFiles(badFiles); err == nil {
		edits.Good, err = readExampleFiles(goodFiles)
	}
	if err == nil {
		err = review.CheckEdits(edits)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dockmine review %s: %v\n", verb, err)
		return exitUsage
	}

	d, err := s.Decide(pos[0], v, edits, *reason)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine review %s: %v\n", verb, err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "%s %s", d.Verdict.State(), d.Candidate)
	if d.Verdict == review.Approve {
		fmt.Fprintf(stdout, " as %s: %s", d.Code, filepath.Join(f.pack, d.Code+"-"+d.Name+".yaml"))
	}
	fmt.Fprintln(stdout)
	return exitOK
}

// readExampleFiles returns the content of each file.
func readExampleFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read example: %w", err)
		}
		out = append(out, string(data))
	}
	return out, nil
}

func runReviewUndo(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fset := newReviewFlagSet("undo", "--candidates DIR [flags]", stderr)
	var f reviewFlags
	f.register(fset, false)
	s, _ := openReview(fset, &f, args, 0, stderr)
	if s == nil {
		return exitUsage
	}
	d, err := s.Undo()
	if d != nil {
		fmt.Fprintf(stdout, "undid %s of %s\n", d.Verdict, d.Candidate)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dockmine review undo: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func runReviewAgreement(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fset := newReviewFlagSet("agreement", "[flags]", stderr)
	decisions := fset.String("decisions", review.DefaultDecisions, "`DIR` of the decisions files, one per reviewer")
	var names []string
	fset.Func("reviewers", "compare only these reviewers, as `A,B`; default every pair of decisions files", func(s string) error {
		for _, n := range strings.Split(s, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
		return nil
	})
	format := fset.String("format", "text", "output `FORMAT`: text or json")
	pos, err := parseReviewArgs(fset, args)
	if err != nil {
		return exitUsage
	}
	switch {
	case len(pos) > 0:
		fmt.Fprintf(stderr, "dockmine review agreement: unexpected argument %q\n", pos[0])
		return exitUsage
	case *format != "text" && *format != "json":
		fmt.Fprintf(stderr, "dockmine review agreement: invalid --format %q: use text or json\n", *format)
		return exitUsage
	}

	logs, err := review.ReadLogs(*decisions, names)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine review agreement: %v\n", err)
		return exitUsage
	}
	results := review.CompareAll(logs)
	if *format == "json" {
		err = review.WriteAgreementsJSON(stdout, results)
	} else {
		err = review.WriteAgreements(stdout, results)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dockmine review agreement: writing output: %v\n", err)
		return exitUsage
	}
	return exitOK
}
