#!/usr/bin/env bash
# tai64n: label format and range, data passed through unchanged (partial last
# line, NUL bytes, 1 MB lines), silent exit 111 on I/O errors, output flushed
# as input arrives, each line stamped when it is read; ours and the reference.
. "$(dirname "$0")/../lib.sh"

MASK='s/^@[0-9a-f]{24} /@LABEL /'
in=$TEST_ROOT/in
mkdir -p "$in"
printf 'one\ntwo\n\nfour\n' >"$in/lines"
printf 'a\nb\n\nlast without newline' >"$in/partial"
printf 'nul\000byte\n\001\002\377\376\n\r\n\t\n' >"$in/binary"
head -c 1048576 /dev/zero | tr '\0' 'x' >"$in/long"
printf '\n' >>"$in/long"
head -c 1048576 /dev/zero | tr '\0' 'y' >>"$in/long"
seq 1 200000 >"$in/many"

expect "empty input" 0 "" "" -- tai64n
expect "arguments are ignored" 0 "" "" -- tai64n -x foo bar
for f in lines partial binary long many; do
  STDIN=$in/$f MASK=$MASK same "masked output: $f" -- tai64n
done

# Our programs and the reference alike: labels well formed, within the time
# of the run, never going back; the input comes through byte for byte.
structure() { # bin file
  local bin=$1 f=$2 d t0 t1 out
  d=$(mktemp -d "$TEST_ROOT/s.XXXXXX")
  out=$d/out
  t0=$(date +%s)
  "$bin/tai64n" <"$f" >"$out" || return 1
  t1=$(date +%s)
  # every line starts with a label (a partial last line too)
  [ "$(grep -c -a -v -E '^@[0-9a-f]{24} ' "$out")" = 0 ] || return 1
  [ "$(wc -l <"$out")" = "$(wc -l <"$f")" ] || return 1
  sed -E 's/^@[0-9a-f]{24} //' "$out" | cmp -s - "$f" || return 1
  # labels: 2^62 + 10 + Unix seconds, nanoseconds ending in 500 (microsecond
  # clock), non-decreasing
  cut -c2-25 "$out" | LC_ALL=C sort -c || return 1
  local first last
  first=$(head -c 25 "$out" | cut -c2-)
  last=$(grep -a -o -E '^@[0-9a-f]{24}' "$out" | tail -n 1 | cut -c2-)
  local s0=$((16#${first:0:16} - (1 << 62) - 10)) s1=$((16#${last:0:16} - (1 << 62) - 10))
  [ "$s0" -ge "$t0" ] && [ "$s1" -le "$t1" ] || return 1
  [ $((16#${first:16:8} % 1000)) = 500 ] && [ $((16#${first:16:8})) -lt 1000000000 ] || return 1
}
for f in lines partial binary long many; do
  check "structure ours: $f" structure "$DT_BIN" "$in/$f"
  if has_ref tai64n; then check "structure reference: $f" structure "$REF_BIN" "$in/$f"; else skip "structure reference: $f"; fi
done
check "partial last line gets no newline" sh -c "printf abc | '$DT_BIN/tai64n' | grep -q -E '^@[0-9a-f]{24} abc\$' && [ \$(printf abc | '$DT_BIN/tai64n' | wc -c) = 29 ]"

# I/O errors: exit 111, no message.
ioerr() { # bin what
  local bin=$1 d rc
  d=$(mktemp -d "$TEST_ROOT/e.XXXXXX")
  case $2 in
    full) echo hi | "$bin/tai64n" >/dev/full 2>"$d/err"; rc=$? ;;
    closed) echo hi | "$bin/tai64n" >&- 2>"$d/err"; rc=$? ;;
    readdir) "$bin/tai64n" </ >"$d/out" 2>"$d/err"; rc=$? ;;
    noinput) "$bin/tai64n" <&- >"$d/out" 2>"$d/err"; rc=$? ;;
  esac
  [ "$rc" = 111 ] && [ ! -s "$d/err" ]
}
for w in full closed readdir noinput; do
  check "i/o error ours: $w" ioerr "$DT_BIN" $w
  if has_ref tai64n; then check "i/o error reference: $w" ioerr "$REF_BIN" $w; else skip "i/o error reference: $w"; fi
done
# A closed pipe: killed by SIGPIPE like the reference (no handler).
sigpipe() { # bin
  local rc
  rc=$( (yes | "$1/tai64n"; echo "${PIPESTATUS[1]}" >"$TEST_ROOT/pipe.rc") | head -c 100 >/dev/null; cat "$TEST_ROOT/pipe.rc")
  [ "$rc" = 141 ]
}
check "broken pipe ours" sigpipe "$DT_BIN"
if has_ref tai64n; then check "broken pipe reference" sigpipe "$REF_BIN"; else skip "broken pipe reference"; fi

# Live: each line (even a partial one) is written before more input arrives,
# and stamped when it arrives: a line sent 0.5 s later has a label >= 0.4 s later.
live() { # bin
  local bin=$1 d pid
  d=$(mktemp -d "$TEST_ROOT/l.XXXXXX")
  mkfifo "$d/fifo"
  "$bin/tai64n" <"$d/fifo" >"$d/out" &
  pid=$!
  track_pid $pid
  exec 7>"$d/fifo"
  printf 'first\npart' >&7
  poll 30 grep -q -E '^@[0-9a-f]{24} part$' "$d/out" || { exec 7>&-; return 1; }
  sleep 0.5
  printf 'ial\nsecond\n' >&7
  exec 7>&-
  wait $pid || return 1
  [ "$(sed -E 's/^@[0-9a-f]{24} //' "$d/out")" = $'first\npartial\nsecond' ] || return 1
  local a b
  a=$(sed -n 2p "$d/out" | cut -c2-25)
  b=$(sed -n 3p "$d/out" | cut -c2-25)
  local ns_a=$(((16#${a:8:8}) * 1000000000 + 16#${a:16:8})) ns_b=$(((16#${b:8:8}) * 1000000000 + 16#${b:16:8}))
  [ $((ns_b - ns_a)) -ge 400000000 ]
}
check "live ours" live "$DT_BIN"
if has_ref tai64n; then check "live reference" live "$REF_BIN"; else skip "live reference"; fi
finish
