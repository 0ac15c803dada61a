// Package corpus builds a corpus of Dockerfiles: it finds repositories,
// fetches them, extracts every Dockerfile and keeps the result in a
// [store.Storer].
//
// # Sources
//
// A [Source] is one repository: a GitHub "owner/name", a clone URL or a
// local path, optionally pinned to a commit id of 7 to 40 hex digits.
// [ReadSourceFile] reads a list of them, [Search] finds them with the
// GitHub search API, and [Shard] splits a list between machines.
//
// A repository's name is its key in the store. A local folder named
// "owner__name" or "owner__name.git" is named "owner/name", and any other
// folder "local/<base name>-<hash>", with a hash of its absolute path (see
// [NameForPath]), so folders with one base name do not collide. Two
// sources with one name and different locations are rejected, within one
// list by [CheckUnique] and for local paths across runs by [CheckStored].
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
