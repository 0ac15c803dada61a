package corpus

import (
	"context"
	"errors"

	"github.com/dockmine/dockmine/corpus/store"
)

// extract fetches src and writes its records in one repository
// transaction. Errors of the store come back as *storeError.
func (c *crawler) extract(ctx context.Context, src Source) (RepoResult, error) {
	depth := 1
	if c.opts.History {
		// One commit more than walked, so that the oldest walked commit can
		// be compared with its parent.
		depth = 0
		if c.opts.HistoryDepth > 0 {
			depth = c.opts.HistoryDepth + 1
		}
	}

	repo, location, err := c.fetch(ctx, src, depth)
	if errors.Is(err, errPlainDir) && src.Path != "" {
		return c.extractDir(ctx, src, location)
	}
	if err != nil {
		return RepoResult{}, err
	}

	rec := store.Repo{
		Name:    src.Name,
		Source:  location,
		State:   store.StateDone,
		Stars:   src.Stars,
		Pinned:  src.Pin != "",
		History: c.opts.History,
	}
	if c.opts.History {
		rec.HistoryCap = c.opts.HistoryDepth
	}
	commit, branch, err := resolve(repo, src.Pin)
	if errors.Is(err, ErrEmptyRepo) {
		// An empty repository is crawled successfully: it has no files.
		return c.commit(rec, nil, RepoResult{})
	}
	if err != nil {
		return RepoResult{}, err
	}
	rec.Commit, rec.CommitTime, rec.Branch = commit.Hash.String(), commit.Committer.When, branch

	tx, err := c.begin(src.Name)
	if err != nil {
		return RepoResult{}, err
	}
	defer tx.Discard()

	x := newExtractor(repo.Storer, tx, c.opts.MaxFileSize)
	tree, err := commit.Tree()
	if err != nil {
		return RepoResult{}, err
	}
	res := RepoResult{Commit: rec.Commit, Skipped: x.skipped}
	if res.Files, res.Bytes, err = x.snapshot(ctx, src.Name, rec.Commit, tree); err != nil {
		return RepoResult{}, err
	}
	if c.opts.History {
		if res.Versions, err = x.history(ctx, src.Name, commit, c.opts.HistoryDepth); err != nil {
			return RepoResult{}, err
		}
	}
	return c.commit(rec, tx, res)
}

// extractDir stores the Dockerfiles of a plain local directory.
func (c *crawler) extractDir(ctx context.Context, src Source, dir string) (RepoResult, error) {
	tx, err := c.begin(src.Name)
	if err != nil {
		return RepoResult{}, err
	}
	defer tx.Discard()

	res, err := snapshotDir(ctx, dir, src.Name, tx, c.opts.MaxFileSize)
	if err != nil {
		return RepoResult{}, err
	}
	rec := store.Repo{Name: src.Name, Source: dir, State: store.StateDone}
	return c.commit(rec, tx, res)
}

// commit completes rec with the counts of res and commits tx, or a new
// empty transaction when tx is nil.
func (c *crawler) commit(rec store.Repo, tx store.RepoTx, res RepoResult) (RepoResult, error) {
	if tx == nil {
		var err error
		if tx, err = c.begin(rec.Name); err != nil {
			return RepoResult{}, err
		}
		defer tx.Discard()
	}
	rec.Files, rec.Versions = res.Files, res.Versions
	if len(res.Skipped) > 0 {
		rec.Skipped = res.Skipped
	}
	rec.CrawledAt = c.opts.Now().UTC()
	if err := tx.Commit(rec); err != nil {
		return RepoResult{}, err
	}
	return res, nil
}

// begin starts a repository transaction whose errors come back as
// *storeError.
func (c *crawler) begin(name string) (store.RepoTx, error) {
	tx, err := c.opts.Store.BeginRepo(name)
	if err != nil {
		return nil, &storeError{err}
	}
	return storeTx{tx}, nil
}

// storeTx marks every error of a transaction as a store error.
type storeTx struct{ tx store.RepoTx }

func (t storeTx) PutBlob(data []byte) (store.Hash, error) {
	h, err := t.tx.PutBlob(data)
	return h, wrapStore(err)
}

func (t storeTx) PutFile(f store.File) error       { return wrapStore(t.tx.PutFile(f)) }
func (t storeTx) PutVersion(v store.Version) error { return wrapStore(t.tx.PutVersion(v)) }
func (t storeTx) Commit(r store.Repo) error        { return wrapStore(t.tx.Commit(r)) }
func (t storeTx) Discard() error                   { return wrapStore(t.tx.Discard()) }

func wrapStore(err error) error {
	if err == nil {
		return nil
	}
	return &storeError{err}
}
