#!/usr/bin/env bash
# tai64nlocal: exact output in two time zones, the reference's parsing quirks
# (any number of lowercase hex digits, the last 24 count; 10-digit
# nanoseconds; wrapped years; a label at end of input dropped), data passed
# through (NUL bytes, 1 MB lines), silent exit 111 on I/O errors.
. "$(dirname "$0")/../lib.sh"

in=$TEST_ROOT/in
mkdir -p "$in"
mk() { # name content (printf format)
  printf "$2" >"$in/$1"
}
L=@400000006b0261b00fa5e1dc # 2026-11-22 03:29:42.262529500 UTC
D='2026-11-22 03:29:42.262529500'

# exact_run BIN NAME ZONE: output of BIN on input NAME must be exactly the
# bytes of $in/NAME.want, exit 0, nothing on stderr.
exact_run() {
  local d
  d=$(mktemp -d "$TEST_ROOT/x.XXXXXX")
  TZ=$3 "$1/tai64nlocal" <"$in/$2" >"$d/out" 2>"$d/err"
  local rc=$?
  [ $rc = 0 ] && [ ! -s "$d/err" ] && cmp -s "$d/out" "$in/$2.want" && return 0
  printf '  rc=%s stderr=%s\n  got: ' $rc "$(cat "$d/err")"
  od -c "$d/out" | head -5
  return 1
}
# utc NAME EXPECTED INPUT: both printf formats, compared byte for byte, TZ=UTC.
utc() {
  mk "$1" "$3"
  mk "$1.want" "$2"
  check "$1 (ours)" exact_run "$DT_BIN" "$1" UTC
  if has_ref tai64nlocal; then check "$1 (reference)" exact_run "$REF_BIN" "$1" UTC; else skip "$1 (reference)"; fi
}

expect "empty input" 0 "" "" -- tai64nlocal
utc "man page example" '1999-08-24 04:04:05.787492500 mark\n' '@4000000037c219bf2ef02e94 mark\n'
utc "label and text" "$D hello\n" "$L hello\n"
utc "label alone" "$D\n" "$L\n"
utc "text right after the label" "${D}nospace\n" "${L}nospace\n"
utc "partial last line" "x\n$D partial" "x\n$L partial"
utc "not at line start" " $L a\nx$L b\n" " $L a\nx$L b\n"
utc "second label kept" "$D $L\n" "$L $L\n"
utc "plain and empty lines" "plain\n\n\n @ not at start\tok" "plain\n\n\n @ not at start\tok"
utc "leading digits shifted out (25)" "$D a\n" "@0${L:1} a\n"
utc "leading digits shifted out (64)" "$D a\n" "@4000000000000000000000000000000000000000${L:1} a\n"
utc "uppercase ends the label" "${D}A\n" "${L}A\n"
utc "nanoseconds over 999999999" '2026-11-22 03:29:42.4294967295 a\n2026-11-22 03:29:42.1000000000 b\n2026-11-22 03:29:42.000000000 c\n' \
  '@400000006b0261b0ffffffff a\n@400000006b0261b03b9aca00 b\n@400000006b0261b000000000 c\n'
utc "epoch and before" '1970-01-01 00:00:00.000000000 a\n1969-12-31 23:59:49.000000000 b\n' \
  '@400000000000000a00000000 a\n@3fffffffffffffff00000000 b\n'
utc "year 0 and -1 as unsigned" '0-01-01 00:00:00.000000005 a\n18446744073709551615-12-31 23:59:59.000000005 b\n' \
  '@3ffffff1868b840a00000005 a\n@3ffffff1868b840900000005 b\n'
utc "short years unpadded" '6-01-05 00:00:00.000000005 a\n999-05-04 00:00:00.000000005 b\n10000-01-01 00:00:00.000000005 c\n' \
  '@3ffffff191daa20a00000005 a\n@3ffffff8de3e018a00000005 b\n@4000003afff4418a00000005 c\n'
utc "year 2^31-1 and the int wrap after it" '2147483647-12-31 23:59:59.000000005 a\n18446744071562067968-01-01 00:00:00.000000005 b\n' \
  '@40f0c29d868bfd8900000005 a\n@40f0c29d868bfd8a00000005 b\n'
utc "2038 and 2106" '2038-01-19 03:13:58.000000010 a\n2106-02-07 06:28:06.000000010 b\n' \
  '@40000000800000000000000a a\n@40000001000000000000000a b\n'
utc "label at end of input dropped" "x\n" "x\n$L"
utc "lone @ at end of input dropped" "x\n" "x\n@"
utc "NUL and other bytes" "$D a\000b\001\n\377\r\n" "$L a\000b\001\n\377\r\n"

# Two zones, across daylight-saving changes; exact text, ours and reference.
for zone in America/New_York EST5EDT; do
  [ "$zone" = America/New_York ] && [ ! -f /usr/share/zoneinfo/America/New_York ] && { skip "no tzdata for $zone"; continue; }
  mk dst '@4000000065ed5a79000001f4 a\n@4000000065ed5a7a000001f4 b\n@4000000067271169000001f4 c\n@400000006727116a000001f4 d\n@4000000067271f7a000001f4 e\n@400000000000000a000001f4 f\n'
  SETUP="export TZ=$zone" STDIN=$in/dst expect "daylight saving in $zone" 0 \
    $'2024-03-10 01:59:59.000000500 a\n2024-03-10 03:00:00.000000500 b\n2024-11-03 01:59:59.000000500 c\n2024-11-03 01:00:00.000000500 d\n2024-11-03 02:00:00.000000500 e\n1969-12-31 19:00:00.000000500 f' "" -- tai64nlocal
done

# Whole streams compared with the reference: a day of labels one every
# 7 seconds and some, in UTC, New York and the zone of the machine.
awk 'BEGIN { for (i = 0; i < 20000; i++) { s = 1700000000 + i * 7; printf "@40000000%08x%08x line %d\n", s + 10, (i * 48271) % 1000000000, i } }' >"$in/day"
for zone in UTC America/New_York ""; do
  SETUP="export TZ=$zone; [ -n \"\$TZ\" ] || unset TZ" STDIN=$in/day same "stream in zone '${zone:-unset}'" -- tai64nlocal
done
# 1 MB lines: plain, after a label, and 1 MB of hex digits after @.
{
  head -c 1048576 /dev/zero | tr '\0' 'x'
  printf '\n%s ' "$L"
  head -c 1048576 /dev/zero | tr '\0' 'y'
  printf '\n@'
  head -c 1048576 /dev/zero | tr '\0' '0'
  printf '%s z\n' "${L:1}"
} >"$in/long"
SETUP='export TZ=UTC' STDIN=$in/long same "1 MB lines" -- tai64nlocal
long_ok() {
  TZ=UTC "$DT_BIN/tai64nlocal" <"$in/long" | cut -c1-40 >"$TEST_ROOT/long.out"
  [ "$(cat "$TEST_ROOT/long.out")" = $'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n2026-11-22 03:29:42.262529500 yyyyyyyyyy\n2026-11-22 03:29:42.262529500 z' ] &&
    [ "$(TZ=UTC "$DT_BIN/tai64nlocal" <"$in/long" | wc -c)" = $((1048577 + 30 + 1048577 + 32)) ]
}
check "1 MB lines (ours)" long_ok

# Where the reference crashes (localtime cannot represent the time), ours
# writes the line unchanged. A deliberate difference.
crash_in='@\n@zz\n@400000006B0261B00FA5E1DC upper\n@400000006b0261b00fa5e1d short\n@400000006b0261b00fa5e1dcc long\n@ffffffffffffffffffffffff huge\n@@x\nafter\n'
check "unrepresentable times: line unchanged (ours)" bash -c "printf '$crash_in' | TZ=UTC '$DT_BIN/tai64nlocal' | cmp -s - <(printf '$crash_in')"

# I/O errors: exit 111, no message.
ioerr() { # bin what
  local bin=$1 d rc
  d=$(mktemp -d "$TEST_ROOT/e.XXXXXX")
  case $2 in
    full) echo "$L x" | "$bin/tai64nlocal" >/dev/full 2>"$d/err"; rc=$? ;;
    closed) echo "$L x" | "$bin/tai64nlocal" >&- 2>"$d/err"; rc=$? ;;
    readdir) "$bin/tai64nlocal" </ >"$d/out" 2>"$d/err"; rc=$? ;;
    noinput) "$bin/tai64nlocal" <&- >"$d/out" 2>"$d/err"; rc=$? ;;
  esac
  [ "$rc" = 111 ] && [ ! -s "$d/err" ]
}
for w in full closed readdir noinput; do
  check "i/o error ours: $w" ioerr "$DT_BIN" $w
  if has_ref tai64nlocal; then check "i/o error reference: $w" ioerr "$REF_BIN" $w; else skip "i/o error reference: $w"; fi
done

# Live: a line is written before more input arrives.
live() { # bin
  local bin=$1 d pid ok=0
  d=$(mktemp -d "$TEST_ROOT/l.XXXXXX")
  mkfifo "$d/fifo"
  TZ=UTC "$bin/tai64nlocal" <"$d/fifo" >"$d/out" &
  pid=$!
  track_pid $pid
  exec 7>"$d/fifo"
  printf '%s first\n' "$L" >&7
  poll 30 grep -q -x '2026-11-22 03:29:42.262529500 first' "$d/out" && ok=1
  exec 7>&-
  wait $pid && [ $ok = 1 ]
}
check "live ours" live "$DT_BIN"
if has_ref tai64nlocal; then check "live reference" live "$REF_BIN"; else skip "live reference"; fi

# A label split across two reads.
split() { # bin
  local bin=$1 d pid
  d=$(mktemp -d "$TEST_ROOT/p.XXXXXX")
  mkfifo "$d/fifo"
  TZ=UTC "$bin/tai64nlocal" <"$d/fifo" >"$d/out" &
  pid=$!
  track_pid $pid
  exec 7>"$d/fifo"
  printf 'a\n@40000000' >&7
  await 30 grep -q -x a "$d/out"
  sleep 0.2
  printf '6b0261b00fa5e1dc split\n@' >&7
  sleep 0.2
  printf '%s z\n' "${L:1}" >&7
  exec 7>&-
  wait $pid && [ "$(cat "$d/out")" = "a"$'\n'"$D split"$'\n'"$D z" ]
}
check "label split across reads (ours)" split "$DT_BIN"
if has_ref tai64nlocal; then check "label split across reads (reference)" split "$REF_BIN"; else skip "split (reference)"; fi
finish
