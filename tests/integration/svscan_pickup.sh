#!/usr/bin/env bash
# Our svscan beyond 0.76: new directories taken up at once; a directory made
# in place taken up with its log; entries churning during scans; a second
# svscan on the same directory waiting, with a warning; idle, it wakes only
# for the 5-second rescan.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/svscan_helpers.bash"
need_supervise
start_ours() { scan_start "$DT_BIN" "$1"; }
ctxsw() { awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$SCAN_PID/status"; }

root=$(mktemp -d "$TEST_ROOT/pick.XXXXXX")
s=$root/s
mkdir -p "$s" "$root/new"
mksvc "$s/first"
mksvc "$root/new/moved"
mksvc "$root/new/linked"
# each full scan warns about this link once: the warnings count the scans
ln -s /nonexistent "$s/zz-dangling"
scans() { grep -c 'unable to stat zz-dangling' "$s.err"; }
start_ours "$s"
check "first up" poll 30 has_kid "$SCAN_PID" "supervise first"

# --- renamed in: at once, not by the next rescan. Moved in just after a
# rescan (a new warning), it is up before the scan count moves again.
n0=$(scans)
await 30 eval '[ "$(scans)" -gt $n0 ]'
n1=$(scans)
mv "$root/new/moved" "$s/"
check "moved-in directory taken up" poll 30 has_kid "$SCAN_PID" "supervise moved"
check "before the rescan (scans: $n1, then $(scans))" test "$(scans)" = "$n1"
ln -s ../new/linked "$s/linked"
check "linked-in directory taken up" poll 30 has_kid "$SCAN_PID" "supervise linked"
: >"$s/plainfile"
mkdir "$s/.dotdir"
sleep 0.5
check "a file and a dot name still ignored" test "$(nkids "$SCAN_PID")" = 3

# --- idle: one wake-up per rescan at most (a 10-second window: 2 rescans)
c0=$(ctxsw)
sleep 10
c1=$(ctxsw)
check "idle wake-ups: $((c1 - c0)) in 10 s" test $((c1 - c0)) -le 4

# --- made in place, then filled with its log: both started, piped
mkdir "$s/inplace"
mksvc "$s/inplace/log" 'exec cat >>../../../inplace.log'
mksvc "$s/inplace" 'echo made in place; exec sleep 100000'
check "made-in-place service and its log" poll 30 eval 'has_kid "$SCAN_PID" "supervise inplace" && has_kid "$SCAN_PID" "supervise log"'
check "its output reaches its log" poll 30 grep -qsx 'made in place' "$root/inplace.log"

# --- a second svscan on the same directory waits, with a warning
scan1=$SCAN_PID
setsid env PATH="$SUP:/usr/bin:/bin" "$DT_BIN/svscan" "$s" >"$root/second.out" 2>"$root/second.err" </dev/null &
scan2=$!
track_pgrp "$scan2"
check "second svscan warns" poll 30 grep -qsx "svscan: warning: another svscan is running in $s, waiting for it to exit" "$root/second.err"
sleep 1
check "second svscan starts nothing" test "$(nkids "$scan2")" = 0
# the first one goes (its supervise processes stay): the second takes over
kill -KILL "$scan1"
wait "$scan1" 2>/dev/null
mksvc "$root/new/after"
mv "$root/new/after" "$s/"
SCAN_PID=$scan2
check "second takes over" poll 30 has_kid "$SCAN_PID" "supervise after"
kill -TERM -- "-$scan1" "-$scan2"

# --- no inotify (the portable fallback): the 5-second rescan alone
shim=${DT_TESTS:-}/failsys.so
if [ -f "$shim" ]; then
  f=$root/fallback
  mkdir -p "$f"
  mksvc "$f/one"
  mksvc "$root/new/two"
  setsid env PATH="$SUP:/usr/bin:/bin" SHIM_FAIL=inotify:38:0 LD_PRELOAD="$shim" "$DT_BIN/svscan" "$f" \
    >"$f.out" 2>"$f.err" </dev/null &
  SCAN_PID=$!
  track_pgrp "$SCAN_PID"
  check "fallback: first up" poll 30 has_kid "$SCAN_PID" "supervise one"
  check "fallback: no inotify descriptor" test "$(for d in /proc/$SCAN_PID/fd/*; do readlink "$d"; done | grep -c inotify)" = 0
  mv "$root/new/two" "$f/"
  check "fallback: taken up by the rescan" poll 30 has_kid "$SCAN_PID" "supervise two"
  check "fallback: no warning" test ! -s "$f.err"
  kill -TERM -- "-$SCAN_PID"
else
  skip "no failsys shim: fallback without inotify"
fi

# --- entries churning while svscan scans: it survives, and what is left
# in the end is supervised
c=$root/churn
mkdir -p "$c" "$root/pool"
for i in $(seq 1 50); do mksvc "$root/pool/d$i"; done
start_ours "$c"
end=$(($(date +%s) + 6))
round=0
while [ "$(date +%s)" -lt "$end" ]; do
  for i in $(seq 1 200); do : >"$c/f$i.$round"; done
  for i in $(seq 1 50); do mv "$root/pool/d$i" "$c/"; done
  rm -f "$c"/f*
  for i in $(seq 1 50); do mv "$c/d$i" "$root/pool/"; done
  round=$((round + 1))
done
for i in $(seq 1 50); do mv "$root/pool/d$i" "$c/"; done
check "svscan survives churn ($round rounds)" kill -0 "$SCAN_PID"
# every directory left has its supervise (after the next rescan at the latest)
check "all 50 supervised" poll 30 eval '[ "$(ps -o args= --ppid $SCAN_PID | grep -v defunct | sort -u | wc -l)" -ge 50 ]'
missing=0
for i in $(seq 1 50); do has_kid "$SCAN_PID" "supervise d$i" || missing=$((missing + 1)); done
check "none missing ($missing)" test "$missing" = 0
check "only expected warnings" test "$(grep -v 'unable to stat .*: file does not exist$' "$c.err" | grep -c '^svscan:')" = 0
finish
