#!/usr/bin/env bash
# supervise beyond 0.76: the control bytes q 1 2 w y b (signals), + and =
# (process group, scope of one write), r, O, Q, D, U, P C K, l and L, written
# raw into supervise/control as encore's and s6's clients write them.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_sup_helpers.bash"

d=$(_newdir)
cd "$d" || exit 1

# n: a plain service (in supervise's process group), with a grandchild
mk_service n 'echo $$ >>../npids
./d.sh child &
exec ./d.sh main'
start_ours n
await 30 state_is n "up 0 u"
p=$(pid_of n)
for b in q:QUIT 1:USR1 2:USR2 w:WINCH y:WINCH b:ABRT; do
  : >log
  ctl n "${b%:*}"
  await 30 has_log "main:${b#*:}"
  check "byte ${b%:*}: SIG${b#*:} to the service" has_log "main:${b#*:}"
done
: >log
ctl n lq
await 30 has_log main:QUIT
check "lq (encore's svc -q): QUIT" has_log main:QUIT
: >log
ctl n lLd
sleep 1
check "lLd: the d is for encore's log: ignored" state_is n "up 0 u"
check "lLd: no TERM" no_log main:TERM
: >log
ctl n Lh
sleep 0.5
ctl n h
await 30 has_log main:HUP
check "L lasts only until the FIFO is empty" [ "$(grep -c main:HUP log)" = 1 ]
: >log
ctl n 'LdlH'
ctl n 'LdltL'
await 30 has_log main:TERM
check "l ends L" state_is n "up 0 u"
: >log
ctl n '+h'
await 30 has_log main:HUP
sleep 0.5
check "+h on a service that leads no group: HUP to the process only" no_log child:HUP
check "+h: nothing to supervise's group (supervise alive)" alive "$SV_PID"
check "letters: same process throughout" [ "$(pid_of n)" = "$p" ]
: >log
ctl n d
await 30 has_log main:TERM
check "d: TERM (trapped here), want down" state_is n "up 0 d"
ctl n k
await 30 state_is n "down 0 d"
check "k: down, not restarted" state_is n "down 0 d"
stop_sv n "$SV_PID"

# g: a service that leads its own group (pgrphack), with a grandchild
rm -f log
mk_service g "exec $DT_BIN/pgrphack sh -c './d.sh child & exec ./d.sh main'"
start_ours g
await 30 state_is g "up 0 u"
p=$(pid_of g)
sleep 0.3
ctl g 'l+h=t'
await 30 has_log main:TERM
await 30 has_log child:HUP
check "l+h=t: HUP to the leader" has_log main:HUP
check "l+h=t: HUP to the grandchild" has_log child:HUP
check "l+h=t: TERM to the leader" has_log main:TERM
sleep 0.5
check "l+h=t: no TERM to the grandchild" no_log child:TERM
: >log
ctl g '+'
sleep 0.5
ctl g 'a'
await 30 has_log main:ALRM
sleep 0.5
check "+ then (later) a: the scope ended with the write" no_log child:ALRM
: >log
ctl g '+a'
await 30 has_log child:ALRM
check "+a in one write: the group" has_log child:ALRM
# The grandchild is the leader's child: a -P match, not -g, which also
# matches d.sh's own forks for sleep (same command line until exec; after
# the pids wrap one can sort first, and it is gone a moment later).
await 30 eval '[ -n "$(pgrep -P "$p" -f "d.sh child")" ]'
c=$(pgrep -P "$p" -f 'd.sh child' | head -1)
ctl g P
await 30 eval '[ "$(proc_state "$p")" = T ]'
await 30 eval '[ "$(proc_state "$c")" = T ]'
check "P: the leader stopped" test "$(proc_state "$p")" = T
check "P: the grandchild stopped" test "$(proc_state "$c")" = T
check "P: marked paused" state_is g "up 1 u"
ctl g C
await 30 eval '[ "$(proc_state "$c")" != T ]'
check "C: the grandchild runs again" test "$(proc_state "$c")" != T
check "C: not paused" state_is g "up 0 u"
ctl g K
await 30 gone "$c"
check "K: the grandchild killed" gone "$c"
await 30 eval '[ "$(pid_of g)" != "$p" ]'
check "K: the service restarted (wanted up)" state_is g "up 0 u"
p=$(pid_of g)

# r: the down-signal (TERM), CONT; want unchanged
: >log
ctl g r
await 30 has_log main:TERM
check "r: TERM to the service" has_log main:TERM
check "r: want still up" state_is g "up 0 u"
stop_sv g "$SV_PID"

# O, Q, D, U
rm -rf s; mkdir s
printf '#!/bin/sh\nexec sleep 100\n' >s/run
chmod +x s/run
touch s/down
start_ours s
await 30 state_is s "down 0 d"
ctl s O
await 30 state_is s "down 0 0"
sleep 1.2
check "O while down: want once, not started" state_is s "down 0 0"
ctl s U
await 30 state_is s "up 0 u"
check "U: started, want up" state_is s "up 0 u"
check "U: ./down removed" test ! -e s/down
ctl s D
await 30 state_is s "down 0 d"
check "D: stopped, want down" state_is s "down 0 d"
check "D: ./down made" test -e s/down
rm s/down
ctl s u
await 30 state_is s "up 0 u"
ctl s Q
await 30 state_is s "up 0 0"
check "Q while up: want once, keeps running" state_is s "up 0 0"
check "Q: ./down made" test -e s/down
ctl s O
check "O while up: want once" state_is s "up 0 0"
ctl s k
await 30 state_is s "down 0 0"
sleep 1.2
check "after O: not restarted" state_is s "down 0 0"
stop_sv s "$SV_PID"
for f in n g s; do check "no message from supervise ($f: $(grep supervise: $f.err))" no_sv_msg $f.err; done
finish
