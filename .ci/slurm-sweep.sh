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
cat > "$work/spill.yaml" <<'YAML'
name: spill
regions: [{id: na}]
datacenters:
  - {id: us-1, region: na, jurisdiction: US, capacity: {media: 10}, rtt: {na: 20ms}}
  - {id: cn-1, region: na, jurisdiction: CN, capacity: {media: unlimited}, rtt: {na: 180ms}}
populations:
  - {id: us-free, region: na, jurisdiction: US, plan: free, joins_per_second: 0.1, holding: {distribution: exponential, mean: 100s}}
routing:
  whitelists: {intl: [cn-1]}
  routes:
    - {region: na, media: {primaries: [us-1], secondaries: {whitelist: intl}}, keys: {custody: client}}
policy:
  - select: {}
    allow: {media: [US], keys: [US], connector: [US]}
run: {horizon: 6h, warmup: 10m, replications: 6, seed: 3}
YAML
cat > "$work/study.yaml" <<'YAML'
scenario: spill.yaml
axes:
  - {set: "datacenters[us-1].capacity.media", values: [8, 10, 12]}
  - {set: "populations[us-free].joins_per_second", values: [0.05, 0.1, 0.15]}
YAML

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
