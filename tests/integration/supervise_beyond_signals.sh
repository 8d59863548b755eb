#!/usr/bin/env bash
# supervise beyond 0.76 (BEYOND-SPEC a2, a3): the new signal letters through
# our svc, raw daemontools-encore byte streams (every encore svc write starts
# with "l"; "L" ignores what follows; "+"/"=" pick the process group), the
# process-group rules (the group only when the service leads one, never
# supervise's own), the scope of "+" ending with a batch, and r O Q D U P C K.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_beyond_helpers.bash"

[ -x "$SUP" ] && [ -x "$OSVC" ] || { skip "our supervise or svc not built"; finish; }

cd "$TEST_ROOT" || exit 1

# --- each new letter delivers its signal (svc, then the raw byte)
mksv a
start_ext a
p=$(up_pid a)
check "a: up" eval '[ -n "$p" ] && [ "$p" != 0 ]'
await 30 logged log "start $p"
i=0
for pair in q:QUIT 1:USR1 2:USR2 w:WINCH y:WINCH b:ABRT; do
  l=${pair%%:*} s=${pair#*:}
  n=$(count log "$s")
  "$OSVC" -$l a
  check "svc -$l: $s" poll 30 eval '[ "$(count log '"$s"')" -gt '"$n"' ]'
  n=$(count log "$s")
  ctl a "$l"
  check "byte $l: $s" poll 30 eval '[ "$(count log '"$s"')" -gt '"$n"' ]'
done
check "the same process throughout" [ "$(rpid a)" = "$p" ]
check "supervise alive" alive "$SV_PID"

# --- raw encore streams
: >log
ctl a 'lq'
check "lq: QUIT" poll 30 logged log QUIT
ctl a 'lLd'
sleep 1
check "lLd: no TERM (the letters after L are the log's)" bash -c "! grep -qx TERM log"
check "lLd: still up, want up" eval '[ "$(rpid a)" = "$p" ] && [ "$(field a 4)" = u ]'
ctl a 'lLdlh'
check "lLdlh: the h after l is the main service's" poll 30 logged log HUP
check "lLdlh: the d after L is not" bash -c "! grep -qx TERM log"
ctl a 'L'
sleep 0.5
ctl a 'h'
check "L alone: its scope ends with the batch (a later h is delivered)" poll 30 eval '[ "$(count log HUP)" = 2 ]'
stop_ext a

# --- process groups: run leads its own group (pgrphack) and has a child
# that logs as "child SIG"
mkdir -p g
cat >g/run <<EOF
#!/bin/sh
exec $DT_BIN/pgrphack ./grp
EOF
cat >g/grp <<'EOF'
#!/bin/sh
echo "start $$" >>../log
sh -c 'echo "child $$" >>../log; for s in HUP TERM CONT STOP; do trap "echo child $s >>../log" $s; done; while :; do sleep 0.1; done' &
for s in HUP TERM CONT; do trap "echo $s >>../log" $s; done
while :; do sleep 0.1; done
EOF
chmod +x g/run g/grp
: >log
start_ext g
p=$(up_pid g)
track_pgrp "$p"  # its own group: not stopped with supervise's
await 30 eval 'grep -q "^child " log'
c=$(sed -n 's/^child \([0-9][0-9]*\)$/\1/p' log)
check "g: leads its own group" [ "$(ps -o pgid= -p "$p" | tr -d ' ')" = "$p" ]
check "g: child in that group" [ "$(ps -o pgid= -p "$c" | tr -d ' ')" = "$p" ]
ctl g 'l+h=t'
check "l+h=t: HUP to the leader" poll 30 logged log HUP
check "l+h=t: HUP to the child (the group)" poll 30 logged log "child HUP"
check "l+h=t: TERM to the leader" poll 30 logged log TERM
sleep 0.5
check "l+h=t: no TERM to the child" bash -c "! grep -qx 'child TERM' log"
# + scope: a + in one batch does not reach a later one
: >log
ctl g '+'
sleep 0.5
ctl g 'h'
check "+ then (later) h: HUP to the leader" poll 30 logged log HUP
sleep 0.5
check "+ then (later) h: not to the child" bash -c "! grep -qx 'child HUP' log"
# svc -+ writes +...=
: >log
"$OSVC" -+h g
check "svc -+h: HUP to the child" poll 30 logged log "child HUP"
check "svc -+h: and to the leader" poll 30 logged log HUP
: >log
"$OSVC" -h g
sleep 0.5
check "svc -h after svc -+h: the leader only" eval 'logged log HUP && ! logged log "child HUP"'
# group STOP/CONT/KILL: P C K
ctl g 'P'
check "P: the leader stopped" poll 30 eval '[ "$(sed "s/.*) \(.\).*/\1/" /proc/'"$p"'/stat)" = T ]'
check "P: the child stopped" poll 30 eval '[ "$(sed "s/.*) \(.\).*/\1/" /proc/'"$c"'/stat)" = T ]'
ctl g 'C'
check "C: the leader runs" poll 30 eval '[ "$(sed "s/.*) \(.\).*/\1/" /proc/'"$p"'/stat)" != T ]'
check "C: the child runs" poll 30 eval '[ "$(sed "s/.*) \(.\).*/\1/" /proc/'"$c"'/stat)" != T ]'
ctl g 'K'
check "K: the leader killed" poll 30 gone "$p"
check "K: the child killed" poll 30 gone "$c"
check "K: restarted (wanted up)" poll 30 eval '[ "$(rpid g)" != 0 ] && [ "$(rpid g)" != "'"$p"'" ]'
track_pgrp "$(rpid g)"
check "supervise alive after the group letters" alive "$SV_PID"
stop_ext g

# --- not a leader: + still signals the pid only, never supervise's group
mkdir -p n
cat >n/run <<'EOF'
#!/bin/sh
echo "start $$" >>../log
sh -c 'echo "child $$" >>../log; trap "echo child HUP >>../log" HUP; while :; do sleep 0.1; done' &
trap "echo HUP >>../log" HUP
while :; do sleep 0.1; done
EOF
chmod +x n/run
: >log
start_ext n
p=$(up_pid n)
await 30 eval 'grep -q "^child " log'
check "n: in supervise's group, not its own" [ "$(ps -o pgid= -p "$p" | tr -d ' ')" = "$SV_PID" ]
ctl n 'l+h'
check "l+h, not a leader: HUP to the pid" poll 30 logged log HUP
sleep 0.5
check "l+h, not a leader: not to the child" bash -c "! grep -qx 'child HUP' log"
check "l+h, not a leader: supervise not hung up" alive "$SV_PID"
ctl n 'l+P'
sleep 0.5
check "l+P, not a leader: supervise not stopped" [ "$(sed 's/.*) \(.\).*/\1/' /proc/$SV_PID/stat)" != T ]
ctl n 'C'
ctl n 'l+K'
check "l+K, not a leader: the pid killed" poll 30 gone "$p"
check "l+K, not a leader: supervise alive" alive "$SV_PID"
stop_ext n

# --- r O Q D U
mksv r
: >log
start_ext r
p=$(up_pid r)
await 30 logged log "start $p"
"$OSVC" -r r
check "svc -r: TERM" poll 30 logged log TERM
check "svc -r: then CONT" poll 30 logged log CONT
check "svc -r: want still up" [ "$(field r 4)" = u ]
# the run survives TERM: make it exit on the next one
stop_ext r
rm -rf r log
mkdir r
printf '#!/bin/sh\necho "start $$" >>../log\nexec sleep 1000\n' >r/run
chmod +x r/run
start_ext r
p=$(up_pid r)
"$OSVC" -r r
check "svc -r: restarted with a new pid" poll 30 eval '[ "$(rpid r)" != 0 ] && [ "$(rpid r)" != "'"$p"'" ]'
check "svc -r: want up" [ "$(field r 4)" = u ]
p=$(rpid r)
"$OSVC" -O r
check "svc -O while up: want none, still up" poll 30 eval '[ "$(field r 4)" = 0 ] && [ "$(rpid r)" = "'"$p"'" ]'
kill "$p"
check "svc -O: down after it exits" poll 30 eval '[ "$(rpid r)" = 0 ]'
sleep 1.5
check "svc -O: not restarted" [ "$(rpid r)" = 0 ]
"$OSVC" -O r
sleep 1.5
check "svc -O while down: never started" [ "$(rpid r)" = 0 ]
"$OSVC" -U r
check "svc -U: up" poll 30 eval '[ "$(rpid r)" != 0 ]'
check "svc -U: no ./down" [ ! -e r/down ]
p=$(rpid r)
"$OSVC" -D r
check "svc -D: down" poll 30 eval '[ "$(rpid r)" = 0 ]'
check "svc -D: want down" [ "$(field r 4)" = d ]
check "svc -D: ./down made" [ -f r/down ]
"$OSVC" -U r
check "svc -U: ./down removed" poll 30 eval '[ ! -e r/down ]'
check "svc -U: up again" poll 30 eval '[ "$(rpid r)" != 0 ]'
ctl r 'Q'
check "Q: ./down made" poll 30 eval '[ -f r/down ]'
check "Q: want none" poll 30 eval '[ "$(field r 4)" = 0 ]'
check "Q: still up (once at most)" [ "$(rpid r)" != 0 ]
"$OSVC" -U r
check "svc -U after Q: ./down removed" poll 30 eval '[ ! -e r/down ]'
check "status stays 0.76's 18 bytes without the new files" [ "$(field r 1)" = 18 ]
stop_ext r
finish
