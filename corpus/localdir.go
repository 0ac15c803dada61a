package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dockmine/dockmine/corpus/store"
)

// snapshotDir stores the Dockerfiles of a plain directory, one that is not a
// git repository, as files without a commit, and counts them. It follows the rules of git
// trees: symbolic links are counted and not followed, and ".git"
// directories are not entered. Files are opened through an [os.Root], so a
// directory swapped for a link during the walk cannot lead outside dir.
func snapshotDir(ctx context.Context, dir, repo string, tx store.RepoTx, maxFileSize int64) (RepoResult, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return RepoResult{}, fmt.Errorf("open %s: %w", dir, err)
	}
	defer root.Close()

	res := RepoResult{Skipped: map[string]int{}}
	err = fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return fs.SkipDir
			}
			return nil
		}
		if !IsDockerfileName(name) {
			return nil
		}

		reason, f, err := readDirFile(root, name, d, tx, maxFileSize)
		if err != nil {
			return err
		}
		if reason != "" {
			res.Skipped[reason]++
			return nil
		}
		f.Repo = repo
		res.Files++
		res.Bytes += f.Size
		return tx.PutFile(f)
	})
	if err != nil {
		return RepoResult{}, fmt.Errorf("walk %s: %w", dir, err)
	}
	return res, nil
}

// readDirFile applies the skip rules to one Dockerfile of a plain directory
// and stores its content when it passes them.
func readDirFile(root *os.Root, name string, d fs.DirEntry, tx store.RepoTx, maxFileSize int64) (string, store.File, error) {
	switch {
	case store.CheckPath(name) != nil:
		return SkipBadPath, store.File{}, nil
	case d.Type()&fs.ModeSymlink != 0:
		return SkipSymlink, store.File{}, nil
	case !d.Type().IsRegular():
		return SkipIrregular, store.File{}, nil
	case IsVendored(name):
		return SkipVendored, store.File{}, nil
	}

	data, err := readLimited(root, name, maxFileSize)
	if errors.Is(err, errTooLarge) {
		return SkipTooLarge, store.File{}, nil
	}
	if err != nil {
		return SkipUnreadable, store.File{}, nil
	}
	if IsBinary(data) {
		return SkipBinary, store.File{}, nil
	}

	h, err := tx.PutBlob(data)
	if err != nil {
		return "", store.File{}, err
	}
	return "", store.File{Path: filepath.ToSlash(name), Blob: h, Size: int64(len(data))}, nil
}

var errTooLarge = errors.New("file too large")

// readLimited reads name under root, or returns errTooLarge without reading
// past limit bytes.
func readLimited(root *os.Root, name string, limit int64) ([]byte, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() > limit {
		return nil, errTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}
