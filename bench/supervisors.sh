#!/usr/bin/env bash
# Supervisor footprint: K services (`exec sleep 100000`, default K = 200)
# under our svscan and each reference scanner, one after the other, the
# scanners alternated over the repetitions:
#   - time from the scanner's start to the start of its last service
#     (median of the repetitions; /proc start times, 10 ms resolution);
#   - PSS and private memory per supervisor, and the scanner's PSS
#     (/proc/PID/smaps_rollup), once all are up and settled;
#   - wake-ups (context switches) and CPU time of the scanner and of all
#     supervisors together over an idle window (30 s).
. "$(dirname "$0")/lib.sh"
bench_init

K=${BENCH_K:-200}
IDLE=${BENCH_IDLE:-30}
REPS=3
SETTLE=2
if quick; then K=10 IDLE=1 REPS=1 SETTLE=0.3; fi
S=footprint

declare -A ups
for ((rep = 1; rep <= REPS; rep++)); do
  for impl in $SCANNERS; do
    miss=$(scanner_missing "$impl")
    if [ -n "$miss" ]; then
      [ $rep = 1 ] && result $S "$K services up" "$impl" "$miss" s
      continue
    fi
    dir=$W/$impl.$rep
    make_services "$dir" "$K"
    scanner_start "$impl" "$dir"
    if ! wait_up "$SCAN_PID" "$K" 60; then
      result $S "$K services up" "$impl" "timeout (${UP_COUNT#* }/$K up after 60 s)" s
      scanner_stop "$impl" "$dir" "$SCAN_ID"
      rm -rf "$dir"
      continue
    fi
    ups[$impl]+=" $(up_seconds "$SCAN_PID")"
    if [ $rep = 1 ]; then
      sleep "$SETTLE"
      sup=$(tree_pids "$SCAN_PID" 1)
      read -r n pss priv <<<"$(mem_sum $sup)"
      read -r _ spss _ <<<"$(mem_sum "$SCAN_PID")"
      read -r scpu0 ssw0 <<<"$(activity "$SCAN_PID")"
      read -r cpu0 sw0 <<<"$(activity $sup)"
      sleep "$IDLE"
      read -r scpu1 ssw1 <<<"$(activity "$SCAN_PID")"
      read -r cpu1 sw1 <<<"$(activity $sup)"
      result $S "PSS per supervisor" "$impl" "$(calc "$pss / $n")" kB
      result $S "private memory per supervisor" "$impl" "$(calc "$priv / $n")" kB
      result $S "scanner PSS" "$impl" "$spss" kB
      result $S "scanner wake-ups, idle" "$impl" "$(calc "($ssw1 - $ssw0) / $IDLE")" /s
      result $S "all $K supervisors' wake-ups, idle" "$impl" "$(calc "($sw1 - $sw0) / $IDLE")" /s
      result $S "scanner CPU over ${IDLE} s idle" "$impl" "$(calc "($scpu1 - $scpu0) / 1000000")" ms
      result $S "all supervisors' CPU over ${IDLE} s idle" "$impl" "$(calc "($cpu1 - $cpu0) / 1000000")" ms
    fi
    scanner_stop "$impl" "$dir" "$SCAN_ID"
    rm -rf "$dir"
  done
done
for impl in "${!ups[@]}"; do
  # shellcheck disable=SC2086
  result $S "$K services up" "$impl" "$(median ${ups[$impl]})" s
done
bench_done
