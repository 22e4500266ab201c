#!/usr/bin/env bash
# A real sweep on a real single-node Slurm cluster: brings one up (as
# root, with slurm-local.sh), submits the documented batch scripts
# (docs/slurm) as a job array of 4 tasks and a dependent merge, waits, and
# compares the merged report byte for byte with the unsharded sweep's.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

# slurm-local.sh comes with the project's CI (../shared/ci); a copy is
# kept here for a checkout that has no ../shared.
slurm_local=$repo/../shared/ci/slurm-local.sh
[ -f "$slurm_local" ] || slurm_local=$repo/.ci/slurm-local.sh
bash "$slurm_local" up
trap 'bash "$slurm_local" down' EXIT
export SLURM_CONF=${SLURM_LOCAL_DIR:-/tmp/slurm-local}/slurm.conf

work=$(mktemp -d /tmp/geofence-slurm.XXXXXX)
go build -o "$work/geofence" ./cmd/geofence
# The study that results/study's sweep tests run: 6 points of a small
# system whose overflow goes to Beijing.
cp results/study/testdata/sweep/spill.yaml results/study/testdata/sweep/study.yaml "$work/"

"$work/geofence" sweep "$work/study.yaml" -o json -q --out "$work/unsharded.json"
cd "$work"
merge=$(GEOFENCE="$work/geofence" WAIT=1 "$repo/docs/slurm/submit.sh" "$work/study.yaml" 4 "$work/parts" "$work/merged.json")
echo "slurm sweep: merge job $merge done"
ls "$work/parts"
if ! cmp "$work/unsharded.json" "$work/merged.json"; then
    cat "$work"/*.out >&2 || true
    echo "slurm sweep: the merged report differs from the unsharded sweep's" >&2
    exit 1
fi
[ "$(ls "$work/parts" | wc -l)" = 4 ] || { echo "slurm sweep: want 4 partials" >&2; exit 1; }
echo "slurm sweep: 4 array tasks merged to the unsharded report, byte for byte"
cd "$repo"
rm -rf "$work"
