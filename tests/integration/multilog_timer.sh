#!/usr/bin/env bash
# multilog beyond 0.76 (issue 12, BEYOND-SPEC f3.2): RSECS rotates a
# non-empty current SECS after the last rotation (or start) with no input,
# never an empty one; with a flood of input it still rotates on time; TERM
# during a time rotation ends multilog once the rotation is done; and disk
# trouble (faultio shim: ENOSPC, EIO) at a time rotation or at the deletion
# the size cap S makes pauses and tries again as 0.76 does at its rotation,
# with no line lost and none twice. Timing checks only ever ask "not
# before" (a loaded machine makes things late, never early), and wait
# generously for "at last".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"

M=$DT_BIN/multilog
shim=${DT_TESTS:-}/faultio.so
base=$TEST_ROOT
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  base=$(mktemp -d /dev/shm/dt-timer.XXXXXX)
  trap 'rm -rf "$base"; _cleanup' EXIT
fi
_newdir() { mktemp -d "$base/case.XXXXXX"; }
lines() { awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++) printf "L%07d-abcdefghijklmnopqrstuvwxyz\n", i }'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
olds() { (cd "$1" && ls -1 | grep '^@' | LC_ALL=C sort); }
nolds() { olds "$1" | wc -l; }
olds_at_least() { [ "$(nolds "$1")" -ge "$2" ]; }  # for poll: evaluated each time
# union DIR: the old files in order, then current
union() { (cd "$1" && cat $(olds .) current); }

# start DIR ENV ARGS...: multilog reading DIR/in (a FIFO) into DIR/main, with
# ENV in its environment; $W is the write end, $P its pid, $T0 the time
start() {
  local d=$1 env=$2
  shift 2
  mkfifo "$d/in"
  T0=$(now_ms)
  (
    for fd in "${WS[@]}"; do exec {fd}>&-; done
    cd "$d" && exec env $env "$M" "$@" ./main <in 2>.err
  ) &
  P=$!
  track_pid $P
  exec {W}>"$d/in"
  WS+=("$W")
}
WS=()  # every write end still open: no multilog may hold another's
# stop: end the input, wait for the exit, leave it in $RC
stop() {
  exec {W}>&-
  wait $P
  RC=$?
}

# Cases that only wait run beside the others: started here, checked later.
# ---- R2 with nothing ever read: never rotates (checked 7 s later) ----
d=$(_newdir)
start "$d" "" R2
r2d=$d r2p=$P r2w=$W r2t=$T0

# ---- R0, R, Rx, R-5: no time rotation; R1 beside them does rotate ----
declare -A rd rp rw
for w in R1 R0 R Rx R-5; do
  d=$(_newdir)
  start "$d" "" "$w"
  lines 1 3 >&$W
  rd[$w]=$d rp[$w]=$P rw[$w]=$W
done

# ---- disk trouble at a time rotation, and at the size cap's deletion ----
# R2, 10 lines, the fault at the time rotation: it pauses (5 s), tries
# again; then 10 more lines; all once. All the cases run at once.
declare -A fd_ fp_ fw_ ft_
fcases=()
fault_start() { # NAME ENV ARGS...
  local name=$1 env=$2 d
  shift 2
  d=$(_newdir)
  start "$d" "$env LD_PRELOAD=$shim" "$@"
  fd_[$name]=$d fp_[$name]=$P fw_[$name]=$W ft_[$name]=$T0
  fcases+=("$name")
}
fault_verdict() { # NAME MESSAGE
  local name=$1 msg=$2 d=${fd_[$1]}
  P=${fp_[$name]} W=${fw_[$name]} T0=${ft_[$name]}
  poll 30 grep -q pausing "$d/.err"
  check "$name: says it pauses" test "$(sed -E 's/@[0-9a-f]{24}/@T/g' "$d/.err")" = "$msg"
  poll 30 olds_at_least "$d/main" 1
  check "$name: rotated after the pause, not before 2+5 s ($(($(now_ms) - T0)) ms)" test $(($(now_ms) - T0)) -ge 6900
  check "$name: the old file holds the lines once" cmp -s <(lines 1 10) "$d/main/$(olds "$d/main" | head -1)"
  lines 11 20 >&$W
  stop
  check "$name: exit 0" test "$RC" = 0
  check "$name: every line once, in order" cmp -s <(lines 1 20) <(union "$d/main")
  check "$name: no file under two names" test -z "$(find "$d/main" -type f -links +1)"
}
if [ -f "$shim" ]; then
  fault_start "time rotation, rename ENOSPC" "FAULT_RENAME=1 FAULT_ERRNO=28" R2
  fault_start "time rotation, fsync EIO" "FAULT_FSYNC=1 FAULT_ERRNO=5" R2
  fault_start "time rotation, link ENOSPC" "FAULT_LINK=1 FAULT_ERRNO=28" R2
  fault_start "time rotation, unlink of previous EIO" "FAULT_UNLINK=1 FAULT_NAME=previous FAULT_ERRNO=5" R2
  for c in "${fcases[@]}"; do W=${fw_[$c]}; lines 1 10 >&$W; done
  # the size cap: s4096 S5000, input from a file; the removal of an old
  # file fails once; the end is what a run without the fault leaves
  IN=$TEST_ROOT/in
  lines 1 1500 >"$IN"
  declare -A cd_
  for e in 28 5; do
    cd_[$e]=$(_newdir)
    (cd "${cd_[$e]}" && FAULT_UNLINK=1 FAULT_NAME=@ FAULT_ERRNO=$e LD_PRELOAD="$shim" "$M" s4096 S5000 ./main <"$IN" 2>.err; echo $? >.rc) &
  done
  clean=$(_newdir)
  (cd "$clean" && "$M" s4096 S5000 ./main <"$IN")
fi

# ---- R5: idle input ----
d=$(_newdir)
start "$d" "" R5
lines 1 3 >&$W
poll 30 test -s "$d/main/current"
poll 30 olds_at_least "$d/main" 1
t=$(($(now_ms) - T0))
check "R5, idle: a non-empty current is rotated" test "$(nolds "$d/main")" = 1
check "R5, idle: not before 5 s ($t ms)" test "$t" -ge 4900
check "R5, idle: the old file holds the lines" cmp -s <(lines 1 3) "$d/main/$(olds "$d/main")"
check "R5, idle: current is empty after it" test ! -s "$d/main/current"
check "R5, idle: the old file is 0744, named .s" test "$(stat -c %a "$d/main/$(olds "$d/main")")" = 744 -a -n "$(olds "$d/main" | grep '\.s$')"
# an empty current is never rotated: 6 s more, still one old file
sleep 6.5
check "R5: an empty current is not rotated" test "$(nolds "$d/main")" = 1
# the period counts from the last rotation: new lines, rotated again
lines 4 6 >&$W
poll 30 olds_at_least "$d/main" 2
check "R5: lines after a rotation are rotated in turn" test "$(nolds "$d/main")" = 2
stop
check "R5: exit 0 at the end of input" test "$RC" = 0
check "R5: every line once, in order" cmp -s <(lines 1 6) <(union "$d/main")
check "R5: nothing said" test ! -s "$d/.err"

poll 30 olds_at_least "${rd[R1]}/main" 1
sleep 2
check "R1 beside them: rotated" test "$(nolds "${rd[R1]}/main")" = 1
for w in R1 R0 R Rx R-5; do
  [ "$w" = R1 ] || check "$w: no time rotation" test "$(nolds "${rd[$w]}/main")" = 0
  W=${rw[$w]} P=${rp[$w]}
  stop
  check "$w: exit 0, every line once" test "$RC" = 0 -a "$(union "${rd[$w]}/main")" = "$(lines 1 3)"
done


W=$r2w P=$r2p
while [ $(($(now_ms) - r2t)) -lt 7000 ]; do sleep 0.5; done
check "R2, no input for 7 s: no old file" test "$(nolds "$r2d/main")" = 0
check "R2, no input: still running" kill -0 $P
stop
check "R2, no input: exit 0, current empty" test "$RC" = 0 -a ! -s "$r2d/main/current"

# ---- R1 and a flood: input every 10 ms for 3.5 s, never idle for 1 s ----
d=$(_newdir)
start "$d" "" R1 B2147483647
n=0
end=$(($(now_ms) + 3500))
while [ "$(now_ms)" -lt "$end" ]; do
  lines $((n + 1)) $((n + 200)) >&$W
  n=$((n + 200))
  sleep 0.01
done
stop
k=$(nolds "$d/main")
check "R1, flood of $n lines: rotated by time ($k old files)" test "$k" -ge 2
check "R1, flood: exit 0" test "$RC" = 0
check "R1, flood: every line once, in order" cmp -s <(lines 1 $n) <(union "$d/main")
bad=0
for f in $(olds "$d/main"); do [ "$(tail -c1 "$d/main/$f" | od -An -tx1 | tr -d ' ')" = 0a ] || bad=1; done
check "R1, flood: every old file ends with a whole line" test $bad = 0

# ---- TERM during a time rotation (the processor takes 3 s) ----
d=$(_newdir)
start "$d" "" R2 '!sleep 3; cat'
lines 1 10 >&$W
poll 30 test -e "$d/main/previous"
check "TERM during a time rotation: the rotation is under way" test -e "$d/main/previous"
lines 11 20 >&$W
kill -TERM $P
exec {W}>&-
wait $P
RC=$?
check "TERM during a time rotation: exit 0" test "$RC" = 0
check "TERM during a time rotation: the rotation was finished" test "$(nolds "$d/main")" = 1 -a ! -e "$d/main/previous" -a ! -e "$d/main/processed"
check "TERM during a time rotation: the processed file holds the first lines" cmp -s <(lines 1 10) "$d/main/$(olds "$d/main")"
u=$(union "$d/main" | wc -l)
check "TERM during a time rotation: whole lines, once, in order ($u)" cmp -s <(lines 1 "$u") <(union "$d/main")
check "TERM during a time rotation: current finished (0744)" test "$(stat -c %a "$d/main/current")" = 744

if [ -f "$shim" ]; then
  fault_verdict "time rotation, rename ENOSPC" \
    "multilog: warning: unable to rename current to previous in directory ./main, pausing: out of disk space"
  fault_verdict "time rotation, fsync EIO" \
    "multilog: warning: unable to write ./main/current to disk, pausing: input/output error"
  fault_verdict "time rotation, link ENOSPC" \
    "multilog: warning: unable to link to ./main/@T.s, pausing: out of disk space"
  fault_verdict "time rotation, unlink of previous EIO" \
    "multilog: warning: unable to remove ./main/previous, pausing: input/output error"
  wait
  for e in 28 5; do
    d=${cd_[$e]}
    [ $e = 28 ] && r="out of disk space" || r="input/output error"
    check "S cap, removal fails ($r): says it pauses" test "$(cat "$d/.err")" = "multilog: warning: unable to read ./main, pausing: $r"
    check "S cap, removal fails ($r): exit 0" test "$(cat "$d/.rc")" = 0
    same_tree "S cap, removal fails ($r): the same files as without the fault" "$d/main" "$clean/main"
    u=$(union "$d/main" | wc -l)
    check "S cap, removal fails ($r): the newest $u lines, once, in order" cmp -s <(lines $((1501 - u)) 1500) <(union "$d/main")
    check "S cap, removal fails ($r): old files within the cap" test "$(cd "$d/main" && cat $(olds .) | wc -c)" -le 5000
  done
else
  skip "faults: $shim not built"
fi
finish