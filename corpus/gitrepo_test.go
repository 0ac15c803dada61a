package corpus

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
)

// entry is one file of a test commit. Mode defaults to a regular file.
type entry struct {
	path string
	data string
	mode filemode.FileMode
	hash plumbing.Hash // target commit of a submodule entry
}

// testRepo is a bare git repository on disk that tests write commits to
// with go-git, without a git binary.
type testRepo struct {
	t    testing.TB
	dir  string
	repo *git.Repository
	head plumbing.Hash
	when time.Time
}

// newTestRepo creates an empty bare repository at dir.
func newTestRepo(t testing.TB, dir string) *testRepo {
	t.Helper()
	repo, err := git.PlainInit(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	return &testRepo{t: t, dir: dir, repo: repo, when: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// commit writes a commit whose tree holds exactly entries, with the
// previous commit as its parent, and moves the master branch to it.
func (r *testRepo) commit(msg string, entries ...entry) plumbing.Hash {
	r.t.Helper()
	tree := writeTree(r.t, r.repo.Storer, entries)
	sig := object.Signature{Name: "Test", Email: "test@example.invalid", When: r.when}
	r.when = r.when.Add(time.Hour)
	c := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: tree}
	if !r.head.IsZero() {
		c.ParentHashes = []plumbing.Hash{r.head}
	}
	r.head = writeObject(r.t, r.repo.Storer, c)
	ref := plumbing.NewHashReference(plumbing.NewBranchReferenceName("master"), r.head)
	if err := r.repo.Storer.SetReference(ref); err != nil {
		r.t.Fatal(err)
	}
	return r.head
}

type encoder interface {
	Encode(plumbing.EncodedObject) error
}

func writeObject(t testing.TB, st storage.Storer, o encoder) plumbing.Hash {
	t.Helper()
	obj := st.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		t.Fatal(err)
	}
	h, err := st.SetEncodedObject(obj)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func writeBlob(t testing.TB, st storage.Storer, data string) plumbing.Hash {
	t.Helper()
	obj := st.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	h, err := st.SetEncodedObject(obj)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// writeTree writes nested trees for entries, whose paths may hold any
// bytes, including ".." elements that git itself would reject.
func writeTree(t testing.TB, st storage.Storer, entries []entry) plumbing.Hash {
	t.Helper()
	subdirs := map[string][]entry{}
	var tree object.Tree
	for _, e := range entries {
		first, rest, nested := strings.Cut(e.path, "/")
		if nested {
			e.path = rest
			subdirs[first] = append(subdirs[first], e)
			continue
		}
		mode := e.mode
		if mode == 0 {
			mode = filemode.Regular
		}
		hash := e.hash
		if mode != filemode.Submodule {
			hash = writeBlob(t, st, e.data)
		}
		tree.Entries = append(tree.Entries, object.TreeEntry{Name: first, Mode: mode, Hash: hash})
	}
	for name, sub := range subdirs {
		tree.Entries = append(tree.Entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: writeTree(t, st, sub)})
	}
	// Git orders entries by name, comparing a directory as if its name
	// ended in '/'.
	sortKey := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	slices.SortFunc(tree.Entries, func(a, b object.TreeEntry) int { return strings.Compare(sortKey(a), sortKey(b)) })
	return writeObject(t, st, &tree)
}

// gitOutput runs git with args and returns its output. It skips the test
// when git is not installed.
func gitOutput(t *testing.T, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed: " + err.Error())
	}
	cmd := exec.Command("git", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// historyDir returns the folder of replayed Dockerfile histories beside the
// repository, or skips the test when it is absent.
func historyDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "corpus", "history"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("history repositories not found at %s (the shared folder beside the repository): %v", dir, err)
	}
	return dir
}

func historyRepos(t testing.TB) []string {
	t.Helper()
	repos, err := filepath.Glob(filepath.Join(historyDir(t), "*.git"))
	if err != nil || len(repos) == 0 {
		t.Skipf("no history repositories in %s", historyDir(t))
	}
	return repos
}
