#!/usr/bin/env bash
# multilog: TERM finishes the line in progress and exits, leaving the rest of
# the input unread; ALRM finishes every non-empty current at once; HUP kills.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"  # rchar, has_read

# delivered PID: no signal is pending for the process any more (its
# handler has run) and it is asleep again
delivered() {
  [ "$(awk '/^(SigPnd|ShdPnd):/ { p = p $2 } END { print p }' "/proc/$1/status" 2>/dev/null)" = 00000000000000000000000000000000 ] &&
    [ "$(proc_state "$1")" = S ]
}

# start BIN DIR ARGS...: multilog reading DIR/fifo, fd 7 its writer; sets pid and base
start() {
  local bin=$1 dir=$2
  shift 2
  mkfifo "$dir/fifo"
  (cd "$dir" && exec "$bin/multilog" "$@" <fifo 2>err) &
  pid=$!
  track_pid $pid
  exec 7>"$dir/fifo"
  await 30 test -e "$dir/main/current"
  base=$(rchar $pid)
}
# stop: close the input, wait for multilog; sets rc
stop() {
  exec 7>&-
  wait $pid
  rc=$?
}

for bin in "$DT_BIN" "$REF_BIN"; do
  if [ ! -x "$bin/multilog" ]; then skip "signals: $bin/multilog not installed"; continue; fi
  who=$([ "$bin" = "$DT_BIN" ] && echo ours || echo reference)

  # TERM in the middle of a line
  d=$(_newdir)
  start "$bin" "$d" e ./main
  printf 'abc' >&7
  await 30 has_read $pid $((base + 3))
  kill -TERM $pid
  await 30 delivered $pid
  exec 8<>"$d/fifo"  # a second reader, to see what multilog left unread
  printf 'def\nghi\njkl\n' >&7
  wait $pid
  rc=$?
  printf 'END\n' >&7
  rest=
  while read -r -t 10 -u 8 line && [ "$line" != END ]; do rest=$rest$line.; done
  exec 7>&- 8<&-
  check "TERM mid-line: exit 0 ($who)" test $rc = 0
  check "TERM mid-line: line finished ($who)" test "$(cat "$d/main/current")" = abcdef
  check "TERM mid-line: alert ($who)" test "$(cat "$d/err")" = abcdef
  check "TERM mid-line: rest unread ($who)" test "$rest" = ghi.jkl.
  check "TERM mid-line: current finished ($who)" test "$(stat -c %a "$d/main/current")" = 744

  # TERM between lines: exit at once
  d=$(_newdir)
  start "$bin" "$d" ./main
  printf 'abc\n' >&7
  await 30 has_read $pid $((base + 4))
  kill -TERM $pid
  wait $pid
  rc=$?
  exec 7>&-
  check "TERM between lines: exit 0 ($who)" test $rc = 0
  check "TERM between lines: log ($who)" test "$(cat "$d/main/current"):$(stat -c %a "$d/main/current")" = abc:744

  # ALRM: current finished at once if not empty
  d=$(_newdir)
  start "$bin" "$d" ./main
  kill -ALRM $pid
  await 30 delivered $pid
  printf 'one\ntwo\n' >&7
  await 30 has_read $pid $((base + 8))
  kill -ALRM $pid
  await 30 sh -c "ls '$d/main' | grep -q '^@.*\.s$'"
  printf 'three\n' >&7
  stop
  check "ALRM: exit 0 ($who)" test $rc = 0
  check "ALRM: one old file ($who)" test "$(ls "$d/main" | grep -c '^@')" = 1
  check "ALRM: old file holds the lines so far ($who)" test "$(cat "$d"/main/@*.s)" = "$(printf 'one\ntwo')"
  check "ALRM: old file mode ($who)" test "$(stat -c %a "$d"/main/@*.s)" = 744
  check "ALRM: current holds the rest ($who)" test "$(cat "$d/main/current")" = three

  # ALRM runs the processor
  d=$(_newdir)
  start "$bin" "$d" '!tr a-z A-Z' ./main
  printf 'one\n' >&7
  await 30 has_read $pid $((base + 4))
  kill -ALRM $pid
  await 30 sh -c "ls '$d/main' | grep -q '^@.*\.s$'"
  stop
  check "ALRM with processor ($who)" test "$(cat "$d"/main/@*.s)" = ONE

  # HUP is not caught: multilog dies, current stays unfinished (0644), and
  # the next multilog keeps it as .u
  d=$(_newdir)
  start "$bin" "$d" ./main
  printf 'one\n' >&7
  await 30 has_read $pid $((base + 4))
  kill -HUP $pid
  { wait $pid; } 2>/dev/null
  rc=$?
  exec 7>&-
  check "HUP kills ($who)" test $rc = 129
  check "HUP leaves current unfinished ($who)" test "$(stat -c %a "$d/main/current")" = 644
  (cd "$d" && echo two | "$bin/multilog" ./main)
  check "unfinished current becomes .u ($who)" test "$(cat "$d"/main/@*.u):$(cat "$d/main/current")" = one:two
done
finish
