#!/usr/bin/env bash
# multilog: where log files are cut, old files pruned, start-up after an
# outage; whole directories compared byte for byte with the reference.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"
TREE_MASK_CONTENTS=1

IN=$TEST_ROOT/in
y() { head -c "$1" /dev/zero | tr '\0' "${2:-y}"; }

# random lines of mixed lengths (some empty, some past 1000 and 4096 bytes),
# from a fixed seed; the last line sometimes without its newline
gen() {
  awk -v seed="$1" -v lines="$2" 'BEGIN { srand(seed); for (i = 0; i < lines; i++) { r = rand();
    if (r < 0.05) len = int(rand() * 6000); else if (r < 0.1) len = 0; else len = int(rand() * 150);
    s = ""; for (j = 0; j < len; j += 10) s = s sprintf("%010d", i * 7 + j); s = substr(s, 1, len);
    if (i == lines - 1 && rand() < 0.5) printf "%s", s; else printf "%s\n", s } }'
}

for seed in 1 2 3 4 5 6 7 8; do
  gen $seed $((300 + seed * 150)) >"$IN.$seed"
  s=$((4096 + seed * 1013))
  ml "random input $seed, s$s n4" "$IN.$seed" -- s$s n4 ./main
  ml "random input $seed, two logs" "$IN.$seed" -- n3 s4096 ./a s$s ./b
  ml "random input $seed, t" "$IN.$seed" -- t s$s n3 ./main
done

# cut points: a line reaching the size limit is split there; a chunk that
# ends within 2000 bytes of the limit ends the file at its last newline
(printf 'ab\n'; y 5000; echo) >"$IN.split"
ml "long line split at the size limit" "$IN.split" -- s4096 ./main
(for i in $(seq 41); do y 99; echo; done; y 1500; echo) >"$IN.near"
ml "file finished near the limit" "$IN.near" -- s4096 ./main
yes 123456789012345 | head -2000 >"$IN.16"
ml "16-byte lines" "$IN.16" -- s4096 n100 ./main
ml "size below 4096 is 4096" "$IN.16" -- s1 n100 ./main
ml "size not a number is 4096" "$IN.16" -- sabc n100 ./main
ml "size with trailing junk" "$IN.16" -- s5000x n100 ./main
ml "size above 16777215" "$IN.16" -- s99999999 ./main
ml "default size 99999" "$IN.16" -- ./main
ml "n1 keeps one old file" "$IN.16" -- s4096 n1 ./main
ml "n3 keeps two old files" "$IN.16" -- s4096 n3 ./main
(y 999; echo; y 1000; echo; y 1001; echo; printf 'a\0b\n\n\n'; y 3000) >"$IN.edge"
ml "lines of 999, 1000, 1001 bytes, NUL, no final newline" "$IN.edge" -- s4096 ./main
ml "the same with t" "$IN.edge" -- t s4096 ./main
ml "empty input" /dev/null -- ./main
ml "no log directory" "$IN.16" -- e
ml "size and number apply to later logs only" "$IN.16" -- ./a s4096 ./b n2 ./c

# start-up: a finished current is continued; an unfinished one, a leftover
# previous and an unfinished processed are kept as .u; a finished processed
# becomes .s; names of at least 25 bytes starting with @ count as old files
SETUP='mkdir main; echo old > main/current; chmod 744 main/current' ml "finished current continued" "$IN.16" -- s4096 ./main
SETUP='mkdir main; echo old > main/current; echo prev > main/previous; echo st > main/state; echo ns > main/newstate' \
  ml "unfinished current and previous kept as .u" "$IN.16" -- ./main
SETUP='mkdir main; echo old > main/current; echo proc > main/processed; chmod 744 main/processed; echo prev > main/previous' \
  ml "finished processed kept as .s" "$IN.16" -- ./main
SETUP='mkdir main; echo proc > main/processed; echo prev > main/previous' ml "unfinished processed removed" "$IN.16" -- ./main
SETUP='mkdir main; for f in @zzzzzzzzzzzzzzzzzzzzzzzz.s @000000000000000000000000 @00000000000000000000000 @1 @000000000000000000000001.x; do echo > main/$f; done' \
  ml "what counts as an old file" "$IN.16" -- s4096 n2 ./main
SETUP='mkdir main; for i in 1 2 3 4 5; do echo $i > main/@40000000000000000000000$i.s; done' ml "several old files removed at once" "$IN.16" -- s4096 n3 ./main

# after an outage between the link and the unlink of a rotation, previous
# (or processed) already has its final name: only unlinked, never linked
# twice (the reference looks at st_nlink)
SETUP='mkdir main; echo prev > main/previous; chmod 744 main/previous; ln main/previous main/@400000000000000000000001.s; echo old > main/current' \
  ml "hard-linked previous only unlinked" "$IN.16" -- ./main
SETUP='mkdir main; echo proc > main/processed; chmod 744 main/processed; ln main/processed main/@400000000000000000000001.s; echo prev > main/previous; echo old > main/current' \
  ml "hard-linked finished processed only unlinked" "$IN.16" -- ./main
d=$(_newdir)
(cd "$d" && mkdir main && echo prev >main/previous && ln main/previous main/@400000000000000000000001.s &&
  echo new | "$DT_BIN/multilog" ./main)
check "hard-linked previous: its lines once" test "$(cat "$d"/main/@* | grep -c prev)" = 1

# a start-up stat error other than "missing" on current or processed is
# fatal (111), as the reference; on previous it pauses (as at a rotation)
SETUP='mkdir main; ln -s current main/current' ml "current a symlink loop" "$IN.16" -- ./main
SETUP='mkdir main; ln -s processed main/processed' ml "processed a symlink loop" "$IN.16" -- ./main
d=$(_newdir)
(cd "$d" && mkdir main && ln -s current main/current && "$DT_BIN/multilog" ./main </dev/null 2>.err; echo $? >.rc)
check "current a symlink loop: exit 111" test "$(cat "$d/.rc")" = 111
check "current a symlink loop: message" test "$(cat "$d/.err")" = "multilog: fatal: unable to stat ./main/current: symbolic link loop"

# the literal layout, checked on ours alone too
d=$(_newdir)
(cd "$d" && yes abcdefghijklmnopqrstuvwxyz | head -100 | "$DT_BIN/multilog" s4096 ./main)
check "layout after one rotation" test "$(tree "$d")" = "$(printf '%s\n' \
  "./main/@T.s 744 2511 $(yes abcdefghijklmnopqrstuvwxyz | head -93 | md5sum | cut -c1-12)" \
  "./main/current 744 189 $(yes abcdefghijklmnopqrstuvwxyz | head -7 | md5sum | cut -c1-12)" \
  "./main/lock 600 0 $(md5sum </dev/null | cut -c1-12)" \
  "./main/state 644 0 $(md5sum </dev/null | cut -c1-12)")"
check "log directory mode 700" test "$(stat -c %a "$d/main")" = 700

# ---- beyond 0.76: B, S (cap), w, R and the processor with them ----
M=$DT_BIN/multilog
# mine NAME INPUT ARGS...: run ours in a fresh directory; prints it
mine() {
  local d
  d=$(_newdir)
  (cd "$d" && "$M" "${@:2}" <"$1" 2>.err; echo $? >.rc)
  printf '%s' "$d"
}
olds() { ls "$1" | grep -c '^@'; }
gen 11 3000 >"$IN.b"
# B within 0.76's range cuts exactly where s does; garbage B is 4096
for w in 5000 16777215; do
  check "B$w cuts as s$w" test "$(tree "$(mine "$IN.b" B$w n100 ./main)")" = "$(tree "$(mine "$IN.b" s$w n100 ./main)")"
done
want=$(tree "$(mine "$IN.b" s4096 n100 ./main)")
for w in B B0 B-1 Bx B4095; do
  check "$w is B4096" test "$(tree "$(mine "$IN.b" $w n100 ./main)")" = "$want"
done
# above 16777215: s stays clamped, B is not
yes 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz | head -c 20000000 >"$IN.big"
d=$(mine "$IN.big" s99999999 ./main)
f=$(stat -c %s "$d"/main/@*)
check "s99999999 still rotates at 16777215 ($f)" test "$(olds "$d/main")" = 1 -a "$f" -le 16777215 -a "$f" -ge $((16777215 - 2000))
d=$(mine "$IN.big" B99999999 ./main)
check "B99999999 does not" test "$(olds "$d/main"):$(stat -c %s "$d/main/current")" = "0:20000001"
# at the top of the range, on a sparse finished current: a 100-byte line
# that brings it to 2147483647 - 2000 finishes it (the 0.76 rule at the
# limit), one byte short does not; B above the range (also past 2^64) is
# 2147483647: unclamped, nothing would be finished
y 99 x >"$IN.100"
echo >>"$IN.100"
sparse() { # START WORD: ours on a sparse finished current of START bytes
  d=$(_newdir)
  mkdir "$d/main"
  truncate -s "$1" "$d/main/current"
  chmod 744 "$d/main/current"
  (cd "$d" && "$M" "$2" ./main <"$IN.100" 2>.err)
}
# numbers wrap as 0.76's do, modulo 2^(bits of unsigned long): on a 32-bit
# build a 20-digit B is 99999999999999999999 mod 2^32 = 1661992959, so
# there the largest case is 2^32-1
huge=B99999999999999999999
[ "$(od -An -tx1 -j4 -N1 "$M" | tr -d ' ')" = 01 ] && huge=B4294967295
for w in B2147483647 B2147483648 $huge; do
  sparse 2147481547 $w
  check "$w: finished at 2147483647 - 2000" test "$(olds "$d/main"):$(stat -c %s "$d"/main/@* | head -1):$(stat -c %s "$d/main/current")" = 1:2147481647:0
done
sparse 2147481546 B2147483647
check "B2147483647: one byte short, not finished" test "$(olds "$d/main"):$(stat -c %s "$d/main/current")" = 0:2147481646

# S: after each rotation the oldest old files go while their total is over
# S (and while there are n or more, as ever); S0 or a bare S: no cap
yes 0123456789012345678901234567890123456789 | head -3000 >"$IN.s"
d=$(mine "$IN.s" B20000 S30000 n10 ./main)
check "B20000 S30000: only the newest old file kept" test "$(olds "$d/main")" = 1
check "B20000 S30000: it is the newest" test "$(cat "$d"/main/@* "$d/main/current" | md5sum)" = "$(tail -n $(($(cat "$d"/main/@* "$d/main/current" | wc -l))) "$IN.s" | md5sum)"
d=$(mine "$IN.s" s4096 S100 ./main)
check "one old file over S: none kept" test "$(olds "$d/main")" = 0
d=$(mine "$IN.s" s4096 S0 n100 ./main)
check "S0: no cap" test "$(olds "$d/main")" = 48
d=$(mine "$IN.s" s4096 S999999999999999999999999999999 n100 ./main)
check "S with 30 digits: no cap in practice" test "$(olds "$d/main")" = 48
d=$(mine "$IN.s" s4096 S20000 n100 ./main)
total=$(cat "$d"/main/@* | wc -c)
check "S20000: the old files hold at most 20000 bytes ($total)" test "$total" -le 20000
check "S20000: one more would not fit" test $((total + 2501)) -gt 20000
check "S20000: the newest kept, every line of them once" test "$(cat "$d"/main/@* "$d/main/current" | md5sum)" = "$(tail -n $(($(cat "$d"/main/@* "$d/main/current" | wc -l))) "$IN.s" | md5sum)"
d=$(mine "$IN.s" s4096 S1000000 n3 ./main)
check "n still counts under S" test "$(olds "$d/main")" = 2
d=$(mine "$IN.s" s4096 S20000 ./a ./b)
check "S applies to the following directories" test "$(olds "$d/a"):$(olds "$d/b")" = "7:7"
d=$(mine "$IN.s" s4096 ./a S20000 ./b)
check "... and only to them" test "$(olds "$d/a"):$(olds "$d/b")" = "9:7"

# w: the suffix of finished files for the following directories; a CODE
# that cannot be part of a name (empty, with a slash, too long) is ignored
d=$(mine "$IN.s" s4096 n3 ./a wlog ./b w wa/b ./c "w$(y 230 c)" ./d)
for x in b c d; do
  check "wlog: @<tai64n>.log in ./$x" test "$(ls "$d/$x" | grep -c '^@[0-9a-f]\{24\}\.log$')" = 2
done
check "w applies to later directories only" test "$(ls "$d/a" | grep -c '^@[0-9a-f]\{24\}\.s$')" = 2
d=$(mine "$IN.s" s4096 n3 "w$(y 229 c)" ./main)
check "a CODE of 229 bytes is used" test "$(ls "$d/main" | grep -c "^@[0-9a-f]\{24\}\.$(y 229 c)$")" = 2
d=$(_newdir)
(cd "$d" && mkdir main && echo old >main/current && echo prev >main/previous && printf 'x\n' | "$M" wgz ./main)
check "w: files of an outage stay .u" test "$(ls "$d/main" | grep -c '\.u$')" = 2

# the processor with the new words: B with !gzip and wgz gives @<tai64n>.gz
d=$(mine "$IN.s" '!gzip' wgz B5000 n100 ./main)
check "B + !gzip + wgz: .gz files" test "$(ls "$d/main" | grep -c '^@[0-9a-f]\{24\}\.gz$')" = "$(olds "$d/main")"
check "B + !gzip + wgz: the lines, once, in order" test "$(for f in "$d"/main/@*; do gzip -dc "$f"; done | cat - "$d/main/current" | md5sum)" = "$(md5sum <"$IN.s")"
d=$(mine "$IN.s" '!gzip' wgz s4096 S3000 n100 ./main)
check "processor + S: compressed sizes counted" test "$(olds "$d/main")" -ge 2

# R: a non-empty current is rotated SECS after the last rotation (or the
# start), with no input coming; an empty one never is, and an idle
# multilog does not wake up for it
vcs() { sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$1/status"; }
rstart() { # DIR ARGS: ours on a FIFO held by fd 7; sets pid
  mkfifo "$1/in"
  (cd "$1" && exec "$M" "${@:2}" <in 2>.err) &
  pid=$!
  track_pid $pid
  exec 7>"$1/in"
}
rstop() { exec 7>&-; { wait $pid; } 2>/dev/null; rc=$?; }
d=$(_newdir)
rstart "$d" R2 ./main
printf 'one\ntwo\n' >&7
poll 30 sh -c "ls '$d/main' | grep -q '^@.*\.s$'"
check "R2: idle non-empty current rotated" test "$(cat "$d"/main/@*.s 2>/dev/null)" = "$(printf 'one\ntwo')"
check "R2: current empty after it" test "$(stat -c %s "$d/main/current")" = 0
sleep 3
check "R2: an empty current is not rotated" test "$(olds "$d/main")" = 1
n1=$(vcs $pid); sleep 3; n2=$(vcs $pid)
check "R2: no wake-ups while current is empty ($n1 -> $n2)" test "$n1" = "$n2"
printf 'three\n' >&7
poll 30 sh -c "[ \$(ls '$d/main' | grep -c '^@') = 2 ]"
check "R2: the next line rotated at a later multiple" test "$(olds "$d/main")" = 2
rstop
check "R2: exit 0" test "$rc" = 0
check "R2: every line once" test "$(cat "$d"/main/@* "$d/main/current")" = "$(printf 'one\ntwo\nthree')"
# a partial line waits for its end
d=$(_newdir)
rstart "$d" R1 ./main
printf 'par' >&7
sleep 3
check "R1: a line in progress is not cut" test "$(olds "$d/main")" = 0
printf 'tial\n' >&7
poll 30 sh -c "ls '$d/main' | grep -q '^@.*\.s$'"
check "R1: rotated once the line ended" test "$(cat "$d"/main/@*.s 2>/dev/null)" = partial
rstop
# R3600: no wake-up at all while idle, even with a non-empty current
d=$(_newdir)
rstart "$d" R3600 ./main
printf 'one\n' >&7
poll 30 test -s "$d/main/current"
sleep 1
n1=$(vcs $pid); sleep 3; n2=$(vcs $pid)
check "R3600: no wake-ups before the rotation is due ($n1 -> $n2)" test "$n1" = "$n2"
rstop
check "R3600: not rotated" test "$(olds "$d/main"):$(cat "$d/main/current")" = 0:one
# R0, Rx and R with garbage: no time rotation
for w in R0 Rx R; do
  d=$(_newdir)
  rstart "$d" $w ./main
  printf 'one\n' >&7
  poll 30 test -s "$d/main/current"
  n1=$(vcs $pid); sleep 2; n2=$(vcs $pid)
  rstop
  check "$w: no time rotation, no wake-up" test "$(olds "$d/main"):$n1" = "0:$n2"
done
# a flood: time rotations among size ones, every line once, in order
d=$(_newdir)
rstart "$d" R1 s4096 n1000 ./main
for i in $(seq 1 30); do seq $((i * 1000)) $((i * 1000 + 999)) >&7; sleep 0.1; done
rstop
check "R1 under a flood: every line once, in order" test "$(cat "$d"/main/@* "$d/main/current" | md5sum)" = "$(for i in $(seq 1 30); do seq $((i * 1000)) $((i * 1000 + 999)); done | md5sum)"
# TERM during a time rotation (a slow processor): the rotation completes,
# then multilog exits 0 with every line once
d=$(_newdir)
rstart "$d" '!sleep 2; cat' R1 ./main
printf 'one\n' >&7
poll 30 test -e "$d/main/previous"
kill -TERM $pid
printf 'two\n' >&7 &
rstop
check "TERM during a time rotation: exit 0" test "$rc" = 0
check "TERM during a time rotation: lines once" test "$(cat "$d"/main/@* "$d/main/current" 2>/dev/null)" = one

finish
