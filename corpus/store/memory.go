package store

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sync"
)

// Memory is a [Storer] that keeps everything in memory. It is meant for
// tests. The zero value is not ready; use [NewMemory].
type Memory struct {
	mu       sync.RWMutex
	repos    map[string]Repo
	files    map[string]map[string]File     // repo, path
	versions map[string]map[pathSeq]Version // repo
	blobs    map[Hash][]byte
	open     int // unfinished transactions
}

type pathSeq struct {
	path string
	seq  int
}

var (
	_ Storer = (*Memory)(nil)
	_ Pruner = (*Memory)(nil)
)

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{
		repos:    map[string]Repo{},
		files:    map[string]map[string]File{},
		versions: map[string]map[pathSeq]Version{},
		blobs:    map[Hash][]byte{},
	}
}

// Repo implements [RepoReader].
func (m *Memory) Repo(name string) (Repo, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()

	r, ok := m.repos[name]
	if !ok {
		return Repo{}, fmt.Errorf("repository %q: %w", name, ErrNotFound)
	}
	return cloneRepo(r), nil
}

// ForEachRepo implements [RepoReader].
func (m *Memory) ForEachRepo(fn func(Repo) error) error {
	m.mu.RLock()
	repos := make([]Repo, 0, len(m.repos))
	for _, r := range m.repos {
		repos = append(repos, cloneRepo(r))
	}
	m.mu.RUnlock()

	slices.SortFunc(repos, func(a, b Repo) int { return cmp.Compare(a.Name, b.Name) })
	for _, r := range repos {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// ForEachFile implements [FileReader].
func (m *Memory) ForEachFile(repo string, fn func(File) error) error {
	m.mu.RLock()
	files := slices.Collect(maps.Values(m.files[repo]))
	m.mu.RUnlock()

	slices.SortFunc(files, func(a, b File) int { return cmp.Compare(a.Path, b.Path) })
	for _, f := range files {
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// ForEachVersion implements [HistoryReader].
func (m *Memory) ForEachVersion(repo string, fn func(Version) error) error {
	m.mu.RLock()
	versions := slices.Collect(maps.Values(m.versions[repo]))
	m.mu.RUnlock()

	slices.SortFunc(versions, compareVersions)
	for _, v := range versions {
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

func compareVersions(a, b Version) int {
	return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Seq, b.Seq))
}

// Blob implements [BlobReader].
func (m *Memory) Blob(h Hash) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()

	data, ok := m.blobs[h]
	if !ok {
		return nil, fmt.Errorf("blob %s: %w", h, ErrNotFound)
	}
	return slices.Clone(data), nil
}

// HasBlob implements [BlobReader].
func (m *Memory) HasBlob(h Hash) (bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()

	_, ok := m.blobs[h]
	return ok, nil
}

// BeginRepo implements [RepoWriter]. The memory store applies the records of
// a transaction at once on commit, so it never shows partial records.
func (m *Memory) BeginRepo(name string) (RepoTx, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}

	m.mu.Lock()
	defer m.mu.Unlock()

	if r, ok := m.repos[name]; ok {
		r.State = StatePending
		m.repos[name] = r
	}
	delete(m.files, name)
	delete(m.versions, name)
	m.open++
	return &memoryTx{
		m:        m,
		name:     name,
		files:    map[string]File{},
		versions: map[pathSeq]Version{},
		blobs:    map[Hash][]byte{},
		refs:     map[Hash]bool{},
	}, nil
}

// Prune implements [Pruner]. The memory store has no partial records, so it
// only removes unreferenced blobs.
func (m *Memory) Prune() (PruneResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()

	if m.open > 0 {
		return PruneResult{}, ErrBusy
	}

	var result PruneResult
	for name := range m.files {
		if m.repos[name].State != StateDone {
			result.Records += len(m.files[name]) + len(m.versions[name])
			delete(m.files, name)
			delete(m.versions, name)
		}
	}

	used := map[Hash]bool{}
	for name := range m.files {
		for _, f := range m.files[name] {
			used[f.Blob] = true
		}
		for _, v := range m.versions[name] {
			used[v.Blob] = true
			used[v.Before] = true
		}
	}
	for h := range m.blobs {
		if !used[h] {
			delete(m.blobs, h)
			result.Blobs++
		}
	}
	return result, nil
}

// Close implements [io.Closer]. It does nothing.
func (m *Memory) Close() error {
	return nil
}

type memoryTx struct {
	m        *Memory
	name     string
	files    map[string]File
	versions map[pathSeq]Version
	blobs    map[Hash][]byte
	refs     map[Hash]bool // blobs that records name
	done     bool
}

func (tx *memoryTx) PutBlob(data []byte) (Hash, error) {
	if tx.done {
		return Hash{}, ErrTxDone
	}
	h := HashOf(data)
	if _, ok := tx.blobs[h]; !ok {
		tx.blobs[h] = slices.Clone(data)
	}
	return h, nil
}

func (tx *memoryTx) PutFile(f File) error {
	if err := tx.check(f.Repo, f.Path); err != nil {
		return err
	}
	tx.files[f.Path] = f
	tx.refs[f.Blob] = true
	return nil
}

func (tx *memoryTx) PutVersion(v Version) error {
	if err := tx.check(v.Repo, v.Path); err != nil {
		return err
	}
	tx.versions[pathSeq{v.Path, v.Seq}] = v
	tx.refs[v.Blob] = true
	tx.refs[v.Before] = true
	return nil
}

func (tx *memoryTx) check(repo, p string) error {
	if tx.done {
		return ErrTxDone
	}
	return checkRecord(tx.name, repo, p)
}

func (tx *memoryTx) Commit(r Repo) error {
	if tx.done {
		return ErrTxDone
	}
	if r.Name != tx.name {
		return fmt.Errorf("commit repository %q: record names %q", tx.name, r.Name)
	}
	tx.done = true

	m := tx.m
	m.mu.Lock()
	defer m.mu.Unlock()

	m.open--
	for h := range tx.refs {
		_, put := tx.blobs[h]
		_, stored := m.blobs[h]
		if !h.IsZero() && !put && !stored {
			return fmt.Errorf("commit repository %q: %w: %s", tx.name, ErrMissingBlob, h)
		}
	}
	maps.Copy(m.blobs, tx.blobs)
	m.files[tx.name] = tx.files
	m.versions[tx.name] = tx.versions
	m.repos[tx.name] = cloneRepo(r)
	return nil
}

func (tx *memoryTx) Discard() error {
	if tx.done {
		return nil
	}
	tx.done = true

	tx.m.mu.Lock()
	tx.m.open--
	tx.m.mu.Unlock()
	return nil
}

// checkRecord validates a file or version record of repository name before
// any store writes it.
func checkRecord(name, repo, p string) error {
	if repo != name {
		return fmt.Errorf("put %s in repository %q: record names %q", p, name, repo)
	}
	if err := CheckPath(p); err != nil {
		return fmt.Errorf("put %s in repository %q: %w", p, name, err)
	}
	return nil
}

func cloneRepo(r Repo) Repo {
	r.Skipped = maps.Clone(r.Skipped)
	return r
}
