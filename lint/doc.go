// Package lint runs rule packs over Dockerfiles and turns their findings
// into diagnostics: exact positions, effective severities, suppression by
// configuration and pragmas, and fixes applied to the source.
//
// # Running
//
// A [Linter] is built from [Options]: the packs to run, the rules chosen
// with Only and Ignore, and a [Resolver] that gives each Dockerfile the
// settings of its configuration file. [Linter.Lint] lints many files in
// parallel and returns one [Result] per input, in input order. A Dockerfile
// that does not parse becomes a diagnostic of the pack's parse rule, so the
// other files are still linted.
//
// # Pragmas
//
// A whole-line comment can suppress findings:
//
//	# dockmine ignore=DM3008,DM3009 # reason
//	# dockmine stage ignore=DM3008 # reason
//	# dockmine global ignore=DM3008 # reason
//
// The first form covers the instruction that follows the comment, or the
// one it sits in when it is a comment line inside a continued instruction.
// The stage form covers the rest of the stage and the global form the whole
// file. hadolint's "# hadolint ignore=DL3008" comments, with the same global
// and stage forms, and BuildKit's "# check=skip=Name" parser directive are
// read too, with their codes resolved through rule aliases. The
// disable-ignore-pragma setting turns all of them off.
//
// # Fixes
//
// With [Options.Fix], the edits of the reported findings are applied to the
// source, and the file is linted again until no fix applies, so that one
// fix cannot hide a finding that another would have needed. Edits that
// overlap an edit already taken wait for the next round. [Result.Fixed]
// holds the new text, and [UnifiedDiff] and [WriteFileAtomic] show or save
// it.
package lint
