#!/usr/bin/env bash
# multilog beyond 0.76 (issue 12, BEYOND-SPEC f3.1): B (size of current up
# to 2147483647, while s keeps 0.76's clamp at 16777215), S with digits (a
# cap on the total size of old files, with and without n) against bare S (a
# pattern mode, no cap) and S0 (no cap). Where 0.76 can say what the answer
# is, it does: B20000 cuts files where 0.76's s20000 does, so the reference
# run with s gives the files, and the cap keeps the newest of them. The
# limits (16777215, 2147483647) are reached with a sparse finished current
# that multilog appends to, never gigabytes on disk.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"

M=$DT_BIN/multilog
IN=$TEST_ROOT/in
# case directories on a tmpfs when there is one: the many rotations' fsyncs
# cost nothing there, and a sparse file stays sparse
base=$TEST_ROOT
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  base=$(mktemp -d /dev/shm/dt-sizes.XXXXXX)
  trap 'rm -rf "$base"; _cleanup' EXIT
fi
_newdir() { mktemp -d "$base/case.XXXXXX"; }
# 1200 lines of 50 bytes: 60000 bytes
awk 'BEGIN { for (i = 1; i <= 1200; i++) printf "L%07d-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN\n", i }' >"$IN"

# olds DIR: "size md5" of each old file, oldest first
olds() {
  (cd "$1" && for f in $(ls -1 | grep '^@' | LC_ALL=C sort); do printf '%s %s\n' "$(stat -c %s "$f")" "$(md5sum <"$f" | cut -c1-12)"; done)
}
# kept CAP N: of the old files listed on stdin (oldest first), those a cap
# of CAP bytes (0: none) and n N keep: the newest, at most N-1, while their
# total is at most CAP
kept() {
  tac | awk -v cap="$1" -v n="$2" '{ if (NR > n - 1) exit; t += $1; if (cap > 0 && t > cap) exit; print }' | tac
}
# run BIN DIR ARGS...: multilog on the input in DIR (fresh), into DIR/main
run() {
  local bin=$1 d=$2
  shift 2
  mkdir -p "$d"
  (cd "$d" && "$bin/multilog" "$@" ./main <"$IN" 2>.err; echo $? >.rc)
}
# capped NAME "OURS ARGS" "REF ARGS" CAP N: ours keeps of the reference's
# old files (same cuts) what the cap and n keep, and the same current
capped() {
  local name=$1 ours=$2 ref=$3 cap=$4 n=$5 a b
  if ! has_ref multilog; then skip "$name: reference multilog not installed"; return; fi
  a=$(_newdir)
  b=$(_newdir)
  # shellcheck disable=SC2086
  run "$DT_BIN" "$a" $ours
  # shellcheck disable=SC2086
  run "$REF_BIN" "$b" $ref n9999
  check "$name: exit 0, nothing said" test "$(cat "$a/.rc")" = 0 -a ! -s "$a/.err"
  local want got
  want=$(olds "$b/main" | kept "$cap" "$n")
  got=$(olds "$a/main")
  if [ "$want" = "$got" ]; then pass; else
    fail "$name: old files"
    diff <(echo "$want") <(echo "$got") | head -8 | sed 's/^/    /'
  fi
  check "$name: same current" cmp -s "$a/main/current" "$b/main/current"
  printf '%s: %s old files of %s kept\n' "$name" "$(echo "$got" | grep -c .)" "$(olds "$b/main" | wc -l)"
}

# ---- S: bare S is a pattern mode, S0 no cap, S5000 a cap ----
capped "bare S: no cap" "s4096 S" "s4096" 0 10
capped "S0: no cap" "s4096 S0" "s4096" 0 10
capped "S5000" "s4096 S5000" "s4096" 5000 10
capped "S5000 n9999" "s4096 S5000 n9999" "s4096" 5000 9999
capped "S with n: n3 keeps 2 under a large cap" "s4096 S1000000 n3" "s4096" 1000000 3
capped "S with n: the cap keeps fewer than n" "s4096 S4500 n5" "s4096" 4500 5
capped "S without n: the default n10" "s4096 S1000000" "s4096" 1000000 10
capped "S1: every old file goes" "s4096 S1" "s4096" 1 10
capped "S applies to the following directories" "s4096 S5000 n9999" "s4096" 5000 9999
# f3.1: B20000 S30000 n10 after 3 rotations: only the newest old file;
# B40000: the one old file is bigger than the cap, none is left
capped "B20000 S30000 n10" "B20000 S30000 n10" "s20000" 30000 10
capped "B40000 S30000: one file over the cap, none left" "B40000 S30000 n10" "s40000" 30000 10
a=$(_newdir)
run "$DT_BIN" "$a" B20000 S30000 n10
check "B20000 S30000 n10: exactly one old file after 3 rotations" test "$(olds "$a/main" | wc -l)" = 1
b=$(_newdir)
run "$DT_BIN" "$b" B20000 n10
check "B20000 n10 (no S): all 3 old files" test "$(olds "$b/main" | wc -l)" = 3
# B for small sizes: the same cuts as s (both clamp below 4096)
for w in B4096 B5000 B99999 B B0 B-1 B1x; do
  s=s${w#B}
  capped "$w cuts where $s does" "$w n9999" "$s" 0 9999
done
# a later s or B sets the size again, for the directories after it
if has_ref multilog; then
  d=$(_newdir)
  (cd "$d" && "$M" n9999 B5000 ./one s4096 ./two B0 ./three <"$IN")
  r=$(_newdir)
  run "$REF_BIN" "$r/5000" n9999 s5000
  run "$REF_BIN" "$r/4096" n9999 s4096
  check "B5000 ./one s4096 ./two B0 ./three: each its own size" test \
    "$(olds "$d/one")|$(olds "$d/two")|$(olds "$d/three")" = "$(olds "$r/5000/main")|$(olds "$r/4096/main")|$(olds "$r/4096/main")"
fi

# ---- the limits, with a sparse finished current (multilog carries on
# appending to a current of mode 0744 and counts its size) ----
# limit NAME SIZE ARGS...: current is SIZE bytes (sparse, then 3 lines),
# multilog appends the input (60000 bytes); leaves the directory in $L
limit() {
  local name=$1 size=$2 bin=${LIMIT_BIN:-$DT_BIN}
  shift 2
  L=$(_newdir)
  mkdir "$L/main"
  truncate -s "$size" "$L/main/current"
  chmod 744 "$L/main/current"
  (cd "$L" && "$bin/multilog" "$@" ./main <"$IN" 2>.err; echo $? >.rc)
}
# first_old: size of the oldest old file of $L (none: 0)
first_old() {
  local f
  f=$(cd "$L/main" && ls -1 | grep '^@' | LC_ALL=C sort | head -1)
  if [ -n "$f" ]; then stat -c %s "$L/main/$f"; else echo 0; fi
}

# s99999999 is 16777215 (0.76's clamp): a current of 16777215-30000 bytes
# is finished within 2000 bytes of 16777215; B99999999 goes on past it
limit "s99999999" $((16777215 - 30000)) s99999999
s_cut=$(first_old)
check "s99999999 rotates near 16777215 ($s_cut)" test "$s_cut" -ge $((16777215 - 2000)) -a "$s_cut" -le 16777215
if ! [ "$s_cut" -ge $((16777215 - 2000)) ] 2>/dev/null; then
  { echo "multilog exit $(cat "$L/.rc" 2>/dev/null), stderr: $(cat "$L/.err" 2>/dev/null)"; ls -ls "$L/main"; df -k "$L"; } >&2
fi
if has_ref multilog; then
  LIMIT_BIN=$REF_BIN limit "s99999999, reference" $((16777215 - 30000)) s99999999
  check "s99999999: the reference cuts at the same place" test "$(first_old)" = "$s_cut"
fi
limit "B99999999" $((16777215 - 30000)) B99999999
check "B99999999 does not rotate at 16777215" test "$(first_old)" = 0 -a "$(stat -c %s "$L/main/current")" = $((16777215 - 30000 + 60000))
limit "B16777215" $((16777215 - 30000)) B16777215
check "B16777215 rotates where s16777215 does" test "$(first_old)" = "$s_cut"
limit "B16777216" $((16777215 - 30000)) B16777216
b_cut=$(first_old)
check "B16777216 rotates within 2000 bytes of 16777216 ($b_cut)" test "$b_cut" -ge $((16777216 - 2000)) -a "$b_cut" -le 16777216
# 2147483647: the largest B; larger values are 2147483647
limit "B2147483647" $((2147483647 - 30000)) B2147483647
big_cut=$(first_old)
check "B2147483647 rotates near 2147483647 ($big_cut)" test "$big_cut" -ge $((2147483647 - 2000)) -a "$big_cut" -le 2147483647
check "B2147483647: the rest is in current" test $((big_cut + $(stat -c %s "$L/main/current"))) = $((2147483647 - 30000 + 60000))
for w in B2147483648 B4294967296 B99999999999 B99999999999999999999; do
  limit "$w" $((2147483647 - 30000)) "$w"
  check "$w is 2147483647" test "$(first_old)" = "$big_cut"
done
limit "B2147483646" $((2147483647 - 30000)) B2147483646
c=$(first_old)
check "B2147483646 rotates below 2147483647 ($c)" test "$c" -ge $((2147483646 - 2000)) -a "$c" -le 2147483646
# s above 16777215 on a current already past it: rotates at once, as 0.76
limit "s past 16777215" $((16777215 + 1000)) s99999999
check "s: a current already past 16777215 is finished at the first write" test "$(first_old)" -ge $((16777215 + 1000))
finish
