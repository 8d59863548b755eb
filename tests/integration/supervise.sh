#!/usr/bin/env bash
# supervise: bad input and failed system calls give the reference's messages
# and exit codes; failures to write the status record are warnings.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"

run='#!/bin/sh
exec sleep 100'
mksv() { mkdir -p "$1" && printf '%s\n' "$run" >"$1/run" && chmod +x "$1/run"; }

expect "no arguments" 100 "" "supervise: usage: supervise dir" -- supervise
expect "two arguments" 100 "" "supervise: usage: supervise dir" -- supervise a b
expect "no such directory" 111 "" "supervise: fatal: unable to chdir to nonexist: file does not exist" -- supervise nonexist
SETUP='touch afile' expect "a file" 111 "" "supervise: fatal: unable to chdir to afile: not a directory" -- supervise afile
expect "no options: -x is a directory name" 111 "" "supervise: fatal: unable to chdir to -x: file does not exist" -- supervise -x
expect "empty name" 111 "" "supervise: fatal: unable to chdir to : file does not exist" -- supervise ''
SETUP="mkdir s; ln -s down s/down" expect "down unreadable" 111 "" "supervise: fatal: unable to stat s/down: symbolic link loop" -- supervise s
SETUP="mkdir -p s/supervise/control" expect "control is a directory" 111 "" "supervise: fatal: unable to write s/supervise/control: is a directory" -- supervise s
# a second supervise stops at the lock and creates nothing
SETUP="mkdir -p s/supervise/lock" expect "lock is a directory" 111 "" "supervise: fatal: unable to acquire s/supervise/lock: is a directory" -- supervise s
SETUP="mkdir -p s/supervise; mkfifo s/supervise/lock" expect "lock is a FIFO" 111 "" "supervise: fatal: unable to acquire s/supervise/lock: device not configured" -- supervise s

shim=${DT_TESTS:-}/failcall.so
if [ -f "$shim" ]; then
  SETUP="mkdir s; export SHIM_FAIL=pipe SHIM_ERRNO=24 LD_PRELOAD=$shim" expect "no pipe" 111 "" \
    "supervise: fatal: unable to create pipe for s: process cannot open more files" -- supervise s
else
  skip "pipe failure: $shim not built"
fi

# As an ordinary user: a directory it cannot enter, a supervise/ it cannot
# write, a control FIFO it cannot open.
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  chmod 755 "$TEST_ROOT"
  nobody_case() { # name err setup
    local name=$1 err=$2 setup=$3 impl bin d
    while read -r impl bin; do
      d=$(_newdir)
      chmod 755 "$d"
      (cd "$d" && eval "$setup" && $NOBODY "$bin/supervise" s >out 2>err; echo $? >rc)
      if [ "$(cat "$d/rc")" = 111 ] && [ ! -s "$d/out" ] && [ "$(cat "$d/err")" = "$err" ]; then pass; else
        fail "$name ($impl): rc=$(cat "$d/rc") err=$(cat "$d/err")"
      fi
    done < <(impls)
    ref_note "$name"
  }
  nobody_case "directory not searchable" "supervise: fatal: unable to chdir to s: access denied" "mkdir -m 700 s"
  nobody_case "supervise/ not creatable" "supervise: fatal: unable to acquire s/supervise/lock: file does not exist" "mkdir -m 755 s"
  nobody_case "lock not writable" "supervise: fatal: unable to acquire s/supervise/lock: access denied" "mkdir -m 755 s; mkdir -m 777 s/supervise; touch s/supervise/lock"
  nobody_case "control not readable" "supervise: fatal: unable to read s/supervise/control: access denied" "mkdir -m 755 s; mkdir -m 777 s/supervise; mkfifo -m 600 s/supervise/control"
  nobody_case "ok not readable" "supervise: fatal: unable to read s/supervise/ok: access denied" "mkdir -m 755 s; mkdir -m 777 s/supervise; mkfifo -m 666 s/supervise/control; mkfifo -m 600 s/supervise/ok"
else
  skip "non-root cases: need root and setpriv"
fi

# A running supervise holds the lock: a second one, ours or the reference's,
# refuses with exit 111 and changes nothing.
lock_case() { # holder-impl holder-bin
  local d st before after impl bin
  d=$(_newdir)
  cd "$d" || return
  mksv s
  start_sv "$2" s
  poll 30 state_is s "up 0 u" || fail "lock: $1 supervise did not start"
  before=$(status_of s)
  while read -r impl bin; do
    "$bin/supervise" s >out 2>err
    st=$?
    after=$(status_of s)
    if [ $st = 111 ] && [ ! -s out ] && [ "$(cat err)" = "supervise: fatal: unable to acquire s/supervise/lock: temporary failure" ] &&
      [ "$before" = "$after" ]; then pass; else
      fail "second supervise ($impl) on a directory held by $1: rc=$st err=$(cat err)"
    fi
  done < <(impls)
  "$2/supervise" ./s/ 2>err
  check "lock message names the directory as given ($1)" [ "$(cat err)" = "supervise: fatal: unable to acquire ./s//supervise/lock: temporary failure" ]
  stop_sv s "$SV_PID"
  cd "$TEST_ROOT" || return
}
if have_svc; then
  while read -r impl bin; do lock_case "$impl" "$bin"; done < <(impls)
  ref_note "lock held"
else
  skip "lock held: no svc to stop supervise"
fi

# Status writes that fail are warnings; supervise goes on. With a down file
# and svc -x the record is written exactly four times: at start-up, before
# the loop, on x, and on exit.
warn_case() { # name setup expected-line
  local name=$1 setup=$2 line=$3 impl bin d
  while read -r impl bin; do
    d=$(_newdir)
    cd "$d" || return
    mksv s
    touch s/down
    eval "$setup"
    start_sv "$bin" s
    poll 30 sh -c "! '$SVC' -x s 2>&1 | grep -q ." || fail "$name ($impl): svc -x not accepted"
    await 30 gone "$SV_PID"
    wait "$SV_PID"
    local rc=$?
    local want
    want=$(printf '%s\n%s\n%s\n%s' "$line" "$line" "$line" "$line")
    if [ $rc = 0 ] && [ "$(cat s.err)" = "$want" ]; then pass; else
      fail "$name ($impl): rc=$rc"
      _show stderr s.err
    fi
    cd "$TEST_ROOT" || return
  done < <(impls)
  ref_note "$name"
}
if have_svc; then
  warn_case "status.new cannot be opened" "mkdir -p s/supervise/status.new" \
    "supervise: warning: unable to open s/supervise/status.new: is a directory"
  warn_case "status.new a FIFO nobody reads" "mkdir -p s/supervise; mkfifo s/supervise/status.new" \
    "supervise: warning: unable to open s/supervise/status.new: device not configured"
  warn_case "status.new cannot be written" "mkdir -p s/supervise; ln -s /dev/full s/supervise/status.new" \
    "supervise: warning: unable to write s/supervise/status.new: out of disk space"
  warn_case "status cannot be replaced" "mkdir -p s/supervise/status" \
    "supervise: warning: unable to rename s/supervise/status.new to status: is a directory"
else
  skip "status warnings: no svc"
fi

# fork fails: a warning, then a 60-second pause (not a busy loop).
if [ -f "$shim" ]; then
  while read -r impl bin; do
    d=$(_newdir)
    cd "$d" || break
    mksv s
    SHIM_FAIL=fork SHIM_ERRNO=11 LD_PRELOAD=$shim start_sv "$bin" s
    await 30 grep -q . s.err
    sleep 1
    t=$(awk '{print $14 + $15}' "/proc/$SV_PID/stat")
    if [ "$(cat s.err)" = "supervise: warning: unable to fork for s, sleeping 60 seconds: temporary failure" ] &&
      [ "$(state_of s)" = "down 0 u" ] && [ "$t" -lt 20 ]; then pass; else
      fail "fork failure ($impl): state $(state_of s), cpu ticks $t"
      _show stderr s.err
    fi
    kill -KILL -- "-$SV_PID"
    { wait "$SV_PID"; } 2>/dev/null
    cd "$TEST_ROOT" || break
  done < <(impls)
  ref_note "fork failure"
fi

# Deliberate difference: control as a regular file (the reference spins at
# full CPU on its end of file); ours looks at it once a second.
d=$(_newdir)
cd "$d" || exit 1
mksv s
mkdir s/supervise
touch s/supervise/control
start_sv "$DT_BIN" s
await 30 state_is s "up 0 u"
sleep 2
t=$(awk '{print $14 + $15}' "/proc/$SV_PID/stat")
check "control a regular file: no busy loop (ours: $t ticks in 2 s)" [ "$t" -lt 20 ]
echo d >s/supervise/control
await 30 state_is s "down 0 d"
check "control a regular file: letters still read (ours)" state_is s "down 0 d"
kill -KILL -- "-$SV_PID"
{ wait "$SV_PID"; } 2>/dev/null
cd "$TEST_ROOT" || exit 1
finish
