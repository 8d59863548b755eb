#!/usr/bin/env bash
# multilog: selection, alerts, status files, timestamps, start-up errors.
. "$(dirname "$0")/../lib.sh"

IN=$TEST_ROOT/in
y() { head -c "$1" /dev/zero | tr '\0' "${2:-y}"; }
printf 'hello\nhello world\nnamed[135]: Cleaned cache of 3121 RRs\nSTATUS one\nfatal: out of memory\nabb\nab\n' >"$IN.1"

STDIN=$IN.1 expect "no script: input read and dropped" 0 "" "" -- multilog

# selection: e prints the selected lines to stderr, in script order
STDIN=$IN.1 expect "every line selected" 0 "" $'hello\nhello world\nnamed[135]: Cleaned cache of 3121 RRs\nSTATUS one\nfatal: out of memory\nabb\nab' -- multilog e
STDIN=$IN.1 expect "+hello selects hello only" 0 "" "hello" -- multilog '-*' '+hello' e
STDIN=$IN.1 expect "star stops at the next character" 0 "" "named[135]: Cleaned cache of 3121 RRs" -- multilog '-*' '+named[*]: Cleaned cache *' e
STDIN=$IN.1 expect "no backtracking" 0 "" "ab" -- multilog '-*' '+*b' e
STDIN=$IN.1 expect "final star" 0 "" $'hello\nhello world' -- multilog '-*' '+hello*' e
STDIN=$IN.1 expect "-pattern deselects" 0 "" $'named[135]: Cleaned cache of 3121 RRs\nSTATUS one\nfatal: out of memory\nabb\nab' -- multilog '-hello*' e
STDIN=$IN.1 expect "actions in order, line by line" 0 "" $'hello\nhello world\nnamed[135]: Cleaned cache of 3121 RRs\nSTATUS one\nSTATUS one\nfatal: out of memory\nabb\nab' -- multilog e '-*' '+S*' e
# a star before a star stops at a literal star
STDIN=$IN.1 expect "star star" 0 "" "" -- multilog '-*' '+**]*' e
printf 'a*b]c\n' >"$IN.star"
STDIN=$IN.star expect "star star matches a star" 0 "" "a*b]c" -- multilog '-*' '+**]*' e
STDIN=$IN.1 expect "empty pattern matches empty lines only" 0 "" $'hello\nhello world\nnamed[135]: Cleaned cache of 3121 RRs\nSTATUS one\nfatal: out of memory\nabb\nab' -- multilog '-' e
STDIN=$IN.1 expect "unknown actions ignored" 0 "" "hello" -- multilog xyz '-*' '+hello' 'e and more' 
STDIN=$IN.1 expect "t only as the first action" 0 "" "hello" -- multilog '-*' '+hello' e t

# alerts: the first 200 bytes, then ... when the line is longer
(y 200; echo; y 201; echo; y 1500; echo; printf 'no newline') >"$IN.2"
STDIN=$IN.2 expect "e cuts at 200 bytes" 0 "" "$(y 200)
$(y 200)...
$(y 200)...
no newline" -- multilog e
printf 'a\0b\n' >"$IN.3"
STDIN=$IN.3 same "NUL bytes pass through" -- multilog e

# patterns see the first 1000 bytes only; a long line is still written whole
(y 999; echo x; y 1000; echo x; y 980 z; echo) >"$IN.4"
STDIN=$IN.4 expect "patterns see 1000 bytes" 0 "" "$(y 200)..." -- multilog '-*' '+*x' e
d=$(_newdir)
(cd "$d" && "$DT_BIN/multilog" ./log <"$IN.4")
check "long lines whole in current" cmp -s "$d/log/current" "$IN.4"

# t: the label as tai64n writes it; patterns see it; counted in the 1000
for bin in "$DT_BIN" "$REF_BIN"; do
  [ -x "$bin/multilog" ] || continue
  out=$("$bin/multilog" t e <"$IN.1" 2>&1 >/dev/null | sed -E 's/^@4[0-9a-f]{23} /@T /')
  check "t label ($bin)" test "$out" = "$(sed 's/^/@T /' "$IN.1")"
  out=$("$bin/multilog" t '-*' '+* fatal: *' e <"$IN.1" 2>&1 | sed -E 's/^@4[0-9a-f]{23} /@T /')
  check "t label matched by a star ($bin)" test "$out" = "@T fatal: out of memory"
  out=$("$bin/multilog" t e <"$IN.4" 2>&1 | sed -E 's/^@4[0-9a-f]{23} /@T /' | cut -c1-30)
  check "t line cut at 1000 with the label ($bin)" test "$out" = "$(printf '@T yyyyyyyyyyyyyyyyyyyyyyyyyyy\n@T yyyyyyyyyyyyyyyyyyyyyyyyyyy\n@T zzzzzzzzzzzzzzzzzzzzzzzzzzz')"
  d=$(_newdir)
  t_before=$(date +%s)
  (cd "$d" && "$bin/multilog" t ./log <"$IN.4")
  t_after=$(date +%s)
  check "t long line whole ($bin)" test "$(sed -E 's/^@4[0-9a-f]{23} //' "$d/log/current" | md5sum)" = "$(md5sum <"$IN.4")"
  label=$(head -c 25 "$d/log/current")
  secs=$((0x${label:1:16} - (1 << 62) - 10))  # TAI64 label to Unix seconds
  # between the clock read just before multilog started and just after it
  # ended (a second either side for the rounding): however slow the machine
  check "t label is the time of reading ($bin: $secs, run $t_before..$t_after)" \
    test "$secs" -ge $((t_before - 1)) -a "$secs" -le $((t_after + 1))
done

# status files: the first 1000 bytes of the last selected line, padded with
# newlines to 1001 bytes, mode 600 when multilog creates it
for bin in "$DT_BIN" "$REF_BIN"; do
  [ -x "$bin/multilog" ] || continue
  d=$(_newdir)
  (cd "$d" && "$bin/multilog" '-*' '+STAT*' =st <"$IN.1" && "$bin/multilog" =empty </dev/null && "$bin/multilog" =long <"$IN.4" &&
    printf 'ab\n' >old && "$bin/multilog" =old </dev/null)
  check "status file ($bin)" test "$(od -An -c "$d/st" | tr -s ' \n' ' ')" = "$( (printf 'STATUS one'; y 991 '\n') | od -An -c | tr -s ' \n' ' ')"
  check "status file 1001 bytes, mode 600 ($bin)" test "$(stat -c '%s %a' "$d/st" "$d/empty" "$d/old")" = "$(printf '1001 600\n0 600\n3 644')"
  check "status file of a long line ($bin)" test "$(head -c 1000 "$d/long")$(tail -c 1 "$d/long" | od -An -c)" = "$(y 980 z)$(echo '  \n')"
done

# a read error on stdin counts as the end of input
SETUP='mkdir d' STDIN=/ expect "read error is end of input" 0 "" "" -- multilog e ./d

# errors at start-up: exit 111 before reading anything
expect "directory in a missing directory" 111 "" "multilog: fatal: unable to open directory ./none/main: file does not exist" -- multilog ./none/main
SETUP='touch f' expect "directory is a file" 111 "" "multilog: fatal: unable to open directory ./f: not a directory" -- multilog ./f
SETUP='mkdir -p m/lock' expect "lock cannot be opened" 111 "" "multilog: fatal: unable to lock directory ./m: is a directory" -- multilog ./m
SETUP='mkdir -p m/current' expect "finished current cannot be opened" 111 "" "multilog: fatal: unable to append to ./m/current: is a directory" -- multilog ./m
SETUP='mkdir -p m/state' expect "state cannot be written" 111 "" "multilog: fatal: unable to write to ./m/state: is a directory" -- multilog ./m
SETUP='mkdir m; ln -s /nonexistent/x m/current' expect "current cannot be created" 111 "" "multilog: fatal: unable to write to ./m/current: file does not exist" -- multilog ./m
SETUP='mkdir st' expect "status file is a directory" 111 "" "multilog: fatal: unable to create st: is a directory" -- multilog =st
SETUP='mkdir st' expect "status file opened before a later log" 111 "" "multilog: fatal: unable to create st: is a directory" -- multilog =st ./main
SETUP='mkdir st' expect "status files opened before every log" 111 "" "multilog: fatal: unable to create st: is a directory" -- multilog ./none/x =st

# another multilog holds the lock: exit 111 at once
for bin in "$DT_BIN" "$REF_BIN"; do
  [ -x "$bin/multilog" ] || continue
  d=$(_newdir)
  mkfifo "$d/fifo"
  (cd "$d" && exec "$bin/multilog" ./main <fifo) &
  holder=$!
  track_pid $holder
  exec 7>"$d/fifo"
  await 30 test -e "$d/main/current"
  err=$(cd "$d" && echo x | "$bin/multilog" ./main 2>&1)
  rc=$?
  check "lock held ($bin)" test "$rc:$err" = "111:multilog: fatal: unable to lock directory ./main: temporary failure"
  exec 7>&-
  wait $holder
  check "holder exits 0 at end of input ($bin)" test $? = 0
done

# ---- beyond 0.76: stamps T and I, patterns F and S (0.76 ignores them) ----
M=$DT_BIN/multilog
tshim=${DT_TESTS:-}/ctltime.so
ref_tl=$DT_BIN/tai64nlocal
has_ref tai64nlocal && ref_tl=$REF_BIN/tai64nlocal
printf 'one\ntwo\n' >"$IN.ab"
if [ -f "$tshim" ]; then
  # the same instant stamped by I, and by t then tai64nlocal, in each zone,
  # on both sides of New York's change to daylight time (2026-03-08 07:00 UTC)
  for at in 1772953199.999999 1772953200.000001 1772953200.500000 1782000000.250000; do
    for tz in UTC America/New_York; do
      a=$(TZ=$tz SHIM_TIMEOFDAY=$at LD_PRELOAD=$tshim "$M" I e <"$IN.ab" 2>&1)
      b=$(SHIM_TIMEOFDAY=$at LD_PRELOAD=$tshim "$M" t e <"$IN.ab" 2>&1 | TZ=$tz "$ref_tl")
      check "I is tai64nlocal's text ($tz, $at)" test "$a" = "$b"
    done
  done
  check "I in UTC, literally" test "$(TZ=UTC SHIM_TIMEOFDAY=1772953200.000001 LD_PRELOAD=$tshim "$M" I e <"$IN.ab" 2>&1)" = \
    "$(printf '2026-03-08 07:00:00.000001500 one\n2026-03-08 07:00:00.000001500 two')"
  check "I in New York after the change" test "$(TZ=America/New_York SHIM_TIMEOFDAY=1772953200.000001 LD_PRELOAD=$tshim "$M" I e <"$IN.ab" 2>&1 | head -1)" = \
    "2026-03-08 03:00:00.000001500 one"
  check "I in New York before the change" test "$(TZ=America/New_York SHIM_TIMEOFDAY=1772953199.999999 LD_PRELOAD=$tshim "$M" I e <"$IN.ab" 2>&1 | head -1)" = \
    "2026-03-08 01:59:59.999999500 one"
  check "T is seconds.micros and a space" test "$(SHIM_TIMEOFDAY=1772953200.000042 LD_PRELOAD=$tshim "$M" T e <"$IN.ab" 2>&1)" = \
    "$(printf '1772953200.000042 one\n1772953200.000042 two')"
  check "patterns see the I stamp" test "$(TZ=UTC SHIM_TIMEOFDAY=1772953200.500000 LD_PRELOAD=$tshim "$M" I '-*' '+2026-03-08 07:* two' e <"$IN.ab" 2>&1)" = \
    "2026-03-08 07:00:00.500000500 two"
else
  skip "stamps at a chosen instant: $tshim not built"
fi
check "T with the real clock" sh -c "'$M' T e <'$IN.ab' 2>&1 | grep -Eqx '[0-9]{10}\.[0-9]{6} two'"
check "I with the real clock" sh -c "'$M' I e <'$IN.ab' 2>&1 | grep -Eqx '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9} two'"
check "T not first: no stamp" test "$("$M" e T <"$IN.ab" 2>&1)" = "$(printf 'one\ntwo')"
check "I not first: no stamp" test "$("$M" e I <"$IN.ab" 2>&1)" = "$(printf 'one\ntwo')"
# every line gets the time it is handled (not one label per read)
yes 'a line' | head -5000 >"$IN.many"
n=$("$M" t e <"$IN.many" 2>&1 | cut -c1-25 | sort -u | wc -l)
check "t: lines read at once get their own times ($n labels)" test "$n" -gt 1
check "t: labels never go back" sh -c "'$M' t e <'$IN.many' 2>&1 | cut -c1-25 | sort -c"

# F: fnmatch for the following patterns, S back to simple; each line starts
# simple (the pattern before F is simple on every line)
printf 'a?c\nabc\nbxd\nab*\n' >"$IN.fn"
STDIN=$IN.fn expect_ours "F switches to fnmatch" 0 "" $'a?c\nabc' -- multilog '-*' F '+a?c' e
STDIN=$IN.fn expect_ours "without F, ? is literal" 0 "" 'a?c' -- multilog '-*' '+a?c' e
STDIN=$IN.fn expect_ours "S switches back" 0 "" 'a?c' -- multilog '-*' F S '+a?c' e
STDIN=$IN.fn expect_ours "S word not followed by a digit switches back" 0 "" 'a?c' -- multilog '-*' F Sx '+a?c' e
STDIN=$IN.fn expect_ours "positional: simple before F on every line" 0 "" $'a?c\nbxd' -- multilog '-*' '+a?c' F '+b[x]d' e
STDIN=$IN.fn expect_ours "fnmatch bracket and star" 0 "" $'abc\nab*' -- multilog '-*' F '+a[b]*' e
printf 'ab\0cd\n' >"$IN.nul"
d=$(_newdir)
(cd "$d" && "$M" '-*' F '+ab' ./fnul <"$IN.nul")
check "F: a line cut by a NUL matches, and is logged whole" test "$(od -An -c "$d/fnul/current" | tr -d ' ')" = 'ab\0cd\n'
STDIN=$IN.fn expect "0.76 scripts: F and S are ignored words" 0 "" 'a?c' -- multilog '-*' '+a?c' e

finish
