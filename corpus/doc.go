// Package corpus builds a corpus of Dockerfiles: it finds repositories,
// fetches them, extracts every Dockerfile and keeps the result in a
// [store.Storer].
//
// # Sources
//
// A [Source] is one repository: a GitHub "owner/name", a clone URL or a
// local path, optionally pinned to a commit. [ReadSourceFile] reads a list
// of them, [Search] finds them with the GitHub search API, and [Shard]
// splits a list between machines.
//
// # Fetching
//
// A local path is read in place: a git repository through go-git, any other
// directory as plain files. Anything else is cloned into memory with depth
// 1, a single branch and no worktree, or with the history that
// [Options.History] needs. [Rewrite] rules point clone URLs at mirrors.
//
// # Extraction
//
// A file is kept when [IsDockerfileName] matches its base name. Symbolic
// links, submodules, files under vendor/ or node_modules/, files over
// [Options.MaxFileSize], binary files and unsafe paths are skipped and
// counted by reason (see [SkipSymlink] and the constants after it). With
// [Options.History], every change of a Dockerfile on the first-parent line
// of HEAD is stored as a [store.Version].
//
// # Crawling
//
// [Crawl] runs many repositories at once. Each repository is written in one
// store transaction that ends with its record, so a crawl killed at any
// moment resumes without losing or repeating finished repositories. A
// failing repository is recorded with its error and does not stop the
// crawl.
//
// # Exporting
//
// [ExportDir] writes the files to a directory with a MANIFEST.tsv, and
// [ExportJSONL] writes them as JSON Lines.
package corpus
