#!/usr/bin/env bash
# multilog's numbers wrap modulo 2^64 as 0.76's scanner makes them (issue 14
# item 3; the scanner is dt::scan_ulong, shared with softlimit):
# s18446744073709551616 is 0, then clamped to 4096, and
# n18446744073709551618 is 2. Each case is compared with the reference: the
# directory (file names, modes, sizes, contents), exit code and stderr.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"

input=$TEST_ROOT/input
for i in $(seq 1 400); do printf 'line %05d of the input, forty-odd bytes\n' "$i"; done >"$input"

ml 's2^64 is 0, clamped to 4096' "$input" -- s18446744073709551616 ./main
ml 's2^64+4000 is 4000' "$input" -- s18446744073709555616 ./main
ml 's 99999999999999999999999 wraps' "$input" -- s99999999999999999999999 ./main
ml 's2^64+5000 is 5000' "$input" -- s18446744073709556616 ./main
ml 's2^65 is 0' "$input" -- s36893488147419103232 ./main
ml 's2^64-1 is 16777215' "$input" -- s18446744073709551615 ./main
ml 'n2^64+2 is 2' "$input" -- s4096 n18446744073709551618 ./main
ml 'n2^64 is 0, kept at least 2' "$input" -- s4096 n18446744073709551616 ./main
ml 'n2^65+3 is 3' "$input" -- s4096 n36893488147419103235 ./main
ml 'n2^64+1 is 1, then 2' "$input" -- s4096 n18446744073709551617 ./main
ml 'n2^64+4 is 4' "$input" -- s4096 n18446744073709551620 ./main
ml 'n 20 nines' "$input" -- s4096 n99999999999999999999 ./main

# Ours, without the reference: the wrapped values act as the small ones.
a=$(_newdir)
b=$(_newdir)
(cd "$a" && "$DT_BIN/multilog" s18446744073709551616 n18446744073709551618 ./main <"$input")
(cd "$b" && "$DT_BIN/multilog" s4096 n2 ./main <"$input")
same_tree 'ours: s2^64 n2^64+2 is s4096 n2' "$a" "$b"
check 'ours: s2^64 rotated at 4096 bytes or less' [ "$(stat -c %s "$a/main/current")" -le 4096 ]
check 'ours: s2^64 rotated' [ "$(find "$a/main" -name '@*' | wc -l)" -ge 1 ]

# softlimit, the same scanner: 2^64 + 20 is 20 open files.
expect 'softlimit -o 2^64+20 is 20' 0 '20' '' -- softlimit -o 18446744073709551636 sh -c 'ulimit -n'
finish
