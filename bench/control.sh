#!/usr/bin/env bash
# Control cost (hyperfine): `svc -u` of one service, `svstat` of one service
# and of K at once (default K = 200), ours and the reference's, against the
# same K services (under the reference svscan and supervise when installed,
# else ours), so that only the client programs differ. hyperfine runs the
# commands without a shell (-N); mean wall time per run.
. "$(dirname "$0")/lib.sh"
bench_init

K=${BENCH_K:-200}
RUNS=300
WARM=30
if quick; then K=10 RUNS=10 WARM=2; fi
S=control

metrics=("svc -u" "svstat, one service" "svstat, $K services")
na() { local m; for m in "${metrics[@]}"; do result $S "$m" "$1" "$2" ms; done; }

if ! command -v hyperfine >/dev/null; then
  na ours "n/a (hyperfine not installed)"
  na daemontools "n/a (hyperfine not installed)"
  bench_done
  exit 0
fi
tree=daemontools
[ -n "$(scanner_missing daemontools)" ] && tree=ours
if [ -n "$(scanner_missing $tree)" ]; then
  na ours "n/a (no supervise to control)"
  na daemontools "n/a (no supervise to control)"
  bench_done
  exit 0
fi

dir=$W/services
make_services "$dir" "$K"
scanner_start $tree "$dir"
if ! wait_up "$SCAN_PID" "$K" 60; then
  na ours "n/a (services did not come up)"
  na daemontools "n/a (services did not come up)"
  bench_done
  exit 0
fi
sleep 1.5  # past the supervisors' 1 s pause after a start
one=$dir/svc00000
all=$(printf '%s ' "$dir"/svc*)

# measure METRIC ARGS...: hyperfine ours against the reference, interleaved
# in one hyperfine call; records the mean of each in ms.
measure() {
  local m=$1 args=$2 prog=$3 cmds=() impls=() csv=$W/hf.csv
  if ours "$prog"; then cmds+=("$DT_BIN/$prog $args"); impls+=(ours); else result $S "$m" ours "n/a (not built)" ms; fi
  if [ -x "$REF_BIN/$prog" ]; then cmds+=("$REF_BIN/$prog $args"); impls+=(daemontools); else result $S "$m" daemontools "n/a (not installed)" ms; fi
  [ ${#cmds[@]} -eq 0 ] && return
  if ! hyperfine -N --style none --warmup $WARM --runs $RUNS --export-csv "$csv" "${cmds[@]}" >/dev/null 2>"$W/hf.err"; then
    local i
    for i in "${impls[@]}"; do result $S "$m" "$i" "failed: $(head -c 80 "$W/hf.err" | tr '\n\t' '  ')" ms; done
    return
  fi
  local i=0 mean
  while IFS=, read -r _ mean _; do
    result $S "$m" "${impls[i]}" "$(calc "$mean * 1000")" ms
    i=$((i + 1))
  done < <(tail -n +2 "$csv")
}

measure "svc -u" "-u $one" svc
measure "svstat, one service" "$one" svstat
measure "svstat, $K services" "$all" svstat
result $S "services controlled (by both)" daemontools "$tree supervise" ""
scanner_stop $tree "$dir" "$SCAN_ID"
bench_done
