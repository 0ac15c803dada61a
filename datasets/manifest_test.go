package datasets

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/corpus"
)

var update = flag.Bool("update", false, "rewrite the sample manifests from the files on disk")

// sampleRoles names the two corpora of the sample, each a folder under sample/.
var sampleRoles = []string{"expert", "contrast"}

// sampleCommit is the commit column of every sample row: the files were
// written here, so no upstream commit exists.
const sampleCommit = "-"

// manifestRow is one row of a MANIFEST.tsv.
type manifestRow struct {
	repo, commit, path string
	bytes              int64
	sha256             string
}

func (r manifestRow) String() string {
	return fmt.Sprintf("%s\t%s\t%s\t%d\t%s", r.repo, r.commit, r.path, r.bytes, r.sha256)
}

// diskPath returns where the row's file sits under root.
func (r manifestRow) diskPath(root string) string {
	return filepath.Join(root, strings.ReplaceAll(r.repo, "/", "__"), filepath.FromSlash(r.path))
}

// readManifest reads a MANIFEST.tsv and checks its header and columns.
func readManifest(t *testing.T, name string) []manifestRow {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatalf("open manifest: %v", err)
	}
	defer f.Close()

	var rows []manifestRow
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if line == 1 {
			if text != corpus.ManifestHeader {
				t.Fatalf("%s:1: header is %q, want %q", name, text, corpus.ManifestHeader)
			}
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 5 {
			t.Fatalf("%s:%d: %d columns, want 5: %q", name, line, len(cols), text)
		}
		size, err := strconv.ParseInt(cols[3], 10, 64)
		if err != nil {
			t.Fatalf("%s:%d: invalid bytes %q: %v", name, line, cols[3], err)
		}
		rows = append(rows, manifestRow{repo: cols[0], commit: cols[1], path: cols[2], bytes: size, sha256: cols[4]})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return rows
}

// scanSample lists the Dockerfiles under root as manifest rows, in
// repository and then path order, with their sizes and hashes.
func scanSample(t *testing.T, root string) []manifestRow {
	t.Helper()
	var rows []manifestRow
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == corpus.ManifestName {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		dir, inner, nested := strings.Cut(filepath.ToSlash(rel), "/")
		owner, name, named := strings.Cut(dir, "__")
		if !nested || !named || owner == "" || name == "" {
			return fmt.Errorf("%s is not under an <owner>__<name> folder", p)
		}
		if !d.Type().IsRegular() || !corpus.IsDockerfileName(inner) {
			return fmt.Errorf("%s is not a regular file with a Dockerfile name", p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		rows = append(rows, manifestRow{
			repo: owner + "/" + name, commit: sampleCommit, path: inner,
			bytes: int64(len(data)), sha256: hex.EncodeToString(sum[:]),
		})
		return nil
	})
	if err != nil {
		t.Fatalf("scan sample: %v", err)
	}
	slices.SortFunc(rows, func(a, b manifestRow) int {
		return strings.Compare(a.repo+"\x00"+a.path, b.repo+"\x00"+b.path)
	})
	return rows
}

func writeManifest(t *testing.T, name string, rows []manifestRow) {
	t.Helper()
	var b strings.Builder
	b.WriteString(corpus.ManifestHeader + "\n")
	for _, r := range rows {
		b.WriteString(r.String() + "\n")
	}
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		t.Fatalf("write manifest: %v", err)
	}
}

func TestSampleManifestMatchesFiles(t *testing.T) {
	for _, role := range sampleRoles {
		t.Run(role, func(t *testing.T) {
			root := filepath.Join("sample", role)
			name := filepath.Join(root, corpus.ManifestName)
			onDisk := scanSample(t, root)
			if *update {
				writeManifest(t, name, onDisk)
			}
			listed := readManifest(t, name)

			for _, r := range listed {
				data, err := os.ReadFile(r.diskPath(root))
				if err != nil {
					t.Errorf("manifest row %q: %v", r, err)
					continue
				}
				sum := sha256.Sum256(data)
				if got := hex.EncodeToString(sum[:]); got != r.sha256 {
					t.Errorf("%s: sha256 is %s, manifest lists %s", r.diskPath(root), got, r.sha256)
				}
				if int64(len(data)) != r.bytes {
					t.Errorf("%s: %d bytes, manifest lists %d", r.diskPath(root), len(data), r.bytes)
				}
				if r.commit != sampleCommit {
					t.Errorf("%s: commit is %q, want %q for files written here", r.diskPath(root), r.commit, sampleCommit)
				}
			}
			if !slices.Equal(listed, onDisk) {
				t.Errorf("%s does not list the files on disk in repository and path order; run go test ./datasets -update\nlisted:\n%s\non disk:\n%s",
					name, joinRows(listed), joinRows(onDisk))
			}
		})
	}
}

func joinRows(rows []manifestRow) string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = "\t" + r.String()
	}
	return strings.Join(lines, "\n")
}

func TestSampleRolesShareNoRepository(t *testing.T) {
	seen := map[string]string{}
	for _, role := range sampleRoles {
		for _, r := range readManifest(t, filepath.Join("sample", role, corpus.ManifestName)) {
			if other, ok := seen[r.repo]; ok && other != role {
				t.Errorf("repository %s is in both %s and %s", r.repo, other, role)
			}
			seen[r.repo] = role
		}
	}
}
