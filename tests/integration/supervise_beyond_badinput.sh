#!/usr/bin/env bash
# supervise beyond 0.76: every new service-directory file with garbage in
# it (empty, not a number, a huge number, negative, a directory instead of
# a file, unreadable): a "supervise: warning: ..." naming the file, the
# service runs as 0.76 would run it, supervise neither dies nor spins. A
# value without its newline is valid (s6 reads up to the first newline).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_beyond_helpers.bash"

[ -x "$SUP" ] && [ -x "$OSVC" ] || { skip "our supervise or svc not built"; finish; }
cd "$TEST_ROOT" || exit 1
chmod 755 "$TEST_ROOT"

# idle_ok NAME: over 2 s, supervise uses at most 0.2 s of CPU and wakes at
# most 4 times (an idle one: 0)
idle_ok() {
  local c0 c1 w0 w1
  c0=$(cpu_of "$SV_PID") w0=$(wakeups "$SV_PID")
  sleep 2
  c1=$(cpu_of "$SV_PID") w1=$(wakeups "$SV_PID")
  check "$1: not spinning (cpu $((c1 - c0)) ticks, $((w1 - w0)) wake-ups in 2 s)" \
    eval '[ $((c1 - c0)) -le 20 ] && [ $((w1 - w0)) -le 4 ]'
}

# bad FILE NAME HOW [ASUSER]: FILE made by HOW (shell, in the service dir);
# supervise must start the service, warn about FILE (unless NOWARN=1) and
# stay idle
bad() {
  local file=$1 name=$2 how=$3 user=${4:-} d p
  d=$(_newdir)
  chmod 755 "$d"
  cd "$d" || exit 1
  mkdir s
  printf '#!/bin/sh\necho $$ >>../pids\nexec sleep 1000\n' >s/run
  chmod +x s/run
  if [ "$file" = timeout-finish ]; then
    printf '#!/bin/sh\nexit 0\n' >s/finish
    chmod +x s/finish
  fi
  (cd s && eval "$how")
  if [ -n "$user" ]; then
    chown -R 65534:65534 "$d"
    setsid env --default-signal=INT,QUIT $AS_NOBODY "$SUP" s </dev/null >>s.out 2>>s.err &
    SV_PID=$!
    track_pgrp $SV_PID
  else
    start_ext s
  fi
  p=$(up_run s)
  check "$file $name: the service runs" eval '[ -n "$p" ] && [ "$p" != 0 ] && alive "$p"'
  check "$file $name: supervise alive" alive "$SV_PID"
  idle_ok "$file $name"
  # down-signal and timeout-kill are read at svc -d, timeout-finish when
  # ./finish starts
  "$OSVC" -d s
  check "$file $name: svc -d stops it" poll 30 gone "$p"
  check "$file $name: as 0.76 does (one run, down)" poll 30 eval '[ "$(wc -l <pids)" = 1 ] && [ "$(rpid s)" = 0 ]'
  if [ "${NOWARN:-0}" = 1 ]; then
    check "$file $name: no warning" [ ! -s s.err ]
  else
    check "$file $name: a warning naming it" poll 30 grep -q "^supervise: warning: .*s/$file" s.err
  fi
  [ -s s.err ] && printf '  (%s %s: %s)\n' "$file" "$name" "$(head -1 s.err)"
  "$OSVC" -x s
  poll 10 gone "$SV_PID" || kill -KILL -- "-$SV_PID" 2>/dev/null
  wait "$SV_PID" 2>/dev/null
  cd "$TEST_ROOT" || exit 1
}

for f in notification-fd timeout-kill timeout-finish; do
  bad $f "not a number" "echo abc >$f"
  bad $f "negative" "echo -5 >$f"
  bad $f "huge" "echo 99999999999999999999999999 >$f"
  bad $f "trailing junk" "echo '12x' >$f"
  bad $f "a directory" "mkdir $f"
  if [ -n "$AS_NOBODY" ]; then
    bad $f "unreadable" "echo 7 >$f; chmod 000 $f" user
  else
    skip "$f unreadable: not root"
  fi
done
bad notification-fd "empty" ": >notification-fd"
bad down-signal "not a signal" "echo FOO >down-signal"
bad down-signal "number too big" "echo 999 >down-signal"
bad down-signal "empty" ": >down-signal"
bad down-signal "a directory" "mkdir down-signal"
bad down-signal "SIG alone" "echo SIG >down-signal"
if [ -n "$AS_NOBODY" ]; then
  bad down-signal "unreadable" "echo HUP >down-signal; chmod 000 down-signal" user
fi
# valid without a newline: no warning
NOWARN=1 bad timeout-kill "500, no newline" "printf 500 >timeout-kill"
NOWARN=1 bad down-signal "TERM, no newline" "printf TERM >down-signal"
NOWARN=1 bad notification-fd "5, no newline" "printf 5 >notification-fd"

# finish that cannot run: the run restarts all the same
for how in "mkdir finish" "printf 'exit 0' >finish" "ln -s nowhere finish"; do
  d=$(_newdir)
  cd "$d" || exit 1
  mkdir s
  printf '#!/bin/sh\necho $$ >>../pids\nexec sleep 1000\n' >s/run
  chmod +x s/run
  (cd s && eval "$how")
  start_ext s
  p=$(up_run s)
  kill "$p"
  check "finish ($how): run restarts" poll 30 eval '[ "$(wc -l <pids)" = 2 ] && [ "$(rpid s)" != 0 ]'
  check "finish ($how): supervise alive" alive "$SV_PID"
  idle_ok "finish ($how)"
  stop_ext s
  cd "$TEST_ROOT" || exit 1
done
finish
