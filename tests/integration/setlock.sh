#!/usr/bin/env bash
# setlock: options, usage, messages, the lock file's mode and descriptor,
# -n/-x behaviour while another process holds the lock, waiting without -n,
# and interoperation: our setlock and the reference's exclude each other.
. "$(dirname "$0")/../lib.sh"

U="setlock: usage: setlock [ -nNxX ] file program [ arg ... ]"
expect "no arguments" 100 "" "$U" -- setlock
expect "no program" 100 "" "$U" -- setlock lk
expect "options only" 100 "" "$U" -- setlock -n -x
expect "illegal option" 100 "" "setlock: illegal option -- z"$'\n'"$U" -- setlock -nz lk true
expect "dash inside a cluster" 100 "" "setlock: illegal option -- -"$'\n'"$U" -- setlock -n-x lk true
expect "runs the program" 0 "hello" "" -- setlock lk echo hello
expect "exit code passed on" 9 "" "" -- setlock lk sh -c 'exit 9'
expect "-- ends options" 0 "a" "" -- setlock -n -- lk echo a
expect "--x ends options, x not taken" 111 "" "setlock: fatal: unable to open nodir/lk: file does not exist" -- setlock --x nodir/lk true
expect "options after the file are the program's" 111 "" "setlock: fatal: unable to run -n: file does not exist" -- setlock lk -n echo
expect "- is a file name" 0 "600" "" -- setlock - sh -c 'stat -c %a ./-'
expect "creates the file mode 0600" 0 "600" "" -- setlock lk sh -c 'stat -c %a lk'
SETUP='echo old > lk; chmod 640 lk' expect "existing file kept" 0 $'640\nold' "" -- setlock lk sh -c 'stat -c %a lk; cat lk'
# The descriptor: write-only, append, non-blocking, not close-on-exec, a
# FLOCK write lock.
expect "descriptor given to the program" 0 $'flags:\t0106001\nFLOCK ADVISORY WRITE' "" -- setlock lk sh -c \
  'for f in /proc/$$/fd/*; do [ "$(readlink $f)" = "$PWD/lk" ] && n=${f##*/}; done; grep ^flags /proc/$$/fdinfo/$n; grep -o "FLOCK.*WRITE" /proc/$$/fdinfo/$n | tr -s " "'
expect "missing program" 111 "" "setlock: fatal: unable to run /nonexistent: file does not exist" -- setlock lk /nonexistent
expect "missing program, -x" 111 "" "setlock: fatal: unable to run /nonexistent: file does not exist" -- setlock -x lk /nonexistent
expect "empty program name" 111 "" "setlock: fatal: unable to run : access denied" -- setlock lk ''
expect "missing directory" 111 "" "setlock: fatal: unable to open nodir/lk: file does not exist" -- setlock nodir/lk true
expect "missing directory, -x" 0 "" "" -- setlock -x nodir/lk echo not run
expect "missing directory, -xX" 111 "" "setlock: fatal: unable to open nodir/lk: file does not exist" -- setlock -xX nodir/lk true
SETUP='mkdir d' expect "a directory" 111 "" "setlock: fatal: unable to open d: is a directory" -- setlock d true
SETUP='mkfifo f' expect "a FIFO without reader" 111 "" "setlock: fatal: unable to open f: device not configured" -- setlock f true
# The program's own child inherits the lock: a new setlock cannot get it.
expect "lock held by the program" 111 "" "setlock: fatal: unable to lock lk: temporary failure" -- setlock lk "$DT_BIN/setlock" -n lk true
SETUP="'$DT_BIN/setlock' lk true" expect "lock released at exit" 0 "free" "" -- setlock -n lk echo free

# With stdin closed, the lock is on descriptor 0 (as the reference).
fd0() { # bin
  local d
  d=$(mktemp -d "$TEST_ROOT/z.XXXXXX")
  [ "$(cd "$d" && "$1/setlock" lk sh -c 'basename "$(readlink /proc/$$/fd/0)"' <&-)" = lk ]
}
check "stdin closed: lock on fd 0 (ours)" fd0 "$DT_BIN"
if has_ref setlock; then check "stdin closed: lock on fd 0 (reference)" fd0 "$REF_BIN"; else skip "stdin closed (reference)"; fi

# A holder keeps the lock until released through a FIFO.
HOLD_DIR=
hold() { # bin dir
  HOLD_DIR=$2
  mkfifo "$2/release"
  "$1/setlock" "$2/lk" sh -c "echo held > '$2/ready'; read x < '$2/release'" &
  track_pid $!
  HOLD_PID=$!
  await 30 test -s "$2/ready"
}
release() {
  echo go >"$HOLD_DIR/release"
  wait "$HOLD_PID"
}
# contend HOLDER_BIN TRY_BIN: -n fails while held (message, 111), -nx exits
# 0 silently, plain waits until the holder is done.
contend() {
  local hb=$1 tb=$2 d rc out
  d=$(mktemp -d "$TEST_ROOT/c.XXXXXX")
  hold "$hb" "$d" || return 1
  out=$("$tb/setlock" -n "$d/lk" echo ran 2>&1)
  rc=$?
  [ $rc = 111 ] && [ "$out" = "setlock: fatal: unable to lock $d/lk: temporary failure" ] || { release; return 1; }
  out=$("$tb/setlock" -nx "$d/lk" echo ran 2>&1)
  rc=$?
  [ $rc = 0 ] && [ -z "$out" ] || { release; return 1; }
  "$tb/setlock" -nN "$d/lk" sh -c "echo waited > '$d/waiter'" &
  local w=$!
  track_pid $w
  sleep 0.3
  [ ! -e "$d/waiter" ] || { release; return 1; }
  release
  wait $w && [ "$(cat "$d/waiter")" = waited ]
}
check "contention ours/ours" contend "$DT_BIN" "$DT_BIN"
if has_ref setlock; then
  check "contention reference holds, ours tries" contend "$REF_BIN" "$DT_BIN"
  check "contention ours holds, reference tries" contend "$DT_BIN" "$REF_BIN"
else
  skip "interoperation with the reference: not installed"
fi
if command -v flock >/dev/null; then
  flockint() {
    local d
    d=$(mktemp -d "$TEST_ROOT/f.XXXXXX")
    hold "$DT_BIN" "$d" || return 1
    flock -n "$d/lk" true && { release; return 1; }
    release
    flock -n "$d/lk" true
  }
  check "flock(1) sees our lock" flockint
fi

# flock failing, through the shim.
shim=${DT_TESTS:-}/failcall.so
if [ -n "${DT_TESTS:-}" ] && [ -f "$shim" ]; then
  F="export LD_PRELOAD=$shim SHIM_FAIL=flock SHIM_ERRNO"
  SETUP="$F=5" expect "lock fails" 111 "" "setlock: fatal: unable to lock lk: input/output error" -- setlock lk true
  SETUP="$F=37" expect "lock fails, -n" 111 "" "setlock: fatal: unable to lock lk: no locks available" -- setlock -n lk true
  SETUP="$F=5" expect "lock fails, -x" 0 "" "" -- setlock -x lk echo not run
else
  skip "lock failures: failcall shim not built"
fi
finish
