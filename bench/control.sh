#!/usr/bin/env bash
# Control cost (hyperfine): `svc -u` of one service, `svstat` of one service
# and of K at once (default K = 200), ours and the reference's, against the
# same K services (under the reference svscan and supervise when installed,
# else ours), so that only the client programs differ. hyperfine runs the
# commands without a shell (-N); the median wall time per run is the
# figure (the mean is shown too: on a loaded machine a few slow runs weigh
# on it).
. "$(dirname "$0")/lib.sh"
bench_init

K=${BENCH_K:-200}
RUNS=300
WARM=20
if quick; then K=10 RUNS=9 WARM=2; fi
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

# measure METRIC ARGS PROG: ours against the reference with hyperfine, in
# 3 rounds of RUNS/3 runs, the order swapped each round (hyperfine runs one
# command's runs, then the other's); the median of the rounds' medians is
# the figure, the mean +- sd of all runs beside it.
measure() {
  local m=$1 args=$2 prog=$3 cmds=() impls=() csv=$W/hf.csv round
  if ours "$prog"; then cmds+=("$DT_BIN/$prog $args"); impls+=(ours); else result $S "$m" ours "n/a (not built)" ms; fi
  if [ -x "$REF_BIN/$prog" ]; then cmds+=("$REF_BIN/$prog $args"); impls+=(daemontools); else result $S "$m" daemontools "n/a (not installed)" ms; fi
  [ ${#cmds[@]} -eq 0 ] && return
  local -A meds=() means=() sds=()
  for round in 1 2 3; do
    local order=("${!cmds[@]}")
    [ $round = 2 ] && [ ${#cmds[@]} = 2 ] && order=(1 0)
    local c=() j
    for j in "${order[@]}"; do c+=("${cmds[j]}"); done
    if ! hyperfine -N --style none --warmup $WARM --runs $((RUNS / 3)) --export-csv "$csv" "${c[@]}" >/dev/null 2>"$W/hf.err"; then
      local i
      for i in "${impls[@]}"; do result $S "$m" "$i" "failed: $(head -c 80 "$W/hf.err" | tr '\n\t' '  ')" ms; done
      return
    fi
    # CSV: command,mean,stddev,median,user,system,min,max (seconds)
    local k=0 mean sd med
    while IFS=, read -r _ mean sd med _; do
      j=${order[k]}
      meds[$j]+=" $med" means[$j]+=" $mean" sds[$j]+=" $sd"
      k=$((k + 1))
    done < <(tail -n +2 "$csv")
  done
  for j in "${!cmds[@]}"; do
    # shellcheck disable=SC2086
    result $S "$m" "${impls[j]}" "$(calc "$(median ${meds[$j]}) * 1000")" ms
    # the mean and sd of all runs: rounds of equal size, so pooled
    result $S "$m, mean ± σ" "${impls[j]}" "$(awk -v m="${means[$j]}" -v s="${sds[$j]}" 'BEGIN {
      n = split(m, a, " "); split(s, b, " ")
      for (i = 1; i <= n; i++) mu += a[i] / n
      for (i = 1; i <= n; i++) v += (b[i] * b[i] + (a[i] - mu) * (a[i] - mu)) / n
      printf "%.3f ± %.3f", mu * 1000, sqrt(v) * 1000 }')" ms
  done
}

measure "svc -u" "-u $one" svc
measure "svstat, one service" "$one" svstat
measure "svstat, $K services" "$all" svstat
result $S "services controlled (by both)" daemontools "$tree supervise" ""
scanner_stop $tree "$dir" "$SCAN_ID"
bench_done
