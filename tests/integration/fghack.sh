#!/usr/bin/env bash
# fghack: usage, exit codes, 31 write descriptors of one pipe in the child,
# waiting for a backgrounded grandchild, and every failure's message (through
# the failcall shim), ours and the reference.
. "$(dirname "$0")/../lib.sh"

expect "no arguments" 100 "" "fghack: usage: fghack child" -- fghack
expect "exit code passed on" 7 "" "" -- fghack sh -c 'exit 7'
expect "stdout kept" 0 "hello" "" -- fghack echo hello
expect "missing program" 111 "" "fghack: fatal: unable to run /nonexistent: file does not exist" -- fghack /nonexistent
expect "empty name" 111 "" "fghack: fatal: unable to run : access denied" -- fghack ''
SETUP='export PATH=/nonexistent:/bin:/usr/bin' expect "PATH search" 0 "found" "" -- fghack sh -c 'echo found'
expect "child killed" 111 "" "fghack: fatal: child crashed" -- fghack sh -c 'kill -9 $$'
expect "child terminated" 111 "" "fghack: fatal: child crashed" -- fghack sh -c 'kill -TERM $$'
expect "data on the pipe discarded" 4 "" "" -- fghack sh -c 'echo data >&5; exit 4'
expect "1 MB on the pipe" 0 "" "" -- fghack sh -c 'head -c 1048576 /dev/zero >&9'
# The count of descriptors on the most used pipe: the original and 30 copies.
# (ls's complaints hidden: the shell's own pipeline descriptors may vanish
# while ls reads the list.)
expect "31 write descriptors" 0 "31" "" -- fghack sh -c 'ls -l /proc/$$/fd 2>/dev/null | grep -o "pipe:.*" | sort | uniq -c | sort -rn | head -n 1 | awk "{print \$1}"'
# Where they are, pipe numbers masked: the lowest free descriptors.
MASK='s/[0-9]{3,}/N/g; s/case\.[A-Za-z0-9]+/case/' same "descriptor layout" -- fghack sh -c 'exec ls -l --time-style=+ /proc/self/fd'
MASK='s/[0-9]{3,}/N/g' same "descriptor modes" -- fghack sh -c 'grep -h ^flags /proc/$$/fdinfo/3 /proc/$$/fdinfo/4 /proc/$$/fdinfo/34'
# A child that leaves a background process behind: fghack waits for it.
expect "waits for the background grandchild" 0 "late" "" -- fghack sh -c '(sleep 1; echo late) & exit 0'
waits() { # bin: fghack is still running while the grandchild holds the pipe
  local d pid
  d=$(mktemp -d "$TEST_ROOT/w.XXXXXX")
  mkfifo "$d/go"
  "$1/fghack" sh -c "(read x <'$d/go'; echo done) & exit 3" >"$d/out" &
  pid=$!
  track_pid $pid
  sleep 0.3
  kill -0 $pid 2>/dev/null || return 1
  echo go >"$d/go"
  wait $pid
  [ $? = 3 ] && [ "$(cat "$d/out")" = done ]
}
check "still running while the pipe is held (ours)" waits "$DT_BIN"
if has_ref fghack; then check "still running while the pipe is held (reference)" waits "$REF_BIN"; else skip "still running (reference)"; fi

# Failures, through the shim, in ours and the reference alike.
shim=${DT_TESTS:-}/failcall.so
if [ -n "${DT_TESTS:-}" ] && [ -f "$shim" ]; then
  F="export LD_PRELOAD=$shim SHIM_ERRNO=11 SHIM_FAIL"
  SETUP="$F=pipe" expect "pipe fails" 111 "" "fghack: fatal: unable to create pipe: temporary failure" -- fghack true
  SETUP="$F=fork" expect "fork fails" 111 "" "fghack: fatal: unable to fork: temporary failure" -- fghack true
  SETUP="$F=waitpid" expect "wait fails" 111 "" "fghack: fatal: wait failed: temporary failure" -- fghack true
  SETUP="$F=dup" expect "dup failures ignored" 5 "" "" -- fghack sh -c 'exit 5'
  SETUP="$F=read" expect "read error ends the wait for writers" 6 "" "" -- fghack sh -c 'exit 6'
  SETUP="export LD_PRELOAD=$shim SHIM_FAIL=fork SHIM_ERRNO=12" expect "fork fails: no memory" 111 "" "fghack: fatal: unable to fork: out of memory" -- fghack true
else
  skip "failure messages: failcall shim not built"
fi
finish
