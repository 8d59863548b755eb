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
finish
