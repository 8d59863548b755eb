#!/usr/bin/env bash
# svscan over time: a supervise that exits is restarted; one whose directory
# vanished is left alone and forgotten once it exits; a directory that comes
# back is taken up again, with the same log pipe while svscan still knew it
# (same device and inode, a supervise still running), a new one otherwise.
# Ours and the reference run side by side; each step waits for their rescans.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/svscan_helpers.bash"
need_supervise
ref_note
fd_of() { readlink "/proc/$1/fd/$2"; }
new_kid() { # SCAN-PID OLD-PID ARGS...: a child running ARGS, not OLD-PID
  local s=$1 old=$2 p
  shift 2
  for p in $(ps -o pid= --ppid "$s"); do
    [ "$p" != "$old" ] && [ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "$* " ] && return 0
  done
  return 1
}

declare -A SP R
for impl in "${IMPLS[@]}"; do
  bin=$DT_BIN
  [ "$impl" = ref ] && bin=$REF_BIN
  root=$(mktemp -d "$TEST_ROOT/$impl.XXXXXX")
  R[$impl]=$root
  mkdir -p "$root/away"
  for d in a b c c/log d d/log e; do mksvc "$root/s/$d"; done
  setsid env PATH="$SUP:/usr/bin:/bin" "$bin/svscan" "$root/s" >"$root/out" 2>"$root/err" </dev/null &
  SP[$impl]=$!
  track_pgrp "${SP[$impl]}"
done

declare -A A C CL CP D DP E
for impl in "${IMPLS[@]}"; do
  s=${SP[$impl]} root=${R[$impl]}
  check "$impl: all up" poll 30 eval 'has_kid $s supervise e && [ "$(ps -o pid= --ppid $s | wc -l)" = 7 ]'
  A[$impl]=$(kid_pid "$s" supervise a)
  C[$impl]=$(kid_pid "$s" supervise c)
  D[$impl]=$(kid_pid "$s" supervise d)
  E[$impl]=$(kid_pid "$s" supervise e)
  CP[$impl]=$(fd_of "${C[$impl]}" 1)
  DP[$impl]=$(fd_of "${D[$impl]}" 1)
  for p in $(ps -o pid= --ppid "$s"); do
    [ "$(readlink "/proc/$p/cwd")" = "$root/s/c/log" ] && CL[$impl]=$p
    [ "$(readlink "/proc/$p/cwd")" = "$root/s/d/log" ] && dl=$p
  done
  # a's supervise dies; c and d leave; c's supervise dies (its log lives
  # on), d's two die; e is removed and made again (a new inode) while its
  # supervise still runs.
  mv "$root/s/c" "$root/s/d" "$root/away/"
  kill -KILL "${A[$impl]}" "${C[$impl]}" "${D[$impl]}" "$dl"
  mksvc "$root/away/e"  # made first, so its inode differs from the old one
  rm -rf "$root/s/e"
  mv "$root/away/e" "$root/s/e"
done

for impl in "${IMPLS[@]}"; do
  s=${SP[$impl]} root=${R[$impl]}
  check "$impl: exited supervise restarted" poll 30 new_kid "$s" "${A[$impl]}" supervise a
  check "$impl: gone dir with live log kept" has_fd "$s" "${CP[$impl]}"
  check "$impl: its log supervise not killed" kill -0 "${CL[$impl]}"
  check "$impl: gone dir with nothing running forgotten" poll 30 eval '! has_fd $s ${DP[$impl]}'
  check "$impl: re-made dir gets its own supervise" poll 30 new_kid "$s" "${E[$impl]}" supervise e
  check "$impl: old supervise of the removed dir left running" kill -0 "${E[$impl]}"
  # back they come
  mv "$root/away/c" "$root/away/d" "$root/s/"
done

for impl in "${IMPLS[@]}"; do
  s=${SP[$impl]} root=${R[$impl]}
  check "$impl: c taken up again" poll 30 new_kid "$s" "${C[$impl]}" supervise c
  p=$(kid_pid "$s" supervise c)
  check "$impl: c writes into its old pipe" test "$(fd_of "$p" 1)" = "${CP[$impl]}"
  check "$impl: d taken up again" poll 30 new_kid "$s" "${D[$impl]}" supervise d
  check "$impl: d and its log up" poll 30 eval '[ "$(ps -o pid= --ppid $s | wc -l)" = 8 ]'
  p=$(kid_pid "$s" supervise d)
  np=$(fd_of "$p" 1)
  check "$impl: d has a new pipe" test "${np#pipe:}" != "$np" -a "$np" != "${DP[$impl]}"
  check "$impl: svscan holds the new pipe" has_fd "$s" "$np"
  # a renamed directory is restarted under its new name
  mv "$root/s/b" "$root/s/b2"
  B=$(kid_pid "$s" supervise b)
  kill -KILL "$B"
  check "$impl: restarted under its new name" poll 30 has_kid "$s" supervise b2
  check "$impl: no warning from svscan" test "$(grep -c '^svscan:' "$root/err")" = 0
done
finish
