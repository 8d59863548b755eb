#!/usr/bin/env bash
# supervise beyond 0.76: ./finish with s6's semantics (BEYOND-SPEC d2, d3):
# its arguments, the record while it runs, exit 125 = failed and no restart,
# timeout-finish (default 5000 ms, 0 = none), and letters during finish.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_beyond_helpers.bash"

[ -x "$SUP" ] && [ -x "$OSVC" ] || { skip "our supervise or svc not built"; finish; }
cd "$TEST_ROOT" || exit 1

# fin_sv DIR RUN FINISH: a service whose run and finish are the given lines;
# run appends its pid to ../pids, finish its arguments to ../args
fin_sv() {
  mkdir -p "$1"
  printf '#!/bin/sh\necho $$ >>../pids\n%s\n' "$2" >"$1/run"
  printf '#!/bin/sh\necho "$*" >>../args\n%s\n' "$3" >"$1/finish"
  chmod +x "$1/run" "$1/finish"
}
nlines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# --- svc -d: 256 15 DIR PID
mkdir d1 && cd d1 || exit 1
fin_sv s 'exec sleep 1000' 'exit 0'
start_ext s
p=$(up_run s)
"$OSVC" -d s
check "svc -d: finish runs" poll 30 test -s args
check "svc -d: finish gets 256 15 s PID" [ "$(cat args)" = "256 15 s $p" ]
check "svc -d: then down, stopped" poll 30 svstat_is s "s: down N seconds, normally up, stopped"
"$OSVC" -u s
check "svc -u: up again" poll 30 eval '[ "$(nlines pids)" = 2 ]'
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- exit 3: 3 0 DIR PID; restarted (wanted up); finish before the new run
mkdir d2 && cd d2 || exit 1
fin_sv s '[ -e ../once ] && exec sleep 1000; : >../once; exit 3' 'echo finish >>../order'
sed -i 's|^echo \$\$ >>../pids$|echo $$ >>../pids; echo run >>../order|' s/run
start_ext s
check "exit 3: restarted" poll 30 eval '[ "$(nlines pids)" = 2 ]'
p1=$(head -1 pids)
check "exit 3: finish gets 3 0 s PID" [ "$(head -1 args)" = "3 0 s $p1" ]
check "exit 3: run, finish, run" [ "$(tr '\n' ' ' <order)" = "run finish run " ]
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- exit 100 from run restarts, as in 0.76
mkdir d3 && cd d3 || exit 1
fin_sv s '[ -e ../once ] && exec sleep 1000; : >../once; exit 100' 'exit 0'
start_ext s
check "run exit 100: restarted, as 0.76 does" poll 30 eval '[ "$(nlines pids)" = 2 ]'
check "run exit 100: finish gets 100 0" poll 30 eval 'grep -q "^100 0 s " args'
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- finish exit 125: failed, no restart; svc -u restarts
mkdir d4 && cd d4 || exit 1
fin_sv s 'exec sleep 1000' 'exit 125'
start_ext s
p=$(up_run s)
kill "$p"
check "finish 125: failed" poll 30 svstat_is s "s: down N seconds, normally up, failed"
check "finish 125: want down, state 5" poll 30 eval '[ "$(field s 4)" = d ] && [ "$(rstate s)" = 5 ]'
sleep 1.5
check "finish 125: not restarted" [ "$(nlines pids)" = 1 ]
"$OSVC" -u s
check "finish 125, then svc -u: restarted" poll 30 eval '[ "$(nlines pids)" = 2 ]'
check "svc -u: no longer failed" poll 30 eval '[ "$(rstate s)" = 3 ]'
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- the record while finish runs; letters during finish
mkdir d5 && cd d5 || exit 1
fin_sv s 'exec sleep 1000' 'echo $$ >../finpid; trap "echo finish got TERM >>../flog" TERM; trap "echo finish got HUP >>../flog" HUP; while [ ! -e ../go ]; do sleep 0.05; done'
start_ext s
p=$(up_run s)
kill "$p"
check "during finish: pid 0, stopping, finishing flag" poll 30 rec_is s "20 0 0 u 4 130"
check "during finish: svstat" svstat_is s "s: down N seconds, normally up, want up, stopping"
"$OSVC" -o s
"$OSVC" -k s
"$OSVC" -h s
"$OSVC" -t s
sleep 1
check "svc -o -k -h -t during finish: run not started" [ "$(nlines pids)" = 1 ]
check "svc -k -h -t during finish: finish not signalled" eval '[ ! -e flog ] && alive "$(cat finpid)"'
check "svc -o during finish: want recorded" [ "$(field s 4)" = 0 ]
"$OSVC" -u s
: >go
check "after finish: run again (wanted up)" poll 30 eval '[ "$(nlines pids)" = 2 ]'
rm -f go
# svc -x during finish: supervise exits only after finish
p=$(up_run s)
kill "$p"
await 30 rec_is s "20 0 0 u 4 130"
"$OSVC" -dx s
sleep 1
check "svc -dx during finish: supervise waits for finish" alive "$SV_PID"
: >go
check "svc -dx during finish: supervise exits after it" poll 30 gone "$SV_PID"
wait "$SV_PID"
check "svc -dx during finish: exit 0" [ $? = 0 ]
check "svc -dx during finish: no new run" [ "$(nlines pids)" = 2 ]
cd "$TEST_ROOT" || exit 1

# --- timeout-finish: default 5 s then KILL; 0 = no limit
mkdir d6 && cd d6 || exit 1
fin_sv s 'exec sleep 1000' 'date +%s%N >../fstart; sleep 10; echo done >>../fdone'
start_ext s
p=$(up_run s)
kill "$p"
await 30 test -s fstart
t0=$(cat fstart)
check "finish sleeping 10 s: killed, run restarted" poll 30 eval '[ "$(nlines pids)" = 2 ]'
t1=$(date +%s%N)
el=$(((t1 - t0) / 1000000))
check "finish killed after about 5 s, not before 4.5 s (${el} ms)" [ "$el" -ge 4500 ]
check "finish did not complete" [ ! -e fdone ]
check "the warning" grep -q '^supervise: warning: .*finish.*SIGKILL' s.err
stop_ext s
cd "$TEST_ROOT" || exit 1

mkdir d7 && cd d7 || exit 1
fin_sv s 'exec sleep 1000' 'sleep 6; echo done >>../fdone'
echo 0 >s/timeout-finish
start_ext s
p=$(up_run s)
kill "$p"
check "timeout-finish 0: finish runs to its end" poll 30 test -e fdone
check "timeout-finish 0: then run again" poll 30 eval '[ "$(nlines pids)" = 2 ]'
stop_ext s
cd "$TEST_ROOT" || exit 1

mkdir d8 && cd d8 || exit 1
fin_sv s 'exec sleep 1000' 'sleep 10; echo done >>../fdone'
echo 300 >s/timeout-finish
start_ext s
p=$(up_run s)
kill "$p"
check "timeout-finish 300: finish killed, run again" poll 30 eval '[ "$(nlines pids)" = 2 ]'
check "timeout-finish 300: finish did not complete" [ ! -e fdone ]
stop_ext s
cd "$TEST_ROOT" || exit 1

# --- a finish that cannot be run: treated as an exit (127), run restarts
mkdir d9 && cd d9 || exit 1
fin_sv s 'exec sleep 1000' 'exit 0'
chmod -x s/finish
start_ext s
p=$(up_run s)
kill "$p"
check "finish not executable: run again" poll 30 eval '[ "$(nlines pids)" = 2 ]'
check "finish not executable: supervise alive" alive "$SV_PID"
stop_ext s
cd "$TEST_ROOT" || exit 1
finish
