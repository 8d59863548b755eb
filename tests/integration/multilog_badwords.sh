#!/usr/bin/env bash
# multilog beyond 0.76 (issue 12, "Bad input"): each new word with garbage
# after its letter. Never a crash or a message: numbers are read as 0.76
# reads s and n (digits up to the first non-digit, none is 0, wrapping
# modulo 2^64), then B clamps to 4096..2147483647, R0 (or no number) means
# no time rotation, S0 no cap, and a w whose code is empty, holds a slash
# or would make a name too long is ignored. Each garbage word is checked
# against the word it must mean, on the same input.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"

M=$DT_BIN/multilog
IN=$TEST_ROOT/in
awk 'BEGIN { for (i = 1; i <= 1200; i++) printf "L%07d-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN\n", i }' >"$IN"
base=$TEST_ROOT
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  base=$(mktemp -d /dev/shm/dt-badwords.XXXXXX)
  trap 'rm -rf "$base"; _cleanup' EXIT
fi
_newdir() { mktemp -d "$base/case.XXXXXX"; }

# layout DIR: old files (label masked) with sizes and sums, then current
layout() {
  (cd "$1" && for f in $(ls -1 | grep '^@' | LC_ALL=C sort) current; do
    printf '%s %s %s\n' "$(echo "$f" | sed -E 's/^@[0-9a-f]{24}/@T/')" "$(stat -c %s "$f")" "$(md5sum <"$f" | cut -c1-12)"
  done)
}
# means NAME "GARBAGE ARGS" "MEANT ARGS": both exit 0 silently, same layout
means() {
  local name=$1 a b
  a=$(_newdir)
  b=$(_newdir)
  # shellcheck disable=SC2086
  (cd "$a" && "$M" $2 ./main <"$IN" 2>.err; echo $? >.rc)
  # shellcheck disable=SC2086
  (cd "$b" && "$M" $3 ./main <"$IN" 2>.err; echo $? >.rc)
  check "$name: exit 0, nothing said" test "$(cat "$a/.rc")" = 0 -a ! -s "$a/.err"
  if [ "$(layout "$a/main")" = "$(layout "$b/main")" ]; then pass; else
    fail "$name: not the same as $3"
    diff <(layout "$a/main") <(layout "$b/main") | head -6 | sed 's/^/    /'
  fi
}

# B
means "B (no number) is B4096" "n99 B" "n99 B4096"
means "B0 is B4096" "n99 B0" "n99 B4096"
means "B-1 (no digits) is B4096" "n99 B-1" "n99 B4096"
means "Bx is B4096" "n99 Bx" "n99 B4096"
means "B5000junk is B5000" "n99 B5000junk" "n99 B5000"
means "B 20 digits (wraps to 7766279631452241919) is B2147483647" "n99 B99999999999999999999" "n99 B2147483647"
means "B18446744073709556616 (wraps to 5000) is B5000" "n99 B18446744073709556616" "n99 B5000"
# S
means "S + 30 digits that wrap to 5000 is S5000" "s4096 n99 S184467440737095516160000005000" "s4096 n99 S5000"
means "S + 30 nines (wraps to 5076944270305263615) is no cap at all here" "s4096 n99 S999999999999999999999999999999" "s4096 n99"
means "S0 is no cap" "s4096 n99 S0" "s4096 n99"
means "S18446744073709551616 (wraps to 0) is no cap" "s4096 n99 S18446744073709551616" "s4096 n99"
means "S5000x is S5000" "s4096 n99 S5000x" "s4096 n99 S5000"
means "Sx is a pattern mode, not a cap" "s4096 n99 Sx" "s4096 n99"
means "S-1 is a pattern mode, not a cap" "s4096 n99 S-1" "s4096 n99"
# R (no time passes here: each only has to be silent, and not change sizes)
for w in R0 Rx R R-1 R99999999999999999999 R18446744073709551616; do
  means "$w: silent, nothing else changes" "s4096 n99 $w" "s4096 n99"
done
# w
means "w/ is ignored" "s4096 n99 w/" "s4096 n99"
means "wa/b is ignored" "s4096 n99 wa/b" "s4096 n99"
means "w is ignored" "s4096 n99 w" "s4096 n99"
means "w/ after wgz: wgz stays" "s4096 n99 wgz w/" "s4096 n99 wgz"
long=$(printf 'x%.0s' $(seq 1 300))
means "w with a 300-byte code (the name would be too long) is ignored" "s4096 n99 w$long" "s4096 n99"
# the longest code that fits is 229 bytes (a name of 255): 229 is used, 230 not
c229=$(printf 'c%.0s' $(seq 1 229))
d=$(_newdir)
(cd "$d" && "$M" s4096 "w$c229" ./a "w${c229}x" ./b <"$IN" 2>.err; echo $? >.rc)
check "w + 229 bytes: used" test -n "$(ls "$d/a" | grep "^@[0-9a-f]\{24\}\.$c229\$")"
check "w + 230 bytes: ignored, the 229-byte code stays" test -z "$(ls "$d/b" | grep '^@' | grep -v "\.$c229\$")" -a "$(cat "$d/.rc")" = 0

# every garbage word at once, several times over: still silent, exit 0
d=$(_newdir)
(cd "$d" && "$M" B B0 B-1 B99999999999999999999 R0 Rx S123456789012345678901234567890 'w/' w S F S Fx R B2147483648 ./main <"$IN" 2>.err; echo $? >.rc)
check "all garbage at once: exit 0, nothing said" test "$(cat "$d/.rc")" = 0 -a ! -s "$d/.err"
check "all garbage at once: every line once" test "$(cd "$d/main" && cat $(ls -1 | grep '^@' | LC_ALL=C sort) current | md5sum)" = "$(md5sum <"$IN")"
# new words and no directory: nothing to do, exit 0
d=$(_newdir)
(cd "$d" && "$M" B R5 S100 wgz T <"$IN" 2>.err; echo $? >.rc)
check "new words, no directory: exit 0, nothing written" test "$(cat "$d/.rc")" = 0 -a ! -s "$d/.err" -a -z "$(ls "$d")"
# 0.76 ignores all of these (which is why they are safe to give a meaning):
# the reference with each leaves what it leaves without it
if has_ref multilog; then
  for w in B99999999999999999999 R0 Rx S123456789012345678901234567890 'wa/b' B-1 S5000 wgz; do
    M=$REF_BIN/multilog means "0.76 ignores $w" "s4096 $w" "s4096"
  done
else
  skip "0.76 ignores the words: reference multilog not installed"
fi
finish
