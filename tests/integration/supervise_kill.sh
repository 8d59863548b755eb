#!/usr/bin/env bash
# supervise: kill -9 of supervise while its service runs, and a new one
# (ours or the reference's) on the same directory (the reference starts a
# second copy; ours, beyond 0.76, adopts the one running); SIGTERM and
# SIGHUP to supervise.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"

need_svc

while read -r impl bin; do
  d=$(_newdir)
  cd "$d" || exit 1
  # kill -9 supervise while the service runs; a new one (ours and the
  # reference's) starts cleanly on the same directory
  mkdir k
  printf '#!/bin/sh\necho $$ >>../kpids\nexec sleep 100\n' >k/run
  chmod +x k/run
  while read -r impl2 bin2; do
    : >kpids
    start_sv "$bin" k
    await 30 test -s kpids
    old=$(cat kpids)
    kill -KILL "$SV_PID"
    wait "$SV_PID" 2>/dev/null
    check "kill -9: status intact ($impl)" state_is k "up 0 u"
    check "kill -9: service goes on ($impl)" test -e "/proc/$old"
    start_sv "$bin2" k
    if [ "$impl2" = ours ]; then
      # beyond 0.76: ours adopts the service left running (supervise_adopt.sh)
      await 30 test -p k/supervise/ok
      sleep 1.2
      check "kill -9 $impl, then $impl2 supervise: service adopted, status up ($(state_of k))" \
        [ "$(wc -l <kpids)" = 1 -a "$(pid_of k)" = "$old" -a ! -s k.err ]
    else
      await 30 lines_ge kpids 2
      new=$(sed -n 2p kpids)
      await 30 state_is k "up 0 u"
      check "kill -9 $impl, then $impl2 supervise: new service, status up ($(state_of k))" \
        [ -n "$new" -a "$(pid_of k)" = "$new" -a ! -s k.err ]
    fi
    stop_sv k "$SV_PID"
    check "then svc -dx: down ($impl, $impl2)" state_is k "down 0 d"
    kill -KILL "$old" 2>/dev/null
  done < <(impls)

  # SIGTERM and SIGHUP kill supervise (it catches nothing but SIGCHLD);
  # the service stays
  for sig in TERM:143 HUP:129; do
    rm -rf k/supervise
    : >kpids
    start_sv "$bin" k
    await 30 test -s kpids
    kill -"${sig%:*}" "$SV_PID"
    { wait "$SV_PID"; } 2>/dev/null
    rc=$?
    check "SIG${sig%:*}: supervise killed by it ($impl: $rc)" [ $rc = "${sig#*:}" ]
    check "SIG${sig%:*}: service goes on ($impl)" test -e "/proc/$(cat kpids)"
    kill -KILL "$(cat kpids)"
  done
  cd "$TEST_ROOT" || exit 1
done < <(impls)
ref_note "kill"
finish
