// Package mining finds the command patterns that expert Dockerfiles follow
// and proposes them as candidate rules, each with the evidence a reviewer
// needs: how often experts follow it, how often ordinary Dockerfiles do,
// and example lines that follow and break it.
//
// The method follows Henkel et al., "Learning from, Understanding, and
// Supporting DevOps Artifacts for Docker" (ICSE 2020, the binnacle tool).
// It extends that method in four ways. Consequents may sit outside the
// matched command (a later removal, an earlier instruction). A consequent
// may be a single flag or a disjunction. Rules may be negative. Support is
// counted per template family, so generated files count once.
//
// # Trees, antecedents and consequents
//
// Every file is parsed with [ast.Parse]; the miner reads the tree, and
// the raw text only to quote examples. It records
// occurrences: places where an antecedent holds, each with the consequents
// that hold there. A pattern is an antecedent and a consequent. Its
// candidate rule states "where the antecedent holds, the consequent holds
// too". The keys are listed in keys.go. Antecedents are:
//
//   - a command and subcommand as the schemas name them ("apt-get
//     install"), also with a mode flag that changes what it does ("tar
//     --extract", "gpg --verify") or with an operand in a well-known
//     directory ("mkdir <dir:usr-src>");
//   - a command that names an object ("tar @archive", "mktemp @output"),
//     whose consequents are the later and earlier commands that name the
//     same object;
//   - a command with operands of one role ("curl <url>"), whose consequents
//     are the tags that all such operands carry, after static ENV and ARG
//     values are substituted;
//   - a command name used with subcommands in one script ("apt-get"), whose
//     consequents are the subcommands run there;
//   - an instruction keyword, the final stage and the whole file, whose
//     consequents are features such as "pinned" or "exec-form".
//
// A command's consequents are its flags (canonical names, so aliases such
// as -y, --yes and --assume-yes are one), static short flag values, the
// events of later commands in the same script ("after"), of earlier ones
// ("before") and of earlier instructions of the stage ("stage-before":
// variables set, configuration files written, the shell's pipefail). An
// event is a command name with subcommand and mode flag, a cleanup of a
// well-known directory ("clean <dir:apt-lists>"), a checksum line echoed,
// or a file written. A cleanup is disjunctive: rm of the directory, or a
// cache or tmpfs mount on it for the RUN, satisfies it. An event is bound
// to an object antecedent when one of its operands names the same object:
// the archive tar extracted, the signature gpg verified, the directory a
// variable assigned from mktemp -d holds ("rm @output").
// Objects are compared after quotes are removed, variables that ENV, ARG
// or an earlier statement of the script (dir=/usr/src/php, export
// dir=...) set to a known value are substituted, ${X} is written $X and
// relative paths are joined to the directory cd moved to; a removed
// directory or a glob covers what is inside it. The same substitution gives
// "$SRC" the tags of its value, and a flag value such as --keyserver
// "$PGP_KEYSERVER" its "value" consequent.
//
// Control flow matters: a command that may be skipped (in a branch, a loop,
// after ||) satisfies only antecedents that may be skipped too. Commands
// inside sh -c count like the others. Each count exists twice: over all
// stages, and over stages whose layers reach the final image (the final
// stage and the stages it is built FROM); a candidate marked "[final
// image]" holds clearly better in the latter, as cleanups do, because a
// builder stage's layers are thrown away.
//
// # Evidence
//
// Support is counted in instances, files, repositories and template
// families. Files of one repository whose normalized instruction text is
// near-identical form a family: their one-permutation MinHash signatures
// over shingles of three tokens, with digit runs and long hexadecimal
// strings replaced, estimate a Jaccard similarity of at least
// --family-similarity (default 0.7), joined by single linkage. Files of
// different repositories never share a family.
//
// Confidence is family-weighted: each family that contains the antecedent
// counts as one, split among its occurrences, and confidence is the
// satisfied share of that weight. So a repository with fifty generated
// Dockerfiles weighs as much as one with a single file of the same
// template.
//
// A candidate needs, by default, at least 2 repositories (--min-repos) and
// 3 families (--min-families) where it is satisfied, and a confidence of at
// least 0.65 (--min-confidence). The confidence bar is moderate because
// candidates are a review queue ranked by the contrast comparison, not
// rules approved automatically: a practice that two thirds of expert
// families follow and almost no ordinary Dockerfile does is worth a
// reviewer's look.
//
// # Contrast and score
//
// With a contrast corpus of ordinary Dockerfiles, each candidate also
// carries the contrast confidence. Expert confidence is smoothed with one
// satisfied and one violated family, e = (W+1)/(F+2); the contrast
// confidence is pulled toward e by two families, c = (Wc+2e)/(Fc+2), so a
// contrast corpus that hardly runs the antecedent shows no difference
// rather than a made-up one. Lift is e/c. The odds ratio
// OR = (e/(1-e)) / (c/(1-c)) measures how much more often experts follow
// the pattern, and the score is
//
//	score = confidence * log2(1 + OR) * log2(1 + repositories)
//
// Without a contrast corpus, the factor log2(1 + OR) is 1 and lift is 0.
// Candidates are sorted by score, then by id.
//
// Candidates are dropped when:
//
//   - an operand tag or instruction feature holds in at least 95% of both
//     corpora with OR below 2: syntax everyone writes. Flags and command
//     orders are choices, so they are kept and ranked low even when both
//     corpora follow them (apt-get install -y);
//   - a follows or precedes consequent is not at least 1.25 times as likely
//     near the antecedent as near any command (set -eux "precedes"
//     everything);
//   - the consequent restates the antecedent (tar --extract has --extract);
//   - the same rule on the plain command is at most 0.05 less confident
//     than on a refined antecedent (tar --extract beside tar);
//   - the consequent is a subcommand a script runs, which shows what it
//     builds; only its absence makes a rule.
//
// # Negative rules
//
// A negative (absent) candidate says experts avoid a flag, flag value,
// subcommand, operand tag, instruction feature or wrapper (sudo) that the
// contrast corpus uses: its expert confidence of avoiding is at least
// --min-confidence, the contrast uses it in at least --min-repos
// repositories, and the odds ratio of avoiding is at least 2. Commands run
// before or after are left out, since not running pip says what experts
// build, not how. Negative rules need a contrast corpus.
//
// # Examples
//
// Each candidate lists up to 5 satisfied and 5 violated examples, one per
// template family, chosen by the lowest hash of file name and offset, so
// they are the same in every run and after a merge. Violated examples of a
// pattern that a repository never satisfies come from a sample of the 32
// lowest-hash occurrences of each antecedent, so a rule that almost always
// holds may show fewer than 5.
//
// Each example also keeps its instruction cut out as a Dockerfile of its
// own: the file's parser directives and ARGs before the first FROM, the
// FROM that names the base image of its stage (the first of the stages it
// is built FROM), the ENV, ARG, SHELL and WORKDIR instructions of those
// stages before it, and the instruction itself; one longer than 32 KiB is
// dropped. A candidate's example_bad and example_good hold up to 3 of them,
// the shortest first, from the violated and satisfied examples, and then
// from those of the contrast corpus, so that a rule experts never break
// still gets a real bad example. [rules.FromCandidate] tries them first
// when it picks a rule's examples.
//
// # Files
//
// A run writes to its output directory:
//
//   - candidates.jsonl: one [rules.Candidate] per line, best first. Its id
//     is "mine-" and 12 hex digits of the SHA-256 of kind, scope,
//     antecedent key, consequent key and variant. Support.instances counts
//     the antecedent's occurrences that satisfy it, support.violated those
//     that break it; for an absent candidate, satisfying means avoiding
//     the consequent.
//   - candidates.md: the same as a ranked list to read.
//   - commands.csv: per command and subcommand, its instances, files and
//     repositories, the runs the schema matched, flags written and flags
//     the schema does not list, and the contrast corpus's instances and
//     repositories.
//   - summary.json: corpus counts with every failed input and its error,
//     template families, thresholds, counts of dropped patterns by reason,
//     and timing ([Summary]).
//   - counts.jsonl.gz and contrast-counts.jsonl.gz: the counts, as gzip
//     JSON lines sorted by text ([Counts.WriteTo]): a header, the example
//     Dockerfiles ({"doc": id, "text": ...}, each once, named by 16 hex
//     digits of their SHA-256), then antecedents, patterns and commands.
//
// # Merging
//
// Counts are sums of integers and example lists that keep the lowest
// hashes, so [Counts.Merge] of shards that split the repositories gives the
// counts of one run, and [MergeShards] the same output files. A repository
// must not be split between shards; Merge rejects shards that share one.
//
// # History
//
// [MineHistory] follows patterns and rules through every version of every
// Dockerfile of a corpus crawled with its history (dockmine crawl
// --history, then dockmine mine history --store DIR). Each path's versions
// are the file after the oldest commit walked and after every later commit
// that changed it ([FileHistory]). Each distinct content is parsed once
// and mined as above; a version that does not parse is listed in the
// summary and skipped, so that the versions around it are compared with
// each other.
//
// The patterns followed are those of a candidates.jsonl given with
// --candidates (found again by their ids), or, without one, every pattern
// whose consequent is a flag, a flag value or an operand tag. The rules
// followed are those candidates, with the miner's own notion of a
// violation, and every rule of a pack (the built-in one unless --pack or
// --no-pack says otherwise) that is not retired, as the linter reports
// them.
//
// A run writes to its output directory:
//
//   - drift.csv: one row per pattern and year in which its antecedent
//     occurs, with the columns candidate (the id, or empty without
//     candidates), kind, antecedent and consequent (as in
//     candidates.jsonl), year, repos, files and instances (where the
//     antecedent occurs), with_consequent (of those instances, the ones
//     where the consequent holds) and share (with_consequent / instances).
//     A year counts the files as they were at its end: the last version of
//     each path committed in or before it, unless that version deleted the
//     file. Rows are sorted by antecedent, consequent, kind and year.
//   - history.jsonl: one [RuleHistory] per candidate, then per pack rule.
//     A violation is a place the rule flags; two versions of a file share
//     one when its line is the same after runs of digits become 0 and
//     hexadecimal words of 16 or more characters become #, so a version
//     bump is no fix. present_at_start counts the violations after the
//     oldest commit walked, introduced those a later commit added, fixed
//     those a later commit removed from a file it kept, removed_with_file
//     those of deleted files, and open those at the last commit. fix_rate
//     is fixed / (present_at_start + introduced), fix_days_median the
//     median days from the commit that added a violation to the one that
//     fixed it, by_year the violations at each year's end, and fixes the
//     first 5 fixing commits.
//   - history-summary.json: the counts of repositories, paths, versions
//     and contents, the contents that did not parse with their errors, the
//     years covered, and the ids of candidates whose pattern this miner
//     does not make ([HistorySummary]).
//
// # Memory and speed
//
// Files are parsed in parallel and folded one repository at a time, so
// memory grows with the number of distinct patterns and with the largest
// repository, not with the corpus. Examples, with their Dockerfiles, are
// kept for both corpora. BenchmarkMine100k measures 100,000 files end to
// end.
package mining
