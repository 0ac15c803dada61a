package store

import (
	"errors"
	"io"
	"time"
)

// Errors that callers test with [errors.Is].
var (
	ErrNotFound    = errors.New("not found")
	ErrInvalidName = errors.New("invalid repository name")
	ErrInvalidPath = errors.New("invalid file path")
	ErrTxDone      = errors.New("repository transaction already finished")
	ErrBusy        = errors.New("store has unfinished repository transactions")
	ErrMissingBlob = errors.New("record names a blob that is not stored")
)

// State is the crawl state of a repository.
type State string

// Repository states. A repository without a record has not been crawled.
const (
	StatePending State = "pending" // a rewrite started and has not finished
	StateDone    State = "done"    // all files and versions are stored
	StateFailed  State = "failed"  // the crawl failed, and Error contains the cause
)

// Repo is the record of one crawled repository.
type Repo struct {
	Name       string         `json:"name"`                  // "owner/name"
	Source     string         `json:"source,omitempty"`      // clone URL or local path, without credentials
	State      State          `json:"state"`                 // see the State constants
	Commit     string         `json:"commit,omitempty"`      // hex id of the crawled commit; empty for plain directories
	CommitTime time.Time      `json:"commit_time,omitzero"`  // committer date of Commit
	CrawledAt  time.Time      `json:"crawled_at,omitzero"`   // when the record was written, UTC
	Error      string         `json:"error,omitempty"`       // failure message for StateFailed
	Files      int            `json:"files"`                 // number of File records
	Versions   int            `json:"versions,omitempty"`    // number of Version records
	Skipped    map[string]int `json:"skipped,omitempty"`     // skipped entries by reason
	Stars      int            `json:"stars,omitempty"`       // stargazers when found by search
	Branch     string         `json:"branch,omitempty"`      // branch that HEAD named, if any
	Pinned     bool           `json:"pinned,omitempty"`      // Commit was requested, not taken from HEAD
	History    bool           `json:"history,omitempty"`     // Versions were collected
	HistoryCap int            `json:"history_cap,omitempty"` // first-parent commits walked at most; 0 for all
}

// File is one Dockerfile at the crawled commit of a repository.
type File struct {
	Repo   string `json:"repo"`             // Repo.Name
	Commit string `json:"commit,omitempty"` // Repo.Commit
	Path   string `json:"path"`             // slash-separated, relative to the repository root
	Blob   Hash   `json:"blob"`             // SHA-256 of the content
	Size   int64  `json:"size"`             // bytes
	Mode   uint32 `json:"mode,omitempty"`   // git file mode, such as 0o100644; 0 for plain directories
}

// Version is one change of one Dockerfile on the first-parent history: the
// file as it is at Commit and as it was at Parent.
type Version struct {
	Repo   string    `json:"repo"`             // Repo.Name
	Path   string    `json:"path"`             // slash-separated, relative to the repository root
	Seq    int       `json:"seq"`              // position on the first-parent line; 0 is the oldest commit walked
	Commit string    `json:"commit"`           // hex id of the commit that made the change
	Parent string    `json:"parent,omitempty"` // hex id of the first parent; empty for a root or shallow boundary
	Time   time.Time `json:"time"`             // committer date of Commit
	Blob   Hash      `json:"blob,omitzero"`    // content after the change; zero when the file was removed
	Before Hash      `json:"before,omitzero"`  // content before the change; zero when the file was added
	Size   int64     `json:"size"`             // bytes of Blob
	Mode   uint32    `json:"mode,omitempty"`   // git file mode after the change; 0 when removed
}

// RepoReader reads repository records.
type RepoReader interface {
	// Repo returns the record named name, or an error wrapping ErrNotFound.
	Repo(name string) (Repo, error)
	// ForEachRepo calls fn for every record in name order, in any state.
	// It stops at the first error fn returns and returns that error.
	ForEachRepo(fn func(Repo) error) error
}

// FileReader reads file records.
type FileReader interface {
	// ForEachFile calls fn for every file stored for repo, in path order. The
	// files are complete only when the repository is in StateDone.
	ForEachFile(repo string, fn func(File) error) error
}

// HistoryReader reads history records.
type HistoryReader interface {
	// ForEachVersion calls fn for every version stored for repo, ordered by
	// path and then by Seq.
	ForEachVersion(repo string, fn func(Version) error) error
}

// BlobReader reads content by hash.
type BlobReader interface {
	// Blob returns the content with hash h, or an error wrapping ErrNotFound.
	Blob(h Hash) ([]byte, error)
	// HasBlob reports whether content with hash h is stored.
	HasBlob(h Hash) (bool, error)
}

// Reader reads every kind of record.
type Reader interface {
	RepoReader
	FileReader
	HistoryReader
	BlobReader
}

// RepoWriter starts the rewrite of one repository.
type RepoWriter interface {
	// BeginRepo removes the stored files and versions of name and returns a
	// transaction that writes new ones. A previous record of name is marked
	// StatePending until the transaction commits, so a crash in between
	// makes the repository unfinished, never half-kept.
	BeginRepo(name string) (RepoTx, error)
}

// RepoTx writes the records of one repository. It is not safe for
// concurrent use, but transactions of different repositories may run at the
// same time.
type RepoTx interface {
	// PutBlob stores data, unless it is stored already, and returns its hash.
	// The store may keep a reference to data until Commit returns.
	PutBlob(data []byte) (Hash, error)
	// PutFile stores f. Its blob must be put in this transaction or stored
	// earlier.
	PutFile(f File) error
	// PutVersion stores v. Its Blob and Before, unless zero, must be put in
	// this transaction or stored earlier.
	PutVersion(v Version) error
	// Commit writes r as the repository record and ends the transaction. It
	// fails, writing no record, when a file or version names a blob that is
	// not stored.
	Commit(r Repo) error
	// Discard ends the transaction without writing the record. Records
	// already written stay invisible until the repository is begun again or
	// pruned.
	Discard() error
}

// Storer is a complete corpus store.
type Storer interface {
	Reader
	RepoWriter
	io.Closer
}

// Pruner is implemented by stores that can remove leftovers of interrupted
// runs.
type Pruner interface {
	// Prune removes the files and versions of repositories that are not in
	// StateDone and every blob that no finished repository references. It
	// returns ErrBusy while a RepoTx is open.
	Prune() (PruneResult, error)
}

// PruneResult counts what [Pruner.Prune] removed.
type PruneResult struct {
	Records int // file and version records
	Blobs   int // unreferenced blobs
}
