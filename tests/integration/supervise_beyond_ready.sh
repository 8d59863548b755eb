#!/usr/bin/env bash
# supervise beyond 0.76: readiness on ./notification-fd as s6 does it, and
# the 20-byte record of extended mode (BEYOND-SPEC c2, c3): ready only at
# the first newline, never without one, a second newline gets SIGPIPE and
# supervise survives; with ./finish only, running as soon as up; the
# reference 0.76 svstat prints the 18-byte line for the 20-byte record.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_beyond_helpers.bash"

[ -x "$SUP" ] && [ -x "$OSVSTAT" ] || { skip "our supervise or svstat not built"; finish; }
cd "$TEST_ROOT" || exit 1

# ready_sv DIR SCRIPT: notification-fd 3 and a run that writes its pid to
# ../pids, then runs SCRIPT; "mark X" touches ../X, "wait X" waits for ../X
ready_sv() {
  mkdir -p "$1"
  echo 3 >"$1/notification-fd"
  cat >"$1/run" <<EOF
#!/bin/sh
mark() { : >../\$1; }
wait_for() { while [ ! -e ../\$1 ]; do sleep 0.05; done; }
echo \$\$ >>../pids
$2
EOF
  chmod +x "$1/run"
}

# --- "re", then "ady\n": ready only after the second write
mkdir c1 && cd c1 || exit 1
ready_sv s 'printf re >&3; mark wrote1; wait_for go; printf "ady\n" >&3; mark wrote2; exec sleep 1000 3>&-'
start_ext s
p=$(up_pid s)
check "re: up" poll 30 test -e wrote1
check "re: 20 bytes, starting, readiness active" poll 30 rec_is s "20 $p 0 u 1 129"
check "re: svstat says starting" svstat_is s "s: up (pid $p) N seconds, starting"
if has_ref svstat; then
  check "re: 0.76 svstat prints the 18-byte line" [ "$(ref_svstat_line s)" = "s: up (pid $p) N seconds" ]
fi
sleep 1
check "re: still starting a second later" rec_is s "20 $p 0 u 1 129"
: >go
check "ady\\n: running" poll 30 eval '[ "$(rstate s)" = 3 ]'
check "ady\\n: svstat says running" poll 30 svstat_is s "s: up (pid $p) N seconds, running"
if has_ref svstat; then
  check "running: 0.76 svstat prints the 18-byte line" [ "$(ref_svstat_line s)" = "s: up (pid $p) N seconds" ]
fi
check "the same process" [ "$(rpid s)" = "$p" ]
"$OSVC" -o s
check "svc -o: once, running" poll 30 svstat_is s "s: up (pid $p) N seconds, once, running"
stop_ext s
check "after -dx: the record says down, want down, stopped" rec_is s "20 0 0 d 0 128"
cd "$TEST_ROOT" || exit 1

# --- "x" and close: never ready, the state stays starting
mkdir c2 && cd c2 || exit 1
ready_sv s 'printf x >&3; exec 3>&-; mark closed; exec sleep 1000'
start_ext s
p=$(up_pid s)
check "x, close: closed" poll 30 test -e closed
sleep 1
check "x, close: still starting ($(rec s))" rec_is s "20 $p 0 u 1 129"
check "x, close: svstat" svstat_is s "s: up (pid $p) N seconds, starting"
check "x, close: supervise alive" alive "$SV_PID"
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- a newline, then another after supervise closed its end: SIGPIPE
mkdir c3 && cd c3 || exit 1
ready_sv s 'printf "\n" >&3; wait_for go; printf "\n" >&3; mark survived; exec sleep 1000'
start_ext s
p=$(up_pid s)
check "\\n: running" poll 30 eval '[ "$(rstate s)" = 3 ]'
: >go
check "\\n again: the run gets SIGPIPE and exits" poll 30 gone "$p"
check "\\n again: it never went on" [ ! -e survived ]
check "\\n again: supervise survives" alive "$SV_PID"
check "\\n again: restarted" poll 30 eval '[ "$(wc -l <pids)" -ge 2 ]'
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- the newline on a descriptor below 3: notification-fd 1
mkdir c4 && cd c4 || exit 1
mkdir s
echo 1 >s/notification-fd
printf '#!/bin/sh\necho ready\nexec sleep 1000 >/dev/null\n' >s/run
chmod +x s/run
start_ext s
p=$(up_pid s)
check "fd 1: running" poll 30 eval '[ "$(rstate s)" = 3 ]'
check "fd 1: not in supervise's output" [ ! -s s.out ]
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- extended by ./finish alone: running as soon as up, no readiness flag
mkdir c5 && cd c5 || exit 1
mkdir s
printf '#!/bin/sh\nexec sleep 1000\n' >s/run
printf '#!/bin/sh\nexit 0\n' >s/finish
chmod +x s/run s/finish
start_ext s
p=$(up_pid s)
check "finish only: running at once" poll 30 rec_is s "20 $p 0 u 3 128"
check "finish only: svstat" svstat_is s "s: up (pid $p) N seconds, running"
if has_ref svstat; then
  check "finish only: 0.76 svstat" [ "$(ref_svstat_line s)" = "s: up (pid $p) N seconds" ]
  touch s/down
  "$OSVC" -p s
  await 30 eval '[ "$(field s 3)" = 1 ]'
  check "paused, normally down: 0.76 svstat's words only" [ "$(ref_svstat_line s)" = "s: up (pid $p) N seconds, normally down, paused" ]
  check "paused, normally down: ours adds running" svstat_is s "s: up (pid $p) N seconds, normally down, paused, running"
  "$OSVC" -c s
  rm s/down
fi
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- without any new file: 0.76's 18 bytes, exactly
mkdir c6 && cd c6 || exit 1
mkdir s
printf '#!/bin/sh\nexec sleep 1000\n' >s/run
chmod +x s/run
start_ext s
p=$(up_pid s)
check "plain: 18 bytes" rec_is s "18 $p 0 u - -"
check "plain: svstat without words" svstat_is s "s: up (pid $p) N seconds"
stop_ext s
check "plain, after -dx: still 18 bytes" eval '[ "$(field s 1)" = 18 ]'
cd "$TEST_ROOT" || exit 1
finish
