#!/usr/bin/env bash
# Interoperation: our svc, svstat and svok drive a reference supervise, and
# the reference's drive ours, through the real supervise/control, ok and
# status; both svstats must read each supervise's record alike.
. "$(dirname "$0")/../lib.sh"
# for the extended-mode part at the end (this file's own helpers below
# take precedence where names meet)
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_beyond_helpers.bash"

UP='^s: up \(pid [0-9]+\) [0-9]+ seconds'
DOWN='^s: down [0-9]+ seconds'

# line CTL: what CTL's svstat says about s
line() { "$1/svstat" s 2>&1; }
# matches CTL REGEX: CTL's svstat line matches REGEX exactly
matches() { [[ "$(line "$1")" =~ $2$ ]]; }
# pid_of CTL: the pid svstat shows
pid_of() { line "$1" | sed -nE 's/^s: up \(pid ([0-9]+)\).*/\1/p'; }
# alive PID: the process exists and is not a zombie
alive() { [ -n "$1" ] && [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

# scenario NAME SUP CTL OTHER: a supervise from SUP driven by svc/svstat/svok
# from CTL; OTHER's svstat must agree with CTL's at every step.
scenario() {
  local name=$1 sup=$2 ctl=$3 other=$4 dir spid p1 p2 l1 l2
  dir=$(_newdir)
  mkdir -p "$dir/s"
  printf '#!/bin/sh\necho $$ > pid.run\nexec sleep 1000\n' >"$dir/s/run"
  chmod +x "$dir/s/run"
  cd "$dir" || return
  setsid "$sup/supervise" s >/dev/null 2>&1 </dev/null &
  spid=$!
  track_pid "$spid"
  track_pgrp "$spid"

  check "$name: svok sees it start" poll 30 "$ctl/svok" s
  check "$name: up" poll 30 matches "$ctl" "$UP"
  p1=$(pid_of "$ctl")
  check "$name: the pid is the service's" poll 30 eval '[ "$(cat s/pid.run 2>/dev/null)" = "$p1" ]'
  l1=$(line "$ctl")
  l2=$(line "$other")
  check "$name: both svstats agree" [ "${l1/ [0-9]* seconds/ N seconds}" = "${l2/ [0-9]* seconds/ N seconds}" ]

  "$ctl/svc" -d s
  check "$name: svc -d: down, normally up" poll 30 matches "$ctl" "$DOWN, normally up"
  check "$name: svc -d: the service is gone" poll 30 eval '! alive "$p1"'
  check "$name: svc -d: other svstat agrees" matches "$other" "$DOWN, normally up"

  "$ctl/svc" -u s
  check "$name: svc -u: up again" poll 30 matches "$ctl" "$UP"
  p2=$(pid_of "$ctl")
  check "$name: svc -u: a new pid" eval '[ -n "$p2" ] && [ "$p2" != "$p1" ] && alive "$p2"' 

  "$ctl/svc" -p s
  check "$name: svc -p: paused" poll 30 matches "$ctl" "$UP, paused"
  check "$name: svc -p: stopped" poll 30 eval 'grep -q "^State:.*T" /proc/$p2/status'
  check "$name: svc -p: other svstat agrees" matches "$other" "$UP, paused"
  "$ctl/svc" -c s
  check "$name: svc -c: not paused" poll 30 matches "$ctl" "$UP"
  check "$name: svc -c: running" poll 30 eval '! grep -q "^State:.*T" /proc/$p2/status'

  touch s/down
  check "$name: down file: normally down" matches "$ctl" "$UP, normally down"
  check "$name: down file: other svstat agrees" matches "$other" "$UP, normally down"
  rm s/down

  "$ctl/svc" -k s
  check "$name: svc -k: restarted" poll 30 eval 'p=$(pid_of "$ctl"); [ -n "$p" ] && [ "$p" != "$p2" ]'
  p2=$(pid_of "$ctl")

  "$ctl/svc" -o s
  check "$name: svc -o: up, no want" poll 30 matches "$ctl" "$UP"
  "$ctl/svc" -t s
  check "$name: svc -o then -t: stays down, normally up" poll 30 matches "$ctl" "$DOWN, normally up"
  check "$name: svc -o then -t: other svstat agrees" matches "$other" "$DOWN, normally up"

  "$ctl/svc" -u s
  check "$name: up before exit" poll 30 matches "$ctl" "$UP"
  "$ctl/svc" -dx s
  check "$name: svc -dx: supervise exits" poll 30 eval '! alive "$spid"'
  wait "$spid" 2>/dev/null
  check "$name: svok after exit: 100" eval '"$ctl/svok" s; [ $? = 100 ]'
  check "$name: svstat after exit" [ "$(line "$ctl")" = "s: supervise not running" ]
  check "$name: svc after exit" [ "$("$ctl/svc" -u s 2>&1)" = "svc: warning: unable to control s: supervise not running" ]
  check "$name: other svstat after exit" [ "$(line "$other")" = "s: supervise not running" ]
  cd "$TEST_ROOT" || return
}

have_ours=0
[ -x "$DT_BIN/supervise" ] && have_ours=1
if ! has_ref supervise || ! has_ref svc || ! has_ref svstat || ! has_ref svok; then
  skip "interoperation: the reference daemontools is not installed in $REF_BIN"
  # our tools with our supervise still make a test
  [ $have_ours = 1 ] && scenario "ours/ours" "$DT_BIN" "$DT_BIN" "$DT_BIN"
  finish
fi
scenario "our tools -> reference supervise" "$REF_BIN" "$DT_BIN" "$REF_BIN"
if [ $have_ours = 1 ]; then
  scenario "reference tools -> our supervise" "$DT_BIN" "$REF_BIN" "$DT_BIN"
  scenario "our tools -> our supervise" "$DT_BIN" "$DT_BIN" "$REF_BIN"
else
  skip "reference tools -> our supervise: $DT_BIN/supervise not built"
fi

nlines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
# Beyond 0.76: the reference svc and svstat on our supervise in extended
# mode (a 20-byte record), and our svstat on the reference's record of a
# service directory holding ./finish (which 0.76 ignores).
if [ $have_ours = 1 ]; then
  mkdir "$TEST_ROOT/ref" && cd "$TEST_ROOT/ref" || exit 1
  mkdir s
  printf '#!/bin/sh\necho $$ >>../pids\nexec sleep 1000\n' >s/run
  printf '#!/bin/sh\nexit 0\n' >s/finish
  echo 3000 >s/timeout-kill
  echo 3 >s/notification-fd  # never written: starting
  chmod +x s/run s/finish
  start_ext s
  p=$(up_pid s)
  check "extended: 20 bytes" poll 30 eval '[ "$(field s 1)" = 20 ]'
  check "0.76 svstat: the 18-byte line" [ "$(ref_svstat_line s)" = "s: up (pid $p) N seconds" ]
  check "our svstat: the same, then starting" svstat_is s "s: up (pid $p) N seconds, starting"
  "$REF_BIN/svc" -p s
  check "0.76 svc -p: paused" poll 30 eval '[ "$(ref_svstat_line s)" = "s: up (pid $p) N seconds, paused" ]'
  "$REF_BIN/svc" -c s
  touch s/down
  "$REF_BIN/svc" -o s
  check "0.76 svstat, normally down, once: 0.76's words" poll 30 eval '[ "$(ref_svstat_line s)" = "s: up (pid $p) N seconds, normally down" ]'
  check "our svstat adds once, starting" svstat_is s "s: up (pid $p) N seconds, normally down, once, starting"
  rm s/down
  "$REF_BIN/svc" -u s
  "$REF_BIN/svc" -t s
  check "0.76 svc -t: restarted" poll 30 eval '[ "$(nlines pids)" = 2 ] && [ "$(rpid s)" != 0 ]'
  p=$(rpid s)
  "$REF_BIN/svc" -d s
  check "0.76 svc -d: down" poll 30 eval '[ "$(rpid s)" = 0 ]'
  check "0.76 svstat when down: 0.76's line" poll 30 eval '[ "$(ref_svstat_line s)" = "s: down N seconds, normally up" ]'
  check "our svstat when down: stopped (once ./finish is done)" poll 30 svstat_is s "s: down N seconds, normally up, stopped"
  "$REF_BIN/svc" -u s
  check "0.76 svc -u: up" poll 30 eval '[ "$(rpid s)" != 0 ]'
  "$REF_BIN/svc" -dx s
  check "0.76 svc -dx: supervise exits" poll 30 gone "$SV_PID"
  wait "$SV_PID" 2>/dev/null
  check "0.76 svstat after exit" [ "$("$REF_BIN/svstat" s)" = "s: supervise not running" ]
  cd "$TEST_ROOT" || exit 1
  # our svstat on the reference's record
  mkdir "$TEST_ROOT/refsup" && cd "$TEST_ROOT/refsup" || exit 1
  mkdir s
  printf '#!/bin/sh\nexec sleep 1000\n' >s/run
  printf '#!/bin/sh\nexit 0\n' >s/finish  # ignored by 0.76
  chmod +x s/run s/finish
  setsid "$REF_BIN/supervise" s </dev/null >/dev/null 2>&1 &
  rp=$!
  track_pgrp $rp
  p=$(up_pid s)
  check "reference supervise with ./finish: 18 bytes" [ "$(field s 1)" = 18 ]
  check "our svstat on it: the reference's line" [ "$(svstat_line s)" = "$(ref_svstat_line s)" ]
  check "our svstat on it: no words" svstat_is s "s: up (pid $p) N seconds"
  "$REF_BIN/svc" -dx s
  await 30 gone $rp
  cd "$TEST_ROOT" || exit 1
else
  skip "extended mode: $DT_BIN/supervise not built"
fi
finish
