#!/usr/bin/env bash
# supervise: the files it creates (names, types, modes), the status record at
# start-up, the down file, and what ./run gets (argv, cwd, descriptors,
# signal mask, process group, environment), ours beside the reference.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"

need_svc

info_run='#!/bin/sh
{
  echo "argv $0 $#"
  echo "cwd $(basename "$(pwd)")"
  grep -E "^(SigBlk|SigIgn)" /proc/self/status
  echo "fds $(ls /proc/$$/fd | sort -n | tr "\n" " ")"
  [ "$(ps -o pgid= -p $$)" = "$(ps -o pgid= -p $PPID)" ] && echo "pgrp of supervise"
  [ "$(ps -o sid= -p $$)" = "$(ps -o sid= -p $PPID)" ] && echo "session of supervise"
  env | grep -v -E "^(PWD|OLDPWD|_)=" | sort
} >../info.tmp
mv ../info.tmp ../info
echo $$ >../pid
echo to-stdout
echo to-stderr >&2
exec sleep 100'

listing() { # DIR: name type mode size of each file in DIR/supervise
  (cd "$1/supervise" && stat -c '%n %F %a' * | sed 's/regular empty file/regular file/')
  stat -c 'supervise %F %a' "$1/supervise"
  stat -c 'status %s' "$1/supervise/status"
}
want_listing='control fifo 600
lock regular file 600
ok fifo 600
status regular file 644
supervise directory 700
status 18'

declare -A info
while read -r impl bin; do
  d=$(_newdir)
  cd "$d" || exit 1
  mkdir s
  printf '%s\n' "$info_run" >s/run
  chmod +x s/run
  mkdir s/log
  printf '#!/bin/sh\ntouch ../../log-started\nexec sleep 100\n' >s/log/run
  chmod +x s/log/run
  umask 022
  t0=$(date +%s)
  start_sv "$bin" s
  poll 30 test -e info || fail "run not started ($impl)"
  check "files and modes ($impl)" [ "$(listing s)" = "$want_listing" ]
  await 30 state_is s "up 0 u"
  check "status is up, not paused, want up ($impl)" state_is s "up 0 u"
  check "status pid is run's ($impl)" [ "$(pid_of s)" = "$(cat pid)" ]
  w=$(when_of s)
  check "status timestamp is the start time ($impl)" [ "$w" -ge "$t0" -a "$w" -le "$(($(date +%s) + 1))" ]
  check "no status.new left ($impl)" [ ! -e s/supervise/status.new ]
  await 30 grep -q to-stderr s.err
  check "run's stdout and stderr are supervise's ($impl)" [ "$(cat s.out)/$(cat s.err)" = "to-stdout/to-stderr" ]
  check "argv, cwd, process group ($impl)" [ "$(sed -n '1,2p;/^pgrp/p;/^session/p' info)" = "argv ./run 0
cwd s
pgrp of supervise
session of supervise" ]
  check "signals: none blocked ($impl)" grep -q '^SigBlk:.*0000000000000000$' info
  check "./log is left alone ($impl)" [ ! -e log-started -a ! -e s/log/supervise ]
  info[$impl]=$(cat info)
  stop_sv s "$SV_PID"
  check "svc -dx: status down, want down ($impl)" state_is s "down 0 d"

  # a second start keeps the directory as it is: mode, old files
  chmod 755 s/supervise
  rm -f info
  umask 077
  start_sv "$bin" s
  await 30 test -e info
  check "existing supervise/ kept, status.new made under umask ($impl)" \
    [ "$(stat -c '%a' s/supervise s/supervise/status | tr '\n' ' ')" = "755 600 " ]
  stop_sv s "$SV_PID"
  umask 022

  # down: nothing started, status down/want down; -u starts it
  rm -rf s/supervise info
  touch s/down
  start_sv "$bin" s
  await 30 test -p s/supervise/ok
  await 30 state_is s "down 0 d"
  check "down file: status down, want down ($impl)" state_is s "down 0 d"
  sleep 1
  check "down file: run not started ($impl)" [ ! -e info ]
  "$SVC" -u s
  await 30 test -e info
  check "down file: svc -u starts it ($impl)" state_is s "up 0 u"
  stop_sv s "$SV_PID"
  cd "$TEST_ROOT" || exit 1
done <<<"$(impls)"  # not < <(impls): bash may leave that fd open to run

if has_ref supervise; then
  check "run's environment, fds and signal dispositions: ours = reference" [ "${info[ours]}" = "${info[reference]}" ]
  [ "${info[ours]}" = "${info[reference]}" ] || diff <(echo "${info[ours]}") <(echo "${info[reference]}")
else
  skip "run's environment vs reference: not installed"
fi
finish
