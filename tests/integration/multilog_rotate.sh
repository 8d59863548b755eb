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
finish
