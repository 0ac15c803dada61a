package store

import (
	"fmt"
	"maps"
)

// Walk calls fn for every file of every repository in [StateDone], with the
// file's content, in repository name and then path order. It stops at the
// first error fn returns and returns that error.
func Walk(r Reader, fn func(Repo, File, []byte) error) error {
	return r.ForEachRepo(func(repo Repo) error {
		if repo.State != StateDone {
			return nil
		}
		return r.ForEachFile(repo.Name, func(f File) error {
			data, err := r.Blob(f.Blob)
			if err != nil {
				return fmt.Errorf("read %s in repository %q: %w", f.Path, repo.Name, err)
			}
			return fn(repo, f, data)
		})
	})
}

// Summary counts what a store holds. Files, versions and blobs count only
// repositories in [StateDone].
type Summary struct {
	Repos     int            `json:"repos"`      // repositories in StateDone
	Failed    int            `json:"failed"`     // repositories in StateFailed
	Pending   int            `json:"pending"`    // repositories left unfinished
	Files     int            `json:"files"`      // File records
	Bytes     int64          `json:"bytes"`      // sum of File sizes, counting shared content once per file
	Blobs     int            `json:"blobs"`      // distinct contents of files and versions
	BlobBytes int64          `json:"blob_bytes"` // sum of the sizes of distinct contents
	Versions  int            `json:"versions"`   // Version records
	Skipped   map[string]int `json:"skipped"`    // skipped entries by reason
}

// Summarize counts the records of r.
func Summarize(r Reader) (Summary, error) {
	s := Summary{Skipped: map[string]int{}}
	sizes := map[Hash]int64{}
	var before []Hash // hashes seen only as Version.Before so far

	err := r.ForEachRepo(func(repo Repo) error {
		switch repo.State {
		case StateDone:
			s.Repos++
		case StateFailed:
			s.Failed++
			return nil
		default:
			s.Pending++
			return nil
		}
		for reason, n := range repo.Skipped {
			s.Skipped[reason] += n
		}

		err := r.ForEachFile(repo.Name, func(f File) error {
			s.Files++
			s.Bytes += f.Size
			sizes[f.Blob] = f.Size
			return nil
		})
		if err != nil {
			return err
		}
		return r.ForEachVersion(repo.Name, func(v Version) error {
			s.Versions++
			if !v.Blob.IsZero() {
				sizes[v.Blob] = v.Size
			}
			if !v.Before.IsZero() {
				before = append(before, v.Before)
			}
			return nil
		})
	})
	if err != nil {
		return Summary{}, err
	}

	// A Before blob that no File or Version.Blob names has no recorded size,
	// so read it. This happens only for the oldest commit of a history walk
	// that stopped before the root.
	for _, h := range before {
		if _, ok := sizes[h]; ok {
			continue
		}
		data, err := r.Blob(h)
		if err != nil {
			return Summary{}, err
		}
		sizes[h] = int64(len(data))
	}
	s.Blobs = len(sizes)
	for size := range maps.Values(sizes) {
		s.BlobBytes += size
	}
	return s, nil
}

// MergeResult counts what [Merge] did.
type MergeResult struct {
	Copied    int // finished repositories copied
	Failed    int // failure records copied
	Unchanged int // finished in the destination already, or failed in both stores
	Conflicts int // finished in both stores at different commits; the destination's are kept
}

// Merge copies the finished and failed repositories of src into dst, with
// their files, versions and blobs. A repository already finished in dst is
// kept. A failure in src does not replace a finished repository in dst, and
// unfinished repositories of src are not copied. Merging the stores of all
// shards of a repository list gives the records of one crawl of the list.
func Merge(dst Storer, src Reader) (MergeResult, error) {
	var result MergeResult
	err := src.ForEachRepo(func(repo Repo) error {
		if repo.State != StateDone && repo.State != StateFailed {
			return nil
		}

		have, err := dst.Repo(repo.Name)
		switch {
		case err == nil && have.State == StateDone:
			result.Unchanged++
			if repo.State == StateDone && have.Commit != repo.Commit {
				result.Conflicts++
			}
			return nil
		case err == nil && have.State == StateFailed && repo.State == StateFailed:
			result.Unchanged++
			return nil
		}

		if err := copyRepo(dst, src, repo); err != nil {
			return err
		}
		if repo.State == StateDone {
			result.Copied++
		} else {
			result.Failed++
		}
		return nil
	})
	return result, err
}

func copyRepo(dst Storer, src Reader, repo Repo) error {
	tx, err := dst.BeginRepo(repo.Name)
	if err != nil {
		return err
	}
	defer tx.Discard()

	copied := map[Hash]bool{}
	copyBlob := func(h Hash) error {
		if h.IsZero() || copied[h] {
			return nil
		}
		copied[h] = true
		data, err := src.Blob(h)
		if err != nil {
			return fmt.Errorf("copy repository %q: %w", repo.Name, err)
		}
		_, err = tx.PutBlob(data)
		return err
	}

	if repo.State == StateDone {
		err = src.ForEachFile(repo.Name, func(f File) error {
			if err := copyBlob(f.Blob); err != nil {
				return err
			}
			return tx.PutFile(f)
		})
		if err != nil {
			return err
		}
		err = src.ForEachVersion(repo.Name, func(v Version) error {
			if err := copyBlob(v.Blob); err != nil {
				return err
			}
			if err := copyBlob(v.Before); err != nil {
				return err
			}
			return tx.PutVersion(v)
		})
		if err != nil {
			return err
		}
	}
	return tx.Commit(repo)
}
