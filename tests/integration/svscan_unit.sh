#!/usr/bin/env bash
# The stop of package/boot/daemontools.service, without systemd: its
# ExecStartPre (the .svscan opt-in) and ExecStop (TERM to svscan, the child
# of the main process, and wait) run as systemd would run them, $$ made $
# and MAINPID set, against an svscanboot-like pipeline (svscan 2>&1 | cat)
# on a temporary directory in place of /service. Every line a service wrote
# reaches its logger, svscan is gone when ExecStop returns, the main
# process ends. With the reference svscan the same ExecStop kills it at
# once and leaves its services to systemd, as before.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/svscan_helpers.bash"
need_supervise
unit=$DT_SRC/package/boot/daemontools.service
line() { sed -n "s/^$1=//p" "$unit" | sed 's/\$\$/$/g'; }
pre=$(line ExecStartPre)
stop=$(line ExecStop)
check "unit: ExecStartPre makes /service/.svscan" test "$pre" = "/bin/mkdir -p /service/.svscan"
# the script of ExecStop=/bin/sh -c '...'
script=${stop#"/bin/sh -c '"}
script=${script%"'"}
check "unit: ExecStop is /bin/sh -c SCRIPT" test "$script" != "$stop"

counter() { # DIR NAME: numbered lines into multilog, the last one in ../../last.NAME on TERM
  mkdir -p "$1/log"
  printf '#!/bin/bash\ni=0\ntrap "echo \\$i >../../last.%s; exit 0" TERM\nwhile :; do echo $((++i)); done\n' "$2" >"$1/run"
  printf '#!/bin/sh\nexec %s/multilog s16777215 n50 ./main\n' "$LOG" >"$1/log/run"
  chmod +x "$1/run" "$1/log/run"
}
LOG=$DT_BIN
[ -x "$LOG/multilog" ] || LOG=$REF_BIN

for impl in "${IMPLS[@]}"; do
  bin=$(bin_of "$impl")
  root=$(mktemp -d "$TEST_ROOT/unit.$impl.XXXXXX")
  for i in 1 2 3; do counter "$root/service/c$i" "c$i"; done
  eval "${pre//\/service/$root/service}"
  check "$impl: .svscan made" test -d "$root/service/.svscan"
  # the main process: a shell running a pipeline, as svscanboot does
  setsid sh -c "env - PATH='$SUP:/usr/bin:/bin' '$bin/svscan' '$root/service' 2>&1 | cat >'$root/messages'" </dev/null &
  main=$!
  track_pgrp "$main"
  await 30 eval '[ "$(ls "$root"/service/c*/log/main/current 2>/dev/null | wc -l)" = 3 ]'
  sleep 0.5
  scan=$(ps -o pid= --ppid "$main" -o comm= | awk '$2 == "svscan" {print $1}')
  MAINPID=$main timeout 60 /bin/sh -c "$script"
  check "$impl: svscan gone when ExecStop returns" gone "$scan"
  if [ "$impl" = ours ]; then
    for i in 1 2 3; do
      check "$impl: c$i: every line logged" \
        eval 'cat "$root"/service/c'$i'/log/main/@* "$root"/service/c'$i'/log/main/current 2>/dev/null | cmp -s - <(seq 1 "$(cat "$root/last.c'$i'" 2>/dev/null)")'
    done
    check "$impl: the main process ends" poll 30 gone "$main"
    check "$impl: nothing left" poll 30 session_empty "$main"
  else
    # 0.76: svscan died at the TERM; its services are left for systemd
    check "$impl: services left for systemd's TERM" eval '[ -n "$(in_session "$main" | head -1)" ]'
    kill -TERM -- "-$main" 2>/dev/null
  fi
done
finish
