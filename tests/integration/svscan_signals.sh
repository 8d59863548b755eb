#!/usr/bin/env bash
# svscan and signals. Not process 1 and not opted in: TERM, HUP, ALRM and
# INT kill svscan and leave its services running, exactly as 0.76's svscan
# (differential). Opted in by .svscan/ (beyond 0.76): ALRM rescans at once,
# HUP rescans and stops the services whose directory has gone (the logger
# after its service), the others untouched. In every mode: a log made after
# its service was picked up is not started, with one warning; a failed
# growth of the service table is a warning, retried at the next scan; a
# failing poll is a warning and a pause, never a busy loop.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/svscan_helpers.bash"
need_supervise
ref_note

# ---- not opted in: as 0.76 ---------------------------------------------------
declare -A RESULT
# session_args SID: what runs in the session, sorted, comma-separated.
session_args() { ps -e -o sid=,args= | awk -v s="$1" '$1 == s { $1 = ""; sub(/^ /, ""); print }' | sort | paste -sd, -; }
for impl in "${IMPLS[@]}"; do
  bin=$(bin_of "$impl")
  for sig in TERM HUP ALRM INT; do
    d=$(mktemp -d "$TEST_ROOT/$impl.$sig.XXXXXX")
    mksvc "$d/s/a"
    mksvc "$d/s/b"
    mksvc "$d/s/b/log"
    # a background job of a script starts with INT ignored: back to the
    # default for svscan
    setsid env --default-signal=INT PATH="$SUP:/usr/bin:/bin" "$bin/svscan" "$d/s" \
      >"$d/s.out" 2>"$d/s.err" </dev/null &
    SCAN_PID=$!
    track_pgrp "$SCAN_PID"
    await 30 eval '[ "$(nkids $SCAN_PID)" = 3 ]'
    kill -"$sig" "$SCAN_PID"
    if poll 10 gone "$SCAN_PID"; then
      wait "$SCAN_PID" 2>/dev/null
      rc=$?
    else
      rc=alive
    fi
    want='sleep 100000,sleep 100000,sleep 100000,supervise a,supervise b,supervise log'
    await 30 eval '[ "$(session_args $SCAN_PID)" = "$want" ]'
    left=$(session_args "$SCAN_PID")
    RESULT[$impl.$sig]="rc=$rc left=$left err=$(cat "$d/s.err")"
    check "$impl: $sig: svscan killed by it (rc $rc)" test "$rc" = $((128 + $(kill -l "$sig")))
    check "$impl: $sig: its services left running ($left)" \
      test "$left" = "$want"
    scan_stop
  done
done
if has_ref svscan; then
  for sig in TERM HUP ALRM INT; do
    check "$sig: ours as the reference (${RESULT[ours.$sig]} / ${RESULT[ref.$sig]})" \
      test "${RESULT[ours.$sig]}" = "${RESULT[ref.$sig]}"
  done
fi

# ---- opted in: ALRM ---------------------------------------------------------------
root=$(mktemp -d "$TEST_ROOT/opt.XXXXXX")
s=$root/s
mkdir -p "$s/.svscan" "$root/away"
mksvc "$s/a"
mksvc "$s/a/log" 'exec cat >>../../../a.log'
mksvc "$s/b"
mksvc "$s/c"
ln -s /nonexistent "$s/zz-dangling"  # one warning a full scan: counts them
scans() { grep -c 'unable to stat zz-dangling' "$s.err"; }
scan_start "$DT_BIN" "$s"
check "opt: all up" poll 30 eval '[ "$(nkids $SCAN_PID)" = 4 ]'
# just after a rescan, three ALRMs: three scans, well before the next two
# rescans could have made them
n0=$(scans)
await 30 eval '[ "$(scans)" -gt $n0 ]'
n1=$(scans)
t0=$(date +%s%N)
ok=1
for k in 1 2 3; do
  kill -ALRM "$SCAN_PID"
  poll 30 eval '[ "$(scans)" -ge $((n1 + k)) ]' || ok=0
done
ms=$((($(date +%s%N) - t0) / 1000000))
check "opt: ALRM: one scan each ($((n1 + 3)) after 3 ALRMs, $ms ms)" test $ok = 1 -a $ms -lt 9000
check "opt: ALRM: svscan alive" kill -0 "$SCAN_PID"

# --- a log made after its service was picked up: not started, one warning
mkdir "$s/c/log"
mksvc "$s/c/log"
for k in 1 2 3; do
  n=$(scans)
  kill -ALRM "$SCAN_PID"
  await 30 eval '[ "$(scans)" -gt $n ]'
done
check "opt: late log warned once" test "$(grep -c '^svscan: warning: c/log is not started: c was picked up without it$' "$s.err")" = 1
check "opt: late log not started" test "$(nkids "$SCAN_PID")" = 4

# ---- opted in: HUP -------------------------------------------------------------------
echo hello from a >"$root/hello"
pa=$(kid_pid "$SCAN_PID" supervise a)
pb=$(kid_pid "$SCAN_PID" supervise b)
pl=$(for p in $(ps -o pid= --ppid "$SCAN_PID"); do [ "$(readlink "/proc/$p/cwd")" = "$s/a/log" ] && echo "$p"; done)
mv "$s/a" "$root/away/a"
# without HUP a gone service is left alone (as 0.76), at the rescan too
n=$(scans)
kill -ALRM "$SCAN_PID"
await 30 eval '[ "$(scans)" -gt $n ]'
check "opt: gone service left running by a rescan" kill -0 "$pa"
kill -HUP "$SCAN_PID"
check "opt: HUP: gone service's supervise exits" poll 30 gone "$pa"
check "opt: HUP: its logger's supervise exits" poll 30 gone "$pl"
check "opt: HUP: the service itself is down" poll 30 eval '[ "$(ps -o pid= --ppid "$pa" | wc -l)" = 0 ]'
check "opt: HUP: others untouched" kill -0 "$pb"
check "opt: HUP: svscan alive" kill -0 "$SCAN_PID"
check "opt: HUP: no other warning" test "$(grep -v 'zz-dangling\|c/log is not started' "$s.err" | grep -c .)" = 0
# back in, it is a new service again
mv "$root/away/a" "$s/a"
check "opt: HUP: a service back in is started again" poll 30 has_kid "$SCAN_PID" supervise a
scan_stop

# ---- a failed growth of the table: a warning, then retried -------------------------
shim=${DT_TESTS:-}/failsys.so
if [ -f "$shim" ]; then
  r=$(mktemp -d "$TEST_ROOT/grow.XXXXXX")
  for i in 1 2 3; do mksvc "$r/s/s$i"; done
  # the 2nd realloc is the index of the first growth: the first service
  # added is refused, the others go in; the next scan adds it
  scan_start "$DT_BIN" "$r/s" SHIM_FAIL=realloc:12:2 LD_PRELOAD="$shim"
  check "grow: warning" poll 30 eval "grep -qx 'svscan: warning: unable to add s[123]: out of memory' '$r/s.err'"
  check "grow: one warning" test "$(grep -c . "$r/s.err")" = 1
  check "grow: all three up after the next scan" poll 30 eval '[ "$(nkids $SCAN_PID)" = 3 ]'
  check "grow: svscan alive" kill -0 "$SCAN_PID"
  scan_stop

  # --- poll failing for ever: a warning and a pause each time, no spin
  r=$(mktemp -d "$TEST_ROOT/poll.XXXXXX")
  mksvc "$r/s/a"
  scan_start "$DT_BIN" "$r/s" SHIM_FAIL=poll:12:0 LD_PRELOAD="$shim"
  check "poll: the service still started" poll 30 has_kid "$SCAN_PID" supervise a
  t0=$(awk '{print $14 + $15}' "/proc/$SCAN_PID/stat")
  sleep 3
  t1=$(awk '{print $14 + $15}' "/proc/$SCAN_PID/stat")
  n=$(grep -c '^svscan: warning: unable to poll: out of memory$' "$r/s.err")
  check "poll: warned, about once a second ($n in 3 s or more)" test "$n" -ge 2 -a "$n" -le 10
  check "poll: only that warning" test "$(grep -vc 'unable to poll' "$r/s.err")" = 0
  check "poll: no busy loop ($((t1 - t0)) ticks in 3 s)" test $((t1 - t0)) -le 30
  check "poll: svscan alive" kill -0 "$SCAN_PID"
  scan_stop
else
  skip "no failsys shim: table growth and poll failures"
fi
finish
