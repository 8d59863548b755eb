#!/usr/bin/env bash
# multilog: the processor protocol (!processor), against the reference.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"
TREE_MASK_CONTENTS=1

IN=$TEST_ROOT/in
yes abcdefghijklmnopqrstuvwxyz | head -600 >"$IN"

# the processor's output becomes the old file; what it writes to fd 5
# is given back on fd 4 the next time; it runs in the log directory
ml "processor output and state" "$IN" -- s4096 n10 '!cat <&4 >&5; echo more >&5; tr a-z A-Z' ./main
ml "processor sees its descriptors" "$IN" -- s4096 n10 '!for f in 0 1 4 5; do readlink /proc/$$/fd/$f | sed "s,.*/,,"; done; basename "$PWD"; cat >/dev/null' ./main
ml "processor stderr is multilog's" "$IN" -- s4096 n10 '!echo to stderr >&2; cat' ./main
ml "processor for later logs only" "$IN" -- s4096 ./a '!tr a-z A-Z' ./b '!tr a-z 0-9' ./c
ml "empty processor: empty old files" "$IN" -- s4096 '!' ./main
ml "processor with n2" "$IN" -- s4096 n2 '!cat <&4 >&5; echo x >&5; wc -c' ./main
ml "processor at start-up leaves previous as .u" "$IN" -- s4096 '!cat' ./main
SETUP='mkdir main; echo prev > main/previous; echo st > main/state' ml "leftover previous at start-up" "$IN" -- s4096 '!tr a-z A-Z' ./main

# a failing processor: "processor failed", a pause, then it runs again on
# the same input (two failures take about 10 s each side, so run both at once)
if has_ref multilog; then
  a=$(_newdir)
  b=$(_newdir)
  p='!if [ -e ../failed ]; then tr a-z A-Z; else touch ../failed; exit 1; fi'
  for x in "$a:$DT_BIN" "$b:$REF_BIN"; do
    (cd "${x%%:*}" && "${x#*:}/multilog" s4096 "$p" ./main <"$IN" 2>.err; echo $? >.rc) &
  done
  wait
  check "failed processor retried" test "$(cat "$a/.err")" = "multilog: warning: processor failed in ./main, pausing"
  same_tree "failed processor" "$a" "$b"
  a=$(_newdir)
  b=$(_newdir)
  p='!if [ -e ../failed ]; then cat; else touch ../failed; kill -9 $$; fi'
  for x in "$a:$DT_BIN" "$b:$REF_BIN"; do
    (cd "${x%%:*}" && "${x#*:}/multilog" s4096 "$p" ./main <"$IN" 2>.err; echo $? >.rc) &
  done
  wait
  check "crashed processor retried" test "$(cat "$a/.err")" = "multilog: warning: processor crashed in ./main, pausing: file does not exist
multilog: warning: processor failed in ./main, pausing"
  same_tree "crashed processor" "$a" "$b"
else
  skip "failing processor: reference multilog not installed"
fi
finish
