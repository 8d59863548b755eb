#!/usr/bin/env bash
# supervise beyond 0.76: ./finish CODE SIG DIR PID after ./run exits (s6's
# arguments, with the pid), ./run restarted only after ./finish exits, exit
# 125 = do not restart (state failed), ./timeout-finish, the status while
# ./finish runs (pid 0, state stopping, flag 0x02), letters meanwhile.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_sup_helpers.bash"

d=$(_newdir)
cd "$d" || exit 1

# finish logs its arguments; it waits for ../go when ../hold exists
finish_sh='#!/bin/sh
echo $$ >../fpid
echo "$@" >>../flog
while [ -e ../hold ] && [ ! -e ../go ]; do sleep 0.05; done
rm -f ../go
[ -e ../code ] && exit "$(cat ../code)"
exit 0'
mk_finish() { printf '%s\n' "$finish_sh" >"$1/finish"; chmod +x "$1/finish"; }

mk_service s 'echo $$ >>../pids
[ -e ../exit3 ] && { rm ../exit3; exit 3; }
exec sleep 100'
mk_finish s
start_ours s
await 30 state_is s "up 0 u"
check "finish present: extended record, running ($(ext_of s))" ext_is s "3 0"
p=$(pid_of s)
"$SVC" -d s
await 30 test -s flog
check "svc -d: finish gets 256 15 DIR PID ($(cat flog))" [ "$(cat flog)" = "256 15 s $p" ]
await 30 state_is s "down 0 d"
await 30 ext_is s "0 0"
check "after finish: stopped" ext_is s "0 0"
: >flog
touch exit3
"$SVC" -u s
await 30 test -s flog
p=$(sed -n 2p pids)
check "exit 3: finish gets 3 0 DIR PID ($(cat flog))" [ "$(cat flog)" = "3 0 s $p" ]
await 30 lines_ge pids 3
check "exit 3: restarted after finish" state_is s "up 0 u"

# while finish runs: pid 0, state 4, flag 2; letters only record the want
touch hold
: >flog
p=$(pid_of s)
"$SVC" -k s
await 30 test -s flog
await 30 ext_is s "4 2"
check "finish running: pid 0, want up ($(state_of s))" state_is s "down 0 u"
check "finish running: state stopping, flag finishing ($(ext_of s))" ext_is s "4 2"
fpid=$(cat fpid)
check "finish running: its pid known" [ -n "$fpid" ] && check "finish running: alive" alive "$fpid"
"$SVC" -o s
sleep 0.3
"$SVC" -k s
"$SVC" -t s
sleep 1.2
check "svc -o -k -t during finish: run not started early" [ "$(wc -l <pids)" = 3 ]
check "svc -o -k -t during finish: finish not signalled" alive "$fpid"
check "svc -o during finish: want once recorded" state_is s "down 0 0"
"$SVC" -u s
touch go
await 30 lines_ge pids 4
check "finish exits: run starts (wanted up)" state_is s "up 0 u"
await 30 test ! -e go

# exit 125: failed, not restarted, until svc -u
echo 125 >code
rm -f hold
: >flog
"$SVC" -k s
await 30 test -s flog
await 30 ext_is s "5 0"
check "finish exit 125: want down, failed ($(state_of s) / $(ext_of s))" [ "$(state_of s)" = "down 0 d" -a "$(ext_of s)" = "5 0" ]
if [ -x "$DT_BIN/svstat" ]; then
  check "finish exit 125: our svstat says failed ($("$DT_BIN/svstat" s))" \
    grep -qE '^s: down [0-9]+ seconds, normally up, failed$' <("$DT_BIN/svstat" s)
fi
sleep 1.2
check "finish exit 125: not restarted" [ "$(wc -l <pids)" = 4 ]
rm code
"$SVC" -u s
await 30 lines_ge pids 5
await 30 ext_is s "3 0"
check "then svc -u: restarted, running" [ "$(ext_of s)" = "3 0" ]

# svc -x during finish: supervise exits after finish
touch hold
"$SVC" -dx s
await 30 ext_is s "4 2"
sleep 0.5
check "svc -dx during finish: supervise waits for finish" alive "$SV_PID"
touch go
await 30 gone "$SV_PID"
check "svc -dx: supervise exits after finish" gone "$SV_PID"
wait "$SV_PID"
check "svc -dx: exit 0" [ $? = 0 ]
check "svc -dx: down, stopped" [ "$(state_of s)" = "down 0 d" -a "$(ext_of s)" = "0 0" ]
rm -f hold go
stop_sv s "$SV_PID"

# timeout-finish: KILL at the deadline, with s6's warning; 0 = no limit
rm -rf t; mk_service t 'exec sleep 100'
printf '#!/bin/sh\necho $$ >../tfpid\nexec sleep 100\n' >t/finish
chmod +x t/finish
echo 200 >t/timeout-finish
start_ours t
await 30 state_is t "up 0 u"
"$SVC" -d t
await 30 test -s tfpid
await 30 gone "$(cat tfpid)"
check "timeout-finish 200: finish KILLed" gone "$(cat tfpid)"
await 30 ext_is t "0 0"
check "timeout-finish: then down, stopped" ext_is t "0 0"
check "timeout-finish: s6's warning ($(cat t.err))" \
  grep -qxF "supervise: warning: finish script lifetime reached maximum value - sending it a SIGKILL" t.err
echo 0 >t/timeout-finish
rm -f tfpid
"$SVC" -u t
await 30 state_is t "up 0 u"
"$SVC" -d t
await 30 test -s tfpid
sleep 6
check "timeout-finish 0: finish runs past 5 s" alive "$(cat tfpid)"
kill "$(cat tfpid)"
await 30 ext_is t "0 0"
# garbage in timeout-finish: warning, default 5000
printf 'soon\n' >t/timeout-finish
: >t.err
rm -f tfpid
"$SVC" -u t
await 30 state_is t "up 0 u"
"$SVC" -d t
await 30 test -s tfpid
check "timeout-finish garbage: warning" grep -qxF "supervise: warning: invalid t/timeout-finish" t.err
await 30 gone "$(cat tfpid)"
check "timeout-finish garbage: the 5-s default KILLs it" gone "$(cat tfpid)"
stop_sv t "$SV_PID"

# a finish that cannot be run: a warning, treated as a finish exit (127)
rm -rf u; mk_service u 'echo $$ >>../upids; exec sleep 100'
printf 'not executable\n' >u/finish
start_ours u
await 30 state_is u "up 0 u"
"$SVC" -k u
await 30 lines_ge upids 2
check "finish not executable: warning" grep -qxF "supervise: warning: unable to start u/finish: access denied" u.err
check "finish not executable: run restarts" state_is u "up 0 u"
stop_sv u "$SV_PID"
finish
