#!/usr/bin/env bash
# (A copy of the project CI's shared/ci/slurm-local.sh, for a checkout without
# ../shared; .ci/slurm-sweep.sh prefers ../shared/ci/slurm-local.sh when it is there.)
# slurm-local.sh — a real single-node Slurm cluster for CI, started by hand (no systemd).
#
# What it does (Debian 12, as root, no network but Debian's package mirror):
#   install  apt-get installs slurm-wlm (slurmctld, slurmd, slurm-client) and munge, only if
#            they are missing; a temporary /usr/sbin/policy-rc.d stops the packages' init
#            scripts from starting system daemons during the install.
#   up       (install, then) writes a minimal slurm.conf with one node "localhost" (the real
#            CPU count and memory from `slurmd -C`) and one partition "debug"; starts a
#            private munged (own key, own socket), slurmctld and slurmd in the background;
#            waits until `sinfo` shows the node idle. All state, spool, logs and pid files
#            live under $SLURM_LOCAL_DIR (default /tmp/slurm-local), wiped on each `up`.
#            The config is also copied to /etc/slurm/slurm.conf so that plain `sbatch`,
#            `squeue`, `sinfo`, ... work without SLURM_CONF (set SLURM_LOCAL_ETC=0 to skip).
#            If a cluster from an earlier `up` is still running, it is taken down first.
#            (`down` removes that /etc/slurm/slurm.conf again; $SLURM_LOCAL_DIR/slurm.conf stays.)
#   down     cancels all jobs, `scontrol shutdown`, then stops slurmctld, slurmd and munged by
#            the PIDs in their pid files (TERM, then KILL after a timeout). Leaves nothing
#            running. Safe to run when nothing is up.
#   status   prints pids, `scontrol ping` and `sinfo`; exit 0 only if the node is up.
#   selftest up -> `sbatch --array=0-3 --wait` (each task writes
#            task-$SLURM_ARRAY_TASK_ID-of-$SLURM_ARRAY_TASK_COUNT.txt) -> check the 4 files
#            -> down. Exit 0 on success.
#
# How a test uses it:
#   As a command (e.g. from .ci/run):
#       bash shared/ci/slurm-local.sh up            # ~1 s when installed, ~6-10 s with the install
#       export SLURM_CONF=/tmp/slurm-local/slurm.conf   # optional: /etc/slurm/slurm.conf is written too
#       trap 'bash shared/ci/slurm-local.sh down' EXIT
#       ... run tests that call sbatch/srun/squeue/sacct-free commands ...
#   Or sourced, for the functions (they return non-zero on failure, never exit):
#       source shared/ci/slurm-local.sh
#       slurm_up && trap slurm_down EXIT            # slurm_up exports SLURM_CONF
#       slurm_status; slurm_selftest; slurm_down
#
# Settings (environment): SLURM_LOCAL_DIR (/tmp/slurm-local), SLURM_LOCAL_CTLD_PORT (6817),
#   SLURM_LOCAL_SLURMD_PORT (6818), SLURM_LOCAL_PARTITION (debug), SLURM_LOCAL_ETC (1),
#   SLURM_LOCAL_TIMEOUT (60, seconds to wait for daemons).
# Timing: `up` takes ~1 s once installed (~6 s with the apt install); `down` ~2-3 s.
# `sbatch --wait` (Slurm 22.05) polls after 2 s and then 8 s, so it returns >= 10 s after
# submission however fast the job is; poll `squeue -h -j ID` yourself if that matters.
# SLURM_LOCAL_DIR must be absolute and its parents root-owned and not group/other-writable
# except with the sticky bit (/tmp is fine): munged refuses insecure key/socket paths.
# Bash only (uses BASH_SOURCE); works under `set -euo pipefail` in the caller.
# Jobs run as root (the caller); no accounting (sacct won't work), no cgroups
# (proctrack/linuxproc, task/none), so no memory/CPU enforcement.

SLURM_LOCAL_DIR="${SLURM_LOCAL_DIR:-/tmp/slurm-local}"
SLURM_LOCAL_CTLD_PORT="${SLURM_LOCAL_CTLD_PORT:-6817}"
SLURM_LOCAL_SLURMD_PORT="${SLURM_LOCAL_SLURMD_PORT:-6818}"
SLURM_LOCAL_PARTITION="${SLURM_LOCAL_PARTITION:-debug}"
SLURM_LOCAL_ETC="${SLURM_LOCAL_ETC:-1}"
SLURM_LOCAL_TIMEOUT="${SLURM_LOCAL_TIMEOUT:-60}"
SLURM_LOCAL_NODE=localhost

_slurm_log() { echo "slurm-local: $*" >&2; }

# pid from pid file $1, printed only if that process is alive and is program $2
# (so a stale pid file whose pid was reused never gets another process killed)
_slurm_pid() {
    local f="$1" name="$2" p
    [ -s "$f" ] || return 1
    p="$(tr -dc '0-9' <"$f")" || return 1
    [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 1
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$name" ] || return 1
    echo "$p"
}

# wait until pid $1 is gone, at most $2 tenths of a second
_slurm_wait_gone() {
    local p="$1" n="$2"
    while [ "$n" -gt 0 ] && kill -0 "$p" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
    ! kill -0 "$p" 2>/dev/null
}

# stop the process in pid file $1: TERM, wait, KILL
_slurm_stop_pidfile() {
    local f="$1" name="$2" p
    p="$(_slurm_pid "$f" "$name")" || { rm -f "$f"; return 0; }
    kill -TERM "$p" 2>/dev/null || true
    if ! _slurm_wait_gone "$p" 100; then
        _slurm_log "$name (pid $p) ignored TERM for 10 s; sending KILL"
        kill -KILL "$p" 2>/dev/null || true
        _slurm_wait_gone "$p" 50 || { _slurm_log "$name (pid $p) still alive"; return 1; }
    fi
    rm -f "$f"
}

slurm_install() {
    if command -v slurmctld >/dev/null && command -v slurmd >/dev/null &&
        command -v sbatch >/dev/null && command -v munged >/dev/null; then
        return 0
    fi
    [ "$(id -u)" = 0 ] || { _slurm_log "must run as root to install packages"; return 1; }
    local policy=/usr/sbin/policy-rc.d made_policy=0 rc=0
    if [ ! -e "$policy" ]; then
        # keep the packages' postinst from starting system munge/slurmctld/slurmd
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && made_policy=1
    fi
    if [ ! -c /dev/null ]; then
        # seen once on this kind of machine: /dev/null had become a plain 0644 file, and
        # `apt-get update` then fails (its _apt sandbox cannot write /dev/null for gpgv)
        _slurm_log "/dev/null is not a character device; recreating it"
        rm -f /dev/null && mknod -m 0666 /dev/null c 1 3
    fi
    _slurm_log "installing slurm-wlm and munge (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null || _slurm_log "apt-get update failed; trying the install anyway"
    apt-get install -y -q --no-install-recommends slurm-wlm munge >/dev/null || rc=$?
    [ "$made_policy" = 1 ] && rm -f "$policy"
    [ "$rc" = 0 ] || _slurm_log "apt-get failed (rc $rc)"
    return "$rc"
}

_slurm_write_conf() {
    local d="$SLURM_LOCAL_DIR" hw
    # e.g. "CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=24105"
    hw="$(slurmd -C 2>/dev/null | sed -n 's/^NodeName=[^ ]* //p' | head -n1)" || hw=""
    case "$hw" in
        *CPUs=*RealMemory=*) ;;
        *) hw="CPUs=$(nproc) RealMemory=$(awk '/^MemTotal:/{print int($2/1024)}' /proc/meminfo)" ;;
    esac
    cat >"$d/slurm.conf" <<EOF
# written by slurm-local.sh
ClusterName=localci
SlurmctldHost=$SLURM_LOCAL_NODE(127.0.0.1)
SlurmctldPort=$SLURM_LOCAL_CTLD_PORT
SlurmdPort=$SLURM_LOCAL_SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge/munge.socket
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/run/slurmctld.pid
SlurmdPidFile=$d/run/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
SlurmdTimeout=300
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=$SLURM_LOCAL_NODE NodeAddr=127.0.0.1 NodeHostname=$SLURM_LOCAL_NODE $hw State=UNKNOWN
PartitionName=$SLURM_LOCAL_PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

slurm_up() {
    local t0=$SECONDS
    [ "$(id -u)" = 0 ] || { _slurm_log "must run as root"; return 1; }
    case "$SLURM_LOCAL_DIR" in /*) ;; *) _slurm_log "SLURM_LOCAL_DIR must be absolute"; return 1 ;; esac
    slurm_install || return 1
    slurm_down >/dev/null 2>&1 || true          # anything left from an earlier up
    if ! _slurm_start; then
        _slurm_log "up failed; stopping what was started (logs stay in $SLURM_LOCAL_DIR/log)"
        slurm_down >/dev/null 2>&1 || true
        return 1
    fi
    _slurm_log "up in $((SECONDS - t0)) s: munged $(cat "$SLURM_LOCAL_DIR/run/munged.pid"), slurmctld $(cat "$SLURM_LOCAL_DIR/run/slurmctld.pid"), slurmd $(cat "$SLURM_LOCAL_DIR/run/slurmd.pid"); SLURM_CONF=$SLURM_CONF"
}

_slurm_start() {
    local d="$SLURM_LOCAL_DIR" n
    rm -rf "$d/state" "$d/spool" "$d/log" "$d/run" "$d/munge"
    # munged insists that everyone can traverse its socket's directory (0755)
    mkdir -p "$d/state" "$d/spool" "$d/log" "$d/run" "$d/munge" && chmod 0755 "$d" "$d/munge" || return 1
    _slurm_write_conf || return 1
    export SLURM_CONF="$d/slurm.conf"
    if [ "$SLURM_LOCAL_ETC" = 1 ]; then
        mkdir -p /etc/slurm && cp "$d/slurm.conf" /etc/slurm/slurm.conf || return 1
    fi

    # 1. private munged: own key and socket, so a system munged (if any) is left alone
    dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 2>/dev/null &&
        chmod 0400 "$d/munge/munge.key" || return 1
    munged --socket="$d/munge/munge.socket" --key-file="$d/munge/munge.key" \
        --pid-file="$d/run/munged.pid" --log-file="$d/log/munged.log" \
        --seed-file="$d/munge/munged.seed" || {
        _slurm_log "munged failed to start:"; tail -n 5 "$d/log/munged.log" >&2; return 1; }
    munge -S "$d/munge/munge.socket" -n </dev/null | unmunge -S "$d/munge/munge.socket" >/dev/null || {
        _slurm_log "munge round trip failed"; return 1; }

    # 2. slurmctld (daemonizes itself, writes its pid file)
    slurmctld -f "$SLURM_CONF" >>"$d/log/slurmctld.out" 2>&1 </dev/null || {
        _slurm_log "slurmctld failed to start:"; tail -n 20 "$d/log/slurmctld.out" "$d/log/slurmctld.log" >&2; return 1; }
    n=$((SLURM_LOCAL_TIMEOUT * 5))
    until scontrol ping 2>/dev/null | grep -q 'is UP'; do
        n=$((n - 1))
        if [ "$n" -le 0 ] || grep -qsE 'fatal:|Address already in use' "$d/log/slurmctld.log" ||
            { [ -s "$d/run/slurmctld.pid" ] && ! _slurm_pid "$d/run/slurmctld.pid" slurmctld >/dev/null; }; then
            _slurm_log "slurmctld did not come up:"; tail -n 20 "$d/log/slurmctld.log" >&2; return 1
        fi
        sleep 0.2
    done

    # 3. slurmd, named after the node in slurm.conf (no dependence on the machine's hostname)
    slurmd -N "$SLURM_LOCAL_NODE" -f "$SLURM_CONF" >>"$d/log/slurmd.out" 2>&1 </dev/null || {
        _slurm_log "slurmd failed to start:"; tail -n 20 "$d/log/slurmd.out" "$d/log/slurmd.log" >&2; return 1; }
    n=$((SLURM_LOCAL_TIMEOUT * 5))
    until [ "$(sinfo -h -N -n "$SLURM_LOCAL_NODE" -o %T 2>/dev/null)" = idle ]; do
        n=$((n - 1))
        if [ "$n" -le 0 ] || grep -qsE 'fatal:|Address already in use' "$d/log/slurmd.log" ||
            { [ -s "$d/run/slurmd.pid" ] && ! _slurm_pid "$d/run/slurmd.pid" slurmd >/dev/null; }; then
            _slurm_log "node not idle after ${SLURM_LOCAL_TIMEOUT}s:"; sinfo -N -l >&2
            tail -n 20 "$d/log/slurmd.log" "$d/log/slurmctld.log" >&2; return 1
        fi
        sleep 0.2
    done
}

slurm_down() {
    local d="$SLURM_LOCAL_DIR" ctld slurmd n rc=0 ids
    export SLURM_CONF="${SLURM_CONF:-$d/slurm.conf}"
    ctld="$(_slurm_pid "$d/run/slurmctld.pid" slurmctld)" || ctld=""
    slurmd="$(_slurm_pid "$d/run/slurmd.pid" slurmd)" || slurmd=""
    if [ -n "$ctld" ]; then
        # cancel jobs first: slurmstepd of a running job outlives slurmd otherwise
        ids="$(squeue -h -o %A 2>/dev/null)" || ids=""
        if [ -n "$ids" ]; then
            # shellcheck disable=SC2086
            scancel $ids 2>/dev/null || true
            n=100
            while [ "$n" -gt 0 ] && [ -n "$(squeue -h -t R,CG,PD -o %A 2>/dev/null)" ]; do sleep 0.2; n=$((n - 1)); done
        fi
        timeout 20 scontrol shutdown >/dev/null 2>&1 || true  # stops slurmctld and every slurmd
        _slurm_wait_gone "$ctld" 150 || true
        if [ -n "$slurmd" ]; then _slurm_wait_gone "$slurmd" 100 || true; fi
    fi
    _slurm_stop_pidfile "$d/run/slurmd.pid" slurmd || rc=1
    _slurm_stop_pidfile "$d/run/slurmctld.pid" slurmctld || rc=1
    _slurm_stop_pidfile "$d/run/munged.pid" munged || rc=1
    # leave no config of ours where the packages' init scripts would pick it up
    if grep -qs '^# written by slurm-local.sh' /etc/slurm/slurm.conf; then rm -f /etc/slurm/slurm.conf; fi
    [ "$rc" = 0 ] && _slurm_log "down"
    return "$rc"
}

slurm_status() {
    local d="$SLURM_LOCAL_DIR" f state
    export SLURM_CONF="${SLURM_CONF:-$d/slurm.conf}"
    for f in munged slurmctld slurmd; do
        echo "$f: $(_slurm_pid "$d/run/$f.pid" "$f" || echo 'not running')"
    done
    # with no slurmctld, sinfo/squeue retry for ~10 s before failing: don't ask them
    _slurm_pid "$d/run/slurmctld.pid" slurmctld >/dev/null || return 1
    scontrol ping 2>&1 | head -n 3 || true
    sinfo 2>&1 || true
    state="$(sinfo -h -N -n "$SLURM_LOCAL_NODE" -o %T 2>/dev/null)" || state=""
    case "$state" in idle | mixed | allocated | completing) return 0 ;; *) return 1 ;; esac
}

slurm_selftest() {
    local w i t0=$SECONDS rc=0
    slurm_up || return 1
    w="$SLURM_LOCAL_DIR/selftest"
    rm -rf "$w" && mkdir -p "$w" || return 1
    cat >"$w/job.sh" <<'EOF'
#!/bin/bash
echo "task $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT, job $SLURM_ARRAY_JOB_ID, on $(hostname)" \
    >"task-$SLURM_ARRAY_TASK_ID-of-$SLURM_ARRAY_TASK_COUNT.txt"
EOF
    if (cd "$w" && timeout 120 sbatch --array=0-3 --wait -o "$w/slurm-%A_%a.out" "$w/job.sh"); then
        for i in 0 1 2 3; do
            [ -s "$w/task-$i-of-4.txt" ] || { _slurm_log "missing $w/task-$i-of-4.txt"; rc=1; }
        done
    else
        _slurm_log "sbatch --wait failed"; rc=1
    fi
    [ "$rc" = 0 ] && _slurm_log "array job 0-3 wrote its 4 files: $(cd "$w" && echo task-*.txt)"
    slurm_down || rc=1
    [ -c /dev/null ] || { _slurm_log "/dev/null is no longer a character device!"; rc=1; }
    _slurm_log "selftest took $((SECONDS - t0)) s"
    if [ "$rc" = 0 ]; then echo "slurm-selftest: 1 passed, 0 failed"; else echo "slurm-selftest: 0 passed, 1 failed"; fi
    return "$rc"
}

# Run as a command (not sourced): dispatch on the first argument.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case "${1:-}" in
        install) slurm_install ;;
        up) slurm_up ;;
        down) slurm_down ;;
        status) slurm_status ;;
        selftest) slurm_selftest ;;
        *) echo "usage: $0 install|up|down|status|selftest  (or: source $0; slurm_up; ...; slurm_down)" >&2; exit 2 ;;
    esac
fi
