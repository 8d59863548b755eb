#!/usr/bin/env bash
# supervise beyond 0.76: after supervise is killed with -9, a new one adopts
# the ./run still running (same process: start time, directory) instead of
# starting a second copy; it reports it up, sends it the letters, and
# restarts per the usual rules when it exits (./finish gets -1 0). Where a
# check fails (pid reused by another process, a process that left the
# directory) it does what 0.76 does.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_sup_helpers.bash"

d=$(_newdir)
cd "$d" || exit 1
# how many of the recorded pids are alive
alive_count() { local n=0 p; for p in $(cat "$1"); do alive "$p" && n=$((n + 1)); done; echo $n; }

mk_service a 'echo $$ >>../apids
exec ./d.sh main'
printf '#!/bin/sh\necho "$@" >>../flog\n' >a/finish
chmod +x a/finish
start_ours a
await 30 state_is a "up 0 u"
p=$(pid_of a)
for i in 1 2 3 4 5; do
  kill -KILL "$SV_PID"
  wait "$SV_PID" 2>/dev/null
  start_ours a
  await 30 test -p a/supervise/ok
  sleep 1.2
  check "kill -9 #$i: adopted, same pid ($(state_of a))" state_is a "up 0 u" && check "kill -9 #$i: pid $p kept" [ "$(pid_of a)" = "$p" ]
  check "kill -9 #$i: no second copy ($(wc -l <apids) starts)" [ "$(wc -l <apids)" = 1 ]
done
: >log
ctl a h
await 30 has_log main:HUP
check "adopted: letters reach it" has_log main:HUP
ctl a k
await 30 lines_ge apids 2
await 30 state_is a "up 0 u"
check "adopted exits (k): finish gets -1 0 DIR PID ($(cat flog))" [ "$(cat flog)" = "-1 0 a $p" ]
check "adopted exits: restarted (wanted up)" [ "$(pid_of a)" = "$(sed -n 2p apids)" ]
check "adopted exits: one copy alive" [ "$(alive_count apids)" = 1 ]
p=$(pid_of a)
# adopted, then d: stopped and not restarted
kill -KILL "$SV_PID"
wait "$SV_PID" 2>/dev/null
start_ours a
sleep 1.2
check "second adoption: same pid" [ "$(pid_of a)" = "$p" ]
ctl a d
ctl a k
await 30 state_is a "down 0 d"
check "adopted, d: down, not restarted" [ "$(alive_count apids)" = 0 ]
stop_sv a "$SV_PID"

# killed supervise in extended mode (notification-fd): adopted, running
mk_service r 'echo $$ >>../rpids; echo >&3; exec sleep 100'
echo 3 >r/notification-fd
start_ours r
await 30 ext_is r "3 1"
kill -KILL "$SV_PID"
wait "$SV_PID" 2>/dev/null
start_ours r
sleep 1.2
check "notification-fd service: adopted ($(wc -l <rpids) starts), running ($(ext_of r))" \
  [ "$(wc -l <rpids)" = 1 -a "$(ext_of r)" = "3 0" ]
stop_sv r "$SV_PID"

# not adopted: the process left the directory (cd /)
mk_service c 'echo $$ >>../cpids; cd /; exec sleep 100'
start_ours c
await 30 test -s cpids
await 30 state_is c "up 0 u"
kill -KILL "$SV_PID"
wait "$SV_PID" 2>/dev/null
start_ours c
await 30 lines_ge cpids 2
check "cwd outside the directory: not adopted, a second copy as in 0.76" [ "$(alive_count cpids)" = 2 ]
stop_sv c "$SV_PID"
for q in $(cat cpids); do kill -KILL "$q" 2>/dev/null; done

# not adopted: the record names a pid that is another process now (a
# record whose time is not that process's start)
mk_service u 'echo $$ >>../upids; exec sleep 100'
start_ours u
await 30 state_is u "up 0 u"
stop_sv u "$SV_PID"
# /proc's start time has clock-tick grain (10 ms): a process started within
# a tick of the record's time cannot be told from the recorded one, so the
# other process starts well after the record (a real reuse of the pid comes
# only after the recorded process has died and the pids have come round)
sleep 0.2
(cd u && exec sleep 100) &
other=$!
track_pid "$other"
sleep 1.5
# the old record, with the pid of that other process put in
# (perl: Debian's perl-base is essential)
perl -e 'open F,"+<","u/supervise/status"; seek F,12,0; print F pack("V",$ARGV[0]);' "$other"
check "fake record names the other process" [ "$(pid_of u)" = "$other" ]
start_ours u
await 30 lines_ge upids 2
await 30 state_is u "up 0 u"
check "pid reused by another process: not adopted, started ($(pid_of u) vs $other)" [ "$(pid_of u)" != "$other" ]
check "pid reused: the other process untouched" alive "$other"
stop_sv u "$SV_PID"
kill -KILL "$other"
if ! command -v python3 >/dev/null; then
  skip "zombie not adopted: python3 (a subreaper that reaps nothing) not installed"
else
  # not adopted: the recorded process is a zombie (its new parent, a
  # subreaper here, does not reap it)
  mk_service z 'echo $$ >>../zpids; exec sleep 100'
  python3 - "$DT_BIN/supervise" <<'PY' >zsv 2>/dev/null &
import ctypes, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
p = subprocess.Popen([sys.argv[1], "z"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(p.pid, flush=True)
time.sleep(1000)  # reaps nothing
PY
  reaper=$!
  track_pid "$reaper"
  await 30 test -s zsv
  await 30 state_is z "up 0 u"
  zp=$(pid_of z)
  kill -KILL "$(cat zsv)"
  await 30 gone "$(cat zsv)"
  kill -KILL "$zp"
  await 30 eval '[ "$(proc_state "$zp")" = Z ]'
  check "the recorded ./run is a zombie now" test "$(proc_state "$zp")" = Z
  start_ours z
  await 30 lines_ge zpids 2
  await 30 state_is z "up 0 u"
  check "zombie: not adopted, a new run started ($(pid_of z) vs $zp)" [ "$(pid_of z)" != "$zp" -a "$(pid_of z)" = "$(sed -n 2p zpids)" ]
  stop_sv z "$SV_PID"
  kill -KILL "$reaper"
fi
finish
