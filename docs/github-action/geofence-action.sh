#!/usr/bin/env bash
# The logic of the geofence GitHub action (action.yml beside this file),
# kept in a script so that it runs, and is tested, without GitHub: it
# checks each scenario named, and on a pull request diffs each one the
# pull request changed against the base revision; writes one SARIF file a
# scenario for code scanning, the Markdown verdicts to the job summary,
# annotations for each finding, and exits with geofence's worst status (0
# pass, 1 a finding, 2 bad input).
#
# It reads what a runner sets (GITHUB_WORKSPACE, GITHUB_EVENT_NAME,
# GITHUB_BASE_REF, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP) and
# the action's inputs as GEOFENCE_* variables:
#   GEOFENCE_SCENARIOS    scenario files or shell patterns, separated by spaces or lines
#   GEOFENCE_STATIC_ONLY  true (the default): no simulation; false: simulate too
#   GEOFENCE_ARGS         more flags for every check and diff, split at spaces
#   GEOFENCE_BASE         the revision a pull request is compared with
#   GEOFENCE              the geofence binary (default: geofence on PATH)
set -euo pipefail

geofence=${GEOFENCE:-geofence}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
outputs=${GITHUB_OUTPUT:-/dev/null}
cd "${GITHUB_WORKSPACE:-.}"
work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/geofence.XXXXXX")
mkdir "$work/sarif"

# escape encodes text for a workflow command's message; escape_property
# for one of its properties.
escape() { local s=${1//'%'/'%25'}; s=${s//$'\r'/'%0D'}; printf '%s' "${s//$'\n'/'%0A'}"; }
escape_property() { local s; s=$(escape "$1"); s=${s//:/'%3A'}; printf '%s' "${s//,/'%2C'}"; }

# fail stops at once on an input error of the action itself.
fail() {
	echo "::error title=geofence::$(escape "$1")"
	printf '### geofence: input error\n\n%s\n' "$1" >> "$summary"
	echo "status=2" >> "$outputs"
	exit 2
}

status=0
# worst keeps the worst exit status seen: 2 (or a signal's) over 1 over 0.
worst() { if (( $1 > status )); then status=$1; fi; }

# run runs geofence with its arguments, its stderr copied to the log and
# kept in $work/stderr; it sets code to geofence's exit status and
# annotates each finding geofence locates (FILE:LINE:COL: what) or, on an
# input error, the whole message.
run() {
	code=0
	"$geofence" "$@" 2> "$work/stderr" || code=$?
	cat "$work/stderr" >&2
	worst "$code"
	if (( code == 1 )); then
		local line re='^  ([^:]+):([0-9]+):([0-9]+): (.*)$'
		while IFS= read -r line; do
			if [[ $line =~ $re ]]; then
				echo "::error file=$(escape_property "${BASH_REMATCH[1]}"),line=${BASH_REMATCH[2]},col=${BASH_REMATCH[3]},title=geofence $1::$(escape "${BASH_REMATCH[4]}")"
			fi
		done < "$work/stderr"
	elif (( code != 0 )); then
		echo "::error title=geofence $1::$(escape "$(cat "$work/stderr")")"
	fi
}

# verdict names an exit status for the summary.
verdict() {
	case $1 in
	0) echo "pass" ;;
	1) echo "**fail**" ;;
	*) echo "**error** (exit $1)" ;;
	esac
}

flags=(-q)
case ${GEOFENCE_STATIC_ONLY:-true} in
true) flags+=(--static-only) ;;
false) ;;
*) fail "static-only: want true or false, not '${GEOFENCE_STATIC_ONLY}'" ;;
esac
read -r -a more <<< "${GEOFENCE_ARGS:-}"
flags+=(${more[@]+"${more[@]}"})

# The scenarios: each word a file, a built-in's name, or a pattern of
# files; a word that matches nothing is passed on as it is, for geofence
# to say what is wrong with it.
set -f
words=(${GEOFENCE_SCENARIOS:-})
set +f
(( ${#words[@]} > 0 )) || fail "scenarios: name at least one scenario file or pattern"
shopt -s nullglob globstar
scenarios=()
for word in "${words[@]}"; do
	matches=($word)
	(( ${#matches[@]} > 0 )) || matches=("$word")
	scenarios+=("${matches[@]}")
done
shopt -u nullglob globstar

# On a pull request, the base revision, fetched when the clone lacks it.
base=
if [[ ${GITHUB_EVENT_NAME:-} == pull_request || ${GITHUB_EVENT_NAME:-} == pull_request_target ]]; then
	base=${GEOFENCE_BASE:-}
	if [[ -z $base && -n ${GITHUB_BASE_REF:-} ]]; then
		base=origin/$GITHUB_BASE_REF
		git fetch --no-tags --depth=1 origin "+refs/heads/$GITHUB_BASE_REF:refs/remotes/origin/$GITHUB_BASE_REF" >&2 || true
	fi
	[[ -n $base ]] || fail "a pull request without a base revision: set the action's base input"
	if ! git cat-file -e "$base^{commit}" 2> /dev/null; then
		git fetch --no-tags --depth=1 origin "$base" >&2 || true
	fi
	git cat-file -e "$base^{commit}" 2> /dev/null ||
		fail "the base revision $base is not in this clone, and fetching it failed: check out with fetch-depth: 0"
fi

{
	echo "## geofence"
	echo
	if [[ -n $base ]]; then
		echo "Each scenario checked; those this pull request changes compared with the base revision \`$base\`."
	else
		echo "Each scenario checked."
	fi
	echo
} >> "$summary"

details=$work/details.md
: > "$details"
table=$work/table.md
printf '| scenario | check | change against the base |\n|---|---|---|\n' > "$table"
n=0
for scenario in "${scenarios[@]}"; do
	n=$((n + 1))
	slug=$n-$(printf '%s' "$scenario" | tr -c 'A-Za-z0-9._-' '_')

	# The check: SARIF for code scanning, Markdown for the summary.
	sarif=$work/sarif/$slug.sarif
	run check "$scenario" "${flags[@]}" -o sarif --out "$sarif"
	check=$code
	if [[ -s $sarif ]]; then
		# Code scanning takes one run a tool and category in an upload:
		# each scenario's run is its own category.
		category=geofence/$(printf '%s' "$scenario" | tr -c 'A-Za-z0-9._/-' '_')/
		awk -v id="$category" '!done && /^    \{$/ { print; print "      \"automationDetails\": {\"id\": \"" id "\"},"; done = 1; next } { print }' "$sarif" > "$sarif.tmp"
		mv "$sarif.tmp" "$sarif"
	fi
	if (( check == 0 || check == 1 )); then
		"$geofence" check "$scenario" "${flags[@]}" -o markdown --out "$work/check.md" 2> /dev/null || true # the same verdict again, in Markdown
		{ printf '<details><summary><code>%s</code>: check %s</summary>\n\n' "$scenario" "$(verdict "$check")"; cat "$work/check.md"; printf '\n</details>\n\n'; } >> "$details"
	else
		{ printf '### `%s`: input error\n\n```\n' "$scenario"; cat "$work/stderr"; printf '```\n\n'; } >> "$details"
	fi

	# The change, on a pull request, when the scenario is a file the pull
	# request changed that the base revision has.
	change="—"
	if [[ -n $base && -f $scenario ]]; then
		if ! git cat-file -e "$base:./$scenario" 2> /dev/null; then
			change="new in this pull request"
		elif git diff --quiet "$base" -- "$scenario"; then
			change="unchanged"
		else
			run diff "git:$base:$scenario" "$scenario" "${flags[@]}" -o markdown --out "$work/diff.md"
			change="diff $(verdict "$code")"
			if (( code == 0 || code == 1 )); then
				{ printf '### `%s`: what this pull request changes\n\n' "$scenario"; cat "$work/diff.md"; printf '\n'; } >> "$details"
			else
				{ printf '### `%s`: the diff could not run\n\n```\n' "$scenario"; cat "$work/stderr"; printf '```\n\n'; } >> "$details"
			fi
		fi
	fi
	printf '| `%s` | %s | %s |\n' "$scenario" "$(verdict "$check")" "$change" >> "$table"
done

{ cat "$table"; echo; cat "$details"; } >> "$summary"
echo "status=$status" >> "$outputs"
if compgen -G "$work/sarif/*.sarif" > /dev/null; then
	echo "sarif=$work/sarif" >> "$outputs"
fi
exit "$status"
