package corpus

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/dockmine/dockmine/corpus/store"
)

// ManifestName is the file that [ExportDir] writes at the root of its
// output. Its header is [ManifestHeader] and it has one row per file, in
// repository and then path order.
const (
	ManifestName   = "MANIFEST.tsv"
	ManifestHeader = "repo\tcommit\tpath\tbytes\tsha256"
)

// ErrUnsafePath marks an export path that would leave the output directory.
var ErrUnsafePath = errors.New("unsafe export path")

// ExportResult counts what an export wrote.
type ExportResult struct {
	Repos    int     // repositories with at least one file written
	Files    int     // files written
	Bytes    int64   // bytes written, not counting the manifest
	Rejected []error // files not written because their path was unsafe
}

// ExportDir writes every file of every finished repository in r to
// out/<owner>__<name>/<path> and lists them in out/MANIFEST.tsv. It rejects,
// and reports in the result, a path that would leave out: one with ".."
// elements, an absolute one, or one that passes through a symbolic link.
// Other failures stop the export.
func ExportDir(r store.Reader, out string) (ExportResult, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return ExportResult{}, fmt.Errorf("export: %w", err)
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		return ExportResult{}, fmt.Errorf("export: %w", err)
	}
	defer root.Close()

	manifest, err := root.Create(ManifestName)
	if err != nil {
		return ExportResult{}, fmt.Errorf("export: %w", err)
	}
	defer manifest.Close()
	w := bufio.NewWriter(manifest)
	fmt.Fprintln(w, ManifestHeader)

	var res ExportResult
	lastRepo := ""
	err = store.Walk(r, func(repo store.Repo, f store.File, data []byte) error {
		rel := store.DirName(repo.Name) + "/" + f.Path
		if err := writeUnder(root, rel, data); err != nil {
			if errors.Is(err, ErrUnsafePath) {
				res.Rejected = append(res.Rejected, err)
				return nil
			}
			return err
		}
		if repo.Name != lastRepo {
			res.Repos++
			lastRepo = repo.Name
		}
		res.Files++
		res.Bytes += int64(len(data))
		_, err := fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\n", repo.Name, f.Commit, f.Path, len(data), f.Blob)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if err := w.Flush(); err != nil {
		return res, fmt.Errorf("export: write manifest: %w", err)
	}
	if err := manifest.Close(); err != nil {
		return res, fmt.Errorf("export: write manifest: %w", err)
	}
	return res, nil
}

// writeUnder writes data to rel under root, creating parent directories.
// It rejects rel with ErrUnsafePath when rel is not a clean relative path or
// when any existing element of it is a symbolic link, even one that stays
// inside root.
func writeUnder(root *os.Root, rel string, data []byte) error {
	if err := store.CheckPath(rel); err != nil {
		return fmt.Errorf("%w: %w", ErrUnsafePath, err)
	}

	elems := strings.Split(rel, "/")
	for i := range elems {
		p := strings.Join(elems[:i+1], "/")
		info, err := root.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if i < len(elems)-1 {
				if err := root.Mkdir(p, 0o755); err != nil {
					return fmt.Errorf("export %s: %w", rel, err)
				}
			}
		case err != nil:
			return fmt.Errorf("export %s: %w", rel, err)
		case info.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%w: %q passes through symbolic link %q", ErrUnsafePath, rel, p)
		case i < len(elems)-1 && !info.IsDir():
			return fmt.Errorf("export %s: %s is not a directory", rel, p)
		}
	}

	f, err := root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("export %s: %w", rel, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("export %s: %w", rel, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export %s: %w", rel, err)
	}
	return nil
}

// ExportRecord is one line of a JSON Lines export: a file with its content.
// Content holds text that is valid UTF-8, and ContentBase64 holds any other
// content, since JSON strings cannot carry arbitrary bytes.
type ExportRecord struct {
	Repo          string `json:"repo"`
	Commit        string `json:"commit"`
	Path          string `json:"path"`
	Bytes         int    `json:"bytes"`
	SHA256        string `json:"sha256"`
	Content       string `json:"content,omitempty"`
	ContentBase64 string `json:"content_base64,omitempty"`
}

// ExportJSONL writes one [ExportRecord] per line to w for every file of
// every finished repository in r. [ExportHistoryJSONL] writes the versions.
func ExportJSONL(r store.Reader, w io.Writer) (ExportResult, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)

	var res ExportResult
	lastRepo := ""
	err := store.Walk(r, func(repo store.Repo, f store.File, data []byte) error {
		rec := ExportRecord{Repo: repo.Name, Commit: f.Commit, Path: f.Path, Bytes: len(data), SHA256: f.Blob.String()}
		if utf8.Valid(data) {
			rec.Content = string(data)
		} else {
			rec.ContentBase64 = base64.StdEncoding.EncodeToString(data)
		}
		if repo.Name != lastRepo {
			res.Repos++
			lastRepo = repo.Name
		}
		res.Files++
		res.Bytes += int64(len(data))
		return enc.Encode(rec)
	})
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	return res, nil
}
