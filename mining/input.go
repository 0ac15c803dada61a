package mining

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// ManifestName is the file at the root of a corpus directory that maps each
// file to its repository. It is tab-separated with a header row that names at
// least the columns repo and path.
const ManifestName = "MANIFEST.tsv"

// Document is one Dockerfile given to the miner.
type Document struct {
	Repo string // repository the file came from, as "owner/name"
	Path string // slash-separated path inside the repository
	Src  []byte // the file's bytes; nil when Err is set
	Err  error  // the file could not be read; the miner records it as a failed input
}

// Name returns the name that examples and failures use: the repository and
// the path joined by a slash.
func (d Document) Name() string {
	if d.Repo == "" {
		return d.Path
	}
	return d.Repo + "/" + d.Path
}

// Source yields the documents of one corpus. It must yield all documents of
// a repository one after another, because the miner groups near-duplicate
// files within a repository. A non-nil error stops the run: it is for
// failures of the source itself, such as a store that cannot be read. A file
// that cannot be read is a Document with Err set.
type Source = iter.Seq2[Document, error]

// ErrRepoSplit is returned when a [Source] yields the files of one
// repository in two separate runs.
var ErrRepoSplit = errors.New("source yields a repository's files in two separate runs")

// fileRef is a document found on disk, read when the source is iterated.
type fileRef struct {
	repo, path string // as in Document
	disk       string // path of the file to read
}

// FromPaths returns a [Source] over files and directories. A directory with
// a [ManifestName] at its root takes each file's repository from it, and a
// file it does not list from the repository of its top-level folder
// ("owner__name" holds "owner/name"). Otherwise each top-level folder is one
// repository, and files directly at the root belong to a repository named
// after the directory. A
// directory is walked for Dockerfile-like names ([ast.IsDockerfileName]). A
// file given directly belongs to a repository named after its parent
// directory. Listing happens now; file contents are read while the source
// is iterated, in repository and then path order.
func FromPaths(paths []string) (Source, error) {
	var refs []fileRef
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read input %s: %w", p, err)
		}
		if !info.IsDir() {
			dir := filepath.Base(filepath.Dir(filepath.Clean(p)))
			refs = append(refs, fileRef{repo: dir, path: filepath.Base(p), disk: p})
			continue
		}
		found, err := listDir(p)
		if err != nil {
			return nil, err
		}
		refs = append(refs, found...)
	}

	slices.SortStableFunc(refs, func(a, b fileRef) int {
		return cmp.Or(cmp.Compare(a.repo, b.repo), cmp.Compare(a.path, b.path))
	})
	refs = slices.CompactFunc(refs, func(a, b fileRef) bool { return a.repo == b.repo && a.path == b.path })

	return func(yield func(Document, error) bool) {
		for _, r := range refs {
			src, err := os.ReadFile(r.disk)
			if err != nil {
				err = fmt.Errorf("read %s: %w", r.disk, err)
				src = nil
			}
			if !yield(Document{Repo: r.repo, Path: r.path, Src: src, Err: err}, nil) {
				return
			}
		}
	}, nil
}

// listDir lists the Dockerfiles of a corpus directory with their
// repositories.
func listDir(root string) ([]fileRef, error) {
	manifest, err := readManifest(filepath.Join(root, ManifestName))
	if err != nil {
		return nil, err
	}
	rootName := filepath.Base(filepath.Clean(root))

	var refs []fileRef
	listed := map[string]bool{}
	folderRepo := map[string]string{} // top-level folder to the repository the manifest names
	for _, row := range manifest {
		folder := strings.ReplaceAll(row.repo, "/", "__")
		disk := filepath.Join(root, folder, filepath.FromSlash(row.path))
		refs = append(refs, fileRef{repo: row.repo, path: row.path, disk: disk})
		listed[filepath.Clean(disk)] = true
		folderRepo[folder] = row.repo
	}

	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("list %s: %w", p, err)
		}
		if d.IsDir() || !d.Type().IsRegular() || !ast.IsDockerfileName(d.Name()) || listed[filepath.Clean(p)] {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		repo, inner, nested := strings.Cut(rel, "/")
		if !nested {
			repo, inner = rootName, rel
		} else if named, ok := folderRepo[repo]; ok {
			repo = named
		}
		refs = append(refs, fileRef{repo: repo, path: inner, disk: p})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return refs, nil
}

type manifestRow struct {
	repo, path string
}

// readManifest reads the repo and path columns of a manifest. A missing
// manifest is no error and returns no rows.
func readManifest(name string) ([]manifestRow, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	defer f.Close()

	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	repoCol, pathCol := -1, -1
	var rows []manifestRow
	for line := 1; sc.Scan(); line++ {
		cols := strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t")
		if line == 1 {
			repoCol, pathCol = slices.Index(cols, "repo"), slices.Index(cols, "path")
			if repoCol < 0 || pathCol < 0 {
				return nil, fmt.Errorf("read manifest %s: header must name the columns repo and path", name)
			}
			continue
		}
		if len(cols) <= max(repoCol, pathCol) || cols[repoCol] == "" || cols[pathCol] == "" {
			return nil, fmt.Errorf("read manifest %s:%d: missing repo or path", name, line)
		}
		rows = append(rows, manifestRow{repo: cols[repoCol], path: cols[pathCol]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", name, err)
	}
	return rows, nil
}

// FromDocuments returns a [Source] over documents held in memory. It sorts
// a copy by repository and path, so any order is accepted.
func FromDocuments(docs []Document) Source {
	sorted := slices.Clone(docs)
	slices.SortStableFunc(sorted, func(a, b Document) int {
		return cmp.Or(cmp.Compare(a.Repo, b.Repo), cmp.Compare(a.Path, b.Path))
	})
	return func(yield func(Document, error) bool) {
		for _, d := range sorted {
			if !yield(d, nil) {
				return
			}
		}
	}
}
