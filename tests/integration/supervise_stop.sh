#!/usr/bin/env bash
# supervise beyond 0.76: ./down-signal (used by d and r instead of TERM)
# and ./timeout-kill (KILL when the process outlives the d), with garbage
# in both files (a warning, then what 0.76 does: TERM, no KILL); the
# extended record's "stopping" state.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_sup_helpers.bash"

d=$(_newdir)
cd "$d" || exit 1

# down-signal, by name and number, in s6's spellings
for sig in HUP:HUP SIGHUP:HUP hup:HUP 1:HUP USR1:USR1 sigusr2:USR2 QUIT:QUIT; do
  rm -rf s log
  mk_service s 'trap "echo main:'"${sig#*:}"' >>../log; exit 0" '"${sig#*:}"'
exec ./d.sh main'
  # the trap must come before exec: d.sh sets its own; use a wrapper
  printf '#!/bin/sh\ntrap "echo main:%s >>../log; exit 0" %s\nwhile :; do sleep 0.1; done\n' "${sig#*:}" "${sig#*:}" >s/run
  printf '%s\n' "${sig%:*}" >s/down-signal
  start_ours s
  await 30 state_is s "up 0 u"
  ctl s d
  await 30 state_is s "down 0 d"
  check "down-signal ${sig%:*}: SIG${sig#*:} stops it" has_log "main:${sig#*:}"
  check "down-signal ${sig%:*}: no warning ($(cat s.err))" [ ! -s s.err ]
  stop_sv s "$SV_PID"
done

# r uses the down-signal too, and the service restarts
rm -rf s log
mk_service s 'echo $$ >>../pids
exec ./d.sh main'
printf 'USR2\n' >s/down-signal
start_ours s
await 30 state_is s "up 0 u"
p=$(pid_of s)
ctl s r
await 30 has_log main:USR2
check "r: the down-signal" has_log main:USR2
check "r: want up, state stopping (4) while it lives ($(ext_of s))" ext_is s "4 0"
ctl s k
await 30 lines_ge pids 2
await 30 ext_is s "3 0"
check "after r and its exit: restarted, running" [ "$(pid_of s)" != "$p" -a "$(ext_of s)" = "3 0" ]
stop_sv s "$SV_PID"

# timeout-kill: a run that ignores TERM dies by KILL
rm -rf s log pids
mk_service s 'echo $$ >>../pids
exec ./d.sh main'
echo 300 >s/timeout-kill
start_ours s
await 30 state_is s "up 0 u"
p=$(pid_of s)
ctl s d
await 30 has_log main:TERM
check "timeout-kill: TERM first" has_log main:TERM
await 30 state_is s "down 0 d"
check "timeout-kill: then KILL: down" state_is s "down 0 d"
check "timeout-kill: the process is gone" gone "$p"
check "timeout-kill: state stopped" ext_is s "0 0"
# d, then u at once: the timer stays armed, the service restarts after
ctl s u
await 30 lines_ge pids 2
p=$(pid_of s)
ctl s d
ctl s u
await 30 lines_ge pids 3
check "d then u: still KILLed, then restarted" [ "$(sed -n 3p pids)" = "$(pid_of s)" ] && check "d then u: old pid gone" gone "$p"
stop_sv s "$SV_PID"

# timeout-kill after +d: the group (a pgrphack'ed grandchild too)
rm -rf s log
mk_service s "exec $DT_BIN/pgrphack sh -c './d.sh child & exec ./d.sh main'"
echo 300 >s/timeout-kill
start_ours s
await 30 state_is s "up 0 u"
p=$(pid_of s)
# -P (the leader's child), not -g: see supervise_letters.sh.
await 30 eval '[ -n "$(pgrep -P "$p" -f "d.sh child")" ]'
c=$(pgrep -P "$p" -f 'd.sh child' | head -1)
ctl s +d
await 30 state_is s "down 0 d"
await 30 gone "$c"
check "+d with timeout-kill: the grandchild got TERM" has_log child:TERM
check "+d with timeout-kill: the grandchild KILLed" gone "$c"
stop_sv s "$SV_PID"

# garbage: a warning, then 0.76's TERM and no KILL
ln -s loop loop_target 2>/dev/null
for bad in empty:'' word:abc huge:99999999999999999999 negative:-5 space:' 300' dir: loop:; do
  name=${bad%%:*}
  rm -rf s log
  mk_service s 'exec ./d.sh main'
  case $name in
    dir) mkdir s/timeout-kill s/down-signal ;;
    loop) ln -s timeout-kill s/timeout-kill; ln -s down-signal s/down-signal ;;
    *) printf '%s\n' "${bad#*:}" >s/timeout-kill; printf '%s\n' "${bad#*:}" >s/down-signal ;;
  esac
  start_ours s
  await 30 state_is s "up 0 u"
  p=$(pid_of s)
  ctl s d
  await 30 has_log main:TERM
  sleep 1
  check "garbage ($name): TERM, as 0.76" has_log main:TERM
  check "garbage ($name): no KILL, as 0.76" alive "$p"
  case $name in
    dir) w="supervise: warning: unable to read s/timeout-kill: is a directory" ;;
    loop) w="supervise: warning: unable to read s/timeout-kill: symbolic link loop" ;;
    *) w="supervise: warning: invalid s/timeout-kill" ;;
  esac
  check "garbage ($name): warning for timeout-kill ($(head -3 s.err | tr '\n' '|'))" grep -qxF "$w" s.err
  check "garbage ($name): warning for down-signal" grep -qxF "${w//timeout-kill/down-signal}" s.err
  check "garbage ($name): supervise idle" [ "$(cpu_ticks "$SV_PID")" -lt 30 ]
  ctl s k
  await 30 state_is s "down 0 d"
  stop_sv s "$SV_PID"
  rm -f s.err
done

# a paused run: the CONT after the down-signal makes it deliverable (0.76)
rm -rf s log
mk_service s 'exec ./d.sh main'
printf 'INT\n' >s/down-signal
printf '#!/bin/sh\ntrap "echo main:INT >>../log; exit 0" INT\nwhile :; do sleep 0.1; done\n' >s/run
start_ours s
await 30 state_is s "up 0 u"
ctl s p
await 30 state_is s "up 1 u"
ctl s d
await 30 state_is s "down 0 d"
check "paused, then d: the down-signal arrives" has_log main:INT
stop_sv s "$SV_PID"
finish
