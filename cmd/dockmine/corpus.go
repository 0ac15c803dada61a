package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dockmine/dockmine/corpus"
	"github.com/dockmine/dockmine/corpus/store"
)

func init() {
	subcommands["corpus"] = subcommand{
		summary: "show, list, export and merge crawled stores",
		run:     runCorpus,
	}
}

// corpusVerbs are the sub-verbs of the corpus command.
var corpusVerbs = map[string]struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}{
	"stats":  {"count the repositories, files and blobs of a store", runCorpusStats},
	"ls":     {"list the repositories, files or versions of a store", runCorpusLs},
	"export": {"write the files of a store to a directory or JSON Lines", runCorpusExport},
	"merge":  {"copy the repositories of other stores into a store", runCorpusMerge},
}

func runCorpus(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printCorpusUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		printCorpusUsage(stdout)
		return exitOK
	}
	verb, ok := corpusVerbs[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "dockmine corpus: unknown verb %q\n", args[0])
		printCorpusUsage(stderr)
		return exitUsage
	}
	return verb.run(args[1:], stdout, stderr)
}

func printCorpusUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: dockmine corpus VERB --store DIR [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "verbs:")
	for _, name := range slices.Sorted(maps.Keys(corpusVerbs)) {
		fmt.Fprintf(w, "  %-8s %s\n", name, corpusVerbs[name].summary)
	}
}

// corpusFlagSet returns a flag set with the --store and log flags that every
// corpus verb has.
func corpusFlagSet(verb, usage string, stderr io.Writer, dir *string, lf *crawlLogFlags) *flag.FlagSet {
	fset := flag.NewFlagSet("dockmine corpus "+verb, flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.StringVar(dir, "store", "", "store `DIR` (required)")
	lf.register(fset)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: dockmine corpus "+verb+" "+usage)
		fset.PrintDefaults()
	}
	return fset
}

// openExistingStore opens the store in dir read-only. The read-only verbs
// reject a missing directory and one that is not a store, and write
// nothing into either.
func openExistingStore(dir string, log *slog.Logger) (*store.Badger, error) {
	if dir == "" {
		return nil, errors.New("missing --store DIR")
	}
	return store.OpenReadOnly(dir, store.WithLogger(log))
}

func runCorpusStats(args []string, stdout, stderr io.Writer) int {
	var dir string
	var lf crawlLogFlags
	fset := corpusFlagSet("stats", "[--json] --store DIR", stderr, &dir, &lf)
	asJSON := fset.Bool("json", false, "print one JSON object instead of text")
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	if err := lf.validate(); err != nil || fset.NArg() > 0 {
		fmt.Fprintf(stderr, "dockmine corpus stats: %v\n", cmpErr(err, "unexpected arguments"))
		return exitUsage
	}

	st, err := openExistingStore(dir, lf.logger(stderr))
	if err != nil {
		fmt.Fprintf(stderr, "dockmine corpus stats: %v\n", err)
		return exitUsage
	}
	defer st.Close()

	sum, err := store.Summarize(st)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine corpus stats: %v\n", err)
		return exitUsage
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(sum); err != nil {
			fmt.Fprintf(stderr, "dockmine corpus stats: %v\n", err)
			return exitUsage
		}
		return exitOK
	}

	fmt.Fprintf(stdout, "repos      %d\n", sum.Repos)
	fmt.Fprintf(stdout, "failed     %d\n", sum.Failed)
	fmt.Fprintf(stdout, "pending    %d\n", sum.Pending)
	fmt.Fprintf(stdout, "files      %d\n", sum.Files)
	fmt.Fprintf(stdout, "bytes      %d\n", sum.Bytes)
	fmt.Fprintf(stdout, "blobs      %d\n", sum.Blobs)
	fmt.Fprintf(stdout, "blob_bytes %d\n", sum.BlobBytes)
	fmt.Fprintf(stdout, "versions   %d\n", sum.Versions)
	for _, reason := range slices.Sorted(maps.Keys(sum.Skipped)) {
		fmt.Fprintf(stdout, "skipped    %s %d\n", reason, sum.Skipped[reason])
	}
	return exitOK
}

func runCorpusLs(args []string, stdout, stderr io.Writer) int {
	var dir string
	var lf crawlLogFlags
	fset := corpusFlagSet("ls", "[--files | --history | --state STATE] [--json] --store DIR", stderr, &dir, &lf)
	files := fset.Bool("files", false, "list the files of finished repositories, as MANIFEST.tsv rows, instead of repositories")
	history := fset.Bool("history", false, "list the stored versions of the Dockerfiles of finished repositories (from crawl --history) instead of repositories: repo, path, seq, commit, committer date in UTC, and sha256 or \"removed\"")
	state := fset.String("state", "", "list only repositories in `state` done, failed or pending (default all)")
	asJSON := fset.Bool("json", false, "print one JSON object per line instead of tab-separated text")
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	var err error
	switch {
	case fset.NArg() > 0:
		err = errors.New("unexpected arguments")
	case *state != "" && *state != string(store.StateDone) && *state != string(store.StateFailed) && *state != string(store.StatePending):
		err = fmt.Errorf("invalid --state %q: use done, failed or pending", *state)
	case *files && *history:
		err = errors.New("--files and --history cannot be used together")
	case (*files || *history) && *state != "":
		err = errors.New("--files and --history list finished repositories only and take no --state")
	default:
		err = lf.validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "dockmine corpus ls: %v\n", err)
		return exitUsage
	}

	st, err := openExistingStore(dir, lf.logger(stderr))
	if err != nil {
		fmt.Fprintf(stderr, "dockmine corpus ls: %v\n", err)
		return exitUsage
	}
	defer st.Close()

	switch {
	case *files:
		err = listFiles(st, stdout, *asJSON)
	case *history:
		err = listVersions(st, stdout, *asJSON)
	default:
		err = listRepos(st, stdout, store.State(*state), *asJSON)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dockmine corpus ls: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func listRepos(st store.Reader, w io.Writer, state store.State, asJSON bool) error {
	enc := json.NewEncoder(w)
	if !asJSON {
		fmt.Fprintln(w, "repo\tstate\tcommit\tfiles\tversions\terror")
	}
	return st.ForEachRepo(func(r store.Repo) error {
		if state != "" && r.State != state {
			return nil
		}
		if asJSON {
			return enc.Encode(r)
		}
		msg := strings.Join(strings.Fields(r.Error), " ")
		_, err := fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\n", r.Name, r.State, r.Commit, r.Files, r.Versions, msg)
		return err
	})
}

func listFiles(st store.Reader, w io.Writer, asJSON bool) error {
	enc := json.NewEncoder(w)
	if !asJSON {
		fmt.Fprintln(w, corpus.ManifestHeader)
	}
	return st.ForEachRepo(func(r store.Repo) error {
		if r.State != store.StateDone {
			return nil
		}
		return st.ForEachFile(r.Name, func(f store.File) error {
			if asJSON {
				return enc.Encode(f)
			}
			_, err := fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\n", f.Repo, f.Commit, f.Path, f.Size, f.Blob)
			return err
		})
	})
}

// listVersions writes one row per stored version, in the order and with
// the field names of export --history, without the content. The date
// column is the committer date in UTC, and the sha256 column is "removed"
// for a version that deleted the file.
func listVersions(st store.Reader, w io.Writer, asJSON bool) error {
	enc := json.NewEncoder(w)
	if !asJSON {
		fmt.Fprintln(w, "repo\tpath\tseq\tcommit\tdate\tsha256")
	}
	return st.ForEachRepo(func(r store.Repo) error {
		if r.State != store.StateDone {
			return nil
		}
		return st.ForEachVersion(r.Name, func(v store.Version) error {
			if asJSON {
				return enc.Encode(corpus.NewHistoryRecord(v))
			}
			sum := "removed"
			if !v.Blob.IsZero() {
				sum = v.Blob.String()
			}
			date := v.Time.UTC().Format(time.RFC3339)
			_, err := fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\n", v.Repo, v.Path, v.Seq, v.Commit, date, sum)
			return err
		})
	})
}

func runCorpusExport(args []string, stdout, stderr io.Writer) int {
	var dir string
	var lf crawlLogFlags
	fset := corpusFlagSet("export", "--format dir|jsonl --store DIR OUT", stderr, &dir, &lf)
	format := fset.String("format", "dir", "output format: dir (files under OUT/<owner>__<name>/ and OUT/MANIFEST.tsv) or jsonl (one file per line; OUT - is standard output)")
	history := fset.Bool("history", false, "with --format jsonl: export every stored version of every Dockerfile (from crawl --history) instead of the files at HEAD")
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	var err error
	switch {
	case *format != "dir" && *format != "jsonl":
		err = fmt.Errorf("invalid --format %q: use dir or jsonl", *format)
	case *history && *format != "jsonl":
		err = errors.New("--history needs --format jsonl")
	case fset.NArg() != 1:
		err = errors.New("want exactly one OUT argument")
	case *format == "dir" && fset.Arg(0) == "-":
		err = errors.New("--format dir needs a directory, not -")
	default:
		err = lf.validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "dockmine corpus export: %v\n", err)
		return exitUsage
	}
	out := fset.Arg(0)

	st, err := openExistingStore(dir, lf.logger(stderr))
	if err != nil {
		fmt.Fprintf(stderr, "dockmine corpus export: %v\n", err)
		return exitUsage
	}
	defer st.Close()

	export := corpus.ExportJSONL
	what := "files"
	if *history {
		export = corpus.ExportHistoryJSONL
		what = "versions"
	}
	res, err := exportStore(st, *format, out, stdout, export)
	report := stdout
	if out == "-" {
		report = stderr
	}
	for _, rejected := range res.Rejected {
		fmt.Fprintf(stderr, "dockmine corpus export: %v\n", rejected)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dockmine corpus export: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(report, "exported %d %s (%d bytes) of %d repositories to %s\n", res.Files, what, res.Bytes, res.Repos, out)
	if len(res.Rejected) > 0 {
		fmt.Fprintf(report, "rejected %d files whose paths would leave %s\n", len(res.Rejected), out)
		return exitFindings
	}
	return exitOK
}

// exportStore writes a store as a directory, or as JSON Lines with export.
func exportStore(st store.Reader, format, out string, stdout io.Writer, export func(store.Reader, io.Writer) (corpus.ExportResult, error)) (corpus.ExportResult, error) {
	if format == "dir" {
		return corpus.ExportDir(st, out)
	}
	if out == "-" {
		return export(st, stdout)
	}

	f, err := os.Create(out)
	if err != nil {
		return corpus.ExportResult{}, err
	}
	res, err := export(st, f)
	if closeErr := f.Close(); err == nil && closeErr != nil {
		err = closeErr
	}
	return res, err
}

func runCorpusMerge(args []string, stdout, stderr io.Writer) int {
	var dir string
	var lf crawlLogFlags
	fset := corpusFlagSet("merge", "--store DIR SRC...", stderr, &dir, &lf)
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	err := lf.validate()
	switch {
	case dir == "":
		err = errors.New("missing --store DIR")
	case fset.NArg() == 0:
		err = errors.New("missing SRC stores to merge")
	}
	for _, src := range fset.Args() {
		if err == nil && samePath(src, dir) {
			err = fmt.Errorf("cannot merge store %s into itself", src)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "dockmine corpus merge: %v\n", err)
		return exitUsage
	}
	log := lf.logger(stderr)

	dst, err := store.Open(dir, store.WithLogger(log))
	if err != nil {
		fmt.Fprintf(stderr, "dockmine corpus merge: %v\n", err)
		return exitUsage
	}
	code := exitOK
	for _, path := range fset.Args() {
		c := mergeOne(dst, path, stdout, log)
		code = max(code, c)
	}
	if err := dst.Close(); err != nil {
		fmt.Fprintf(stderr, "dockmine corpus merge: %v\n", err)
		return exitUsage
	}
	return code
}

// mergeOne merges the store at path into dst and returns the exit code for
// it.
func mergeOne(dst store.Storer, path string, stdout io.Writer, log *slog.Logger) int {
	src, err := openExistingStore(path, log)
	if err != nil {
		log.Error("merge failed", "src", path, "error", err)
		return exitUsage
	}
	defer src.Close()

	res, err := store.Merge(dst, src)
	if err != nil {
		log.Error("merge failed", "src", path, "error", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "merged %s: %d repositories copied, %d failures copied, %d unchanged, %d conflicts\n",
		path, res.Copied, res.Failed, res.Unchanged, res.Conflicts)
	if res.Conflicts > 0 {
		log.Warn("stores disagree on the commit of finished repositories; the destination's were kept", "src", path, "conflicts", res.Conflicts)
		return exitFindings
	}
	return exitOK
}

func samePath(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

func cmpErr(err error, fallback string) error {
	if err != nil {
		return err
	}
	return errors.New(fallback)
}

// crawlLogFlags are the logging flags of the crawl and corpus commands.
type crawlLogFlags struct {
	format string
	level  string
}

func (lf *crawlLogFlags) register(fset *flag.FlagSet) {
	fset.StringVar(&lf.format, "log-format", "text", "log record format on stderr: text or json")
	fset.StringVar(&lf.level, "log-level", "info", "lowest log level shown: debug, info, warn or error")
}

func (lf *crawlLogFlags) validate() error {
	if lf.format != "text" && lf.format != "json" {
		return fmt.Errorf("invalid --log-format %q: use text or json", lf.format)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(lf.level)); err != nil {
		return fmt.Errorf("invalid --log-level %q: use debug, info, warn or error", lf.level)
	}
	return nil
}

// logger returns a logger that writes to w in the format and from the level
// that the flags set. It expects validated flags.
func (lf *crawlLogFlags) logger(w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(lf.level))
	opts := &slog.HandlerOptions{Level: level}
	if lf.format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
