#!/usr/bin/env bash
# Compares docket with the tools people would pick instead, in one run on this machine, and
# prints a Markdown table of the ratios and growth factors of issue 16's targets (the README's
# speed table is this script's output).
#
#   bash internal/speed/compare.sh [--quick] [--runs N] [--keep DIR] [--docket BIN]
#
#   --quick     a smoke run: 500 and 2,000 requests, 1,000 commits, 1 run of each measurement
#               (the targets are for 10,000 and 40,000; a quick run's "met?" says little)
#   --runs N    run each measurement N times and take the median of each figure (default 3)
#   --keep DIR  generate into DIR and keep it (DIR must not exist or be empty); by default
#               everything is generated in a temporary folder removed at the end
#   --docket BIN  measure this docket binary instead of building ./cmd/docket (to compare
#               branches); the generator is still built from this repository
#
# Installs what is missing: Hugo, GNU time, git, Node.js and npm from Debian's packages (when run
# as root), and ajv-cli 5 with ajv-formats at the versions pinned by internal/speed/ajv's
# package-lock.json (npm ci, into internal/speed/ajv/node_modules). Needs Go to build docket.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
n1=10000 n2=40000 commits=25000 runs=3 keep="" quick="" given=""
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 n1=500 n2=2000 commits=1000 runs=1 ;;
	--runs) runs=$2; shift ;;
	--keep) keep=$2; shift ;;
	--docket) given=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
	-h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "compare.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
	esac
	shift
done

say() { echo "compare.sh: $*" >&2; }

# --- tools -------------------------------------------------------------------------------
apt_updated=""
need() { # need COMMAND PACKAGE...
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" != 0 ]; then
		say "$1 is missing: install the Debian package(s) $2 (or run as root to have them installed)"
		exit 1
	fi
	if [ -z "$apt_updated" ]; then
		say "apt-get update"
		apt-get update -qq >/dev/null
		apt_updated=1
	fi
	say "installing ${*:2}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${@:2}" >/dev/null
}
need go golang-go
need git git
need hugo hugo
need node nodejs
need npm npm
[ -x /usr/bin/time ] || need /usr/bin/time time
ajvdir=$root/internal/speed/ajv
if [ ! -x "$ajvdir/node_modules/.bin/ajv" ]; then
	say "installing ajv-cli (npm ci in internal/speed/ajv)"
	(cd "$ajvdir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
ajv=$ajvdir/node_modules/.bin/ajv

# --- workspace ---------------------------------------------------------------------------
if [ -n "$keep" ]; then
	mkdir -p "$keep"
	work=$(cd "$keep" && pwd)
	[ -z "$(ls -A "$work")" ] || { say "$work is not empty"; exit 2; }
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/docket-speed.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi
say "working in $work"

say "building docket and the generator"
(cd "$root" && go build -o "$work/bin/gen" ./internal/speed/gen)
if [ -n "$given" ]; then
	docket=$given
	rev="$("$given" version 2>/dev/null | head -1) ($given)"
else
	(cd "$root" && go build -o "$work/bin/docket" ./cmd/docket)
	docket=$work/bin/docket
	rev=$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- cmd internal schema || echo "+changes")
fi
export DOCKET_AS_OF=2026-11-27
# docket must not ask GitHub anything: the comparison is of local work.
unset GITHUB_TOKEN GITHUB_REPOSITORY GITHUB_EVENT_PATH GITHUB_STEP_SUMMARY GITHUB_ACTIONS GITHUB_API_URL

gen() { # gen LABEL ARGS...
	local t0=$SECONDS
	(cd "$root" && "$work/bin/gen" "${@:2}")
	say "generated $1 in $((SECONDS - t0)) s"
}
gen "$n1 requests and their Hugo site" -n "$n1" -out "$work/p1" -hugo "$work/h1"
gen "$n2 requests" -n "$n2" -out "$work/p2"
gen "$n1 requests with $commits commits" -n "$n1" -out "$work/g1" -commits "$commits"

# --- measuring ---------------------------------------------------------------------------
# measure NAME PREP COMMAND...: runs PREP (untimed, may be "") then COMMAND under GNU time,
# $runs times; W[NAME], U[NAME], S[NAME] (seconds) and M[NAME] (MiB) are the medians of each
# figure. COMMAND's output goes to $work/log/NAME; it must exit 0. A PREP that removes an
# earlier output ends with sync: the kernel otherwise goes on deleting tens of thousands of
# files during the next run, which shows as its system time (2 s on a first run, 20 s on a
# third, seen here).
declare -A W U S M
mkdir -p "$work/log"
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
measure() {
	local name=$1 prep=$2 i
	shift 2
	: >"$work/log/$name.times"
	for ((i = 1; i <= runs; i++)); do
		[ -z "$prep" ] || eval "$prep"
		if ! /usr/bin/time -f '%e %U %S %M' -o "$work/log/$name.t" "$@" >>"$work/log/$name" 2>&1; then
			say "$name failed (exit status above); its output is in $work/log/$name:"
			tail -20 "$work/log/$name" >&2
			exit 1
		fi
		tail -1 "$work/log/$name.t" >>"$work/log/$name.times"
	done
	W[$name]=$(awk '{print $1}' "$work/log/$name.times" | median)
	U[$name]=$(awk '{print $2}' "$work/log/$name.times" | median)
	S[$name]=$(awk '{print $3}' "$work/log/$name.times" | median)
	M[$name]=$(awk '{print $4 / 1024}' "$work/log/$name.times" | median)
	say "$name: ${W[$name]} s wall, ${U[$name]} s user, ${S[$name]} s sys, ${M[$name]} MiB peak"
}

# ajv-cli takes one schema a run: each kind of file against its own schema, in one shell so
# that GNU time sums the runs' times and reports the largest run's peak memory.
ajv_all() { # ajv_all DOCKET
	cd "$1"
	for kind in request decision appeal enforcement; do
		"$ajv" validate --spec=draft2020 --allow-union-types -c "$ajvdir/docket-vocabulary.js" \
			-s "$root/schema/$kind.schema.json" -d "requests/*/$kind.yaml" >/dev/null
	done
}
export -f ajv_all
export ajv ajvdir root

say "measuring ($runs run(s) each)"
measure validate1 "" "$docket" validate --repo "$work/p1"
measure ajv1 "" bash -c 'set -e; ajv_all "$0"' "$work/p1"
measure build1 'rm -rf "$work/site1"; sync' "$docket" build --repo "$work/p1" --out "$work/site1"
measure hugo1 'rm -rf "$work/hugo1"; sync' hugo --quiet -s "$work/h1" -d "$work/hugo1"
measure history1 'rm -rf "$work/siteg"; sync' "$docket" build --repo "$work/g1" --out "$work/siteg"
measure gitlog1 "" bash -c 'git -C "$0" log --name-status -- requests >/dev/null' "$work/g1"

# A pull request adding one request, by its requester, on a branch of the history repository.
pr=speed-check-one-request
sample=streetcar-ridership-weather-study
actor=$(sed -n 's/^  github: //p' "$root/requests/$sample/request.yaml" | head -1)
git -C "$work/g1" checkout -q -b pr
mkdir -p "$work/g1/requests/$pr"
sed "s#requests/$sample/#requests/$pr/#g" "$root/requests/$sample/request.yaml" >"$work/g1/requests/$pr/request.yaml"
git -C "$work/g1" add "requests/$pr"
GIT_AUTHOR_DATE=2026-11-26T15:00:00Z GIT_COMMITTER_DATE=2026-11-26T15:00:00Z \
	git -C "$work/g1" -c user.name="$actor" -c user.email="$actor@users.noreply.github.com" commit -q -m "$pr: submitted"
git -C "$work/g1" checkout -q main
# As in Actions, on every pull request (GITHUB_ACTIONS=true: a fresh checkout, so the work tree
# is not scanned for uncommitted changes), and as a requester runs it on their own clone.
measure check1 "" env GITHUB_ACTIONS=true "$docket" check --repo "$work/g1" --base main --head pr --actor "$actor"
measure check1local "" "$docket" check --repo "$work/g1" --base main --head pr --actor "$actor"

# The rebuild after one new commit: the cache is written at main, then the pull request's
# commit is checked out and built with it.
if "$docket" build --help 2>&1 | grep -q -- --history-cache; then
	"$docket" build --repo "$work/g1" --out "$work/siteg" --history-cache "$work/cache.warm" >"$work/log/cache-warm" 2>&1
	git -C "$work/g1" checkout -q pr
	measure rebuild1 'rm -rf "$work/siteg"; cp "$work/cache.warm" "$work/cache"; sync' \
		"$docket" build --repo "$work/g1" --out "$work/siteg" --history-cache "$work/cache"
	git -C "$work/g1" checkout -q main
fi

measure validate2 "" "$docket" validate --repo "$work/p2"
measure build2 'rm -rf "$work/site2"; sync' "$docket" build --repo "$work/p2" --out "$work/site2"

# --- the table ---------------------------------------------------------------------------
num() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
fmt_s() { awk -v v="$1" 'BEGIN { if (v < 10) printf "%.2f s", v; else printf "%.1f s", v }'; }
fmt_m() { awk -v v="$1" 'BEGIN { printf "%.0f MiB", v }'; }
fig() { echo "$(fmt_s "${W[$1]}") ($(fmt_s "${U[$1]}") user, $(fmt_s "${S[$1]}") sys), $(fmt_m "${M[$1]}")"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "—" }'; }
# cpu_ratio A B: the ratio of user+system CPU time, steadier than wall time on a shared machine.
cpu_ratio() { ratio "$(awk -v u="${U[$1]}" -v s="${S[$1]}" 'BEGIN { print u + s }')" "$(awk -v u="${U[$2]}" -v s="${S[$2]}" 'BEGIN { print u + s }')"; }
met() { awk "BEGIN { exit !($1) }" && echo yes || echo "**no**"; }

largest=$(find "$work/site2" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
largest_b=${largest%% *} largest_p=${largest#* }
files() { find "$1" -type f | wc -l; }
bytes() { du -sb "$1" | awk '{printf "%.0f MB", $1 / 1e6}'; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
ajvv="ajv-cli $(node -p "require('$ajvdir/node_modules/ajv-cli/package.json').version") (ajv $(node -p "require('$ajvdir/node_modules/ajv/package.json').version"), Node.js $(node --version | tr -d v))"

echo
[ -z "$quick" ] || echo "**Quick run** ($(num $n1) / $(num $n2) requests, $(num $commits) commits, $runs run): the targets are for 10,000 / 40,000 requests and 25,000 commits."
[ -z "$quick" ] || echo
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) CPU(s) ($cpu), $mem memory; docket $rev, $(go version | awk '{print $3}'), Hugo $(hugo version | awk '{print $2}' | sed 's/+.*//'), $ajvv, $(git --version | sed 's/ version//'). Median of $runs run(s); seconds are wall time (user and system CPU time in brackets), MiB is peak resident memory; ratios are of wall time (of user+system CPU time in brackets)."
echo
echo "| work | docket | alternative | ratio | target | met? |"
echo "|---|---|---|---|---|---|"
echo "| validate $(num $n1) requests | $(fig validate1) | ajv-cli, the same files against the same schemas: $(fig ajv1) | $(ratio "${W[validate1]}" "${W[ajv1]}") (CPU $(cpu_ratio validate1 ajv1)) | faster than ajv-cli, under 150 MiB | $(met "${W[validate1]} < ${W[ajv1]} && ${M[validate1]} < 150") |"
echo "| build the site of $(num $n1) requests | $(fig build1); $(num "$(files "$work/site1")") files, $(bytes "$work/site1") | Hugo, the same requests as pages: $(fig hugo1); $(num "$(files "$work/hugo1")") files, $(bytes "$work/hugo1") | $(ratio "${W[build1]}" "${W[hugo1]}") (CPU $(cpu_ratio build1 hugo1)) | faster than Hugo, under 300 MiB | $(met "${W[build1]} < ${W[hugo1]} && ${M[build1]} < 300") |"
echo "| build $(num $n1) requests with $(num $commits) commits of history, no cache | $(fig history1) | \`git log --name-status -- requests\`: $(fig gitlog1) | $(ratio "${W[history1]}" "${W[gitlog1]}") (CPU $(cpu_ratio history1 gitlog1)) | within 2× | $(met "${W[history1]} <= 2 * ${W[gitlog1]}") |"
if [ -n "${W[rebuild1]:-}" ]; then
	extra=$(awk -v a="${W[rebuild1]}" -v b="${W[build1]}" 'BEGIN { printf "%+.2f s", a - b }')
	echo "| rebuild after one new commit (\`--history-cache\`) | $(fig rebuild1) | the same build with no history (above): $(fmt_s "${W[build1]}") | $extra | under 1 s more than writing the pages | $(met "${W[rebuild1]} - ${W[build1]} < 1") |"
else
	echo "| rebuild after one new commit (\`--history-cache\`) | n/a (no --history-cache) | | | under 1 s more than writing the pages | — |"
fi
ms() { num "$(awk -v v="$1" 'BEGIN { printf "%.0f", v * 1000 }')"; }
echo "| \`docket check\`, a pull request adding one request to $(num $n1), as in Actions | $(ms "${W[check1]}") ms ($(ms "${U[check1]}") ms user, $(ms "${S[check1]}") ms sys), $(fmt_m "${M[check1]}"); on a requester's clone, which also looks for uncommitted changes: $(ms "${W[check1local]}") ms | | | under 100 ms | $(met "${W[check1]} < 0.1") |"
echo "| validate, $(num $n1) → $(num $n2) requests | $(fmt_s "${W[validate1]}") → $(fmt_s "${W[validate2]}"); $(fmt_m "${M[validate1]}") → $(fmt_m "${M[validate2]}") | | $(ratio "${W[validate2]}" "${W[validate1]}") time (CPU $(cpu_ratio validate2 validate1)), $(ratio "${M[validate2]}" "${M[validate1]}") memory | at most 4.4× time, under 400 MiB | $(met "${W[validate2]} <= 4.4 * ${W[validate1]} && ${M[validate2]} < 400") |"
echo "| build, $(num $n1) → $(num $n2) requests | $(fmt_s "${W[build1]}") → $(fmt_s "${W[build2]}"); $(fmt_m "${M[build1]}") → $(fmt_m "${M[build2]}") | | $(ratio "${W[build2]}" "${W[build1]}") time (CPU $(cpu_ratio build2 build1)), $(ratio "${M[build2]}" "${M[build1]}") memory | at most 4.4× time, under 400 MiB | $(met "${W[build2]} <= 4.4 * ${W[build1]} && ${M[build2]} < 400") |"
echo "| largest HTML page at $(num $n2) requests | $(awk -v b="$largest_b" 'BEGIN { printf "%.2f MB", b / 1e6 }') (\`$largest_p\`) | | | at most 1 MB | $(met "$largest_b <= 1000000") |"
[ -z "$keep" ] || say "kept $work (logs in $work/log)"
