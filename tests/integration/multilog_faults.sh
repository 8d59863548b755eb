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
  if ! mount -t tmpfs -o size=64k tmpfs "$d/mnt" 2>/dev/null; then
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
finish
