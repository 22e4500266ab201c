#!/bin/bash
# submit.sh STUDY SHARDS PARTS RESULT: runs a geofence sweep on a Slurm
# cluster as a job array of SHARDS tasks and a dependent merge job, and
# prints the merge job's id. Wait for it with `squeue -j ID` or, to block,
# pass WAIT=1 (sbatch --wait on the merge job). Every path must be on
# storage that every node sees; GEOFENCE, GEOFENCE_ARGS and FORMAT are
# passed on (see sweep.sbatch and merge.sbatch).
set -euo pipefail
if [ $# -ne 4 ]; then
    echo "usage: $0 STUDY SHARDS PARTS RESULT" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
export STUDY=$1 PARTS=$3 RESULT=$4
shards=$2
array=$(sbatch --parsable --export=ALL --array="0-$((shards - 1))" "$here/sweep.sbatch")
array=${array%%;*} # --parsable prints ID or ID;CLUSTER
wait=()
if [ "${WAIT:-0}" = 1 ]; then wait=(--wait); fi
merge=$(sbatch --parsable --export=ALL --dependency="afterok:$array" --kill-on-invalid-dep=yes "${wait[@]}" "$here/merge.sbatch")
echo "${merge%%;*}"
