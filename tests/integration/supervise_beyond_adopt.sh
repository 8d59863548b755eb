#!/usr/bin/env bash
# supervise beyond 0.76 (issue 10, item 5): no twin after a supervise
# crash. supervise is killed with -9 twenty times in a row under a running
# service of each kind (plain, notification-fd, finish, own process group);
# each new supervise must adopt the service: never two instances, a control
# letter after each adoption reaches it, the status never torn; once the
# adopted service exits it is restarted. And where adoption must not
# happen: a pid now held by another process (another start time), a
# process in another directory, a service directory copied with its
# supervise/.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_beyond_helpers.bash"

[ -x "$SUP" ] && [ -x "$OSVC" ] || { skip "our supervise or svc not built"; finish; }
command -v python3 >/dev/null || { skip "python3 (to write a record with a process's start time)"; finish; }
ROUNDS=${ADOPT_ROUNDS:-20}
cd "$TEST_ROOT" || exit 1
nlines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
# live_starts: how many of the pids in ./starts are alive
live_starts() { local n=0 p; while read -r p; do alive "$p" && n=$((n + 1)); done <starts; echo $n; }
ok_open() { "$DT_BIN/svok" s; }

# sampler: read the record as fast as a shell can, note any read that is
# not 18 or 20 bytes or names another pid than $1; stops when ./stop exists
sampler() {
  local want=$1 r
  while [ ! -e stop ]; do
    r=$(rec s)
    case $r in
      "18 $want "* | "20 $want "*) ;;
      *) echo "$r" >>torn ;;
    esac
  done
}

kind_setup() {
  mkdir s
  case $1 in
    plain) sig_run s ;;
    notify)
      echo 4 >s/notification-fd
      sig_run s 'echo >&4; exec 4>&-' ;;
    finish)
      sig_run s
      printf '#!/bin/sh\necho "$*" >>../fargs\n' >s/finish
      chmod +x s/finish ;;
    group)
      sig_run s
      mv s/run s/grp
      printf '#!/bin/sh\nexec %s/pgrphack ./grp\n' "$DT_BIN" >s/run
      chmod +x s/run ;;
  esac
  # every run appends its pid to ./starts
  sed -i 's|^echo "start \$\$" >>../log$|echo "start $$" >>../log; echo $$ >>../starts|' s/run s/grp 2>/dev/null
}

for kind in plain notify finish group; do
  d=$(_newdir)
  cd "$d" || exit 1
  kind_setup $kind
  : >starts
  start_ext s
  p=$(up_pid s)
  await 30 eval '[ "$(nlines starts)" = 1 ]'
  [ $kind = group ] && track_pgrp "$p"
  [ $kind = notify ] && poll 10 eval '[ "$(rstate s)" = 3 ]'
  rec0=$(rec s)
  sampler "$p" &
  samp=$!
  track_pid $samp
  lost=0 twins=0 moved=0 lastcheck=
  for ((i = 1; i <= ROUNDS; i++)); do
    old=$SV_PID
    kill -KILL "$old"
    await 30 gone "$old"
    wait "$old" 2>/dev/null
    start_ext s
    await 30 ok_open
    n=$(count log HUP)
    "$OSVC" -h s
    poll 30 eval '[ "$(count log HUP)" -gt '"$n"' ]' || lost=$((lost + 1))
    [ "$(live_starts)" = 1 ] || twins=$((twins + 1))
    [ "$(rpid s)" = "$p" ] || moved=$((moved + 1))
  done
  : >stop
  wait $samp 2>/dev/null
  check "$kind: $ROUNDS kills: one run only" [ "$(nlines starts)" = 1 ]
  check "$kind: never two instances ($twins rounds with two)" [ $twins = 0 ]
  check "$kind: the pid kept in the record ($moved rounds)" [ $moved = 0 ]
  check "$kind: every letter after an adoption delivered ($lost lost)" [ $lost = 0 ]
  check "$kind: the record never torn or another pid" [ ! -s torn ]
  [ -s torn ] && head -3 torn
  check "$kind: the same record kind (${rec0% * *})" [ "$(field s 1)" = "${rec0%% *}" ]
  case $kind in
    notify) check "$kind: still running (ready) after adoption" [ "$(rstate s)" = 3 ] ;;
    plain) check "$kind: still 0.76's 18 bytes" [ "$(field s 1)" = 18 ] ;;
  esac
  check "$kind: svstat says up with that pid" eval 'svstat_line s | grep -q "^s: up (pid $p) "'
  # the adopted service exits: restarted by the last supervise
  "$OSVC" -k s
  check "$kind: adopted service killed by svc -k" poll 30 gone "$p"
  check "$kind: then restarted" poll 30 eval '[ "$(nlines starts)" = 2 ] && [ "$(rpid s)" != 0 ] && [ "$(rpid s)" != "'"$p"'" ]'
  [ $kind = group ] && track_pgrp "$(rpid s)"
  if [ $kind = finish ]; then
    check "$kind: ./finish ran for the adopted run" poll 30 test -s fargs
    printf 'NOTE: ./finish after an adopted run got: %s\n' "$(head -1 fargs 2>/dev/null)"
  fi
  # svc -d on the adopted service: TERM reaches it (through the pidfd)
  p=$(rpid s)
  kill -KILL "$SV_PID"
  await 30 gone "$SV_PID"
  start_ext s
  await 30 ok_open
  "$OSVC" -d s
  check "$kind: svc -d after adoption: TERM delivered" poll 30 eval '[ "$(count log TERM)" -ge 1 ]'
  "$OSVC" -k s
  check "$kind: svc -d -k after adoption: down, not restarted" poll 30 eval '[ "$(rpid s)" = 0 ]'
  stop_ext s
  cd "$TEST_ROOT" || exit 1
done

# rec_for DIR PID UNIXSEC_EXPR: write an 18-byte record for PID, the time
# being given by a python expression over start (the process's start time)
rec_for() {
  python3 - "$1" "$2" "$3" <<'EOF'
import os, struct, sys, time
d, pid, expr = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ticks = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[19])
boot = time.clock_gettime(time.CLOCK_REALTIME) - time.clock_gettime(time.CLOCK_BOOTTIME)
start = boot + ticks / os.sysconf("SC_CLK_TCK")
t = eval(expr)
sec = int(t); nano = int((t - sec) * 1e9)
rec = struct.pack(">QI", (1 << 62) + 10 + sec, nano) + struct.pack("<I", pid) + b"\0u"
os.makedirs(f"{d}/supervise", exist_ok=True)
open(f"{d}/supervise/status", "wb").write(rec)
EOF
}

# --- a pid held by another process, started at another time
d=$(_newdir)
cd "$d" || exit 1
mksv s
(cd s && exec sleep 1000) &
x=$!
track_pid $x
await 30 eval '[ "$(readlink /proc/'"$x"'/cwd)" = "$PWD/s" ]'
rec_for s $x 'start - 100'
start_ext s
check "pid reused: a new run" poll 30 eval '[ "$(rpid s)" != 0 ] && [ "$(rpid s)" != '"$x"' ]'
check "pid reused: the other process untouched" alive $x
stop_ext s
check "pid reused: still untouched after svc -dx" alive $x
: >log
# the control: the same process, its own start time: adopted (the check
# above failed for the time alone)
rm -rf s/supervise
rec_for s $x 'start + 0.002'
start_ext s
await 30 ok_open
sleep 1.5
check "control: the same record with its true start time is adopted" [ "$(rpid s)" = $x ]
check "control: no run started" [ ! -s log ]
"$OSVC" -dx s
check "control: the adopted process gets TERM" poll 30 gone $x
await 30 gone "$SV_PID"
cd "$TEST_ROOT" || exit 1

# --- a process in another directory (its run went to /)
d=$(_newdir)
cd "$d" || exit 1
mkdir s
printf '#!/bin/sh\necho $$ >>../starts\ncd /\nexec sleep 1000\n' >s/run
chmod +x s/run
start_ext s
p=$(up_pid s)
track_pid "$p"
await 30 eval '[ "$(readlink /proc/'"$p"'/cwd)" = / ]'
kill -KILL "$SV_PID"
await 30 gone "$SV_PID"
start_ext s
check "cwd /: not adopted, a second run (0.76's behaviour)" poll 30 eval '[ "$(nlines starts)" = 2 ] && [ "$(rpid s)" != '"$p"' ] && [ "$(rpid s)" != 0 ]'
check "cwd /: the first one left alone" alive "$p"
stop_ext s
kill "$p"
cd "$TEST_ROOT" || exit 1

# --- a chroot-like daemon below the service directory is adopted
d=$(_newdir)
cd "$d" || exit 1
mkdir -p s/root/deeper
printf '#!/bin/sh\necho $$ >>../starts\ncd root/deeper\nexec sleep 1000\n' >s/run
chmod +x s/run
start_ext s
p=$(up_pid s)
await 30 eval '[ "$(readlink /proc/'"$p"'/cwd)" = "$PWD/s/root/deeper" ]'
kill -KILL "$SV_PID"
await 30 gone "$SV_PID"
start_ext s
await 30 ok_open
sleep 1.5
check "cwd below: adopted" eval '[ "$(rpid s)" = '"$p"' ] && [ "$(nlines starts)" = 1 ]'
stop_ext s
check "cwd below: stopped by svc -dx" poll 30 gone "$p"
cd "$TEST_ROOT" || exit 1

# --- a service directory copied with its supervise/
d=$(_newdir)
cd "$d" || exit 1
mkdir s
printf '#!/bin/sh\necho "$(basename "$PWD") $$" >>../starts\nexec sleep 1000\n' >s/run
chmod +x s/run
start_ext s
p=$(up_pid s)
a=$SV_PID
cp -a s s2
rm -f s2/supervise/lock s2/supervise/control s2/supervise/ok
SV_PID=
start_ext s2
check "copied: s2 starts its own run" poll 30 eval 'grep -q "^s2 " starts'
check "copied: s2's record names its own run" eval '[ "$(rpid s2)" != '"$p"' ] && [ "$(rpid s2)" != 0 ]'
check "copied: s untouched" eval 'alive '"$p"' && [ "$(rpid s)" = '"$p"' ]'
stop_ext s2
SV_PID=$a
stop_ext s
cd "$TEST_ROOT" || exit 1
finish
