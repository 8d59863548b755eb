#!/usr/bin/env bash
# multilog: trouble with the disk. It says so in the reference's words,
# pauses 5 seconds, tries again, and never loses or repeats a line.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"


IN=$TEST_ROOT/in
yes abcdefghijklmnopqrstuvwxyz | head -600 >"$IN"
shim=${DT_TESTS:-}/faultio.so

# both BIN... : run ours and the reference at once (each pause is 5 s);
# every case leaves .err, .rc and the log in its directory
declare -A dirs
both() {
  local env=$1
  shift
  local bin
  for bin in "$DT_BIN" "$REF_BIN"; do
    [ -x "$bin/multilog" ] || continue
    dirs[$bin]=$(_newdir)
    (cd "${dirs[$bin]}" && env $env LD_PRELOAD="$shim" "$bin/multilog" "$@" <"$IN" 2>.err; echo $? >.rc) &
  done
  wait
}
# verdict NAME STDERR: our stderr is STDERR, exit 0, every line logged once,
# and our directory matches the reference's
verdict() {
  local name=$1 err=$2 a=${dirs[$DT_BIN]}
  check "$name: message" test "$(cat "$a/.err")" = "$err"
  check "$name: exit 0" test "$(cat "$a/.rc")" = 0
  check "$name: every line once" test "$(cat "$a"/main/@* "$a/main/current" | md5sum)" = "$(md5sum <"$IN")"
  if has_ref multilog; then
    local b=${dirs[$REF_BIN]}
    same_tree "$name" "$a" "$b"
  else
    skip "$name: reference multilog not installed"
  fi
}

if [ -f "$shim" ]; then
  both "FAULT_WRITE=1" s4096 ./main
  verdict "write fails" "multilog: warning: unable to write to ./main/current, pausing: out of disk space"
  both "FAULT_FSYNC=1" s4096 ./main
  verdict "fsync fails" "multilog: warning: unable to write ./main/current to disk, pausing: out of disk space"
  both "FAULT_RENAME=1 FAULT_ERRNO=5" s4096 ./main
  verdict "rename fails" "multilog: warning: unable to rename current to previous in directory ./main, pausing: input/output error"
else
  skip "fault injection: $shim not built"
fi

# A real full disk: a 64 KiB tmpfs of the test's own, nearly filled. The
# log stops with "out of disk space" until the filler is removed, then
# catches up without losing or repeating a line.
mnts=()
trap 'for m in "${mnts[@]}"; do umount "$m" 2>/dev/null; done; _cleanup' EXIT
yes 'a line of the log that fills the disk' | head -1500 >"$IN.full"
declare -A full
for bin in "$DT_BIN" "$REF_BIN"; do
  [ -x "$bin/multilog" ] || continue
  d=$(_newdir)
  mkdir "$d/mnt"
  if ! command -v mount >/dev/null || ! mount -t tmpfs -o size=64k tmpfs "$d/mnt" 2>/dev/null; then
    skip "full disk ($bin): cannot mount a tmpfs here"
    continue
  fi
  mnts+=("$d/mnt")
  head -c 40000 /dev/zero >"$d/mnt/filler"
  (cd "$d" && "$bin/multilog" ./mnt/main <"$IN.full" 2>.err; echo $? >.rc) &
  full[$bin]=$d
done
for bin in "${!full[@]}"; do
  d=${full[$bin]}
  await 30 grep -q 'out of disk space' "$d/.err"
  check "full disk reported ($bin)" grep -qx 'multilog: warning: unable to write to ./mnt/main/current, pausing: out of disk space' "$d/.err"
  rm "$d/mnt/filler"
done
wait
for bin in "${!full[@]}"; do
  d=${full[$bin]}
  check "full disk: exit 0 ($bin)" test "$(cat "$d/.rc")" = 0
  check "full disk: every line once ($bin)" cmp -s "$d/mnt/main/current" "$IN.full"
  check "full disk: current finished ($bin)" test "$(stat -c %a "$d/mnt/main/current")" = 744
done
# a failed write of a status file pauses and tries again (0.76 dropped
# nothing either): the file ends up holding the last selected line
if [ -f "$shim" ]; then
  both "FAULT_WRITE=1" =st
  a=${dirs[$DT_BIN]}
  check "status write fails: message" test "$(cat "$a/.err")" = "multilog: warning: unable to write st, pausing: out of disk space"
  check "status write fails: last line kept" test "$(head -c 27 "$a/st")" = abcdefghijklmnopqrstuvwxyz
  check "status write fails: 1001 bytes" test "$(stat -c %s "$a/st")" = 1001
  if has_ref multilog; then same_tree "status write fails" "$a" "${dirs[$REF_BIN]}"; else skip "status write fails: reference multilog not installed"; fi
fi
# a status file that cannot be sought (a FIFO with a reader): the seek pauses
d=$(_newdir)
mkfifo "$d/ff"
hold_fifo "$d/ff"  # before multilog opens it: without a reader the open fails
holder=$HELD_PID
(cd "$d" && exec "$DT_BIN/multilog" =ff <"$IN" 2>.err) &
mlpid=$!
track_pid "$mlpid"
await 30 grep -q pausing "$d/.err" || sed 's/^/  multilog said: /' "$d/.err"
kill -9 "$mlpid" "$holder" 2>/dev/null
{ wait "$mlpid" "$holder"; } 2>/dev/null
check "status file cannot be sought: message" test "$(head -1 "$d/.err")" = "multilog: warning: unable to move to beginning of ff, pausing: unseekable descriptor"

# beyond 0.76: trouble on the new paths pauses and retries like a rotation
# (S's removal of an old file is a removal like n's: "unable to read DIR")
if [ -f "$shim" ]; then
  d=$(_newdir)
  (cd "$d" && FAULT_UNLINK=1 FAULT_NAME=@ LD_PRELOAD="$shim" "$DT_BIN/multilog" s4096 S5000 ./main <"$IN" 2>.err; echo $? >.rc)
  check "S: failed removal: message" test "$(cat "$d/.err")" = "multilog: warning: unable to read ./main, pausing: out of disk space"
  check "S: failed removal: exit 0" test "$(cat "$d/.rc")" = 0
  total=$(cat "$d"/main/@* | wc -c)
  check "S: failed removal: cap kept after the retry ($total)" test "$total" -le 5000
  check "S: failed removal: the newest lines, each once" test "$(cat "$d"/main/@* "$d/main/current" | md5sum)" = \
    "$(tail -n "$(cat "$d"/main/@* "$d/main/current" | wc -l)" "$IN" | md5sum)"
  # a time rotation whose rename fails (EIO): paused, retried, nothing lost
  d=$(_newdir)
  mkfifo "$d/in"
  (cd "$d" && FAULT_RENAME=1 FAULT_ERRNO=5 LD_PRELOAD="$shim" exec "$DT_BIN/multilog" R1 ./main <in 2>.err) &
  pid=$!
  track_pid $pid
  exec 7>"$d/in"
  printf 'one\ntwo\n' >&7
  poll 30 sh -c "ls '$d/main' | grep -q '^@.*\.s$'"
  printf 'three\n' >&7
  exec 7>&-
  wait $pid
  check "R: failed rename: exit 0" test $? = 0
  check "R: failed rename: message" test "$(cat "$d/.err")" = "multilog: warning: unable to rename current to previous in directory ./main, pausing: input/output error"
  check "R: failed rename: every line once" test "$(cat "$d"/main/@* "$d/main/current")" = "$(printf 'one\ntwo\nthree')"
fi

finish
