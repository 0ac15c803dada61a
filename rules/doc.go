// Package rules holds dockmine's rule language, the rule packs written in
// it and the checker that runs a compiled pack on a parsed Dockerfile.
//
// # Rules
//
// A [Rule] is one YAML file, rules/PACK/CODE-name.yaml. Its code is DM and
// four digits, permanent and never reused; the first digit is the family:
//
//	0  parse failures and meta rules (pragmas)
//	1  single instructions: FROM, USER, WORKDIR, EXPOSE, ADD, ENV, LABEL, CMD
//	2  stages and whole files: stage names, COPY --from, repeated CMD, SHELL
//	3  package managers in RUN: apt, apk, yum, dnf, zypper, pip, npm, gem, go
//	4  other shell commands in RUN: cd, sudo, wget, curl, ln, useradd
//	5  security and compliance: secrets, TLS checks, remote code, SSH
//
// Mined rules take the family of what they match. A rule either states a
// [Pattern] (match, require, scope, exceptions) or names a [Builtin] check
// written in Go, for what a pattern cannot say. rules/README.md documents
// the language with examples.
//
// # Packs
//
// [LoadFile] and [LoadDir] read rule files strictly: an unknown field is an
// error at path:line:col. [Compile] validates the rules, runs each alone on
// its examples and builds a [Pack], whose JSON form is deterministic and
// carries a content hash. [Default] returns the pack compiled from every
// pack directory of the repository and embedded in the binary; go generate
// in this directory rewrites it, and a test fails when it is stale.
//
// # Checking
//
// [Pack.Check] runs a pack on a parsed file (an ast.File). Rules are
// indexed by command name and instruction keyword, and their patterns are
// compiled once, so a file only meets the rules that can match it. Findings point at the exact
// span (the command, flag, operand or instruction argument) and are sorted
// by position. A [Fix] is a list of byte edits of the original file;
// [ApplyFixes] applies them. [Pack.Lint] also parses the file and reports
// a file that does not parse as a finding of the parse rule (DM0001, alias
// DL1000).
package rules
