package corpus

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/dockmine/dockmine/corpus/store"
)

// HistoryRecord is one line of a history export: one version of one
// Dockerfile on the first-parent history of its repository.
type HistoryRecord struct {
	Repo          string    `json:"repo"`
	Path          string    `json:"path"`
	Seq           int       `json:"seq"` // position on the first-parent line; 0 is the oldest commit walked
	Commit        string    `json:"commit"`
	Parent        string    `json:"parent,omitempty"`
	Time          time.Time `json:"time"`
	SHA256        string    `json:"sha256,omitempty"` // content after the commit; absent when the commit removed the file
	Before        string    `json:"before,omitempty"` // content before the commit; absent when the commit added the file
	Bytes         int64     `json:"bytes"`
	Content       string    `json:"content,omitempty"`
	ContentBase64 string    `json:"content_base64,omitempty"` // instead of content, for bytes that are not UTF-8
}

// NewHistoryRecord returns the record of v without its content.
func NewHistoryRecord(v store.Version) HistoryRecord {
	rec := HistoryRecord{Repo: v.Repo, Path: v.Path, Seq: v.Seq, Commit: v.Commit, Parent: v.Parent, Time: v.Time, Bytes: v.Size}
	if !v.Blob.IsZero() {
		rec.SHA256 = v.Blob.String()
	}
	if !v.Before.IsZero() {
		rec.Before = v.Before.String()
	}
	return rec
}

// ExportHistoryJSONL writes one [HistoryRecord] per line to w for every
// stored version of every finished repository, ordered by repository, path
// and Seq.
func ExportHistoryJSONL(r store.Reader, w io.Writer) (ExportResult, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)

	var res ExportResult
	err := r.ForEachRepo(func(repo store.Repo) error {
		if repo.State != store.StateDone {
			return nil
		}
		counted := false
		return r.ForEachVersion(repo.Name, func(v store.Version) error {
			rec := NewHistoryRecord(v)
			if !v.Blob.IsZero() {
				data, err := r.Blob(v.Blob)
				if err != nil {
					return fmt.Errorf("read %s at %s in repository %q: %w", v.Path, v.Commit, v.Repo, err)
				}
				if utf8.Valid(data) {
					rec.Content = string(data)
				} else {
					rec.ContentBase64 = base64.StdEncoding.EncodeToString(data)
				}
				res.Bytes += int64(len(data))
			}
			if !counted {
				res.Repos++
				counted = true
			}
			res.Files++
			return enc.Encode(rec)
		})
	})
	if err != nil {
		return res, fmt.Errorf("export history: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return res, fmt.Errorf("export history: %w", err)
	}
	return res, nil
}
