package corpus

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockmine/dockmine/corpus/store"
)

// Environment of a crawl run in a child process of the test binary.
const (
	envCrashChild = "DOCKMINE_TEST_CRAWL_CHILD" // "1" in the child
	envCrashStore = "DOCKMINE_TEST_CRAWL_STORE" // store directory
	envCrashList  = "DOCKMINE_TEST_CRAWL_LIST"  // repository list file
)

// TestMain runs a crawl instead of the tests when the test binary is started
// as a crawl child by TestCrawlResumesAfterSIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv(envCrashChild) == "1" {
		os.Exit(runCrawlChild())
	}
	os.Exit(m.Run())
}

func runCrawlChild() int {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	sources, err := ReadSourceFile(os.Getenv(envCrashList))
	if err != nil {
		log.Error("read list", "error", err)
		return 2
	}
	st, err := store.Open(os.Getenv(envCrashStore))
	if err != nil {
		log.Error("open store", "error", err)
		return 2
	}
	_, err = Crawl(context.Background(), sources, crashOptions(st, log))
	if closeErr := st.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		log.Error("crawl", "error", err)
		return 1
	}
	return 0
}

func crashOptions(st store.Storer, log *slog.Logger) Options {
	return Options{Store: st, Jobs: 2, History: true, Log: log}
}

// makeCrashRepos writes n repositories with a history of Dockerfile
// changes and returns a repository list file naming them and the
// replayed histories, when present.
func makeCrashRepos(t *testing.T, n int) string {
	t.Helper()
	tmp := t.TempDir()
	var lines []string
	for i := range n {
		dir := filepath.Join(tmp, fmt.Sprintf("crash__repo%02d.git", i))
		r := newTestRepo(t, dir)
		for c := range 30 {
			var entries []entry
			for f := range 8 {
				// Each commit changes a few files; some content repeats
				// across repositories so blobs are shared.
				entries = append(entries, entry{
					path: fmt.Sprintf("svc%d/Dockerfile", f),
					data: fmt.Sprintf("FROM alpine:3.%d\nRUN echo %d\n", (c+f)/3, (i*c+f)%5),
				})
			}
			r.commit(fmt.Sprint(c), entries...)
		}
		lines = append(lines, dir)
	}
	if dir := filepath.Join("..", "..", "shared", "corpus", "history"); dirExists(dir) {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.git"))
		for _, m := range matches {
			abs, _ := filepath.Abs(m)
			lines = append(lines, abs)
		}
	}
	list := filepath.Join(tmp, "repos.txt")
	if err := os.WriteFile(list, []byte("# crash test\n"+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return list
}

func dirExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

// startCrawlChild starts the test binary as a crawl child and returns it
// with a scanner over its log records.
func startCrawlChild(t *testing.T, storeDir, list string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envCrashChild+"=1", envCrashStore+"="+storeDir, envCrashList+"="+list)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(stderr)
}

// crawlAndKill starts a crawl child and kills it with SIGKILL after it has
// logged `after` finished repositories, or after delay when after is 0.
func crawlAndKill(t *testing.T, storeDir, list string, after int, delay time.Duration) {
	t.Helper()
	cmd, logs := startCrawlChild(t, storeDir, list)
	if after == 0 {
		time.Sleep(delay)
	} else {
		for done := 0; done < after && logs.Scan(); {
			if strings.Contains(logs.Text(), `"msg":"repository crawled"`) {
				done++
			}
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	go func() {
		for logs.Scan() {
		}
	}()
	cmd.Wait()
}

func TestCrawlResumesAfterSIGKILL(t *testing.T) {
	list := makeCrashRepos(t, 14)
	sources, err := ReadSourceFile(list)
	if err != nil {
		t.Fatal(err)
	}

	// The reference is one uninterrupted crawl.
	refDir := filepath.Join(t.TempDir(), "ref")
	ref, err := store.Open(refDir)
	if err != nil {
		t.Fatal(err)
	}
	crawlSources(t, ref, sources, crashOptions(ref, nil))
	want := dumpStore(t, ref)
	ref.Close()

	kills := []struct {
		name  string
		after int           // finished repositories before the kill
		delay time.Duration // with after 0: time before the kill
	}{
		{"early", 0, 30 * time.Millisecond},
		{"after 3 repositories", 3, 0},
		{"after 10 repositories", 10, 0},
		{"twice", 2, 0},
	}
	if testing.Short() {
		kills = kills[1:2]
	}
	for _, k := range kills {
		t.Run(k.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			crawlAndKill(t, dir, list, k.after, k.delay)
			if k.name == "twice" {
				crawlAndKill(t, dir, list, 4, 0)
			}

			partial := summarizeKilled(t, dir)
			t.Logf("after the kill: %d finished, %d pending", partial.Repos, partial.Pending)

			cmd, logs := startCrawlChild(t, dir, list)
			var output strings.Builder
			for logs.Scan() {
				output.WriteString(logs.Text() + "\n")
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("resumed crawl: %v\n%s", err, output.String())
			}
			if want := fmt.Sprintf(`"already_done":%d`, partial.Repos); !strings.Contains(output.String(), want) {
				t.Errorf("resumed crawl did not skip the %d finished repositories:\n%s", partial.Repos, output.String())
			}

			st, err := store.OpenReadOnly(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if got := dumpStore(t, st); got != want {
				t.Errorf("resumed store differs from an uninterrupted crawl:\n%s", firstDifference(got, want))
			}
		})
	}
}

// summarizeKilled opens the store that a killed crawl left in dir
// read-only, as corpus stats opens it, and counts its records. It returns
// an empty summary when the kill came before Badger wrote the MANIFEST.
func summarizeKilled(t *testing.T, dir string) store.Summary {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err != nil {
		t.Logf("killed before the store was created: %v", err)
		return store.Summary{}
	}
	st, err := store.OpenReadOnly(dir)
	if err != nil {
		t.Fatalf("open store read-only after SIGKILL: %v", err)
	}
	defer st.Close()
	sum, err := store.Summarize(st)
	if err != nil {
		t.Fatalf("Summarize after SIGKILL: %v", err)
	}
	return sum
}

// firstDifference describes where two dumps part.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}
