# Helpers shared by svwait.sh and svup.sh (sourced after tests/lib.sh; not a
# test itself: the suite runs only *.sh). Status records of every format are
# written as bytes here (BEYOND-SPEC g; the same bytes as the unit tests).

NOINOTIFY=${DT_TESTS:-}/noinotify.so
have_noinotify() { [ -n "${DT_TESTS:-}" ] && [ -f "$NOINOTIFY" ]; }

# bytes HEX...: write the bytes given in hex (spaces ignored) to stdout
bytes() { printf "$(printf '%s' "$*" | tr -d ' \n' | sed 's/../\\x&/g')"; }

STAMP1='400000006b0e8401 2c1c9843'  # a TAI64N stamp
STAMP2='400000006b0e8402 0e73fd48'  # a later one
STAMP3='400000006b0e8402 0e74fd48'  # 65 ms after STAMP2
PID='d7080000'                      # 2263, little-endian (0.76, encore, runit)
NOPID='00000000'
# rec076 PIDHEX WANT [STAMP]: 18 bytes of 0.76 (want u/d as 75/64)
rec076() { local p=$1 w=$2; shift 2; bytes "${*:-$STAMP1}" "$p" 00 "$w"; }
# recext PIDHEX STATE FLAGS [STAMP]: our 20 bytes (flags without the 0x80 marker)
recext() { bytes "${4:-$STAMP1}" "$1" 00 75 "$2" "$(printf '%02x' $((0x80 | 0x$3)))"; }
# recencore PIDHEX STATE: 20 bytes; recencore40: with a second (log) record
recencore() { bytes "$STAMP1" "$1" 00 75 "$2" 00; }
recencore40() { recencore "$1" "$2"; recencore "$3" "$4"; }
# recrunit PIDHEX STATE: 20 bytes, state 0 down, 1 run, 2 finish
recrunit() { bytes "$STAMP1" "$1" 00 75 00 "$2"; }
# recs6 PIDHEX64 FLAGS [43]: 35 bytes big-endian (43 with 2.13's pgid)
recs6() {
  if [ "${3:-}" = 43 ]; then
    bytes "$STAMP1" "$STAMP1" "$1" 0000000000000000 0000 "$2"
  else
    bytes "$STAMP1" "$STAMP1" "$1" 0000 "$2"
  fi
}
S6PID=0000000000002a97

# A fake supervisor: one pipe with a reader for the whole test (started
# here, stopped at the end); live DIR [PIPE] links DIR/supervise/PIPE
# (default ok) to it, so the directory looks supervised; dead DIR [PIPE]
# makes a pipe nobody reads (a supervise that is not running).
HELD=$TEST_ROOT/held-pipe
mkfifo -m 622 "$HELD"
hold_fifo "$HELD"
live() { mkdir -p "$1/supervise"; ln -sfn "$HELD" "$1/supervise/${2:-ok}"; }
dead() { mkdir -p "$1/supervise"; mkfifo -m 600 "$1/supervise/${2:-ok}"; }

# put DIR: the record on stdin becomes DIR/supervise/status (renamed in, as
# a supervisor writes it)
put() {
  mkdir -p "$1/supervise"
  cat >"$1/supervise/status.new" && mv -f "$1/supervise/status.new" "$1/supervise/status"
}

# ours NAME RC ERR SETUP PROG ARGS...: run our PROG (no reference has it) in
# a fresh case directory after SETUP; exit code and stderr exactly, no stdout.
ours() {
  local name=$1 rc=$2 err=$3 setup=$4 prog=$5 d
  shift 5
  d=$(_newdir)
  SETUP=$setup _run "$d" "$DT_BIN" "$prog" "$@"
  _compare_literal "$name" ours "$d" "$rc" "" "$err"
}

# ours_as WRAP NAME RC ERR SETUP PROG ARGS...: the same, PROG run under
# WRAP (e.g. "$AS_NOBODY") in a case directory anyone may enter.
ours_as() {
  local wrap=$1 name=$2 rc=$3 err=$4 setup=$5 prog=$6 d
  shift 6
  d=$(_newdir)
  chmod 755 "$TEST_ROOT" "$d"
  mkdir -p "$d/.result"
  (
    cd "$d" || exit 99
    eval "$setup"
    $wrap "$DT_BIN/$prog" "$@" </dev/null >"$d/.result/out" 2>"$d/.result/err"
    echo $? >"$d/.result/rc"
  )
  _compare_literal "$name" ours "$d" "$rc" "" "$err"
}

# started_ok DIR: a supervise runs there and has written its status
started_ok() { [ -s "$1/supervise/status" ] && "$DT_BIN/svok" "$1"; }

# mkrun DIR SCRIPT: a service directory with ./run holding SCRIPT
mkrun() {
  mkdir -p "$1"
  printf '#!/bin/sh\n%s\n' "$2" >"$1/run"
  chmod +x "$1/run"
}

# ms_since T0: milliseconds since T0 (from date +%s%N)
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# waiting PID DIR: svwait PID has looked at DIR and waits (it holds DIR
# open and sleeps, in its poll), so what the test does next happens while
# it waits, however slowly it started.
waiting() { [ "$(proc_state "$1")" = S ] && has_fd "$1" "$(readlink -f "$2")"; }
