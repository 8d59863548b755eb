#!/usr/bin/env bash
# supervise beyond 0.76: ./notification-fd as s6 (a pipe on fd N, the first
# newline means ready: state starting -> running), extended mode and its
# 20-byte record (0.76's svstat prints the same line as for 18 bytes), and
# garbage in notification-fd (a warning, the service starts without
# readiness).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_sup_helpers.bash"

d=$(_newdir)
cd "$d" || exit 1

# no new file: exactly 0.76's 18 bytes
mk_service p 'exec sleep 100'
start_ours p
await 30 state_is p "up 0 u"
check "no new file: 18-byte record" [ "$(size_of p)" = 18 ]
stop_sv p "$SV_PID"
check "no new file: 18 bytes after the stop too" [ "$(size_of p)" = 18 ]

# "re", then later "ady\n": ready only after the second write
mk_service r 'printf re >&3
while [ ! -e ../go ]; do sleep 0.05; done
printf "ady\n" >&3
exec sleep 100'
echo 3 >r/notification-fd
start_ours r
await 30 state_is r "up 0 u"
sleep 0.5
check "notification-fd: 20-byte record" [ "$(size_of r)" = 20 ]
check "after 're': starting, readiness flag ($(ext_of r))" ext_is r "1 1"
touch go
await 30 ext_is r "3 1"
check "after 'ady\\n': running ($(ext_of r))" ext_is r "3 1"
if has_ref svstat; then
  check "0.76 svstat on the 20-byte record: its 18-byte line ($("$REF_BIN/svstat" r))" \
    grep -qE '^r: up \(pid [0-9]+\) [0-9]+ seconds$' <("$REF_BIN/svstat" r)
else
  skip "0.76 svstat on the 20-byte record: $REF_BIN/svstat not installed"
fi
if [ -x "$DT_BIN/svstat" ]; then
  check "our svstat: running ($("$DT_BIN/svstat" r))" grep -qE '^r: up \(pid [0-9]+\) [0-9]+ seconds, running$' <("$DT_BIN/svstat" r)
fi
"$SVC" -d r
await 30 state_is r "down 0 d"
check "down: stopped, no flag, still 20 bytes ($(ext_of r))" ext_is r "0 0"
stop_sv r "$SV_PID"
rm -f go

# "x" and close: never ready
mk_service x 'printf x >&3
exec 3>&-
exec sleep 100'
echo 3 >x/notification-fd
start_ours x
await 30 state_is x "up 0 u"
sleep 1.5
check "x then close: still starting ($(ext_of x))" ext_is x "1 1"
check "x then close: supervise idle" [ "$(cpu_ticks "$SV_PID")" -lt 30 ]
stop_sv x "$SV_PID"

# two newlines in two writes: the second write gets SIGPIPE (s6 closes its
# end after the first); supervise goes on
mk_service n 'echo $$ >>../npids
printf "\n" >&3
while [ ! -e ../go ]; do sleep 0.05; done
rm -f ../go
printf "\n" >&3
exec sleep 100'
echo 3 >n/notification-fd
start_ours n
await 30 ext_is n "3 1"
check "first newline: running" ext_is n "3 1"
touch go
await 30 lines_ge npids 2
check "second newline: SIGPIPE ends that run, supervise restarts it" alive "$SV_PID"
await 30 ext_is n "3 1"
check "restarted run: ready again" ext_is n "3 1"
stop_sv n "$SV_PID"
rm -f go

# fd 1 (as s6-ipcserverd -1): a newline on stdout
mk_service o 'echo
exec sleep 100'
echo 1 >o/notification-fd
start_ours o
await 30 ext_is o "3 1"
check "notification-fd 1: stdout is the pipe" ext_is o "3 1"
stop_sv o "$SV_PID"

# only ./finish: extended, running as soon as up
mk_service f 'exec sleep 100'
printf '#!/bin/sh\nexit 0\n' >f/finish
chmod +x f/finish
start_ours f
await 30 state_is f "up 0 u"
check "only finish: running at once ($(ext_of f))" ext_is f "3 0"
stop_sv f "$SV_PID"

# a file made while supervise runs: extended from the next start on
mk_service l 'echo $$ >>../lpids; exec sleep 100'
start_ours l
await 30 state_is l "up 0 u"
check "no file yet: 18 bytes" [ "$(size_of l)" = 18 ]
echo 1000 >l/timeout-kill
"$SVC" -k l
await 30 lines_ge lpids 2
await 30 state_is l "up 0 u"
check "timeout-kill made, next start: 20 bytes ($(size_of l))" [ "$(size_of l)" = 20 ]
rm l/timeout-kill
"$SVC" -k l
await 30 lines_ge lpids 3
await 30 state_is l "up 0 u"
check "file removed: still extended (sticky)" [ "$(size_of l)" = 20 ]
stop_sv l "$SV_PID"

# garbage: a warning, started without readiness
for bad in empty:'' word:three huge:99999999999999999999 negative:-1 toobig:1000000000 dir: ; do
  name=${bad%%:*}
  rm -rf g g.err
  mk_service g 'exec sleep 100'
  if [ "$name" = dir ]; then mkdir g/notification-fd; else printf '%s\n' "${bad#*:}" >g/notification-fd; fi
  start_ours g
  await 30 state_is g "up 0 u"
  check "garbage ($name): started, running, no readiness ($(ext_of g))" ext_is g "3 0"
  if [ "$name" = dir ]; then w="supervise: warning: unable to read g/notification-fd: is a directory"; else
    w="supervise: warning: invalid g/notification-fd"; fi
  check "garbage ($name): warning ($(cat g.err))" grep -qxF "$w" g.err
  stop_sv g "$SV_PID"
done
# no newline at the end: s6 reads it as well
rm -rf g; mk_service g 'echo; exec sleep 100'
printf 1 >g/notification-fd
start_ours g
await 30 ext_is g "3 1"
check "notification-fd without a newline: used, as s6 does" ext_is g "3 1"
stop_sv g "$SV_PID"
finish
