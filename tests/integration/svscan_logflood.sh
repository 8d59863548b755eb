#!/usr/bin/env bash
# No log line lost: a service floods numbered lines into its log while the
# logger is restarted again and again (svc -t S/log); every line arrives
# once, in order, because svscan holds the pipe between them. Ours, and the
# reference svscan for comparison (same supervise, svc and multilog).
#
# Paced by the test, not by the clock: the producer writes its 40 bursts
# one by one as the test releases them (a file go.B each), and the test
# restarts the logger in the middle of the flood, waiting each time for the
# new logger to be up; so on a slow machine it is slower, never wrong.
. "$(dirname "$0")/../lib.sh"

pick() { # PROG: ours if built, else the reference's
  if [ -x "$DT_BIN/$1" ]; then echo "$DT_BIN"; elif [ -x "$REF_BIN/$1" ]; then echo "$REF_BIN"; fi
}
SUP=$(pick supervise)
SVC=$(pick svc)
LOG=$(pick multilog)
if [ -z "$SUP" ] || [ -z "$SVC" ] || [ -z "$LOG" ]; then
  skip "supervise, svc or multilog missing"
  finish
fi
impls=(ours)
has_ref svscan && impls+=(ref) || skip "reference svscan not installed: differential half"
N=100000

for impl in "${impls[@]}"; do
  bin=$DT_BIN
  [ "$impl" = ref ] && bin=$REF_BIN
  root=$(mktemp -d "$TEST_ROOT/$impl.XXXXXX")
  s=$root/s/flood
  mkdir -p "$s/log"
  # 40 bursts of N/40 lines, burst B once the test has made go.B
  printf '#!/bin/sh\nfor b in $(seq 0 39); do\n  while [ ! -e ../../go.$b ]; do sleep 0.02; done\n  seq $((b * %d + 1)) $((b * %d + %d))\ndone\nexec sleep 100000\n' \
    $((N / 40)) $((N / 40)) $((N / 40)) >"$s/run"
  # multilog finishes the line it is in on TERM: the logger loses nothing
  printf '#!/bin/sh\nexec %s/multilog s16777215 ./main\n' "$LOG" >"$s/log/run"
  chmod +x "$s/run" "$s/log/run"
  setsid env PATH="$SUP:/usr/bin:/bin" "$bin/svscan" "$root/s" >"$root/out" 2>"$root/err" </dev/null &
  pid=$!
  track_pgrp "$pid"
  cur=$s/log/main/current
  during=
  : >"$root/go.0"
  check "$impl: flood started" poll 30 test -s "$cur"
  # the logger's pid from supervise/status (bytes 12-15, little-endian)
  logpid() { od -An -tu4 -j12 -N4 "$s/log/supervise/status" 2>/dev/null | tr -d ' '; }
  new_logger() { local p; p=$(logpid); [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$1" ]; }
  pids=$(logpid)
  # a restart every 8 bursts (5 in all), each released burst racing it;
  # the next bursts wait until the new logger runs
  for b in $(seq 1 39); do
    : >"$root/go.$b"
    if [ $((b % 8)) = 4 ]; then
      old=$(logpid)
      "$SVC/svc" -t "$s/log"
      poll 30 new_logger "$old" || break
      pids="$pids $(logpid)"
      [ "$b" = 36 ] && during=$(wc -l <"$cur")
    fi
  done
  restarts=$(($(echo "$pids" | tr ' ' '\n' | sort -u | wc -l) - 1))
  check "$impl: logger restarted ($restarts times) during the flood (${during:-?} lines by the last)" \
    test "$restarts" -ge 5 -a "${during:-$N}" -lt "$N"
  lines() { if [ -f "$cur" ]; then wc -l <"$cur"; else echo 0; fi; }
  check "$impl: all $N lines arrive" poll 40 eval '[ "$(lines)" -ge $N ]'
  if seq 1 "$N" | cmp -s - "$cur"; then
    pass
  else
    fail "$impl: lines lost or repeated across $restarts logger restarts: $(lines) lines"
  fi
  check "$impl: no warnings" test "$(grep -c . "$root/err")" = 0
  kill -TERM -- "-$pid"
done
finish
