// Package ast parses a Dockerfile into one abstracted tree: its
// instructions, its stages, the shell scripts its instructions run, and the
// flags and operands of every command in those scripts.
//
// Everything else in dockmine (mining, rules, linting) reads this tree, never
// raw text. [Parse] is the entry point.
//
// # Phases
//
//  1. Dockerfile. BuildKit's parser (github.com/moby/buildkit
//     frontend/dockerfile/parser) splits the file into instructions. Because
//     BuildKit reports only line numbers, the builder joins continuation lines
//     again the way BuildKit does, checks the result against BuildKit's own,
//     and keeps a map back to the file, so that every node has an exact
//     line:column range. Flags (--mount, --from, unknown ones too), JSON and
//     shell forms, heredocs, parser directives, ONBUILD and comments are kept.
//  2. Stages. Each FROM starts a [Stage] with its alias, its base image split
//     into registry, repository, tag and digest (with ARG defaults declared
//     before the first FROM substituted), the stage it builds on, whether it is
//     final, whether other stages copy from it and whether the final stage
//     depends on it.
//  3. Shell. mvdan.cc/sh/v3 parses the shell form of RUN, CMD, ENTRYPOINT and
//     HEALTHCHECK CMD, and heredoc bodies that RUN executes, in the dialect of
//     the stage's SHELL. PowerShell and cmd scripts are marked, not parsed. A
//     POSIX script that only parses as Bash is parsed as Bash and marked
//     [Script.BashOnly]. Strings given to sh -c, bash -c and su -c, and
//     heredocs fed to a shell, are parsed as nested scripts. Wrappers such as
//     sudo, env, timeout, xargs and find -exec are seen through.
//  4. Commands. Package [github.com/dockmine/dockmine/ast/schema] binds each
//     command's words to flags (canonical name, spelling, value, count) and
//     operands (with a role such as package, url or path) using declarative
//     schemas.
//  5. Abstraction. Each operand gets [Tag]s: URL and scheme, path kind and
//     well-known directory, archive and signature extensions, version,
//     checksum, number, variable and glob.
//
// # Positions
//
// A [Range] holds byte offsets and 1-based line and byte columns of the
// original file. Ranges stay exact through line continuations and heredocs.
// A flag inside a combined word (the z of tar -xzf) has its own range when
// the word is unquoted. Inside a quoted nested script whose value differs
// from its source text (escaped quotes), every range points at the start of
// the quoted word.
//
// # Errors
//
// [Parse] fails with a [*ParseError] (file:line:col: message) on input
// BuildKit rejects, on binary or non-UTF-8 input, and with [ErrTooLarge] on
// input above the size limit. A shell syntax error does not fail the file: it
// is kept in [Script.Err] and the script has no commands.
//
// # Tags
//
// The tag vocabulary, for rules and the miner:
//
//	url, scheme:https, scheme:http, scheme:ftp, scheme:git
//	path, path:absolute, path:relative, path:home
//	dir:NAME         at or below a well-known directory, such as
//	                 dir:apt-lists (/var/lib/apt/lists), dir:apt-cache,
//	                 dir:apk-cache, dir:yum-cache, dir:dnf-cache,
//	                 dir:pip-cache, dir:npm-cache, dir:gem-cache,
//	                 dir:cargo-cache, dir:go-cache, dir:usr-src, dir:tmp
//	archive, ext:EXT  tar.gz, tgz, zip, deb, whl, ...
//	signature         .asc, .sig, .gpg, .sign
//	checksum-file     SHA256SUMS, *.sha256, ...
//	version, checksum, number, variable, glob
//	package, pinned   an operand whose role is package, and whether it
//	                  names a version (pkg=1.2, pkg==1.2, pkg@1.2)
package ast
