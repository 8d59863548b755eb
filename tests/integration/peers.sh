#!/usr/bin/env bash
# Real peer clients against our supervise (issue 10): Debian s6's s6-svc
# (without -w, which needs s6's event/ directory) delivers its signals and
# commands. encore's svc is not packaged: its byte streams are written raw
# in supervise_beyond_signals.sh; runit's sv reads a 20-byte status before
# it sends anything, and our 18-byte record is "bad format" to it, as 0.76's.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_beyond_helpers.bash"

[ -x "$SUP" ] || { skip "our supervise not built"; finish; }
cd "$TEST_ROOT" || exit 1
nlines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# --- s6-svc
if command -v s6-svc >/dev/null; then
  mkdir s6 && cd s6 || exit 1
  mksv s
  echo 0 >s/timeout-finish  # extended mode, no other change
  start_ext s
  p=$(up_pid s)
  await 30 logged log "start $p"
  for pair in q:QUIT 1:USR1 2:USR2 h:HUP t:TERM a:ALRM i:INT y:WINCH b:ABRT; do
    l=${pair%%:*} sig=${pair#*:}
    n=$(count log "$sig")
    s6-svc -$l s
    rc=$?
    check "s6-svc -$l: rc 0" [ $rc = 0 ]
    check "s6-svc -$l: $sig delivered" poll 30 eval '[ "$(count log '"$sig"')" -gt '"$n"' ]'
  done
  check "s6-svc: the same process throughout" [ "$(rpid s)" = "$p" ]
  s6-svc -p s
  check "s6-svc -p: paused" poll 30 eval '[ "$(field s 3)" = 1 ]'
  s6-svc -c s
  check "s6-svc -c: not paused" poll 30 eval '[ "$(field s 3)" = 0 ]'
  s6-svc -k s
  check "s6-svc -k: killed, restarted" poll 30 eval '[ "$(rpid s)" != 0 ] && [ "$(rpid s)" != '"$p"' ]'
  p=$(rpid s)
  s6-svc -D s
  check "s6-svc -D: ./down made" poll 30 test -f s/down
  "$OSVC" -k s  # the run survives TERM
  check "s6-svc -D: down" poll 30 eval '[ "$(rpid s)" = 0 ] && [ "$(field s 4)" = d ]'
  s6-svc -U s
  check "s6-svc -U: ./down removed" poll 30 eval '[ ! -e s/down ]'
  check "s6-svc -U: up" poll 30 eval '[ "$(rpid s)" != 0 ]'
  p=$(rpid s)
  s6-svc -O s
  check "s6-svc -O: want none" poll 30 eval '[ "$(field s 4)" = 0 ]'
  s6-svc -u s
  s6-svc -r s
  check "s6-svc -r: the down signal (TERM)" poll 30 eval '[ "$(count log TERM)" -ge 2 ]'
  check "s6-svc -r: want unchanged" [ "$(field s 4)" = u ]
  s6-svc -dx s
  "$OSVC" -k s 2>/dev/null
  check "s6-svc -dx: supervise exits" poll 30 gone "$SV_PID"
  wait "$SV_PID" 2>/dev/null
  s6-svc -h s 2>/dev/null
  check "s6-svc after exit: 'supervisor not listening', rc 100" [ $? = 100 ]
  cd "$TEST_ROOT" || exit 1
else
  skip "s6-svc not installed"
fi

# --- runit's sv: it reads 20 bytes before sending anything, so against a
# supervise writing 0.76's 18 bytes it warns and sends nothing, as against
# 0.76's supervise (differential)
if command -v sv >/dev/null; then
  for impl in ours reference; do
    if [ $impl = ours ]; then bin=$DT_BIN; else has_ref supervise || continue; bin=$REF_BIN; fi
    mkdir "sv.$impl" && cd "sv.$impl" || exit 1
    mksv s
    setsid env --default-signal=INT,QUIT "$bin/supervise" s </dev/null >/dev/null 2>&1 &
    SV_PID=$!
    track_pgrp $SV_PID
    p=$(up_pid s)
    o=$(sv hup ./s 2>&1)
    rc=$?
    check "sv hup ($impl): bad format, rc 1" [ "$o rc=$rc" = "warning: ./s: unable to read supervise/status: bad format rc=1" ]
    sleep 0.5
    check "sv hup ($impl): nothing sent" eval '! logged log HUP'
    stop_ext s
    cd "$TEST_ROOT" || exit 1
  done
else
  skip "runit's sv not installed"
fi
finish
