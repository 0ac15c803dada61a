package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// BeginRepo implements [RepoWriter].
//
// A repository can hold more data than one Badger transaction accepts, so
// the records go through a write batch that commits in as many transactions
// as needed, and [RepoTx.Commit] writes the repository record last. Until
// then the repository is not in StateDone, and readers and the next crawl
// treat whatever was written as unfinished.
func (s *Badger) BeginRepo(name string) (RepoTx, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	if s.readOnly {
		return nil, fmt.Errorf("begin repository %q: %w", name, ErrReadOnly)
	}

	if err := s.markPending(name); err != nil {
		return nil, fmt.Errorf("begin repository %q: %w", name, err)
	}
	if _, err := s.deleteKeys(repoPrefix(prefixFile, name), repoPrefix(prefixHist, name)); err != nil {
		return nil, fmt.Errorf("begin repository %q: remove old records: %w", name, err)
	}

	wb := s.db.NewWriteBatch()
	// Fewer batches in flight than Badger's default bounds the memory that
	// one repository can hold while its batches commit.
	wb.SetMaxPendingTxns(2)

	s.mu.Lock()
	s.open++
	s.mu.Unlock()
	return &badgerTx{s: s, name: name, wb: wb, put: map[Hash]bool{}, refs: map[Hash]bool{}}, nil
}

// markPending rewrites an existing record of name with StatePending.
func (s *Badger) markPending(name string) error {
	r, err := s.Repo(name)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if r.State == StatePending {
		return nil
	}
	r.State = StatePending
	return s.putRecord(repoKey(name), r)
}

type badgerTx struct {
	s    *Badger
	name string
	wb   *badger.WriteBatch
	put  map[Hash]bool // blobs written or found stored in this transaction
	refs map[Hash]bool // blobs that records name
	done bool
}

// PutBlob writes data unless this transaction or an earlier one already
// stored it. Rewriting a stored value would only add garbage to Badger's
// value log.
func (tx *badgerTx) PutBlob(data []byte) (Hash, error) {
	if tx.done {
		return Hash{}, ErrTxDone
	}
	h := HashOf(data)
	if tx.put[h] {
		return h, nil
	}

	ok, err := tx.s.HasBlob(h)
	if err != nil {
		return Hash{}, err
	}
	if !ok {
		if err := tx.wb.Set(blobKey(h), data); err != nil {
			return Hash{}, fmt.Errorf("write blob %s of repository %q: %w", h, tx.name, err)
		}
	}
	tx.put[h] = true
	return h, nil
}

func (tx *badgerTx) PutFile(f File) error {
	if err := tx.check(f.Repo, f.Path); err != nil {
		return err
	}
	tx.refs[f.Blob] = true
	return tx.set(fileKey(tx.name, f.Path), f)
}

func (tx *badgerTx) PutVersion(v Version) error {
	if err := tx.check(v.Repo, v.Path); err != nil {
		return err
	}
	tx.refs[v.Blob] = true
	tx.refs[v.Before] = true
	return tx.set(versionKey(tx.name, v.Path, v.Seq), v)
}

func (tx *badgerTx) check(repo, p string) error {
	if tx.done {
		return ErrTxDone
	}
	return checkRecord(tx.name, repo, p)
}

func (tx *badgerTx) set(key []byte, record any) error {
	val, err := json.Marshal(record)
	if err != nil {
		return err
	}
	if err := tx.wb.Set(key, val); err != nil {
		return fmt.Errorf("write repository %q: %w", tx.name, err)
	}
	return nil
}

func (tx *badgerTx) Commit(r Repo) error {
	if tx.done {
		return ErrTxDone
	}
	if r.Name != tx.name {
		return fmt.Errorf("commit repository %q: record names %q", tx.name, r.Name)
	}
	defer tx.finish()

	for h := range tx.refs {
		if h.IsZero() || tx.put[h] {
			continue
		}
		ok, err := tx.s.HasBlob(h)
		if err != nil {
			return fmt.Errorf("commit repository %q: %w", tx.name, err)
		}
		if !ok {
			tx.wb.Cancel()
			return fmt.Errorf("commit repository %q: %w: %s", tx.name, ErrMissingBlob, h)
		}
	}
	if err := tx.wb.Flush(); err != nil {
		return fmt.Errorf("commit repository %q: %w", tx.name, err)
	}
	if err := tx.s.putRecord(repoKey(tx.name), r); err != nil {
		return fmt.Errorf("commit repository %q: %w", tx.name, err)
	}
	return nil
}

func (tx *badgerTx) Discard() error {
	if tx.done {
		return nil
	}
	tx.wb.Cancel()
	tx.finish()
	return nil
}

func (tx *badgerTx) finish() {
	tx.done = true
	tx.s.mu.Lock()
	tx.s.open--
	tx.s.mu.Unlock()
}

// Prune implements [Pruner].
func (s *Badger) Prune() (PruneResult, error) {
	if s.readOnly {
		return PruneResult{}, fmt.Errorf("prune: %w", ErrReadOnly)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open > 0 {
		return PruneResult{}, ErrBusy
	}

	done := map[string]bool{}
	err := s.ForEachRepo(func(r Repo) error {
		done[r.Name] = r.State == StateDone
		return nil
	})
	if err != nil {
		return PruneResult{}, fmt.Errorf("prune: %w", err)
	}

	// Collect the records of unfinished repositories and the blobs that
	// finished ones reference.
	var stale [][]byte
	used := map[Hash]bool{}
	collect := func(prefix string, blobs func(val []byte) ([]Hash, error)) error {
		return s.scan([]byte(prefix), func(key, val []byte) error {
			if !done[repoOfKey(key, prefix)] {
				stale = append(stale, append([]byte(nil), key...))
				return nil
			}
			hashes, err := blobs(val)
			for _, h := range hashes {
				used[h] = true
			}
			return err
		})
	}
	err = collect(prefixFile, func(val []byte) ([]Hash, error) {
		var f File
		err := json.Unmarshal(val, &f)
		return []Hash{f.Blob}, err
	})
	if err == nil {
		err = collect(prefixHist, func(val []byte) ([]Hash, error) {
			var v Version
			err := json.Unmarshal(val, &v)
			return []Hash{v.Blob, v.Before}, err
		})
	}
	if err != nil {
		return PruneResult{}, fmt.Errorf("prune: %w", err)
	}

	result := PruneResult{Records: len(stale)}
	err = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixBlob)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			key := it.Item().Key()
			var h Hash
			copy(h[:], key[len(prefixBlob):])
			if !used[h] {
				stale = append(stale, it.Item().KeyCopy(nil))
				result.Blobs++
			}
		}
		return nil
	})
	if err == nil {
		err = s.deleteList(stale)
	}
	if err != nil {
		return PruneResult{}, fmt.Errorf("prune: %w", err)
	}
	return result, nil
}
