#!/usr/bin/env bash
# supervise beyond 0.76: ./down-signal and ./timeout-kill with s6's formats
# (BEYOND-SPEC e2, e3): the signal d and r send, KILL at the deadline and
# every 5 s after, the timer kept by a later u, a paused run, the group
# after "+".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_beyond_helpers.bash"

[ -x "$SUP" ] && [ -x "$OSVC" ] || { skip "our supervise or svc not built"; finish; }
cd "$TEST_ROOT" || exit 1
nlines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# --- a run that ignores TERM, timeout-kill 500: KILLed, not before 0.5 s
mkdir k1 && cd k1 || exit 1
mkdir s
printf '#!/bin/sh\necho $$ >>../pids\ntrap "echo TERM >>../log" TERM\nwhile :; do sleep 0.1; done\n' >s/run
chmod +x s/run
echo 500 >s/timeout-kill
start_ext s
p=$(up_run s)
sleep 1.2  # past the 1-s pause after a start, when supervise reads no letter (0.76)
t0=$(date +%s%N)
"$OSVC" -d s
check "timeout-kill 500: TERM first" poll 30 logged log TERM
check "timeout-kill 500: dead" poll 30 gone "$p"
el=$(ms_since "$t0")
check "timeout-kill 500: not before 0.5 s (${el} ms)" [ "$el" -ge 450 ]
[ "$el" -le 1500 ] || printf 'NOTE: KILL came %d ms after svc -d (BEYOND-SPEC: 0.5-1.5 s; a loaded machine)\n' "$el"
check "timeout-kill 500: down, want down" poll 30 eval '[ "$(rpid s)" = 0 ] && [ "$(field s 4)" = d ]'
# d then u 100 ms later: still KILLed, then restarted
"$OSVC" -u s
p=$(up_run s)
await 30 eval '[ "$(nlines pids)" = 2 ]'
"$OSVC" -d s
sleep 0.1
"$OSVC" -u s
check "d, u 100 ms later: still KILLed" poll 30 gone "$p"
check "d, u 100 ms later: restarted" poll 30 eval '[ "$(nlines pids)" = 3 ] && [ "$(rpid s)" != 0 ]'
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- the timer belongs to one process: t does not arm it, and a process
# that exited on d's TERM leaves none for the next run. (The KILL repeated
# every 5 s needs a process that survives KILL, which cannot be made here.)
mkdir k2 && cd k2 || exit 1
mkdir s
printf '#!/bin/sh\necho $$ >>../pids\ntrap "echo TERM >>../log; exit 0" TERM\nwhile :; do sleep 0.1; done\n' >s/run
chmod +x s/run
echo 2000 >s/timeout-kill
start_ext s
p=$(up_run s)
"$OSVC" -t s  # t: no timer
check "t: TERM, exits, restarted" poll 30 eval '[ "$(nlines pids)" = 2 ] && [ "$(rpid s)" != 0 ]'
p=$(rpid s)
sleep 2.5
check "t does not arm the timer: the new run lives" alive "$p"
"$OSVC" -d s
check "d on a run that exits on TERM: down" poll 30 gone "$p"
"$OSVC" -u s
p=$(up_run s)
sleep 2.5
check "the timer died with its process: the new run lives" alive "$p"
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- a paused run: d's CONT makes its TERM deliverable
mkdir k3 && cd k3 || exit 1
mkdir s
printf '#!/bin/sh\nexec sleep 1000\n' >s/run
chmod +x s/run
echo 10000 >s/timeout-kill
start_ext s
p=$(up_pid s)
"$OSVC" -p s
await 30 eval '[ "$(sed "s/.*) \(.\).*/\1/" /proc/'"$p"'/stat)" = T ]'
t0=$(date +%s%N)
"$OSVC" -d s
check "paused, d: TERM delivered" poll 30 gone "$p"
el=$(ms_since "$t0")
check "paused, d: by TERM, not the 10 s KILL (${el} ms)" [ "$el" -lt 9000 ]
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- down-signal: the names and numbers s6 takes
for spec in HUP SIGHUP hup 1 'HUP
'; do
  d=$(_newdir)
  cd "$d" || exit 1
  mkdir s
  printf '#!/bin/sh\ntrap "echo HUP >>../log; exit 0" HUP\ntrap "echo TERM >>../log; exit 0" TERM\nwhile :; do sleep 0.1; done\n' >s/run
  chmod +x s/run
  printf '%s' "$spec" >s/down-signal
  start_ext s
  p=$(up_pid s)
  "$OSVC" -d s
  check "down-signal '${spec%$'\n'}': HUP on d" poll 30 logged log HUP
  check "down-signal '${spec%$'\n'}': no TERM" eval '! logged log TERM'
  check "down-signal '${spec%$'\n'}': down" poll 30 eval '[ "$(rpid s)" = 0 ]'
  stop_ext s
  cd "$TEST_ROOT" || exit 1
done
# r uses it too, and does not arm timeout-kill
mkdir k4 && cd k4 || exit 1
mkdir s
printf '#!/bin/sh\necho $$ >>../pids\ntrap "echo USR1 >>../log" USR1\ntrap "echo TERM >>../log" TERM\nwhile :; do sleep 0.1; done\n' >s/run
chmod +x s/run
echo USR1 >s/down-signal
echo 300 >s/timeout-kill
start_ext s
p=$(up_run s)
"$OSVC" -r s
check "r with down-signal USR1: USR1" poll 30 logged log USR1
sleep 1
check "r: no KILL (r does not arm the timer)" alive "$p"
check "r: want still up" [ "$(field s 4)" = u ]
stop_ext s
cd "$TEST_ROOT" || exit 1

# down-signal USR1 on a run that does not catch it: down, by signal 10
mkdir k5 && cd k5 || exit 1
mkdir s
printf '#!/bin/sh\nexec sleep 1000\n' >s/run
printf '#!/bin/sh\necho "$1 $2" >../args\n' >s/finish
chmod +x s/run s/finish
echo USR1 >s/down-signal
start_ext s
p=$(up_pid s)
"$OSVC" -d s
check "down-signal USR1: down" poll 30 eval '[ "$(rpid s)" = 0 ]'
check "down-signal USR1: finish sees signal 10" poll 30 eval '[ "$(cat args 2>/dev/null)" = "256 10" ]'
check "down-signal USR1: svstat" poll 30 svstat_is s "s: down N seconds, normally up, stopped"
stop_ext s
cd "$TEST_ROOT" || exit 1

# down-signal FOO: a warning, and TERM
mkdir k6 && cd k6 || exit 1
mkdir s
printf '#!/bin/sh\ntrap "echo TERM >>../log; exit 0" TERM\nwhile :; do sleep 0.1; done\n' >s/run
chmod +x s/run
echo FOO >s/down-signal
start_ext s
p=$(up_pid s)
"$OSVC" -d s
check "down-signal FOO: TERM" poll 30 logged log TERM
check "down-signal FOO: the warning" grep -qx 'supervise: warning: invalid s/down-signal' s.err
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- timeout-kill after a + stop kills the pgrphack'ed group, grandchild too
mkdir k7 && cd k7 || exit 1
mkdir s
cat >s/run <<EOF
#!/bin/sh
exec $DT_BIN/pgrphack ./grp
EOF
cat >s/grp <<'EOF'
#!/bin/sh
echo $$ >>../pids
sh -c 'echo $$ >../child; trap "" TERM; while :; do sleep 0.1; done' &
trap "" TERM
while :; do sleep 0.1; done
EOF
chmod +x s/run s/grp
echo 500 >s/timeout-kill
start_ext s
p=$(up_run s)
track_pgrp "$p"
await 30 test -s child
c=$(cat child)
"$OSVC" -+d s
check "+d, timeout-kill: the leader KILLed" poll 30 gone "$p"
check "+d, timeout-kill: the grandchild KILLed too" poll 30 gone "$c"
check "+d: supervise alive" alive "$SV_PID"
stop_ext s
cd "$TEST_ROOT" || exit 1
finish
