#!/usr/bin/env bash
# readproctitle: exit codes (silent usage errors), and what ps shows as
# input arrives, ours and the reference alike.
. "$(dirname "$0")/../lib.sh"

# Too few dots (or no argument at all): exit 100 without a word.
expect "no arguments" 100 "" "" -- readproctitle
expect "four dots" 100 "" "" -- readproctitle io errors: ....
expect "four dots alone" 100 "" "" -- readproctitle ....
expect "five dots, end of input" 0 "" "" -- readproctitle io errors: .....
expect "five of anything" 0 "" "" -- readproctitle xxxxx
SETUP='printf "some text\n" > in' STDIN=in expect "input then end" 0 "" "" -- readproctitle io .....
# a read error (stdin a directory) ends it with 111, silently
STDIN=/ expect "read error" 111 "" "" -- readproctitle io .....

# title BIN ARGS... -- INPUT-CHUNKS...: run BIN/readproctitle ARGS reading a
# FIFO, write each chunk, and print its arguments (after argv[0]) as ps
# sees them, one per line, a newline shown as ! (as the man page does).
title() {
  local bin=$1
  shift
  local args=()
  while [ "$1" != -- ]; do args+=("$1"); shift; done
  shift
  local d f pid want i
  d=$(mktemp -d "$TEST_ROOT/rpt.XXXXXX")
  f=$d/fifo
  mkfifo "$f"
  "$bin/readproctitle" "${args[@]}" <"$f" &
  pid=$!
  track_pid "$pid"
  exec 7>"$f"
  for i in "$@"; do printf '%b' "$i" >&7; done
  # wait for the last byte written to show
  want=$(printf '%b' "${!#}" | tr -d '\0' | tail -c 1 | od -An -c | tr -d ' ')
  await 30 eval '[ "$(tail -c 2 /proc/$pid/cmdline | head -c 1 | od -An -c | tr -d " ")" = "$want" ]'
  tr '\n\0' '!\n' </proc/"$pid"/cmdline | tail -n +2
  exec 7>&-
  wait "$pid"
  echo "exit $?"
}
titled() { # NAME WANT ARGS... -- CHUNKS...
  local name=$1 want=$2 got
  shift 2
  got=$(title "$DT_BIN" "$@")
  if [ "$got" = "$want" ]; then pass; else fail "$name (ours): got: $got"; fi
  if has_ref readproctitle; then
    got=$(title "$REF_BIN" "$@")
    if [ "$got" = "$want" ]; then pass; else fail "$name (reference): got: $got"; fi
  else
    skip "$name (reference): not installed"
  fi
}

# the man page's example: three dots always kept at the left
titled "man page example" $'io\nerrors:\n... xyz!warning abc!\nexit 0' \
  io errors: .................... -- 'fatal error xyz\n' 'warning abc\n'
titled "title filled with dots" $'io\n....x\nexit 0' io xxxxx -- 'x'
titled "shifts left" $'...qrstuvwxyz\nexit 0' xxxxxxxxxxxxx -- 'hello\n' 'abcdefghijklmnopqrstuvwxyz'
titled "NUL bytes dropped" $'....abc\nexit 0' ....... -- 'ab\0c'
titled "short input" $'...........hi\nexit 0' ............. -- 'hi'
finish
