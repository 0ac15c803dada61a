package store

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// dirState lists the entries of dir with their sizes and modification
// times, so that a test can check that nothing in dir changed.
func dirState(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var state []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		state = append(state, fmt.Sprintf("%s %d %s", e.Name(), info.Size(), info.ModTime()))
	}
	return state
}

// writeBadger writes the key-value pairs of kv into a new Badger database in
// dir without this package, as another program or an older dockmine would.
func writeBadger(t *testing.T, dir string, kv map[string]string) {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(txn *badger.Txn) error {
		for k, v := range kv {
			if err := txn.Set([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// newStoreDir returns the directory of a closed store with one finished
// repository, owner/name.
func newStoreDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	putRepo(t, st, "owner/name", "", "Dockerfile")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOpenRejectsPlainDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "readme.txt"), []byte("notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	open := map[string]func(string, ...Option) (*Badger, error){"Open": Open, "OpenReadOnly": OpenReadOnly}
	for name, fn := range open {
		st, err := fn(dir)
		if err == nil {
			st.Close()
		}
		if !errors.Is(err, ErrNotStore) || !strings.Contains(err.Error(), dir) {
			t.Errorf("%s(folder with readme.txt) error = %v, want ErrNotStore naming the folder", name, err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("after %s the folder holds %d entries, want only readme.txt", name, len(entries))
		}
	}
}

func TestOpenReadOnlyRejectsEmptyDir(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenReadOnly(dir)
	if err == nil {
		st.Close()
	}
	if !errors.Is(err, ErrNotStore) {
		t.Errorf("OpenReadOnly(empty folder) error = %v, want ErrNotStore", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("OpenReadOnly wrote %d entries into an empty folder", len(entries))
	}
}

func TestOpenReadOnlyRejectsMissingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	if _, err := OpenReadOnly(dir); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("OpenReadOnly(missing folder) error = %v, want one saying it does not exist", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("OpenReadOnly created the missing folder")
	}
}

func TestOpenRejectsOtherBadgerDatabase(t *testing.T) {
	dir := t.TempDir()
	writeBadger(t, dir, map[string]string{"user/42": "alice"})
	before := dirState(t, dir)

	st, err := OpenReadOnly(dir)
	if err == nil {
		st.Close()
	}
	if !errors.Is(err, ErrNotStore) {
		t.Errorf("OpenReadOnly(database of another program) error = %v, want ErrNotStore", err)
	}
	if after := dirState(t, dir); !slices.Equal(after, before) {
		t.Errorf("OpenReadOnly changed the folder:\nbefore %q\nafter  %q", before, after)
	}

	st, err = Open(dir)
	if err == nil {
		st.Close()
	}
	if !errors.Is(err, ErrNotStore) {
		t.Errorf("Open(database of another program) error = %v, want ErrNotStore", err)
	}
}

func TestOpenReadOnlyWritesNothing(t *testing.T) {
	dir := newStoreDir(t)
	before := dirState(t, dir)

	st, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := st.Repo("owner/name"); err != nil || r.State != StateDone {
		t.Errorf("Repo(owner/name) = %+v, %v; want the finished record", r, err)
	}
	if _, err := st.BeginRepo("owner/other"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("BeginRepo on a read-only store error = %v, want ErrReadOnly", err)
	}
	if _, err := st.Prune(); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Prune on a read-only store error = %v, want ErrReadOnly", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	if after := dirState(t, dir); !slices.Equal(after, before) {
		t.Errorf("a read-only open changed the store folder:\nbefore %q\nafter  %q", before, after)
	}
}

func TestOpenReadOnlyShared(t *testing.T) {
	dir := newStoreDir(t)
	first, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	second, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatalf("second read-only open: %v", err)
	}
	second.Close()
}

func TestOpenWhileLocked(t *testing.T) {
	dir := newStoreDir(t)
	writer, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()

	// Badger locks the directory with flock, which also separates two
	// opens in one process.
	open := map[string]func(string, ...Option) (*Badger, error){"Open": Open, "OpenReadOnly": OpenReadOnly}
	for name, fn := range open {
		st, err := fn(dir)
		if err == nil {
			st.Close()
		}
		if !errors.Is(err, ErrLocked) {
			t.Errorf("%s of a store open for writing error = %v, want ErrLocked", name, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "another dockmine process is using the store") || strings.Contains(msg, "Badger") {
			t.Errorf("%s error = %q, want plain words without Badger's lock text", name, msg)
		}
	}
}

func TestOpenStoreWithoutMarker(t *testing.T) {
	// Stores written before the marker existed hold records and no marker.
	dir := t.TempDir()
	writeBadger(t, dir, map[string]string{prefixRepo + "owner/name": `{"name":"owner/name","state":"done","files":0}`})

	st, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatalf("OpenReadOnly(store without marker): %v", err)
	}
	if _, err := st.Repo("owner/name"); err != nil {
		t.Errorf("Repo(owner/name): %v", err)
	}
	st.Close()

	st, err = Open(dir)
	if err != nil {
		t.Fatalf("Open(store without marker): %v", err)
	}
	found, err := readMarker(st.db)
	st.Close()
	if err != nil || !found {
		t.Errorf("marker after Open = %v, %v; want it written", found, err)
	}
}

func TestOpenRejectsNewerLayout(t *testing.T) {
	dir := t.TempDir()
	writeBadger(t, dir, map[string]string{markerKey: `{"format":"dockmine-corpus","version":99}`})
	for name, fn := range map[string]func(string, ...Option) (*Badger, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
		st, err := fn(dir)
		if err == nil {
			st.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "version 99") {
			t.Errorf("%s(store of layout version 99) error = %v, want one naming the version", name, err)
		}
	}
}

// envKilledStore names the store directory that the test binary, started
// again by TestOpenReadOnlyAfterKill, writes and leaves without closing.
const envKilledStore = "DOCKMINE_TEST_KILLED_STORE"

func TestOpenReadOnlyAfterKill(t *testing.T) {
	if dir := os.Getenv(envKilledStore); dir != "" {
		st, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		putRepo(t, st, "owner/name", "", "Dockerfile")
		os.Exit(0) // without Close, as a killed crawl leaves the store
	}

	dir := filepath.Join(t.TempDir(), "store")
	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenReadOnlyAfterKill$")
	cmd.Env = append(os.Environ(), envKilledStore+"="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("writer process: %v\n%s", err, out)
	}

	var logs strings.Builder
	st, err := OpenReadOnly(dir, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatalf("OpenReadOnly of a store left open by a finished process: %v", err)
	}
	defer st.Close()
	if r, err := st.Repo("owner/name"); err != nil || r.State != StateDone {
		t.Errorf("Repo(owner/name) = %+v, %v; want the finished record", r, err)
	}
	if !strings.Contains(logs.String(), "not closed cleanly") {
		t.Errorf("log = %q, want a record of the recovery", logs.String())
	}
}
