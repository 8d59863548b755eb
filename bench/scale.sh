#!/usr/bin/env bash
# Scale: K = 1,000, 5,000 and 10,000 services (`exec sleep 100000`) under
# our svscan; the references at K = 1,000 only (daemontools' svscan stops
# at 1,000 services, s6-svscan's default table at 500: their limits show
# as "timeout (N/K up)"). For each: time from the scanner's start to the
# start of its last service, the scanner's CPU and wake-ups over an idle
# window, the pick-up of one more service (latency, and the scanner's CPU
# from the mv to the new service's start: one scan of K entries), memory.
#
# Then the orderly shutdown (issue 13): K = 200 services, each writing
# numbered lines as fast as it can into a logger (multilog under our
# svscan, opted in by .svscan/; s6-log under s6-svscan + s6-supervise), TERM
# to the scanner, the time until the last process of its session is gone,
# and the lines lost: each service leaves the last number it wrote when it
# gets its TERM, and its log must hold 1..that number.
. "$(dirname "$0")/lib.sh"
bench_init

SHUTDOWN=${BENCH_SHUTDOWN:-"ours:200 s6:200"}
if quick; then SHUTDOWN=${BENCH_SHUTDOWN:-"ours:5 s6:5"}; fi

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
  # where the start-up time went: CPU of the scanner, of all supervisors,
  # and of all services (sh running ./run, then sleep: one process)
  read -r c_scan _ <<<"$(activity "$SCAN_PID")"
  read -r c_sup _ <<<"$(activity $(tree_pids "$SCAN_PID" 1))"
  read -r c_svc _ <<<"$(activity $(tree_pids "$SCAN_PID" 2))"
  result $S "start-up CPU: scanner" "$col" "$(calc "$c_scan / 1000000000")" s
  result $S "start-up CPU: supervisors, all" "$col" "$(calc "$c_sup / 1000000000")" s
  result $S "start-up CPU: services (sh + sleep), all" "$col" "$(calc "$c_svc / 1000000000")" s
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

# session_alive SID: some process of session SID is still alive.
session_alive() { ps -e -o sid=,stat= | awk -v s="$1" '$1 == s && $2 !~ /^Z/ { f = 1 } END { exit !f }'; }

for pt in $SHUTDOWN; do
  impl=${pt%%:*} k=${pt##*:} col="${pt%%:*} $k"
  miss=$(scanner_missing "$impl")
  if [ -z "$miss" ] && [ "$impl" = ours ] && ! ours multilog; then miss="n/a (not built)"; fi
  if [ -z "$miss" ] && [ "$impl" = s6 ] && ! command -v s6-log >/dev/null; then miss="n/a (not installed)"; fi
  if [ -n "$miss" ] || { [ "$impl" != ours ] && [ "$impl" != s6 ]; }; then
    result $S "shutdown: TERM to all gone" "$col" "${miss:-n/a}" s
    continue
  fi
  dir=$W/down.$impl.$k
  mkdir -p "$dir"
  if [ "$impl" = ours ]; then
    mkdir "$dir/.svscan"
    logger="$DT_BIN/multilog s16777215 n50 ./main"
  else
    logger="s6-log n50 s16777215 ./main"
  fi
  for ((i = 0; i < k; i++)); do
    sd=$dir/c$i
    mkdir -p "$sd/log"
    printf '#!/bin/bash\ni=0\ntrap "echo \\$i >../../last.%d; exit 0" TERM\nwhile :; do echo $((++i)); done\n' "$i" >"$sd/run"
    printf '#!/bin/sh\nexec %s\n' "$logger" >"$sd/log/run"
    chmod 755 "$sd/run" "$sd/log/run"
  done
  scanner_start "$impl" "$dir"
  poll_until $((30 + k / 10)) "[ \$(ls $dir/c*/log/main/current 2>/dev/null | wc -l) -ge $k ]"
  sleep 1
  own $(descendants "$SCAN_PID")
  t0=$(now_us)
  kill -TERM "$SCAN_PID"
  if poll_until 60 "! session_alive $SCAN_PID"; then
    result $S "shutdown: TERM to all gone" "$col" "$(calc "($(now_us) - $t0) / 1000000")" s
  else
    result $S "shutdown: TERM to all gone" "$col" ">60" s
  fi
  lost=0 unclean=0
  for ((i = 0; i < k; i++)); do
    last=$(cat "$W/last.$i" 2>/dev/null || echo "")
    got=$(cat "$dir/c$i/log/main/"@* "$dir/c$i/log/main/current" 2>/dev/null | wc -l)
    if [ -z "$last" ]; then
      unclean=$((unclean + 1))  # never saw its TERM (killed)
    elif [ "$got" -lt "$last" ]; then
      lost=$((lost + last - got))
    fi
  done
  result $S "shutdown: lines lost" "$col" "$lost" lines
  result $S "shutdown: services that never saw a TERM" "$col" "$unclean" ""
  kill_owned
  rm -rf "$dir" "$W"/last.*
done
bench_done
