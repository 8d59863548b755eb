#!/usr/bin/env bash
# svscan: what it starts for which entry, the log pipe, its messages; ours
# and the reference side by side (same supervise for both).
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/svscan_helpers.bash"
if [ ! -x "$SUP/supervise" ]; then
  skip "no supervise to run"
  expect "only the first argument counts" 111 "" "svscan: fatal: unable to chdir to /nonexistent: file does not exist" -- svscan /nonexistent /tmp
  finish
fi
ref_note

for impl in "${IMPLS[@]}"; do
  bin=$(bin_of "$impl")
  root=$(mktemp -d "$TEST_ROOT/$impl.XXXXXX")

  # --- what is started: dirs and symlinks to dirs; not dot names, files,
  # dangling links; S/log gets its own supervise, run from inside S.
  s=$root/s
  mkdir -p "$s" "$s/.hidden" "$root/target"
  mksvc "$s/a"
  mksvc "$s/b" 'echo hello from b; exec sleep 100000'
  mksvc "$s/b/log" 'exec cat >>../../../b.log'
  mksvc "$root/target"
  mksvc "$s/.hidden"
  : >"$s/plain"
  ln -s ../target "$s/lnk"
  ln -s /nonexistent "$s/dangling"
  scan_start "$bin" "$s"
  want='supervise a,supervise b,supervise lnk,supervise log'
  if poll 30 kids_are "$SCAN_PID" "$want"; then pass; else fail "$impl: started $(kids "$SCAN_PID"), want $want"; fi
  check "$impl: log line through the pipe" poll 30 grep -qsx 'hello from b' "$root/b.log"
  pb=$(kid_pid "$SCAN_PID" supervise b)
  pl=$(kid_pid "$SCAN_PID" supervise log)
  track_pid "$pb"
  track_pid "$pl"
  # supervise b writes into the pipe supervise log reads; svscan holds both ends
  out=$(readlink "/proc/$pb/fd/1")
  check "$impl: S's stdout is a pipe" test "${out#pipe:}" != "$out"
  check "$impl: log's stdin is that pipe" test "$(readlink "/proc/$pl/fd/0")" = "$out"
  held=$(for f in /proc/"$SCAN_PID"/fd/*; do readlink "$f"; done | grep -cxF "$out")
  check "$impl: svscan holds both ends" test "$held" = 2
  check "$impl: supervise log is in S/log" test "$(readlink "/proc/$pl/cwd")" = "$s/b/log"
  check "$impl: S without log keeps svscan's stdout" test "$(readlink "/proc/$(kid_pid "$SCAN_PID" supervise a)/fd/1")" = "$s.out"
  check "$impl: warning for the dangling link" \
    test "$(head -1 "$s.err")" = "svscan: warning: unable to stat dangling: file does not exist"
  scan_stop

  # --- S/log that is not a directory still counts as a log (supervise
  # complains about it); a dangling S/log does not.
  s=$root/t
  mksvc "$s/f"
  : >"$s/f/log"
  mksvc "$s/g"
  ln -s /nonexistent "$s/g/log"
  scan_start "$bin" "$s"
  check "$impl: log file gets a supervise" poll 30 grep -qs 'unable to chdir to log: not a directory' "$s.err"
  check "$impl: dangling log ignored" poll 30 eval '[ -n "$(kid_pid "$SCAN_PID" supervise g)" ]'
  check "$impl: g has no pipe" test "$(readlink "/proc/$(kid_pid "$SCAN_PID" supervise g)/fd/1")" = "$s.out"
  scan_stop

  # --- no argument: the current directory
  s=$root/v
  mksvc "$s/here"
  (cd "$s" && exec setsid env PATH="$SUP:/usr/bin:/bin" "$bin/svscan" >"$s.out" 2>"$s.err" </dev/null) &
  SCAN_PID=$!
  track_pgrp "$SCAN_PID"
  check "$impl: no argument scans ." poll 30 kids_are "$SCAN_PID" "supervise here"
  scan_stop

  # --- supervise not found: each start fails in the child, with a warning
  s=$root/u
  mksvc "$s/a"
  mksvc "$s/b"
  mksvc "$s/b/log"
  scan_start "$bin" "$s" PATH=/nonexistent
  check "$impl: three failed starts" poll 30 eval '[ "$(sort -u "$s.err" | wc -l)" = 3 ]'
  want=$'svscan: warning: unable to start supervise a: file does not exist\nsvscan: warning: unable to start supervise b/log: file does not exist\nsvscan: warning: unable to start supervise b: file does not exist'
  got=$(sort -u "$s.err")
  if [ "$got" = "$want" ]; then pass; else fail "$impl: exec failure messages: $got"; fi
  scan_stop
done

# fatal errors before anything starts
expect "missing directory" 111 "" "svscan: fatal: unable to chdir to /nonexistent: file does not exist" -- svscan /nonexistent
SETUP=': >f' expect "file as directory" 111 "" "svscan: fatal: unable to chdir to f: not a directory" -- svscan f
expect "only the first argument counts" 111 "" "svscan: fatal: unable to chdir to /nonexistent: file does not exist" -- svscan /nonexistent /tmp
finish
