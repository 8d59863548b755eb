#!/usr/bin/env bash
# multilog beyond 0.76 (issue 12, BEYOND-SPEC f3.2 and the issue's Tests):
# positional F/S patterns (each line starts simple), a NUL byte under F, t/T/I
# only as the first action, T's format, I beside `tai64n | tai64nlocal` (the
# reference programs, same instants through the ctltime shim) across both
# daylight-saving changes of America/New_York and in UTC; wCODE (and w with a
# slash), and a processor with B + !gzip + wgz giving @<tai64n>.gz.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"

M=$DT_BIN/multilog
IN=$TEST_ROOT/in

# ---- F and S: positional, reset at every line ----
# f3's script over lines: under F, -b? is fnmatch (b and one character);
# +a* before F is simple on every line (no carry-over from line 1)
printf 'bz\nabc\nb?\nb\nbzz\n' >"$IN.f3"
d=$(_newdir)
(cd "$d" && "$M" '+a*' F '-b?' ./d <"$IN.f3")
check "+a* F -b? ./d: fnmatch after F" test "$(cat "$d/d/current")" = "$(printf 'abc\nb\nbzz')"
if has_ref multilog; then
  d=$(_newdir)
  (cd "$d" && "$REF_BIN/multilog" '+a*' '-b?' ./d <"$IN.f3")
  check "+a* -b? ./d on the reference: -b? is literal" test "$(cat "$d/d/current")" = "$(printf 'bz\nabc\nb\nbzz')"
fi
# the mode of line 1's later patterns never reaches line 2's earlier ones:
# +a? is simple (literal ?) on every line, also after a line that ran F
printf 'a?\nax\nbx\na?\nax\n' >"$IN.pos"
STDIN=$IN.pos expect_ours "F does not carry over to the next line" 0 "" $'a?\na?' -- multilog '-*' '+a?' F '-b?' e
STDIN=$IN.pos expect_ours "F then S then F: each applies to what follows" 0 "" $'a?\nax\na?\nax' -- multilog '-*' F '+a?' S '-a?' F '+a*' e
STDIN=$IN.pos expect_ours "S alone is simple mode (no cap, no effect on a log)" 0 "" $'a?\na?' -- multilog '-*' S '+a?' e
STDIN=$IN.pos expect "0.76 script: +a? is literal" 0 "" $'a?\na?' -- multilog '-*' '+a?' e
# fnmatch details: no FNM_PATHNAME (* crosses /), brackets, a leading
# period is not special
printf 'a/b/c\n.hidden\n[x]\nx\n' >"$IN.fn"
STDIN=$IN.fn expect_ours "F: * matches /" 0 "" 'a/b/c' -- multilog '-*' F '+a*c' e
STDIN=$IN.fn expect_ours "F: a leading . matches *" 0 "" '.hidden' -- multilog '-*' F '+*hid*' e
STDIN=$IN.fn expect_ours "F: [x] is a bracket, \\[ literal" 0 "" $'[x]\nx' -- multilog '-*' F '+[x]' F '+\[x\]' e
# a NUL byte: fnmatch sees the line only up to it, simple patterns see all
printf 'ab\0cd\n' >"$IN.nul"
STDIN=$IN.nul expect_ours "F: a line with a NUL matches up to the NUL" 0 "" "" -- multilog '-*' F '+ab*cd' =st
d=$(_newdir)
(cd "$d" && "$M" '-*' F '+ab' ./f '-*' F '+ab*cd' ./g '-*' S '+ab*cd' ./h <"$IN.nul")
check "F: +ab matches ab<NUL>cd, logged whole" test "$(od -An -c "$d/f/current" | tr -d ' ')" = 'ab\0cd\n'
check "F: +ab*cd does not (the NUL ends the line for fnmatch)" test ! -s "$d/g/current"
check "S again: +ab*cd matches across the NUL" test "$(od -An -c "$d/h/current" | tr -d ' ')" = 'ab\0cd\n'
if has_ref multilog; then
  e=$(_newdir)
  (cd "$e" && "$REF_BIN/multilog" '-*' '+ab*cd' ./h <"$IN.nul")
  check "simple +ab*cd across the NUL: as the reference" cmp -s "$d/h/current" "$e/h/current"
fi

# ---- stamps: only as the first action ----
printf 'one\ntwo\n' >"$IN.ab"
for w in t T I; do
  STDIN=$IN.ab expect_ours "$w not first: no stamp" 0 "" $'one\ntwo' -- multilog e "$w"
  STDIN=$IN.ab expect_ours "$w after a pattern: no stamp" 0 "" $'one\ntwo' -- multilog '+*' "$w" e
done
d=$(_newdir)
(cd "$d" && "$M" e T ./l <"$IN.ab" 2>/dev/null)
check "T not first: the log has no stamp either" test "$(cat "$d/l/current")" = "$(printf 'one\ntwo')"
check "T: seconds, a period, 6 digits, a space" sh -c "'$M' T e <'$IN.ab' 2>&1 | grep -Ecx '[0-9]+\.[0-9]{6} (one|two)' | grep -qx 2"
check "I: the date, the time to the nanosecond, a space" sh -c "'$M' I e <'$IN.ab' 2>&1 | grep -Ecx '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9} (one|two)' | grep -qx 2"
tshim=${DT_TESTS:-}/ctltime.so
if [ -f "$tshim" ]; then
  # T at a chosen instant, and T is the time of the real clock (within a minute)
  check "T at 1772953200.000042" test "$(SHIM_TIMEOFDAY=1772953200.000042 LD_PRELOAD=$tshim "$M" T e <"$IN.ab" 2>&1 | head -1)" = "1772953200.000042 one"
  check "T at 5.000001 (no padding of the seconds)" test "$(SHIM_TIMEOFDAY=5.000001 LD_PRELOAD=$tshim "$M" T e <"$IN.ab" 2>&1 | head -1)" = "5.000001 one"
  s=$("$M" T e <"$IN.ab" 2>&1 | head -1 | cut -d. -f1)
  check "T is the Unix time" test $((s - $(date +%s))) -le 1 -a $(($(date +%s) - s)) -le 60
  # I against the reference's tai64n | tai64nlocal at the same instants:
  # New York springs forward 2026-03-08 07:00 UTC, falls back 2026-11-01
  # 06:00 UTC (01:30 happens twice); and the turn of a year, and 1970
  tai64n=$REF_BIN/tai64n tl=$REF_BIN/tai64nlocal
  has_ref tai64n || tai64n=$DT_BIN/tai64n
  has_ref tai64nlocal || tl=$DT_BIN/tai64nlocal
  for at in 1772953199.999999 1772953200.000000 1772956800.500000 1793509199.999999 1793511000.123456 \
    1793512800.000000 1793514600.123456 1798761599.999999 1798761600.000001 0.000001 86399.999999; do
    for tz in UTC America/New_York; do
      a=$(TZ=$tz SHIM_TIMEOFDAY=$at LD_PRELOAD=$tshim "$M" I e <"$IN.ab" 2>&1)
      b=$(SHIM_TIMEOFDAY=$at LD_PRELOAD=$tshim "$tai64n" <"$IN.ab" | TZ=$tz "$tl")
      if [ "$a" = "$b" ] && [ -n "$a" ]; then pass; else
        fail "I at $at in $tz: '$a' but tai64n | tai64nlocal gives '$b'"
      fi
    done
  done
  # the same lines in a log file, and the twice-happening 01:30 in New York
  d=$(_newdir)
  (cd "$d" && TZ=America/New_York SHIM_TIMEOFDAY=1793511000.123456 LD_PRELOAD=$tshim "$M" I ./l <"$IN.ab")
  check "I in a log: 01:30 EDT" test "$(head -1 "$d/l/current")" = "2026-11-01 01:30:00.123456500 one"
  d=$(_newdir)
  (cd "$d" && TZ=America/New_York SHIM_TIMEOFDAY=1793514600.123456 LD_PRELOAD=$tshim "$M" I ./l <"$IN.ab")
  check "I in a log: 01:30 EST, an hour later" test "$(head -1 "$d/l/current")" = "2026-11-01 01:30:00.123456500 one"
  check "I: patterns see the stamp" test "$(TZ=UTC SHIM_TIMEOFDAY=1798761600.000001 LD_PRELOAD=$tshim "$M" I '-*' '+2027-01-01 00:00:00.* two' e <"$IN.ab" 2>&1)" = \
    "2027-01-01 00:00:00.000001500 two"
else
  skip "stamps at a chosen instant: $tshim not built"
fi

# ---- wCODE ----
olds() { (cd "$1" && ls -1 | grep '^@' | LC_ALL=C sort); }
yes 'a line of the log, to fill a few files' | head -400 >"$IN.400"
d=$(_newdir)
(cd "$d" && "$M" s4096 n99 ./s wgz ./gz wlog.z ./z 'wa/b' ./slash w ./empty s4096 ./after <"$IN.400")
check "w: the default is .s" test -n "$(olds "$d/s")" -a -z "$(olds "$d/s" | grep -v '\.s$')"
check "wgz: .gz" test -n "$(olds "$d/gz")" -a -z "$(olds "$d/gz" | grep -v '^@[0-9a-f]\{24\}\.gz$')"
check "wlog.z: .log.z" test -n "$(olds "$d/z")" -a -z "$(olds "$d/z" | grep -v '^@[0-9a-f]\{24\}\.log\.z$')"
check "w with a slash is ignored: the code before it stays" test -n "$(olds "$d/slash")" -a -z "$(olds "$d/slash" | grep -v '\.log\.z$')"
check "w alone is ignored" test -z "$(olds "$d/empty" | grep -v '\.log\.z$')"
check "w applies to the directories after it" test -z "$(olds "$d/after" | grep -v '\.log\.z$')"
check "w: the same files, only the names differ" test "$(cd "$d/s" && cat $(olds .) current | md5sum)" = "$(cd "$d/gz" && cat $(olds .) current | md5sum)"
# n counts the .CODE files like .s ones
d=$(_newdir)
(cd "$d" && "$M" s4096 n3 wgz ./l <"$IN.400")
check "wgz n3: two old files kept" test "$(olds "$d/l" | wc -l)" = 2
# an unfinished current found at start-up is still .u
d=$(_newdir)
mkdir "$d/l"
echo old >"$d/l/current"
(cd "$d" && echo new | "$M" wgz ./l)
check "wgz: an unfinished current at start-up is .u" test "$(olds "$d/l" | sed 's/^@[0-9a-f]*//')" = .u
if has_ref multilog; then
  SETUP='mkdir main' ml "wgz is ignored by 0.76: the same files as without it" "$IN.400" -- s4096 ./main
fi

# ---- a processor with B, !gzip and wgz: @<tai64n>.gz, gzip's output ----
if command -v gzip >/dev/null; then
  d=$(_newdir)
  (cd "$d" && "$M" B5000 n99 '!gzip' wgz ./l <"$IN.400"; echo $? >.rc)
  check "B5000 !gzip wgz: exit 0" test "$(cat "$d/.rc")" = 0
  k=$(olds "$d/l" | wc -l)
  check "B5000 !gzip wgz: old files are @<tai64n>.gz ($k)" test "$k" -ge 2 -a -z "$(olds "$d/l" | grep -v '^@[0-9a-f]\{24\}\.gz$')"
  ok=1
  for f in $(olds "$d/l"); do gzip -t "$d/l/$f" 2>/dev/null || ok=0; done
  check "B5000 !gzip wgz: each is gzip data" test $ok = 1
  check "B5000 !gzip wgz: together with current, every line once" test \
    "$(cd "$d/l" && { for f in $(olds .); do gzip -dc "$f"; done; cat current; } | md5sum)" = "$(md5sum <"$IN.400")"
  check "B5000 !gzip wgz: B5000 cut them (each a whole file of at most 5000 bytes)" test \
    "$(cd "$d/l" && for f in $(olds .); do gzip -dc "$f" | wc -c; done | sort -n | tail -1)" -le 5000
  check "B5000 !gzip wgz: no previous, processed or newstate left" test ! -e "$d/l/previous" -a ! -e "$d/l/processed" -a ! -e "$d/l/newstate"
else
  skip "processor: gzip not installed"
fi
finish
