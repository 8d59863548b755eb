#!/usr/bin/env bash
# svwait (beyond 0.76): every condition on status records of each format
# (fixtures written as bytes), every exit code with its exact message, bad
# input, waiting through "supervise not running yet", polling without
# inotify; then real supervises, ours and the reference 0.76's (our svwait
# on the reference's directories: -u -d -r, 102 when it is killed), -U with
# ./check and notification-fd, and the CPU of an idle wait.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/svwait_helpers.bash"
[ -x "$DT_BIN/svwait" ] || { skip "svwait not built"; finish; }

TO='svwait: fatal: timed out'
USAGE='svwait: usage: svwait [ -u | -U | -d | -D | -r | -R ] [ -a | -o ] [ -t millisecs ] dir ...'
UP="live s; rec076 $PID 75 | put s"
DOWN="live s; rec076 $NOPID 64 | put s"

# --- conditions on a 0.76 record -------------------------------------------
ours "0.76 up: -u" 0 "" "$UP" svwait -u -t 20000 s
ours "0.76 up: default is -u" 0 "" "$UP" svwait -t 20000 s
ours "0.76 up: -d times out" 99 "$TO" "$UP" svwait -d -t 200 s
ours "0.76 up: -r times out (nothing moved)" 99 "$TO" "$UP" svwait -r -t 200 s
ours "0.76 down: -d" 0 "" "$DOWN" svwait -d -t 20000 s
ours "0.76 down: -D" 0 "" "$DOWN" svwait -D -t 20000 s
ours "0.76 down: -u times out" 99 "$TO" "$DOWN" svwait -u -t 200 s
ours "0.76 down: last option wins" 0 "" "$DOWN" svwait -u -d -t 20000 s

# --- our extended record ---------------------------------------------------
ours "ext starting: -u" 0 "" "live s; touch s/notification-fd; recext $PID 01 01 | put s" svwait -u -t 20000 s
ours "ext starting: -U times out" 99 "$TO" "live s; touch s/notification-fd; recext $PID 01 01 | put s" svwait -U -t 200 s
ours "ext running: -U" 0 "" "live s; touch s/notification-fd; recext $PID 03 01 | put s" svwait -U -t 20000 s
ours "ext running: -R needs the stamp to move" 99 "$TO" "live s; touch s/notification-fd; recext $PID 03 01 | put s" svwait -R -t 200 s
ours "ext finishing: -d" 0 "" "live s; recext $NOPID 04 02 | put s" svwait -d -t 20000 s
ours "ext finishing: -D times out" 99 "$TO" "live s; recext $NOPID 04 02 | put s" svwait -D -t 200 s
ours "ext stopped: -D" 0 "" "live s; recext $NOPID 00 00 | put s" svwait -D -t 20000 s
ours "ext failed: -u exits 1" 1 "svwait: warning: s failed: it will not be started again" \
  "live s; recext $NOPID 05 00 | put s" svwait -u -t 20000 s
ours "ext failed: -d is met" 0 "" "live s; recext $NOPID 05 00 | put s" svwait -d -t 20000 s
ours "-a: two failed, one up: 2" 2 $'svwait: warning: f1 failed: it will not be started again\nsvwait: warning: f2 failed: it will not be started again' \
  "for d in f1 f2; do live \$d; recext $NOPID 05 00 | put \$d; done; live s; rec076 $PID 75 | put s" svwait -t 20000 f1 s f2
ours "-a: one failed decides at once" 1 "svwait: warning: f1 failed: it will not be started again" \
  "live f1; recext $NOPID 05 00 | put f1; mkdir n" svwait -t 20000 f1 n
ours "-o: one up is enough" 0 "" "live f1; recext $NOPID 05 00 | put f1; live s; rec076 $PID 75 | put s" svwait -o -t 20000 f1 s
ours "-o: all failed: 2" 2 $'svwait: warning: f1 failed: it will not be started again\nsvwait: warning: f2 failed: it will not be started again' \
  "for d in f1 f2; do live \$d; recext $NOPID 05 00 | put \$d; done" svwait -o -t 20000 f1 f2
ours "-o: failed and pending: times out" 99 "$TO" "live f1; recext $NOPID 05 00 | put f1; mkdir n" svwait -o -t 200 f1 n
ours "-a: up and down: times out" 99 "$TO" "live a; rec076 $PID 75 | put a; live b; rec076 $NOPID 64 | put b" svwait -a -t 200 a b
ours "-o: up and down" 0 "" "live a; rec076 $PID 75 | put a; live b; rec076 $NOPID 64 | put b" svwait -o -t 20000 a b
ours "-o -d: up and down" 0 "" "live a; rec076 $PID 75 | put a; live b; rec076 $NOPID 64 | put b" svwait -o -d -t 20000 a b
ours "-a: all up" 0 "" "for d in a b c; do live \$d; rec076 $PID 75 | put \$d; done" svwait -t 20000 a b c

# --- encore, runit, s6 -----------------------------------------------------
ours "encore running: -u" 0 "" "live s; recencore $PID 03 | put s" svwait -u -t 20000 s
ours "encore started, no pid: -u" 0 "" "live s; recencore $NOPID 02 | put s" svwait -u -t 20000 s
ours "encore stopped: -d" 0 "" "live s; recencore $NOPID 00 | put s" svwait -d -t 20000 s
ours "encore failed: -u exits 1" 1 "svwait: warning: s failed: it will not be started again" "live s; recencore $NOPID 05 | put s" svwait -u -t 20000 s
ours "encore 40 bytes: -u" 0 "" "live s; recencore40 $PID 03 $PID 03 | put s" svwait -u -t 20000 s
ours "runit run: -u" 0 "" "live s; recrunit $PID 01 | put s" svwait -u -t 20000 s
ours "runit finish: -d" 0 "" "live s; recrunit $PID 02 | put s" svwait -d -t 20000 s
ours "runit finish: -D waits" 99 "$TO" "live s; recrunit $PID 02 | put s" svwait -D -t 300 s
ours "runit finish: -u times out" 99 "$TO" "live s; recrunit $PID 02 | put s" svwait -u -t 200 s
ours "runit down: -D" 0 "" "live s; recrunit $NOPID 00 | put s; echo down > s/supervise/stat" svwait -D -t 20000 s
ours "s6 up (no ok: control tells): -u" 0 "" "live s control; recs6 $S6PID 04 | put s" svwait -u -t 20000 s
ours "s6 up, not ready: -U times out" 99 "$TO" "live s control; touch s/notification-fd; recs6 $S6PID 04 | put s" svwait -U -t 200 s
ours "s6 up and ready: -U" 0 "" "live s control; touch s/notification-fd; recs6 $S6PID 0c | put s" svwait -U -t 20000 s
ours "s6 finishing: -d" 0 "" "live s control; recs6 $S6PID 02 | put s" svwait -d -t 20000 s
ours "s6 finishing: -D times out" 99 "$TO" "live s control; recs6 $S6PID 02 | put s" svwait -D -t 200 s
ours "s6 down and ready to start: -D" 0 "" "live s control; recs6 0000000000000000 08 | put s" svwait -D -t 20000 s
ours "s6 2.13 (43 bytes) up: -u" 0 "" "live s control; recs6 $S6PID 04 43 | put s" svwait -u -t 20000 s
ours "s6 2.13 finishing: -D times out" 99 "$TO" "live s control; recs6 $S6PID 02 43 | put s" svwait -D -t 200 s
ours "s6 not running: waited through" 99 "$TO" "dead s control; recs6 $S6PID 04 | put s" svwait -u -t 200 s

# --- a status record of every length 0..64 ---------------------------------
# The same bytes mean "up" in every layout (pid where 0.76 and s6 keep it);
# shorter than 18 bytes is bad format, after three reads 100 ms apart.
UPBYTES="$STAMP1 $PID 00 75 0000 000000000000000000000001 $(printf '00%.0s' $(seq 32))"
bad=0
for len in $(seq 0 64); do
  d=$(_newdir)
  ( cd "$d" && live s && bytes "$UPBYTES" | head -c "$len" | put s )
  t0=$(date +%s%N)
  ( cd "$d" && "$DT_BIN/svwait" -u -t 20000 s ) >"$d/out" 2>"$d/err"
  rc=$? ms=$(ms_since "$t0")
  if [ "$len" -lt 18 ]; then
    want_rc=111 want_err="svwait: fatal: unable to read s/supervise/status: bad format"
  else
    want_rc=0 want_err=
  fi
  if [ $rc != $want_rc ] || [ "$(cat "$d/err")" != "$want_err" ] || [ -s "$d/out" ]; then
    bad=$((bad + 1))
    echo "length $len: rc $rc in $ms ms, stderr: $(cat "$d/err")"
  fi
done
check "status of every length 0..64: bad format below 18, up from 18" [ $bad = 0 ]

# --- usage and bad input ---------------------------------------------------
ours "no directory" 100 "$USAGE" "" svwait
ours "no directory after options" 100 "$USAGE" "" svwait -u -t 100
ours "unknown option" 100 $'svwait: illegal option -- x\n'"$USAGE" "" svwait -x s
ours "-t without a value" 100 $'svwait: option requires an argument -- t\n'"$USAGE" "" svwait -t
ours "-t garbage" 100 "$USAGE" "mkdir s" svwait -t 1x s
ours "-t empty" 100 "$USAGE" "mkdir s" svwait -t '' s
ours "-t negative" 100 "$USAGE" "mkdir s" svwait -t -5 s
ours "-t past 64 bits" 100 "$USAGE" "mkdir s" svwait -t 18446744073709551616 s
ours "-t 2^64-1 is no limit (met at once)" 0 "" "$UP" svwait -t 18446744073709551615 s
ours "-t 0 is no limit (met at once)" 0 "" "$UP" svwait -t 0 s
ours "missing directory" 111 "svwait: fatal: unable to open nope: file does not exist" "" svwait -t 100 nope
ours "a file" 111 "svwait: fatal: unable to open f: not a directory" "touch f" svwait -t 100 f
ours "empty name" 111 "svwait: fatal: unable to open : file does not exist" "" svwait -t 100 ''
ours "a missing one among good ones" 111 "svwait: fatal: unable to open nope: file does not exist" "$UP" svwait -t 100 s nope
ours "ok a directory" 111 "svwait: fatal: unable to open s/supervise/ok: is a directory" "mkdir -p s/supervise/ok" svwait -t 1000 s
ours "status a directory" 111 "svwait: fatal: unable to read s/supervise/status: is a directory" \
  "live s; mkdir s/supervise/status" svwait -t 1000 s
ours "supervise/ a file" 111 "svwait: fatal: unable to open s/supervise/ok: not a directory" "mkdir s; touch s/supervise" svwait -t 1000 s
ours "path kept as given" 0 "" "mkdir d; cd d; $UP; cd .." svwait -t 20000 d/s/
# as nobody (root runs the suite): supervise/ unreadable
if [ -n "$AS_NOBODY" ]; then
  ours_as "$AS_NOBODY" "supervise/ unreadable as nobody" 111 "svwait: fatal: unable to open s/supervise/ok: access denied" \
    "$UP; chmod 700 s/supervise" svwait -t 1000 s
  ours_as "$AS_NOBODY" "service dir not searchable as nobody" 111 "svwait: fatal: unable to open s/supervise/ok: access denied" \
    "mkdir s; chmod 700 s" svwait -t 1000 s
  ours_as "$AS_NOBODY" "status unreadable as nobody" 111 "svwait: fatal: unable to open s/supervise/status: access denied" \
    "$UP; chmod 755 s/supervise; chmod 600 s/supervise/status" svwait -t 1000 s
else
  skip "unreadable supervise/: not root (no other user to run as)"
fi

# --- supervise not running yet: waited through until the deadline ----------
for mode in inotify polling; do
  pre=()
  if [ $mode = polling ]; then
    have_noinotify || { skip "polling: $NOINOTIFY not built"; continue; }
    pre=(env "LD_PRELOAD=$NOINOTIFY")
  fi
  d=$(_newdir)
  mkdir "$d/s"
  t0=$(date +%s%N)
  ( cd "$d" && "${pre[@]}" "$DT_BIN/svwait" -t 300 s ) 2>"$d/err"
  rc=$? ms=$(ms_since "$t0")
  check "$mode: no supervise/ yet: 99 at the deadline, not before ($ms ms)" eval '[ $rc = 99 ] && [ "$ms" -ge 300 ]'
  check "$mode: ... and not long after (under 15 s: $ms ms)" [ "$ms" -lt 15000 ]
  check "$mode: ... with the message" [ "$(cat "$d/err")" = "$TO" ]
  for what in "no supervise/" "supervise/, nothing in it" "pipe without a reader"; do
    d=$(_newdir)
    mkdir "$d/s"
    case $what in
      supervise/*) mkdir "$d/s/supervise" ;;
      pipe*) ( cd "$d" && dead s && rec076 $PID 75 | put s ) ;;
    esac
    ( cd "$d" && exec "${pre[@]}" "$DT_BIN/svwait" -u -t 20000 s ) 2>"$d/err" &
    w=$!
    track_pid $w
    await 30 waiting $w "$d/s"
    ( cd "$d" && rm -rf s/supervise && live s && rec076 $PID 75 | put s )
    t0=$(date +%s%N)
    wait $w
    rc=$?
    check "$mode: $what, then a supervisor comes: 0 ($(ms_since "$t0") ms)" eval '[ $rc = 0 ] && [ ! -s "$d/err" ]'
  done
  # a record replaced while waiting: -u, -d, -r (a new stamp)
  for c in "-u:$PID 75:$NOPID 64:$PID 75" "-d:$NOPID 64:$PID 75:$NOPID 64" "-r:$PID 75:$PID 75:$PID 75 $STAMP2"; do
    IFS=: read -r opt first mid last <<<"$c"
    d=$(_newdir)
    ( cd "$d" && live s && rec076 $mid | put s )
    ( cd "$d" && exec "${pre[@]}" "$DT_BIN/svwait" $opt -t 20000 s ) 2>"$d/err" &
    w=$!
    track_pid $w
    await 30 waiting $w "$d/s"  # (-r started after the change would wait for another)
    if [ $opt = -r ]; then
      # a restart within a few ms, quicker than the 100-ms poll: down, then up
      ( cd "$d" && rec076 $NOPID 64 "$STAMP2" | put s && rec076 $PID 75 "$STAMP3" | put s )
    else
      ( cd "$d" && rec076 $last | put s )
    fi
    wait $w
    check "$mode: svwait $opt: the record changes while waiting: 0" [ $? = 0 ]
  done
  d=$(_newdir)
  ( cd "$d" && live s && rec076 $PID 75 | put s )
  ( cd "$d" && exec "${pre[@]}" "$DT_BIN/svwait" -r -t 1000 s ) 2>"$d/err" &
  w=$!
  track_pid $w
  await 30 waiting $w "$d/s"
  ( cd "$d" && rec076 $NOPID 64 "$STAMP2" | put s )  # moved on, but wanted down
  wait $w
  check "$mode: -r, the stamp moves but the service went down: 99" [ $? = 99 ]
done

# --- -r and a command just before the start: less than 2 s counts ---------
# A record stamped now (a restart just over) and supervise/control last
# written MS ago: svwait -r takes the command as its start when MS < 2000.
# now_stamp: TAI64N of now, as rec076 wants it; cmd_ago MS: the FIFO's mtime
# MS ago; cmd_ago w: at the start of the second 2 s back, in the first half
# of a second (2.0-2.5 s ago, the same second count as 2 s: a whole-second
# comparison would take it)
now_stamp() { local t; t=$(date +%s%N); printf '%016x %08x' $((0x400000000000000a + t / 1000000000)) $((t % 1000000000)); }
cmd_ago() {
  local t
  if [ "$1" = w ]; then
    while t=$(date +%s%N); [ $((t % 1000000000)) -ge 500000000 ]; do sleep 0.05; done
    touch -d "@$((t / 1000000000 - 2))" s/supervise/control
    return
  fi
  t=$(($(date +%s%N) - $1 * 1000000))
  touch -d "@$((t / 1000000000)).$(printf '%09d' $((t % 1000000000)))" s/supervise/control
}
for c in "500:0:" "w:99:$TO" "2600:99:$TO"; do
  IFS=: read -r ms rc err <<<"$c"
  label="$ms ms"
  [ "$ms" = w ] && label="2.0-2.5 s (2 in whole seconds)"
  ours "-r, a record newer than a command $label before the start: $rc" "$rc" "$err" \
    "live s; mkfifo s/supervise/control; rec076 $PID 75 \"\$(now_stamp)\" | put s; cmd_ago $ms" svwait -r -t 300 s
done

# --- -U: notification-fd, ./check ------------------------------------------
ours "-U, no notification-fd, no check: warns, waits for up" 0 "svwait: warning: s/notification-fd not present - waiting for up" \
  "$UP" svwait -U -t 20000 s
ours "-U, notification-fd but a 0.76 record: warns, waits for up" 0 \
  "svwait: warning: supervise for s does not report readiness - waiting for up" "$UP; touch s/notification-fd" svwait -U -t 20000 s
ours "-U, ./check exits 0" 0 "" "$UP; printf '#!/bin/sh\nexit 0\n' > s/check; chmod +x s/check" svwait -U -t 20000 s
ours "-U, ./check exits 1: times out" 99 "$TO" "$UP; printf '#!/bin/sh\nexit 1\n' > s/check; chmod +x s/check" svwait -U -t 500 s
ours "-U, down: ./check is not enough" 99 "$TO" \
  "$DOWN; printf '#!/bin/sh\nexit 0\n' > s/check; chmod +x s/check" svwait -U -t 400 s
ours "-U, ./check runs in the service dir, stdout closed" 0 "" \
  "$UP; printf '#!/bin/sh\n[ -e run-here ] || exit 1\n[ -e /proc/\$\$/fd/1 ] && exit 2\nexit 0\n' > s/check; chmod +x s/check; touch s/run-here" \
  svwait -U -t 20000 s
ours "-U, a ./check that hangs: killed at the deadline" 99 "$TO" \
  "$UP; printf '#!/bin/sh\nexec sleep 1000\n' > s/check; chmod +x s/check" svwait -U -t 500 s
d=$(_newdir)
( cd "$d" && live s && rec076 $PID 75 | put s && printf '#!/bin/sh\necho x >> tries\n[ -e ready ]\n' >s/check && chmod +x s/check )
( cd "$d" && exec "$DT_BIN/svwait" -U -t 20000 s ) 2>"$d/err" &
w=$!
track_pid $w
await 30 test -s "$d/s/tries"
sleep 0.5
touch "$d/s/ready"
wait $w
rc=$?
tries=$(wc -l <"$d/s/tries")
check "-U: ./check polled until it says ready: 0 after $tries tries" eval '[ $rc = 0 ] && [ "$tries" -ge 2 ] && [ "$tries" -lt 100 ] && [ ! -s "$d/err" ]'
check "-U: no ./check left running" [ -z "$(pgrep -f "$d/s/check" 2>/dev/null)" ]

# --- an idle wait costs nothing: no busy loop ------------------------------
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
for mode in inotify polling; do
  pre=()
  if [ $mode = polling ]; then
    have_noinotify || continue
    pre=(env "LD_PRELOAD=$NOINOTIFY")
  fi
  d=$(_newdir)
  ( cd "$d" && live s && rec076 $PID 75 | put s )
  ( cd "$d" && exec "${pre[@]}" "$DT_BIN/svwait" -d -t 60000 s ) &
  w=$!
  track_pid $w
  sleep 2
  t=$(cpu_ticks $w)
  kill $w
  wait $w 2>/dev/null
  limit=1
  [ $mode = polling ] && limit=10  # 20 polls in 2 s
  check "$mode: 2 s of waiting used $t clock ticks (at most $limit)" eval '[ -n "$t" ] && [ "$t" -le $limit ]'
done

finish
