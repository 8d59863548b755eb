#!/usr/bin/env bash
# svscan at scale, ours against the reference (daemontools 0.76, up to its
# limit of 1000 services). A benchmark, not a test: it prints figures.
#
#   bench/svscan.sh [N...]          default: 100 1000 10000
#   DT_BIN=DIR   our programs (default: build-scan/bin, else build/bin)
#   REF_BIN=DIR  the reference (default /usr/bin)
#
# For each N and implementation: N services (exec sleep 100000) in a fresh
# directory under /var/tmp, then
#   all up      from svscan's start to the start of the last supervise, and
#               of the last service (`sleep`), from /proc/PID/stat start
#               times (clock ticks: 10 ms); median of REPS runs (default 3,
#               the implementations alternated; 1 above 1000 services)
#   pick-up     a prepared service directory mv'ed into the scan directory,
#               to its run script's first line (which writes date +%s%N);
#               3 times, at different phases of the 5 s rescan
#   PSS         /proc/PID/smaps_rollup: per supervise (mean), svscan's own
#   idle        svscan's wake-ups (voluntary context switches) and CPU over 20 s idle:
#               the 5 s rescans of N entries
# Each svscan runs its own supervise (ours: our supervise if built, else the
# reference's), so the figures are those of the whole supervision tree.
# Everything runs in its own session and is stopped by recorded pid and
# process group: svscan first, then svc -dx on every service, then the group.
set -u
cd "$(dirname "$0")/.." || exit 1
REF_BIN=${REF_BIN:-/usr/bin}
if [ -z "${DT_BIN:-}" ]; then
  for d in build-scan/bin build/bin; do [ -x "$d/svscan" ] && DT_BIN=$PWD/$d && break; done
fi
[ -x "${DT_BIN:-}/svscan" ] || { echo "bench/svscan.sh: no svscan in DT_BIN" >&2; exit 100; }
SUP=$DT_BIN
[ -x "$SUP/supervise" ] || SUP=$REF_BIN
SVC=$DT_BIN
[ -x "$SVC/svc" ] || SVC=$REF_BIN
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100 1000 10000)
HZ=$(getconf CLK_TCK)
export LC_ALL=C

WORK=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/dt-bench-svscan.XXXXXX") || exit 1
SCAN_PID=
cleanup() {
  [ -n "$SCAN_PID" ] && stop_all
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

note() { printf '%s\n' "$*" >&2; }
now_ns() { date +%s%N; }

# stop_all: svscan first (so it restarts nothing), every service told to go
# and its supervise to exit, then whatever is left in the session.
stop_all() {
  kill -KILL "$SCAN_PID" 2>/dev/null
  wait "$SCAN_PID" 2>/dev/null
  (cd "$DIR" && find . -mindepth 1 -maxdepth 1 -name '[!.]*' -print0 | xargs -0 -r -n 2000 "$SVC/svc" -dx) 2>/dev/null
  local i
  for i in $(seq 1 100); do
    [ -z "$(pgrep -s "$SCAN_PID" | head -1)" ] && break
    sleep 0.2
  done
  kill -TERM -- "-$SCAN_PID" 2>/dev/null
  sleep 0.5
  kill -KILL -- "-$SCAN_PID" 2>/dev/null
  SCAN_PID=
}

mkservices() { # DIR N
  local d=$1 n=$2 i
  mkdir -p "$d"
  (cd "$d" && printf 's%d\0' $(seq 1 "$n") | xargs -0 mkdir)
  for ((i = 1; i <= n; i++)); do printf '#!/bin/sh\nexec sleep 100000\n' >"$d/s$i/run"; done
  find "$d" -name run -exec chmod +x {} +
}

start_ticks() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }
# pids of the sleep processes in svscan's session
sleeps() { pgrep -s "$SCAN_PID" -x sleep; }
supervises() { pgrep -s "$SCAN_PID" -x supervise; }
pss_of() { awk '/^Pss:/ {s += $2} END {print s + 0}' "$@" 2>/dev/null; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ctxsw() { awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$1/status"; }

# start_run IMPL N: N fresh services under IMPL's svscan, until all are up;
# sets UP_SUP and UP_ALL (seconds from svscan's start to the start of the
# last supervise, and of the last service), "n/a" when not all came up.
start_run() {
  local impl=$1 n=$2 bin=$DT_BIN sup=$SUP
  [ "$impl" = reference ] && bin=$REF_BIN && sup=$REF_BIN
  DIR=$WORK/$impl.$n
  rm -rf "$DIR"
  mkservices "$DIR" "$n"
  sync
  setsid env PATH="$sup:/usr/bin:/bin" "$bin/svscan" "$DIR" >"$WORK/out" 2>"$WORK/err" </dev/null &
  SCAN_PID=$!
  local deadline up=0
  deadline=$(($(date +%s) + 60 + n / 50))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    up=$(sleeps | wc -l)
    [ "$up" -ge "$n" ] && break
    sleep 0.2
  done
  UP_SUP="n/a" UP_ALL="n/a ($up of $n up)"
  [ "$up" -ge "$n" ] || return
  local s0
  s0=$(start_ticks "$SCAN_PID")
  secs() { sort -n | tail -1 | awk -v a="$s0" -v hz="$HZ" '{printf "%.2f", ($1 - a) / hz}'; }
  UP_SUP=$(for p in $(supervises); do start_ticks "$p"; done | secs)
  UP_ALL=$(for p in $(sleeps); do start_ticks "$p"; done | secs)
}

# details IMPL N: with start_run's services up, memory, idle cost, pick-up.
details() {
  local impl=$1 n=$2 k
  sleep 2
  local sup_pss n_sup scan_pss
  n_sup=$(supervises | wc -l)
  sup_pss=$(pss_of $(supervises | sed 's,.*,/proc/&/smaps_rollup,'))
  scan_pss=$(pss_of "/proc/$SCAN_PID/smaps_rollup")
  local c0 c1 w0 w1
  c0=$(cpu_ticks "$SCAN_PID")
  w0=$(ctxsw "$SCAN_PID")
  sleep 20
  c1=$(cpu_ticks "$SCAN_PID")
  w1=$(ctxsw "$SCAN_PID")
  # pick-up latency at three phases of the rescan period
  local lat=() t ok
  for k in 1 2 3; do
    mkdir -p "$WORK/new.$k"
    printf '#!/bin/sh\ndate +%%s%%N >>../started.%s\nexec sleep 100000\n' "$k" >"$WORK/new.$k/run"
    chmod +x "$WORK/new.$k/run"
    sleep "0.$((k * 3))"
    t=$(now_ns)
    mv "$WORK/new.$k" "$DIR/new$k"
    ok=0
    for _ in $(seq 1 300); do
      [ -s "$DIR/started.$k" ] && ok=1 && break
      sleep 0.05
    done
    if [ $ok = 1 ]; then
      lat+=("$(awk -v a="$t" -v b="$(head -1 "$DIR/started.$k")" 'BEGIN {printf "%d", (b - a) / 1e6}')")
    elif [ "$impl" = reference ] && [ "$n" -ge 1000 ]; then
      lat+=("never (limit)")
    else
      lat+=(">15000")
    fi
  done
  DETAIL=$(printf '%s ms | %d kB (%d) | %d kB | %.2f/s | %d ms | %d' \
    "$(IFS=/; echo "${lat[*]}")" \
    $((n_sup ? sup_pss / n_sup : 0)) "$n_sup" "$scan_pss" \
    "$(awk -v a="$w0" -v b="$w1" 'BEGIN {print (b - a) / 20}')" \
    $(((c1 - c0) * 1000 / HZ)) "$(grep -c . "$WORK/err")")
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]; else print "n/a"}'; }

# bench_n N: REPS runs of each implementation, alternated; the all-up times
# are the median, the details come from the last run.
bench_n() {
  local n=$1 impl rep impls=()
  for impl in ours reference; do
    if [ "$impl" = reference ]; then
      [ -x "$REF_BIN/svscan" ] || { echo "| reference | $n | n/a (not installed) |"; continue; }
      [ "$n" -gt 1000 ] && { echo "| reference | $n | n/a (0.76 stops at 1000) |"; continue; }
    fi
    procs_free "$n" || { echo "| $impl | $n | n/a (not enough free pids) |"; continue; }
    impls+=("$impl")
  done
  declare -A sup all det
  local reps=$REPS
  [ "$n" -gt 1000 ] && reps=1
  for rep in $(seq 1 "$reps"); do
    for impl in "${impls[@]}"; do
      start_run "$impl" "$n"
      sup[$impl]+=" $UP_SUP"
      all[$impl]+=" $UP_ALL"
      if [ "$rep" = "$reps" ]; then
        details "$impl" "$n"
        det[$impl]=$DETAIL
      fi
      stop_all
      rm -rf "$DIR"
    done
  done
  for impl in "${impls[@]}"; do
    printf '| %s | %d | %s s | %s s | %s |\n' "$impl" "$n" "$(median <<<"${sup[$impl]}")" "$(median <<<"${all[$impl]}")" "${det[$impl]}"
  done
}

procs_free() { # can N more services (2 processes each) run?
  local n=$1 max used
  max=$(cat /proc/sys/kernel/pid_max)
  used=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
  [ $((used + 2 * n + 2000)) -lt "$max" ]
}

REPS=${REPS:-3}
note "ours: $DT_BIN/svscan; supervise: $SUP/supervise; reference: $REF_BIN/svscan and supervise"
echo "| svscan | N | all supervise started | all services up | pick-up (3 tries) | PSS per supervise (count) | svscan PSS | idle wake-ups | idle CPU (20 s) | warnings |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do bench_n "$n"; done
