#!/usr/bin/env bash
# 50 supervises of ours, each with a service that exits at once: each
# restarts about once a second, their CPU stays small, and neither their
# descriptors nor their memory grow. (bench/supervise_footprint.sh does
# the same with 200 beside the reference.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"

need_svc
N=50
WINDOW=6

fds_sum() { local p n=0; for p; do n=$((n + $(ls "/proc/$p/fd" | wc -l))); done; echo $n; }
anon_sum() { local p; for p; do cat "/proc/$p/smaps_rollup"; done | awk '$1 == "Anonymous:" { s += $2 } END { print s + 0 }'; }
ticks_sum() { local p; for p; do cat "/proc/$p/stat"; done | sed 's/.*) //' | awk '{ s += $12 + $13 } END { print s + 0 }'; }
counts() { wc -l "${cnt[@]}" | awk '$2 != "total" { print $1 }'; }

cd "$TEST_ROOT" || exit 1
dirs=()
cnt=()
pids=()
for i in $(seq -w 1 $N); do
  mkdir "s$i"
  printf '#!/bin/sh\necho >>count\nexit 1\n' >"s$i/run"
  chmod +x "s$i/run"
  : >"s$i/count"
  dirs+=("s$i")
  cnt+=("s$i/count")
  start_sv "$DT_BIN" "s$i"
  pids+=("$SV_PID")
done
sleep 2
fd0=$(fds_sum "${pids[@]}")
anon0=$(anon_sum "${pids[@]}")
tk0=$(ticks_sum "${pids[@]}")
counts >c0
t0=$(date +%s%N)
sleep $WINDOW
counts >c1
t1=$(date +%s%N)
tk1=$(ticks_sum "${pids[@]}")
fd1=$(fds_sum "${pids[@]}")
anon1=$(anon_sum "${pids[@]}")
"$SVC" -dx "${dirs[@]}"
secs=$(((t1 - t0) / 1000000000))
range=$(paste c0 c1 | awk '{ d = $2 - $1 } NR == 1 || d < lo { lo = d } NR == 1 || d > hi { hi = d } END { print lo, hi }')
read -r lo hi <<<"$range"
check "$N crash loops: each restarted about once a second ($lo..$hi starts in $secs s)" \
  [ "$lo" -ge $((WINDOW / 2)) -a "$hi" -le $((secs + 2)) ]
check "$N crash loops: supervises' CPU small ($((tk1 - tk0)) ticks in $secs s)" [ $((tk1 - tk0)) -lt 300 ]
check "$N crash loops: descriptors constant ($fd0 -> $fd1)" [ "$fd0" = "$fd1" ]
check "$N crash loops: anonymous memory constant ($anon0 -> $anon1 kB)" [ "$anon0" = "$anon1" ]
for p in "${pids[@]}"; do poll 20 gone "$p"; done
left=0
for p in "${pids[@]}"; do gone "$p" || left=$((left + 1)); done
check "$N crash loops: svc -dx stops every supervise ($left left)" [ $left = 0 ]
finish
