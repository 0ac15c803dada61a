package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// Key prefixes of the on-disk layout. Repository names and paths never
// contain NUL (see CheckName and CheckPath), so NUL separates the parts of a
// key and "file/owner/a\x00" never prefixes the keys of "owner/ab".
const (
	prefixRepo = "repo/" // + name -> JSON Repo
	prefixFile = "file/" // + name + NUL + path -> JSON File
	prefixHist = "hist/" // + name + NUL + path + NUL + 8-byte big-endian Seq -> JSON Version
	prefixBlob = "blob/" // + 32-byte SHA-256 -> content
)

// The key "meta/store" contains the JSON marker of a dockmine store (see
// markerKey).

// Badger is the on-disk [Storer], built on a Badger key-value database. It
// is safe for concurrent use by many goroutines of one process.
type Badger struct {
	db  *badger.DB
	log *slog.Logger

	readOnly bool // true when opened by OpenReadOnly, which makes writes fail with ErrReadOnly

	mu   sync.Mutex
	open int // unfinished transactions
}

var (
	_ Storer = (*Badger)(nil)
	_ Pruner = (*Badger)(nil)
)

// Close implements [io.Closer].
func (s *Badger) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// Repo implements [RepoReader].
func (s *Badger) Repo(name string) (Repo, error) {
	var r Repo
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(repoKey(name))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fmt.Errorf("repository %q: %w", name, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read repository %q: %w", name, err)
		}
		return item.Value(func(val []byte) error { return decode(item.Key(), val, &r) })
	})
	return r, err
}

// ForEachRepo implements [RepoReader].
func (s *Badger) ForEachRepo(fn func(Repo) error) error {
	return s.scan([]byte(prefixRepo), func(key, val []byte) error {
		var r Repo
		if err := decode(key, val, &r); err != nil {
			return err
		}
		return fn(r)
	})
}

// ForEachFile implements [FileReader].
func (s *Badger) ForEachFile(repo string, fn func(File) error) error {
	return s.scan(repoPrefix(prefixFile, repo), func(key, val []byte) error {
		var f File
		if err := decode(key, val, &f); err != nil {
			return err
		}
		return fn(f)
	})
}

// ForEachVersion implements [HistoryReader].
func (s *Badger) ForEachVersion(repo string, fn func(Version) error) error {
	return s.scan(repoPrefix(prefixHist, repo), func(key, val []byte) error {
		var v Version
		if err := decode(key, val, &v); err != nil {
			return err
		}
		return fn(v)
	})
}

// Blob implements [BlobReader].
func (s *Badger) Blob(h Hash) ([]byte, error) {
	var data []byte
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(blobKey(h))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fmt.Errorf("blob %s: %w", h, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read blob %s: %w", h, err)
		}
		data, err = item.ValueCopy(nil)
		return err
	})
	return data, err
}

// HasBlob implements [BlobReader].
func (s *Badger) HasBlob(h Hash) (bool, error) {
	err := s.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get(blobKey(h))
		return err
	})
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, badger.ErrKeyNotFound):
		return false, nil
	default:
		return false, fmt.Errorf("read blob %s: %w", h, err)
	}
}

// scan calls fn with every key and value under prefix, in key order. The
// slices are valid only during the call.
func (s *Badger) scan(prefix []byte, fn func(key, val []byte) error) error {
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()

		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			err := item.Value(func(val []byte) error { return fn(item.Key(), val) })
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// deleteKeys deletes every key under each prefix and returns how many it
// deleted.
func (s *Badger) deleteKeys(prefixes ...[]byte) (int, error) {
	var keys [][]byte
	err := s.db.View(func(txn *badger.Txn) error {
		for _, prefix := range prefixes {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			for it.Rewind(); it.Valid(); it.Next() {
				keys = append(keys, it.Item().KeyCopy(nil))
			}
			it.Close()
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(keys), s.deleteList(keys)
}

func (s *Badger) deleteList(keys [][]byte) error {
	if len(keys) == 0 {
		return nil
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, key := range keys {
		if err := wb.Delete(key); err != nil {
			return err
		}
	}
	return wb.Flush()
}

func (s *Badger) putRecord(key []byte, record any) error {
	val, err := json.Marshal(record)
	if err != nil {
		return err
	}
	return s.db.Update(func(txn *badger.Txn) error { return txn.Set(key, val) })
}

func decode(key, val []byte, v any) error {
	if err := json.Unmarshal(val, v); err != nil {
		return fmt.Errorf("decode record %q: %w", key, err)
	}
	return nil
}

func repoKey(name string) []byte {
	return []byte(prefixRepo + name)
}

func repoPrefix(prefix, name string) []byte {
	return []byte(prefix + name + "\x00")
}

func fileKey(name, p string) []byte {
	return []byte(prefixFile + name + "\x00" + p)
}

func versionKey(name, p string, seq int) []byte {
	key := []byte(prefixHist + name + "\x00" + p + "\x00")
	return binary.BigEndian.AppendUint64(key, uint64(seq))
}

func blobKey(h Hash) []byte {
	return append([]byte(prefixBlob), h[:]...)
}

// repoOfKey returns the repository name in a file or version key.
func repoOfKey(key []byte, prefix string) string {
	rest := key[len(prefix):]
	if i := bytes.IndexByte(rest, 0); i >= 0 {
		rest = rest[:i]
	}
	return string(rest)
}

// badgerLogger adapts an [slog.Logger] to Badger's logger interface.
type badgerLogger struct{ log *slog.Logger }

func (l badgerLogger) Errorf(format string, args ...any) {
	l.log.Error("badger: " + trimNewline(fmt.Sprintf(format, args...)))
}

func (l badgerLogger) Warningf(format string, args ...any) {
	l.log.Warn("badger: " + trimNewline(fmt.Sprintf(format, args...)))
}

func (l badgerLogger) Infof(format string, args ...any) {
	l.log.Debug("badger: " + trimNewline(fmt.Sprintf(format, args...)))
}

func (l badgerLogger) Debugf(format string, args ...any) {
	l.log.Debug("badger: " + trimNewline(fmt.Sprintf(format, args...)))
}

func trimNewline(s string) string {
	return string(bytes.TrimRight([]byte(s), "\n"))
}
