#!/usr/bin/env bash
# Produces the data that the study notebooks read, then executes every
# notebook headless and fails when a cell fails.
#
# usage: notebooks/run.sh [--sample] [DATA_DIR]
#
# The corpora are ../shared/corpus (gold, wild and history/*.git) beside the
# repository, or datasets/sample when that is absent or --sample is given.
# DATA_DIR receives the data, the figures (figures/) and the executed
# notebooks (executed/); it defaults to a new temporary directory. The
# notebooks themselves are never written to.
#
# Needs Go, git, and /usr/bin/python3 with the Debian packages
# python3-pandas, python3-matplotlib, python3-nbconvert and python3-ipykernel
# (set PYTHON to use another interpreter that has them). DOCKMINE, when
# set, names a dockmine binary to use instead of building one.
# DOCKMINE_PACKS, a comma-separated list of compiled packs, adds packs to
# the lint runs as it does for dockmine lint.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
notebooks=(corpus candidates violations history)

log() { printf 'run.sh: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}

usage() {
	echo "usage: notebooks/run.sh [--sample] [DATA_DIR]" >&2
	exit 2
}

use_sample=false
data=""
while [ $# -gt 0 ]; do
	case "$1" in
	--sample) use_sample=true ;;
	-h | --help) usage ;;
	-*)
		log "unknown flag $1"
		usage
		;;
	*)
		[ -z "$data" ] || usage
		data="$1"
		;;
	esac
	shift
done

# Check the tools before any work starts.
export PATH="/usr/local/go/bin:$PATH"
[ -n "${DOCKMINE:-}" ] || command -v go >/dev/null || die "go not found: install Go 1.26 or newer"
command -v git >/dev/null || die "git not found: install git"
"$python" -c 'import pandas, matplotlib, nbconvert, ipykernel' 2>/dev/null ||
	die "$python cannot import pandas, matplotlib, nbconvert or ipykernel: apt-get install python3-pandas python3-matplotlib python3-nbconvert python3-ipykernel"

# Notebooks are committed without outputs, so that diffs show code only.
"$python" - "${notebooks[@]/#/$root/notebooks/}" <<'EOF' || die "strip the outputs before committing: $python -m nbconvert --clear-output --inplace notebooks/*.ipynb"
import json, sys

dirty = []
for name in sys.argv[1:]:
    with open(name + ".ipynb", encoding="utf-8") as f:
        cells = json.load(f)["cells"]
    if any(c.get("outputs") or c.get("execution_count") for c in cells if c["cell_type"] == "code"):
        dirty.append(name + ".ipynb")
if dirty:
    print("run.sh: notebooks with outputs: " + ", ".join(dirty), file=sys.stderr)
    sys.exit(1)
EOF

shared="$root/../shared/corpus"
if ! $use_sample && [ -f "$shared/gold/MANIFEST.tsv" ] && [ -f "$shared/wild/MANIFEST.tsv" ]; then
	source_name=shared
	expert="$(cd "$shared/gold" && pwd)"
	contrast="$(cd "$shared/wild" && pwd)"
	history_repos=("$shared"/history/*.git)
else
	$use_sample || log "no shared corpora at $shared: using datasets/sample"
	source_name=sample
	expert="$root/datasets/sample/expert"
	contrast="$root/datasets/sample/contrast"
	history_repos=()
fi

if [ -z "$data" ]; then
	data="$(mktemp -d "${TMPDIR:-/tmp}/dockmine-study.XXXXXX")"
fi
mkdir -p "$data"
data="$(cd "$data" && pwd)"
# Output of an earlier run would mix with this one's.
for sub in corpus mine lint history executed figures; do
	rm -rf "${data:?}/$sub"
done
work="$(mktemp -d "${TMPDIR:-/tmp}/dockmine-study-work.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log "data directory: $data ($source_name corpora)"

# The lint runs must not depend on the caller's settings: an empty config
# file replaces the search for .dockmine.yaml, and only DOCKMINE_PACKS of
# the DOCKMINE_* variables is kept.
for var in $(compgen -e | grep '^DOCKMINE_' || true); do
	[ "$var" = DOCKMINE_PACKS ] || unset "$var"
done
printf '{}\n' >"$work/lint-config.yaml"

# dm runs dockmine and accepts exit status 1, which means findings or files
# that did not parse, both of which the notebooks count.
dm() {
	local status=0
	"$work/dockmine" "$@" || status=$?
	[ "$status" -le 1 ] || die "dockmine $1 failed with exit status $status"
}

# dm_logged is dm with the standard error of dockmine in the file LOG, whose
# end is printed when dockmine fails.
dm_logged() {
	local log_file="$1" status=0
	shift
	"$work/dockmine" "$@" 2>>"$log_file" || status=$?
	if [ "$status" -gt 1 ]; then
		tail -n 20 "$log_file" >&2
		die "dockmine $1 failed with exit status $status"
	fi
}

# build_history SPEC OUT turns a sample history folder into a git
# repository at OUT: one commit per version folder listed in SPEC/COMMITS.tsv
# (columns version, date and message), with the tree of that folder.
build_history() {
	local spec="$1" out="$2" version date message
	git init -q -b main "$out"
	while IFS=$'\t' read -r version date message; do
		[ "$version" = version ] && continue
		find "$out" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
		cp -R "$spec/$version/." "$out/"
		git -C "$out" add -A
		GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" git -C "$out" \
			-c user.name="dockmine sample" -c user.email=sample@example.invalid -c commit.gpgsign=false \
			commit -q -m "$message"
	done <"$spec/COMMITS.tsv"
}

# has_verb reports whether this dockmine has the command given as words,
# such as "mine" or "corpus export --history".
has_verb() {
	local help_text
	case "$*" in
	mine) help_text="$("$work/dockmine" help)" && grep -q '^  mine ' <<<"$help_text" ;;
	"corpus export --history")
		help_text="$("$work/dockmine" corpus export -h 2>&1 || true)"
		grep -q -- '-history' <<<"$help_text"
		;;
	*) return 1 ;;
	esac
}

missing=()
started=$SECONDS

if [ -n "${DOCKMINE:-}" ]; then
	[ -x "$DOCKMINE" ] || die "DOCKMINE names $DOCKMINE, which is not an executable file"
	ln -s "$(cd "$(dirname "$DOCKMINE")" && pwd)/$(basename "$DOCKMINE")" "$work/dockmine"
else
	log "building dockmine"
	(cd "$root" && go build -buildvcs=false -o "$work/dockmine" ./cmd/dockmine)
fi

# corpus.ipynb: trees and parse statistics of both corpora.
mkdir -p "$data/corpus"
for role in expert contrast; do
	dir="$expert"
	[ "$role" = expert ] || dir="$contrast"
	log "parsing the $role corpus"
	cat "$dir/MANIFEST.tsv" >"$data/corpus/$role.manifest.tsv"
	(cd "$dir" && dm_logged "$work/parse-$role.log" parse --format json .) | gzip -1 >"$data/corpus/$role.trees.jsonl.gz"
	(cd "$dir" && dm_logged "$work/parse-$role.log" parse --stats --json --top 50 .) >"$data/corpus/$role.stats.json"
done

# candidates.ipynb: candidate rules mined from the expert corpus against the
# contrast corpus.
if has_verb mine; then
	log "mining"
	dm_logged "$work/mine.log" mine --contrast "$contrast" --out "$data/mine" "$expert"
else
	missing+=("dockmine mine (for candidates.ipynb)")
fi

# violations.ipynb: findings of the rule packs on both corpora, with the
# packs themselves for the rules' titles and patterns.
mkdir -p "$data/lint/packs"
cat "$root/rules/default.json" >"$data/lint/packs/default.json"
# The lint runs start in the corpus folders, so relative pack paths are
# made absolute first.
IFS=',' read -r -a extra_packs <<<"${DOCKMINE_PACKS:-}"
absolute_packs=()
for pack in "${extra_packs[@]}"; do
	[ -n "$pack" ] || continue
	[ -f "$pack" ] || die "DOCKMINE_PACKS names $pack, which is not a file"
	absolute_packs+=("$(cd "$(dirname "$pack")" && pwd)/$(basename "$pack")")
	cat "$pack" >"$data/lint/packs/$(basename "$pack")"
done
if [ ${#absolute_packs[@]} -gt 0 ]; then
	DOCKMINE_PACKS="$(IFS=','; echo "${absolute_packs[*]}")"
	export DOCKMINE_PACKS
fi
dm lint --list-rules --format json >"$data/lint/rules.json"
for role in expert contrast; do
	dir="$expert"
	[ "$role" = expert ] || dir="$contrast"
	log "linting the $role corpus"
	(cd "$dir" && dm lint --config "$work/lint-config.yaml" --format json --failure-threshold none --output "$data/lint/$role.json" .)
done

# history.ipynb: every version of every Dockerfile of the history
# repositories, with their findings and trees.
# dockmine corpus export --history writes one JSON object per stored version
# with repo, path, seq, commit, time, sha256 (none when the change removed
# the file) and content. A dockmine built without it fails this script.
if has_verb corpus export --history; then
	if [ ${#history_repos[@]} -eq 0 ]; then
		log "building the sample history repositories"
		for spec in "$root"/datasets/sample/history/*/; do
			repo="$work/history/$(basename "$spec")"
			build_history "$spec" "$repo"
			history_repos+=("$repo")
		done
	fi
	log "crawling the history of ${#history_repos[@]} repositories"
	dm_logged "$work/crawl.log" crawl --store "$work/history-store" --history --progress never "${history_repos[@]}" >"$work/crawl.txt"
	mkdir -p "$data/history"
	dm corpus export --history --format jsonl --store "$work/history-store" "$work/versions.jsonl"
	gzip -1 -c "$work/versions.jsonl" >"$data/history/versions.jsonl.gz"

	# Each distinct content becomes blobs/<sha256>/Dockerfile, so lint reads
	# every version once. The trees are needed only for the state of each
	# file at the end of each year (UTC): the last version of that year.
	"$python" - "$work/versions.jsonl" "$work/blobs" >"$work/year-ends.txt" <<'EOF'
import json, os, sys
from datetime import datetime, timezone

versions, blobs = sys.argv[1], sys.argv[2]
year_end = {}
for line in open(versions, encoding="utf-8"):
    version = json.loads(line)
    sha = version.get("sha256")
    if sha and "content" in version:
        path = os.path.join(blobs, sha, "Dockerfile")
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as out:
                out.write(version["content"])
    year = datetime.fromisoformat(version["time"]).astimezone(timezone.utc).year
    key = (version["repo"], version["path"], year)
    if key not in year_end or version["seq"] > year_end[key][0]:
        year_end[key] = (version["seq"], sha)
for sha in sorted({sha for _, sha in year_end.values() if sha}):
    print(os.path.join(sha, "Dockerfile"))
EOF
	mapfile -t year_ends <"$work/year-ends.txt"
	log "linting $(find "$work/blobs" -name Dockerfile | wc -l) versions, parsing ${#year_ends[@]} of them"
	(cd "$work/blobs" && dm lint --config "$work/lint-config.yaml" --format json --failure-threshold none --output "$data/history/lint.json" .)
	(cd "$work/blobs" && dm_logged "$work/parse-history.log" parse --format json "${year_ends[@]}") | gzip -1 >"$data/history/trees.jsonl.gz"
else
	missing+=("dockmine corpus export --history --format jsonl (for history.ipynb)")
fi
log "data ready after $((SECONDS - started))s"

# A private kernel spec makes nbconvert run the notebooks with $python,
# whatever python3 comes first on PATH.
kernel="$work/jupyter/kernels/dockmine-python3"
mkdir -p "$kernel" "$data/executed" "$data/figures"
cat >"$kernel/kernel.json" <<EOF
{"argv": ["$python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
 "display_name": "dockmine study ($python)", "language": "python"}
EOF
export JUPYTER_PATH="$work/jupyter" JUPYTER_CONFIG_DIR="$work/jupyter-config"
export JUPYTER_RUNTIME_DIR="$work/jupyter-runtime" IPYTHONDIR="$work/ipython"
export MPLCONFIGDIR="$work/matplotlib" MPLBACKEND=Agg
# Importing study.py must not leave a __pycache__ folder in the repository.
export PYTHONDONTWRITEBYTECODE=1
export DOCKMINE_DATA="$data"

# lacks_data reports whether a missing dockmine command left the notebook
# without its data.
lacks_data() {
	local item
	for item in "${missing[@]}"; do
		[[ "$item" == *"(for $1.ipynb)" ]] && return 0
	done
	return 1
}

failed=()
for name in "${notebooks[@]}"; do
	lacks_data "$name" && continue
	log "executing $name.ipynb"
	if ! "$python" -m nbconvert --to notebook --execute \
		--ExecutePreprocessor.kernel_name=dockmine-python3 \
		--ExecutePreprocessor.timeout=900 \
		--output-dir "$data/executed" "$root/notebooks/$name.ipynb" 2>"$work/nbconvert-$name.log"; then
		tail -n 40 "$work/nbconvert-$name.log" >&2
		failed+=("$name.ipynb")
	fi
done

log "finished after $((SECONDS - started))s; executed notebooks in $data/executed, figures in $data/figures"
for item in "${missing[@]}"; do
	log "not run: this dockmine lacks $item"
done
for name in "${failed[@]}"; do
	log "failed: $name"
done
[ ${#missing[@]} -eq 0 ] && [ ${#failed[@]} -eq 0 ]
