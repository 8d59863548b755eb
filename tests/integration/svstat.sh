#!/usr/bin/env bash
# svstat: every line it prints, from status records crafted byte by byte
# (time() fixed by a shim so the seconds are exact), and every bad input.
. "$(dirname "$0")/../lib.sh"

T=1700000000  # the time svstat sees, through the ctltime shim
shim=${DT_TESTS:-}/ctltime.so
failcall=${DT_TESTS:-}/failcall.so

# octal escapes of the 8 big-endian bytes of a 64-bit value
_be64() { local i; for i in 56 48 40 32 24 16 8 0; do printf '\\%03o' $((($1 >> i) & 255)); done; }
# mkraw DIR LABEL PID PAUSED WANT: DIR/supervise/status with these fields
# (WANT a printf escape such as u or \000); supervise/ok a plain file, which
# opens for writing as a running supervise's pipe does.
mkraw() {
  local d=$1 label=$2 pid=$3 paused=$4 want=$5 i s
  mkdir -p "$d/supervise"
  s=$(_be64 "$label")'\000\000\000\000'
  for i in 0 8 16 24; do s+=$(printf '\\%03o' $(((pid >> i) & 255))); done
  s+=$(printf '\\%03o' "$paused")$want
  printf "$s" >"$d/supervise/status"
  : >"$d/supervise/ok"
}
# mkst DIR AGE PID PAUSED WANT: a record AGE seconds before $T
mkst() { mkraw "$1" $(((1 << 62) + 10 + T - $2)) "$3" "$4" "$5"; }

if [ -f "$shim" ]; then
  FIX="export LD_PRELOAD=$shim SHIM_TIME=$T"

  # every combination of pid, paused, want and a down file
  for pid in 0 1234; do
    for paused in 0 1; do
      for want in u d '\000'; do
        for down in 0 1; do
          if [ $pid = 0 ]; then line="s: down 100 seconds"; else line="s: up (pid $pid) 100 seconds"; fi
          [ $pid != 0 ] && [ $down = 1 ] && line+=", normally down"
          [ $pid = 0 ] && [ $down = 0 ] && line+=", normally up"
          [ $pid != 0 ] && [ $paused = 1 ] && line+=", paused"
          [ $pid = 0 ] && [ "$want" = u ] && line+=", want up"
          [ $pid != 0 ] && [ "$want" = d ] && line+=", want down"
          mk="mkst s 100 $pid $paused '$want'"
          [ $down = 1 ] && mk+="; touch s/down"
          SETUP="$mk; $FIX" expect "pid=$pid paused=$paused want=$want down=$down" 0 "$line" "" -- svstat s
        done
      done
    done
  done
  # any nonzero paused byte counts; any want byte but u/d says nothing
  SETUP="mkst s 5 9 2 x; $FIX" expect "paused byte 2, want x" 0 "s: up (pid 9) 5 seconds, paused" "" -- svstat s
  SETUP="mkst s 5 0 7 x; $FIX" expect "down, paused byte, want x" 0 "s: down 5 seconds, normally up" "" -- svstat s
  # the pid is 4 bytes little-endian, printed unsigned
  SETUP="mkst s 0 4294967295 0 u; $FIX" expect "largest pid" 0 "s: up (pid 4294967295) 0 seconds" "" -- svstat s
  SETUP="mkst s 0 16909060 0 u; $FIX" expect "pid byte order" 0 "s: up (pid 16909060) 0 seconds" "" -- svstat s
  # the seconds: whole TAI seconds (nanoseconds ignored), 0 in the future,
  # and through a double: 2^60 + 1 seconds prints as 2^60
  SETUP="mkraw s $(((1 << 62) + 10 + T - 3)) 5 0 u; printf '\073\232\311\377' | dd of=s/supervise/status bs=1 seek=8 conv=notrunc 2>/dev/null; $FIX" \
    expect "nanoseconds ignored" 0 "s: up (pid 5) 3 seconds" "" -- svstat s
  SETUP="mkst s -1 5 0 u; $FIX" expect "a second in the future" 0 "s: up (pid 5) 0 seconds" "" -- svstat s
  SETUP="mkst s -100000 5 0 u; $FIX" expect "far in the future" 0 "s: up (pid 5) 0 seconds" "" -- svstat s
  SETUP="mkraw s -1 5 0 u; $FIX" expect "largest label" 0 "s: up (pid 5) 0 seconds" "" -- svstat s
  SETUP="mkraw s $((1 << 63)) 5 0 u; $FIX" expect "label 2^63" 0 "s: up (pid 5) 0 seconds" "" -- svstat s
  SETUP="mkst s $(((1 << 60) + 1)) 5 0 u; $FIX" expect "rounded through a double" 0 "s: up (pid 5) 1152921504606846976 seconds" "" -- svstat s
  SETUP="mkst s $(((1 << 62) + 10 + T)) 5 0 u; $FIX" expect "label 0" 0 "s: up (pid 5) 4611686020127387648 seconds" "" -- svstat s
  SETUP="mkst s 4000000000 0 0 d; $FIX" expect "large exact" 0 "s: down 4000000000 seconds, normally up" "" -- svstat s

  # a bad status record
  SETUP="mkst s 5 9 0 u; head -c 17 s/supervise/status > t; mv t s/supervise/status; $FIX" \
    expect "status 17 bytes" 0 "s: unable to read supervise/status: bad format" "" -- svstat s
  SETUP="mkst s 5 9 0 u; : > s/supervise/status; $FIX" \
    expect "status empty" 0 "s: unable to read supervise/status: bad format" "" -- svstat s
  SETUP="mkst s 5 9 0 u; echo junk >> s/supervise/status; $FIX" \
    expect "status longer: first 18 bytes" 0 "s: up (pid 9) 5 seconds" "" -- svstat s
  SETUP="mkst s 5 9 0 u; rm s/supervise/status; mkfifo s/supervise/status; $FIX" \
    expect "status a pipe without writer" 0 "s: unable to read supervise/status: bad format" "" -- svstat s
  # 0.76 does not report a read error: the line shows the record read for
  # the previous service, or all zeros (label 0) for the first
  SETUP="mkst s 5 9 0 u; rm s/supervise/status; mkdir s/supervise/status; $FIX" \
    expect "status a directory, first" 0 "s: down 4611686020127387648 seconds, normally up" "" -- svstat s
  SETUP="mkst a 7 42 1 d; mkst s 5 9 0 u; rm s/supervise/status; mkdir s/supervise/status; $FIX" \
    expect "status a directory, after another" 0 $'a: up (pid 42) 7 seconds, paused, want down\ns: up (pid 42) 7 seconds, paused, want down' "" -- svstat a s
  # a short read still lands in the record: its first bytes, then a read error
  SETUP="mkst a 7 42 1 d; mkst b 6 0 0 d; printf '\\000\\000\\000' > b/supervise/status; mkst s 5 9 0 u; rm s/supervise/status; mkdir s/supervise/status; $FIX" \
    expect "short read then read error" 0 $'a: up (pid 42) 7 seconds, paused, want down\nb: unable to read supervise/status: bad format\ns: up (pid 42) 4611686018427387904 seconds, paused, want down' "" -- svstat a b s
  if [ -f "$failcall" ]; then
    SETUP="mkst s 5 9 0 u; $FIX; export LD_PRELOAD=$shim:$failcall SHIM_FAIL=read SHIM_ERRNO=5" \
      expect "read error" 0 "s: down 4611686020127387648 seconds, normally up" "" -- svstat s
  else
    skip "read error: $failcall not built"
  fi

  # many services, in order, relative and absolute, each from the start directory
  SETUP="mkst a 1 11 0 u; mkdir d; mkst d/b 2 0 0 u; mkst c 3 33 0 d; $FIX" \
    expect "several, relative paths" 0 $'a: up (pid 11) 1 seconds\nd/b: down 2 seconds, normally up, want up\nc: up (pid 33) 3 seconds, want down\na: up (pid 11) 1 seconds' "" -- svstat a d/b c a
  abs=$TEST_ROOT/abs
  SETUP="mkst $abs/s 4 5 0 u; ln -s $abs/s l; mkst a 1 11 0 u; $FIX" \
    expect "absolute path, symlink" 0 "$abs/s: up (pid 5) 4 seconds"$'\nl: up (pid 5) 4 seconds\na: up (pid 11) 1 seconds' "" -- svstat $abs/s l a
  SETUP="mkst s 1 11 0 u; mkst s/log 2 12 0 u; $FIX" expect "only what is named, not log" 0 "s: up (pid 11) 1 seconds" "" -- svstat s
  SETUP="mkst s 1 11 0 u; mkst s/log 2 12 0 u; $FIX" expect "log when named" 0 $'s: up (pid 11) 1 seconds\ns/log: up (pid 12) 2 seconds' "" -- svstat s s/log
  SETUP="mkst s 1 11 0 u; $FIX" expect "trailing slashes" 0 "s//: up (pid 11) 1 seconds" "" -- svstat s//
  SETUP="mkst ./-z 1 11 0 u; $FIX" expect "no options" 0 $'-z: up (pid 11) 1 seconds\n--: unable to chdir: file does not exist' "" -- svstat -z --
  # fchdir failing is fatal, and what was buffered is not written
  SETUP="mkst s 1 11 0 u; $FIX SHIM_FAIL=fchdir SHIM_ERRNO=5" \
    expect "fchdir fails" 111 "" "svstat: fatal: unable to set directory: input/output error" -- svstat s s
else
  skip "crafted-status cases: $shim not built"
fi

# bad input
expect "no arguments" 0 "" "" -- svstat
expect "missing directory" 0 "nope: unable to chdir: file does not exist" "" -- svstat nope
expect "empty name" 0 ": unable to chdir: file does not exist" "" -- svstat ''
SETUP='echo x > f' expect "a file" 0 "f: unable to chdir: not a directory" "" -- svstat f
SETUP='mkdir d' expect "no supervise/" 0 "d: unable to open supervise/ok: file does not exist" "" -- svstat d
SETUP='mkdir d; touch d/supervise' expect "supervise/ a file" 0 "d: unable to open supervise/ok: not a directory" "" -- svstat d
SETUP='mkdir -p d/supervise; mkfifo d/supervise/ok' expect "ok without reader" 0 "d: supervise not running" "" -- svstat d
SETUP='mkdir -p d/supervise/ok' expect "ok a directory" 0 "d: unable to open supervise/ok: is a directory" "" -- svstat d
SETUP='mkdir -p d/supervise; ln -s ok d/supervise/ok' expect "ok a symlink loop" 0 "d: unable to open supervise/ok: symbolic link loop" "" -- svstat d
SETUP='mkdir -p d/supervise; touch d/supervise/ok' expect "no status" 0 "d: unable to open supervise/status: file does not exist" "" -- svstat d
# down is looked at first, before supervise/ok
SETUP='mkdir d; ln -s down d/down' expect "down a symlink loop" 0 "d: unable to stat down: symbolic link loop" "" -- svstat d
SETUP='mkdir d; ln -s nowhere d/down; mkdir -p d/supervise; mkfifo d/supervise/ok' expect "down dangling" 0 "d: supervise not running" "" -- svstat d
SETUP='mkdir -p a/supervise b; mkfifo a/supervise/ok; echo x > c' \
  expect "one line each, all to stdout" 0 $'a: supervise not running\nb: unable to open supervise/ok: file does not exist\nc: unable to chdir: not a directory\nnope: unable to chdir: file does not exist' "" -- svstat a b c nope

# a real pipe held open by a reader, as a running supervise holds it
if [ -f "$shim" ]; then
  held=$TEST_ROOT/held-ok
  mkfifo "$held"
  hold_fifo "$held"
  SETUP="mkst s 2 77 0 u; rm s/supervise/ok; ln -s $held s/supervise/ok; $FIX" \
    expect "ok a pipe with a reader" 0 "s: up (pid 77) 2 seconds" "" -- svstat s
fi

# output errors are ignored
check "stdout full (ours)" "$DT_BIN/svstat" nope >/dev/full
if has_ref svstat; then check "stdout full (reference)" "$REF_BIN/svstat" nope >/dev/full; fi

# as a user other than root
# expect_user NAME RC OUT ERR SETUP ARGS...: like expect, svstat run as nobody when we are root
expect_user() { SETUP=$5 expect_wrapped "$AS_NOBODY" "$1" "$2" "$3" "$4" -- svstat "${@:6}"; }
expect_user "unreadable current directory" 111 "" "svstat: fatal: unable to open current directory: access denied" \
  'mkdir -p w; chmod 311 w; cd w' s
expect_user "service not searchable" 0 "s: unable to chdir: access denied" "" 'mkdir s; chmod 000 s' s
expect_user "supervise/ok not writable" 0 "s: unable to open supervise/ok: access denied" "" \
  'mkdir -p s/supervise; touch s/supervise/ok; chmod 444 s/supervise/ok; chmod 755 s/supervise' s
expect_user "supervise/ not searchable" 0 "s: unable to open supervise/ok: access denied" "" \
  'mkdir -p s/supervise; mkfifo s/supervise/ok; chmod 000 s/supervise' s
expect_user "status not readable" 0 "s: unable to open supervise/status: access denied" "" \
  'mkdir -p s/supervise; touch s/supervise/ok s/supervise/status; chmod 666 s/supervise/ok; chmod 000 s/supervise/status; chmod 755 s/supervise' s
finish
