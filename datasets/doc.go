// Package datasets contains dockmine's input data as manifests: lists of the
// repositories to crawl, and a small sample of Dockerfiles written for
// dockmine's tests and examples. It has no code. Its tests check that the
// lists parse and that the sample matches its manifests.
//
// # Repository lists
//
// docker-library.txt is the expert dataset, the repositories of the
// official Docker images. github-sample.txt is the contrast dataset, a
// sample of ordinary repositories. Both pin every repository to the commit
// it was read at, in the format of dockmine crawl --repos. README.md
// describes how each list was chosen.
//
// # Sample
//
// sample/expert and sample/contrast each hold a MANIFEST.tsv and one folder
// per repository, named <owner>__<name>, the layout that dockmine corpus
// export writes. The commit column is "-" because the files were written
// here and come from no other repository. sample/history holds the
// commits of a made-up repository, one folder per commit listed in its
// COMMITS.tsv. After changing a sample file, rewrite the manifests with:
//
//	go test ./datasets -run TestSampleManifest -update
package datasets
