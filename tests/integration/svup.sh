#!/usr/bin/env bash
# svup (beyond 0.76, encore's): 0 if every service (and its log, where
# dir/log is a directory) is up, 100 if one is not or has no supervise
# running, 111 with a message on trouble; status records of each format,
# -l and -L, bad input, a status file of every length 0..64, as nobody.
# (svup on live supervises, ours and the reference's: svwait_supervise.sh.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/svwait_helpers.bash"
[ -x "$DT_BIN/svup" ] || { skip "svup not built"; finish; }

USAGE='svup: usage: svup [ -l | -L ] dir ...'
UP="live s; rec076 $PID 75 | put s"
DOWN="live s; rec076 $NOPID 64 | put s"
LOGUP="live s/log; rec076 $PID 75 | put s/log"
LOGDOWN="live s/log; rec076 $NOPID 64 | put s/log"

ours "up" 0 "" "$UP" svup s
ours "down" 100 "" "$DOWN" svup s
ours "up, supervise not running" 100 "" "dead s; rec076 $PID 75 | put s" svup s
ours "no supervise/" 100 "" "mkdir s" svup s
ours "supervise/ but no ok" 100 "" "mkdir -p s/supervise" svup s
ours "running, no status yet" 100 "" "live s" svup s
ours "two up" 0 "" "$UP; live t; rec076 $PID 75 | put t" svup s t
ours "one of two down" 100 "" "$UP; live t; rec076 $NOPID 64 | put t" svup s t
ours "down then trouble: trouble" 111 "svup: fatal: unable to open nope: file does not exist" "$DOWN" svup s nope

# the log
ours "service and log up" 0 "" "$UP; $LOGUP" svup s
ours "log down" 100 "" "$UP; $LOGDOWN" svup s
ours "log not supervised" 100 "" "$UP; mkdir s/log" svup s
ours "-l: log not asked" 0 "" "$UP; $LOGDOWN" svup -l s
ours "-L: log only" 0 "" "$DOWN; $LOGUP" svup -L s
ours "-L: log down" 100 "" "$UP; $LOGDOWN" svup -L s
ours "-L: no log" 100 "" "$UP" svup -L s
ours "log a file: not a service" 0 "" "$UP; touch s/log" svup s
ours "log a symlink to a service" 0 "" "$UP; live l; rec076 $PID 75 | put l; ln -s ../l s/log" svup s
ours "-l -L: the last wins" 0 "" "$DOWN; $LOGUP" svup -l -L s

# formats
ours "extended running" 0 "" "live s; recext $PID 03 00 | put s" svup s
ours "extended starting (up, not ready)" 0 "" "live s; recext $PID 01 01 | put s" svup s
ours "extended failed" 100 "" "live s; recext $NOPID 05 00 | put s" svup s
ours "encore started, no pid" 0 "" "live s; recencore $NOPID 02 | put s" svup s
ours "encore stopped" 100 "" "live s; recencore $NOPID 00 | put s" svup s
ours "encore 40 bytes" 0 "" "live s; recencore40 $PID 03 $NOPID 00 | put s" svup s
ours "runit run" 0 "" "live s; recrunit $PID 01 | put s" svup s
ours "runit finish" 100 "" "live s; recrunit $PID 02 | put s" svup s
ours "s6 up" 0 "" "live s control; recs6 $S6PID 04 | put s" svup s
ours "s6 finishing" 100 "" "live s control; recs6 $S6PID 02 | put s" svup s
ours "s6 43 bytes up" 0 "" "live s control; recs6 $S6PID 04 43 | put s" svup s
ours "s6 not running" 100 "" "dead s control; recs6 $S6PID 04 | put s" svup s

# every length 0..64
UPBYTES="$STAMP1 $PID 00 75 0000 000000000000000000000001 $(printf '00%.0s' $(seq 32))"
bad=0
for len in $(seq 0 64); do
  d=$(_newdir)
  ( cd "$d" && live s && bytes "$UPBYTES" | head -c "$len" | put s )
  ( cd "$d" && "$DT_BIN/svup" s ) >"$d/out" 2>"$d/err"
  rc=$?
  if [ "$len" -lt 18 ]; then
    want_rc=111 want_err="svup: fatal: unable to read s/supervise/status: bad format"
  else
    want_rc=0 want_err=
  fi
  if [ $rc != $want_rc ] || [ "$(cat "$d/err")" != "$want_err" ] || [ -s "$d/out" ]; then
    bad=$((bad + 1))
    echo "length $len: rc $rc, stderr: $(cat "$d/err")"
  fi
done
check "status of every length 0..64: bad format below 18, up from 18" [ $bad = 0 ]

# usage and bad input
ours "no arguments" 100 "$USAGE" "" svup
ours "options only" 100 "$USAGE" "" svup -l
ours "unknown option" 100 $'svup: illegal option -- x\n'"$USAGE" "" svup -x s
ours "missing directory" 111 "svup: fatal: unable to open nope: file does not exist" "" svup nope
ours "a file" 111 "svup: fatal: unable to open f: not a directory" "touch f" svup f
ours "ok a directory" 111 "svup: fatal: unable to open s/supervise/ok: is a directory" "mkdir -p s/supervise/ok" svup s
ours "status a directory" 111 "svup: fatal: unable to read s/supervise/status: is a directory" "live s; mkdir s/supervise/status" svup s
ours "log's ok a directory" 111 "svup: fatal: unable to open s/log/supervise/ok: is a directory" "$UP; mkdir -p s/log/supervise/ok" svup s
if [ -n "$AS_NOBODY" ]; then
  ours_as "$AS_NOBODY" "supervise/ unreadable as nobody" 111 "svup: fatal: unable to open s/supervise/ok: access denied" \
    "$UP; chmod 700 s/supervise" svup s
  ours_as "$AS_NOBODY" "status unreadable as nobody" 111 "svup: fatal: unable to open s/supervise/status: access denied" \
    "$UP; chmod 755 s/supervise; chmod 600 s/supervise/status" svup s
  ours_as "$AS_NOBODY" "log not searchable as nobody" 111 "svup: fatal: unable to stat s/log: access denied" \
    "$UP; chmod 755 s/supervise; mkdir -p s/x/log; chmod 700 s/x; ln -s x/log s/log" svup s
else
  skip "as nobody: not root"
fi
finish
