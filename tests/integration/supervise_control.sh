#!/usr/bin/env bash
# supervise: every control letter, through svc, on ours and the reference:
# which signals the service receives and in which order, and the status
# record after each (pid, paused, want, timestamp).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"

need_svc

# A service that logs the signals it gets and survives TERM.
sig_run='#!/bin/sh
echo start >>../log
for s in HUP INT ALRM TERM CONT; do trap "echo $s >>../log" $s; done
while :; do sleep 0.1; done'

log_is() { [ "$(tr '\n' ' ' <log 2>/dev/null)" = "$1" ]; }
stamp() { local s; s=($(status_of s)); echo "${s[3]}.${s[4]}"; }
alive() { ! gone "$1"; }

# step NAME SVC-OPTS STATE LOG: send, then wait for the status and the log.
step() {
  local name=$1 opts=$2 state=$3 log=$4
  [ -n "$opts" ] && "$svc" "$opts" s
  await 30 state_is s "$state"
  await 30 log_is "$log"
  if state_is s "$state" && log_is "$log"; then pass; else
    fail "$name ($label): want [$state] [$log], got [$(state_of s)] [$(tr '\n' ' ' <log)]"
  fi
}

scenario() {
  local d p t
  d=$(_newdir)
  cd "$d" || return
  mkdir s
  printf '%s\n' "$sig_run" >s/run
  chmod +x s/run
  # run by the test harness in the background, supervise would inherit
  # SIGINT ignored (and so would the service): undo that
  env --default-signal=INT,QUIT true 2>/dev/null && setsid() { command setsid env --default-signal=INT,QUIT "$@"; }
  start_sv "$bin" s
  unset -f setsid
  step "start" "" "up 0 u" "start "
  p=$(pid_of s)
  t=$(stamp)
  step "-h: HUP" -h "up 0 u" "start HUP "
  step "-a: ALRM" -a "up 0 u" "start HUP ALRM "
  step "-i: INT" -i "up 0 u" "start HUP ALRM INT "
  step "-t: TERM" -t "up 0 u" "start HUP ALRM INT TERM "
  step "-p: paused" -p "up 1 u" "start HUP ALRM INT TERM "
  await 30 eval '[ "$(proc_state "$p")" = T ]'
  check "-p: STOP sent ($label)" test "$(proc_state "$p")" = T
  step "-c: CONT, not paused" -c "up 0 u" "start HUP ALRM INT TERM CONT "
  check "-c: running again ($label)" test "$(proc_state "$p")" != T
  step "-p again" -p "up 1 u" "start HUP ALRM INT TERM CONT "
  step "-d on a paused service: TERM then CONT, not paused" -d "up 0 d" "start HUP ALRM INT TERM CONT TERM CONT "
  check "-d: running again ($label)" test "$(proc_state "$p")" != T
  step "-u while up: want up, no restart" -u "up 0 u" "start HUP ALRM INT TERM CONT TERM CONT "
  step "-o while up: want NUL" -o "up 0 0" "start HUP ALRM INT TERM CONT TERM CONT "
  check "same pid throughout ($label)" [ "$(pid_of s)" = "$p" ]
  check "timestamp unchanged by letters ($label)" [ "$(stamp)" = "$t" ]
  : >log
  step "-k after -o: down, not restarted" -k "down 0 0" ""
  check "exit changes the timestamp ($label)" [ "$(stamp)" != "$t" ]
  sleep 1.5
  step "-o: still down a while later" "" "down 0 0" ""
  step "-o while down: start once" -o "up 0 0" "start "
  step "-k: down again" -k "down 0 0" "start "
  step "-d while down" -d "down 0 d" "start "
  step "-p while down: not paused" -p "down 0 d" "start "
  step "-c -h -a -i -t -k while down: nothing" -chaitk "down 0 d" "start "
  t=$(stamp)
  step "-u while down: start" -u "up 0 u" "start start "
  check "start changes the timestamp ($label)" [ "$(stamp)" != "$t" ]
  step "-x while up: supervise waits" -x "up 0 u" "start start "
  sleep 1
  check "-x while up: supervise still running ($label)" alive "$SV_PID"
  "$svc" -k s
  await 30 gone "$SV_PID"
  wait "$SV_PID"
  check "-x, then the service dies: supervise exits 0 ($label)" [ $? = 0 ]
  check "-x: status down, want up, not restarted ($label)" state_is s "down 0 u"
  check "-x: not restarted ($label)" log_is "start start "

  # x while down: exit at once
  rm -rf s/supervise
  touch s/down
  start_sv "$bin" s
  await 30 state_is s "down 0 d"
  "$svc" -x s
  await 30 gone "$SV_PID"
  wait "$SV_PID"
  check "-x while down: exit 0 ($label)" [ $? = 0 ]
  check "-x while down: status down, want down ($label)" state_is s "down 0 d"

  # letters arrive as bytes: several in one write, unknown ones ignored
  rm -rf s/supervise s/down
  : >log
  start_sv "$bin" s
  await 30 state_is s "up 0 u"
  printf 'zh\na' >s/supervise/control
  step "several letters in one write, unknown ignored" "" "up 0 u" "start HUP ALRM "
  stop_sv s "$SV_PID"
  cd "$TEST_ROOT" || return
}

# The reference svc (svc.sh shows ours writes the same bytes, interop.sh
# that it drives a running supervise).
svc=$SVC
while read -r impl bin; do
  label="$impl, $svc"
  scenario
done < <(impls)
ref_note "control letters"
finish
