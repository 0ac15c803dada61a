// Package store keeps a crawled Dockerfile corpus: file contents, the files
// found in each repository, the repositories themselves and the history of
// every Dockerfile.
//
// # Records
//
// A [Repo] is one crawled repository with its [State]. Only repositories in
// [StateDone] are complete; a repository in any other state may have partial
// records left by an interrupted run, and readers skip it. A [File] is one
// Dockerfile at the crawled commit. A [Version] is one change of one
// Dockerfile on the first-parent history, with the content before and after.
// File contents are blobs addressed by their SHA-256 [Hash], so content that
// appears in many repositories is stored once.
//
// # Reading
//
// Open a corpus on disk with [OpenReadOnly] and close it when done:
//
//	st, err := store.OpenReadOnly(dir)
//	if err != nil {
//		return err
//	}
//	defer st.Close()
//
//	err = store.Walk(st, func(r store.Repo, f store.File, data []byte) error {
//		fmt.Println(r.Name, f.Path, len(data))
//		return nil
//	})
//
// [Walk] visits every file of every finished repository in name and path
// order. [Reader.ForEachVersion] lists the history of one repository.
// [Summarize] counts what a store holds.
//
// # Writing
//
// Writers call [RepoWriter.BeginRepo], add files and versions to the returned
// [RepoTx] and finish with [RepoTx.Commit]. A commit writes the repository
// record last, so a run killed before that point leaves the repository
// unfinished and the next run redoes it from the start. [Merge] copies the
// finished repositories of one store into another.
//
// # Directories
//
// A store directory holds a Badger database whose record "meta/store"
// marks it as a dockmine store. [Open] creates a store in a missing or
// empty directory, and both [Open] and [OpenReadOnly] reject any other
// directory that is not a store with [ErrNotStore]. Badger lets one process
// open a directory for writing, or many for reading, so a store cannot be
// read while a crawl writes to it: the open fails with [ErrLocked].
//
// # Implementations
//
// [Open] and [OpenReadOnly] return the on-disk store, built on Badger, and
// [NewMemory] returns an in-memory store for tests. Both types satisfy
// [Storer] and pass the same conformance tests. Optional capabilities, such as [Pruner], are found by
// type assertion.
package store
