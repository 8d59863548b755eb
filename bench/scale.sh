#!/usr/bin/env bash
# Scale: K = 1,000, 5,000 and 10,000 services (`exec sleep 100000`) under
# our svscan; the references at K = 1,000 only (daemontools' svscan stops
# at 1,000 services, s6-svscan's default table at 500: their limits show
# as "timeout (N/K up)"). For each: time from the scanner's start to the
# start of its last service, the scanner's CPU and wake-ups over an idle
# window, the pick-up of one more service (latency, and the scanner's CPU
# from the mv to the new service's start: one scan of K entries), memory.
. "$(dirname "$0")/lib.sh"
bench_init

POINTS=${BENCH_SCALE:-"ours:1000 daemontools:1000 runit:1000 s6:1000 ours:5000 ours:10000"}
IDLE=15
SETTLE=3
if quick; then POINTS=${BENCH_SCALE:-"ours:20"} IDLE=1 SETTLE=0.5; fi
S=scale

for pt in $POINTS; do
  impl=${pt%%:*} k=${pt##*:} col="${pt%%:*} $k"
  miss=$(scanner_missing "$impl")
  if [ -n "$miss" ]; then
    result $S "all up" "$col" "$miss" s
    continue
  fi
  # about 2 processes a service: keep clear of the machine's pid limit
  if [ $((2 * k + $(ls /proc | grep -c '^[0-9]'))) -gt $(($(cat /proc/sys/kernel/pid_max) - 1000)) ]; then
    result $S "all up" "$col" "n/a (pid_max $(cat /proc/sys/kernel/pid_max) too low)" s
    continue
  fi
  dir=$W/$impl.$k
  make_services "$dir" "$k"
  scanner_start "$impl" "$dir"
  if ! wait_up "$SCAN_PID" "$k" $((30 + k / 50)); then
    result $S "all up" "$col" "timeout (${UP_COUNT#* }/$k up)" s
    scanner_stop "$impl" "$dir" "$SCAN_ID"
    rm -rf "$dir"
    continue
  fi
  result $S "all up" "$col" "$(up_seconds "$SCAN_PID")" s
  sleep "$SETTLE"
  sup=$(tree_pids "$SCAN_PID" 1)
  read -r n pss priv <<<"$(mem_sum $sup)"
  read -r _ spss _ <<<"$(mem_sum "$SCAN_PID")"
  result $S "PSS per supervisor" "$col" "$(calc "$pss / $n")" kB
  result $S "scanner PSS" "$col" "$spss" kB
  result $S "scanner + supervisors PSS" "$col" "$(calc "($spss + $pss) / 1024")" MB
  read -r c0 s0 <<<"$(activity "$SCAN_PID")"
  read -r _ w0 <<<"$(activity $sup)"
  sleep "$IDLE"
  read -r c1 s1 <<<"$(activity "$SCAN_PID")"
  read -r _ w1 <<<"$(activity $sup)"
  result $S "scanner CPU, idle" "$col" "$(calc "($c1 - $c0) / 1000000 / $IDLE")" ms/s
  result $S "scanner wake-ups, idle" "$col" "$(calc "($s1 - $s0) / $IDLE")" /s
  result $S "supervisors' wake-ups, idle, all" "$col" "$(calc "($w1 - $w0) / $IDLE")" /s
  # one more service: latency and the scanner's CPU for it
  make_service "$W/new" 'date +%s%N >started; exec sleep 100000'
  read -r c0 _ <<<"$(activity "$SCAN_PID")"
  t0=$(now_us)
  mv "$W/new" "$dir/new"
  if poll_until 10 "[ -s $dir/new/started ]"; then
    read -r c1 _ <<<"$(activity "$SCAN_PID")"
    result $S "new service picked up" "$col" "$(calc "($(cat "$dir/new/started") / 1000 - $t0) / 1000")" ms
    result $S "scanner CPU to pick it up" "$col" "$(calc "($c1 - $c0) / 1000000")" ms
  else
    result $S "new service picked up" "$col" ">10000" ms
  fi
  t0=$(now_us)
  scanner_stop "$impl" "$dir" "$SCAN_ID"
  result $S "stop all (svc -dx / HUP / s6-svscanctl -t)" "$col" "$(calc "($(now_us) - $t0) / 1000000")" s
  rm -rf "$dir"
done
bench_done
