package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// Errors of opening a store directory.
var (
	ErrNotStore = errors.New("not a dockmine store")
	ErrLocked   = errors.New("another dockmine process is using the store")
	ErrReadOnly = errors.New("store is open read-only")
)

// markerKey names the record that marks a Badger database as a dockmine
// store. [Open] writes it when it creates a store.
const markerKey = "meta/store"

// Layout of the stores that this package writes. A store with a higher
// version was written by a newer dockmine and is rejected.
const (
	layoutFormat  = "dockmine-corpus"
	layoutVersion = 1
)

// marker is the JSON value of markerKey.
type marker struct {
	Format  string `json:"format"`  // layoutFormat
	Version int    `json:"version"` // layoutVersion when written
}

// Option configures [Open] and [OpenReadOnly].
type Option func(*openConfig)

type openConfig struct {
	log *slog.Logger
}

// WithLogger sends Badger's own messages to log: its informational messages
// at debug level, its warnings and errors at theirs. By default they are
// discarded.
func WithLogger(log *slog.Logger) Option {
	if log == nil {
		panic("store.WithLogger: nil logger")
	}
	return func(c *openConfig) { c.log = log }
}

// Open opens the store in directory dir for reading and writing. It creates
// the store when dir is missing or empty. Any other dir must contain a
// store, as [CheckDir] checks. Only one process can open a directory for
// writing, and while it does, every other open fails with [ErrLocked].
//
// A store left by a killed process opens normally, and the repositories it
// had not finished are redone by the next crawl.
func Open(dir string, opts ...Option) (*Badger, error) {
	cfg := newOpenConfig(opts)
	if err := CheckDir(dir); err != nil {
		return nil, err
	}
	db, err := openBadger(dir, cfg.log, false)
	if err != nil {
		return nil, err
	}
	if err := initMarker(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return &Badger{db: db, log: cfg.log}, nil
}

// OpenReadOnly opens the existing store in directory dir for reading. It
// fails with an error wrapping [ErrNotStore] when dir has no Badger
// MANIFEST file, or when the database in it has no dockmine marker and keys
// that this package does not write. Writes to the returned store fail with
// [ErrReadOnly]. Many processes can open one store read-only at once, but
// not while a process has it open for writing.
//
// OpenReadOnly writes nothing into dir, except in one case. Badger cannot
// open a database left by a killed process read-only, because its
// write-ahead log needs truncating. OpenReadOnly then opens such a database
// for writing once to recover it, as the next [Open] would, and logs that
// it did.
func OpenReadOnly(dir string, opts ...Option) (*Badger, error) {
	cfg := newOpenConfig(opts)
	info, err := os.Stat(dir)
	switch {
	case err != nil:
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	case !info.IsDir():
		return nil, fmt.Errorf("open store %s: %w: not a directory", dir, ErrNotStore)
	}
	if _, err := os.Stat(filepath.Join(dir, badger.ManifestFilename)); err != nil {
		return nil, fmt.Errorf("open store %s: %w: the directory has no Badger MANIFEST file", dir, ErrNotStore)
	}

	db, err := openBadger(dir, cfg.log, true)
	if errors.Is(err, errNeedsRecovery) {
		cfg.log.Info("store was not closed cleanly; opening it for writing once to recover it", "store", dir)
		db, err = openBadger(dir, cfg.log, false)
	}
	if err != nil {
		return nil, err
	}
	if _, err := readMarker(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return &Badger{db: db, log: cfg.log, readOnly: true}, nil
}

// CheckDir returns an error wrapping [ErrNotStore] when dir exists and is
// not a place where [Open] may keep a store. Such a dir is a file, or a
// directory with no Badger MANIFEST file and with a file that Badger does
// not write. A missing or empty directory passes. CheckDir writes nothing,
// and it does not look inside the database.
func CheckDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil && !isDir(dir):
		return fmt.Errorf("open store %s: %w: not a directory", dir, ErrNotStore)
	case err != nil:
		return fmt.Errorf("open store %s: %w", dir, err)
	}

	for _, e := range entries {
		if e.Name() == badger.ManifestFilename {
			return nil
		}
	}
	// A directory without a MANIFEST may contain the first files of a store
	// whose creating process was killed.
	for _, e := range entries {
		if !isBadgerFile(e.Name()) {
			return fmt.Errorf("open store %s: %w: the directory contains %q and no Badger MANIFEST file", dir, ErrNotStore, e.Name())
		}
	}
	return nil
}

func newOpenConfig(opts []Option) openConfig {
	cfg := openConfig{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&cfg)
	}
	return cfg
}

// errNeedsRecovery marks a read-only open that failed because the store
// was not closed cleanly.
var errNeedsRecovery = errors.New("store was not closed cleanly")

// openBadger opens the Badger database in dir and turns its lock and
// recovery failures into [ErrLocked] and errNeedsRecovery.
func openBadger(dir string, log *slog.Logger, readOnly bool) (*badger.DB, error) {
	// Smaller tables and caches than Badger's defaults, because a store holds
	// text files of a few kilobytes and a crawl opens one store next to many
	// in-memory clones.
	bopts := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithMemTableSize(32 << 20).
		WithBlockCacheSize(32 << 20).
		WithValueLogFileSize(256 << 20).
		WithNumCompactors(2).
		WithReadOnly(readOnly)
	db, err := badger.Open(bopts)
	if err == nil {
		return db, nil
	}

	// NOTE: Badger v4.9 formats the errors of Open with %+v, so errors.Is
	// cannot find their causes and the message text is matched instead.
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Cannot acquire directory lock"):
		return nil, fmt.Errorf("open store %s: %w; run the command again when it has finished", dir, ErrLocked)
	case readOnly && strings.Contains(msg, badger.ErrTruncateNeeded.Error()):
		return nil, fmt.Errorf("open store %s: %w", dir, errNeedsRecovery)
	}
	return nil, fmt.Errorf("open store %s: %w", dir, err)
}

// initMarker writes the marker into a new store and into a store written
// before markers existed, and checks the marker of any other store.
func initMarker(db *badger.DB) error {
	found, err := readMarker(db)
	if err != nil || found {
		return err
	}
	val, err := json.Marshal(marker{Format: layoutFormat, Version: layoutVersion})
	if err != nil {
		return err
	}
	return db.Update(func(txn *badger.Txn) error { return txn.Set([]byte(markerKey), val) })
}

// readMarker checks that db is a dockmine store. It reports whether the
// marker is present. A database without the marker passes when it is
// empty or has keys under the prefixes of this package, as stores written
// before markers existed do.
func readMarker(db *badger.DB) (bool, error) {
	var found bool
	err := db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(markerKey))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return checkUnmarked(txn)
		}
		if err != nil {
			return err
		}
		found = true
		return item.Value(checkMarker)
	})
	return found, err
}

func checkMarker(val []byte) error {
	var m marker
	if err := json.Unmarshal(val, &m); err != nil || m.Format != layoutFormat {
		return fmt.Errorf("%w: the marker record %q is %q", ErrNotStore, markerKey, val)
	}
	if m.Version > layoutVersion {
		return fmt.Errorf("store layout version %d is newer than version %d, the newest this dockmine reads; use a newer dockmine", m.Version, layoutVersion)
	}
	return nil
}

// checkUnmarked accepts a database without a marker when it has no keys at
// all or has keys under the prefixes of this package.
func checkUnmarked(txn *badger.Txn) error {
	for _, prefix := range []string{prefixRepo, prefixFile, prefixHist, prefixBlob} {
		if hasKey(txn, []byte(prefix)) {
			return nil
		}
	}
	if hasKey(txn, nil) {
		return fmt.Errorf("%w: the Badger database has no dockmine records", ErrNotStore)
	}
	return nil
}

func hasKey(txn *badger.Txn, prefix []byte) bool {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	it.Rewind()
	return it.Valid()
}

// isBadgerFile reports whether name is a file that Badger v4 writes in its
// directory.
func isBadgerFile(name string) bool {
	switch name {
	case "LOCK", "MANIFEST-REWRITE", "DISCARD", badger.KeyRegistryFileName, badger.KeyRegistryRewriteFileName:
		return true
	}
	ext := filepath.Ext(name)
	return ext == ".vlog" || ext == ".sst" || ext == ".mem"
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}
