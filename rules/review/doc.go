// Package review records how reviewers triage the candidate rules that the
// miner proposes, and turns approved candidates into rule files.
//
// # Candidates
//
// The miner writes candidates.jsonl, one [rules.Candidate] per line. A
// [Session] reads it with [ReadCandidates], sorted by score with the best
// first, and looks candidates up by id or by a unique prefix of one.
//
// # Decisions
//
// Each reviewer has a decisions file, rules/decisions/<reviewer>.yaml,
// read and written as a [Log]. It lists every [Decision] in the order made:
// approve, reject or defer, with the time, the reviewer, a reason and the
// fields the reviewer edited. A later decision on the same candidate
// replaces the earlier one, and [Session.Undo] removes the last one. The
// session rewrites the file atomically after every decision (temporary
// file, fsync, rename), so a crash or kill loses at most the decision being
// typed.
//
// # Approval
//
// Approving a candidate gives it a permanent code, DM plus four digits
// whose first digit is the rule family (see [Family]), and writes
// <pack>/<CODE>-<name>.yaml through [rules.FromCandidate] with the
// candidate's evidence. A code is never handed to a second candidate: the
// session reserves every code that a decisions file names, including codes
// of undone approvals, and every code of a rule file in any pack beside the
// target pack. A candidate that was approved once keeps its code when it is
// approved again, by the same or another reviewer.
//
// # Agreement
//
// [Compare] measures how two reviewers agree with Cohen's kappa over the
// candidates both decided, and lists the candidates they decided
// differently.
package review
