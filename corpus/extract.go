package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/dockmine/dockmine/corpus/store"
)

// content is a Dockerfile blob put in the store.
type content struct {
	hash store.Hash
	size int64
}

// extractor reads the Dockerfiles of one git repository into a store
// transaction. It remembers every git blob it has read, so a blob that
// appears at many paths or in many commits is read and hashed once.
type extractor struct {
	objects     storer.EncodedObjectStorer
	tx          store.RepoTx
	maxFileSize int64

	blobs   map[plumbing.Hash]content // git blob id -> stored content
	rejects map[plumbing.Hash]string  // git blob id -> skip reason
	skipped map[string]int            // skipped entries by reason
}

func newExtractor(objects storer.EncodedObjectStorer, tx store.RepoTx, maxFileSize int64) *extractor {
	return &extractor{
		objects:     objects,
		tx:          tx,
		maxFileSize: maxFileSize,
		blobs:       map[plumbing.Hash]content{},
		rejects:     map[plumbing.Hash]string{},
		skipped:     map[string]int{},
	}
}

// snapshot stores every Dockerfile in tree as a File of commit and returns
// how many files and bytes it stored. Rejected entries are counted in
// x.skipped.
func (x *extractor) snapshot(ctx context.Context, repo, commit string, tree *object.Tree) (int, int64, error) {
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	// Names are checked by eligible, which counts the unsafe ones instead of
	// stopping the walk.
	walker.SkipPathValidation()

	files, size := 0, int64(0)
	for {
		if err := ctx.Err(); err != nil {
			return files, size, err
		}
		name, entry, err := walker.Next()
		if errors.Is(err, io.EOF) {
			return files, size, nil
		}
		if err != nil {
			return files, size, fmt.Errorf("walk tree %s: %w", tree.Hash, err)
		}
		if entry.Mode == filemode.Dir {
			continue
		}

		c, reason, err := x.eligible(name, entry)
		if err != nil {
			return files, size, err
		}
		if reason != "" {
			x.skipped[reason]++
			continue
		}
		if c.hash.IsZero() {
			continue // not a Dockerfile
		}

		f := store.File{Repo: repo, Commit: commit, Path: name, Blob: c.hash, Size: c.size, Mode: uint32(entry.Mode)}
		if err := x.tx.PutFile(f); err != nil {
			return files, size, err
		}
		files++
		size += c.size
	}
}

// eligible decides whether a tree entry is a Dockerfile to keep. It returns
// the stored content for one, a skip reason for a rejected Dockerfile or a
// submodule, and neither for any other entry.
func (x *extractor) eligible(name string, entry object.TreeEntry) (content, string, error) {
	if entry.Mode == filemode.Submodule {
		return content{}, SkipSubmodule, nil
	}
	if !IsDockerfileName(name) {
		return content{}, "", nil
	}
	switch {
	case store.CheckPath(name) != nil:
		return content{}, SkipBadPath, nil
	case entry.Mode == filemode.Symlink:
		return content{}, SkipSymlink, nil
	case entry.Mode != filemode.Regular && entry.Mode != filemode.Executable && entry.Mode != filemode.Deprecated:
		return content{}, SkipIrregular, nil
	case IsVendored(name):
		return content{}, SkipVendored, nil
	}
	return x.read(entry.Hash)
}

// read stores the git blob id and returns its content, or the reason to
// skip it.
func (x *extractor) read(id plumbing.Hash) (content, string, error) {
	if c, ok := x.blobs[id]; ok {
		return c, "", nil
	}
	if reason, ok := x.rejects[id]; ok {
		return content{}, reason, nil
	}

	// go-git's on-disk storage reads a whole loose object into memory, but
	// it can report the size from the object header alone, so a huge blob is
	// rejected before its content is read.
	if sizer, ok := x.objects.(objectSizer); ok {
		if size, err := sizer.EncodedObjectSize(id); err == nil && size > x.maxFileSize {
			x.rejects[id] = SkipTooLarge
			return content{}, SkipTooLarge, nil
		}
	}
	blob, err := object.GetBlob(x.objects, id)
	if err != nil {
		return content{}, "", fmt.Errorf("read blob %s: %w", id, err)
	}
	if blob.Size > x.maxFileSize {
		x.rejects[id] = SkipTooLarge
		return content{}, SkipTooLarge, nil
	}
	data, err := readBlob(blob)
	if err != nil {
		return content{}, "", err
	}
	if IsBinary(data) {
		x.rejects[id] = SkipBinary
		return content{}, SkipBinary, nil
	}

	h, err := x.tx.PutBlob(data)
	if err != nil {
		return content{}, "", err
	}
	c := content{hash: h, size: int64(len(data))}
	x.blobs[id] = c
	return c, "", nil
}

// objectSizer is implemented by go-git object storages that can tell an
// object's size without reading it.
type objectSizer interface {
	EncodedObjectSize(plumbing.Hash) (int64, error)
}

func readBlob(blob *object.Blob) ([]byte, error) {
	r, err := blob.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", blob.Hash, err)
	}
	defer r.Close()

	data := make([]byte, 0, blob.Size)
	data, err = readAllInto(data, r)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", blob.Hash, err)
	}
	return data, nil
}

// readAllInto appends all of r to buf, as [io.ReadAll] does, but into a
// buffer sized by the caller.
func readAllInto(buf []byte, r io.Reader) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
