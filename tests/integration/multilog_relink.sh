#!/usr/bin/env bash
# multilog regressions of issue 14, beside the reference: a previous (or
# processed) that an outage left under two names (its @name too) is only
# unlinked at start-up, never linked a third time, so no line is twice and
# nothing counts twice toward n (bug 1); a failed write of a =file status
# pauses and tries again (bug 5); a start-up stat error other than
# "missing" exits 111 where the reference does, and pauses where it does
# (bug 10). That s and n wrap modulo 2^64 (bug 3): scan_wrap.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"

IN=$TEST_ROOT/in
printf 'new line\n' >"$IN.1"
awk 'BEGIN { for (i = 1; i <= 300; i++) printf "L%07d-abcdefghijklmnopqrstuvwxyz\n", i }' >"$IN"
L1=@400000006000000000000001.s L0=@400000006000000000000000.s

# twice NAME ARGS...: ours and the reference on the planted directory
# (after $SETUP), the same files; ours has no file under two names and
# holds the planted lines once each
twice() {
  local name=$1
  shift
  ml "$name" "$IN.1" -- "$@"
  local d
  d=$(_newdir)
  (cd "$d" && eval "$SETUP" && "$DT_BIN/multilog" "$@" <"$IN.1" 2>.err)
  check "$name: no file under two names" test -z "$(find "$d/main" -type f -links +1)"
  check "$name: 'prev' at most once in the log" test "$(cat "$d"/main/@* "$d/main/current" 2>/dev/null | grep -c '^prev$')" -le 1
  check "$name: 'proc' at most once in the log" test "$(cat "$d"/main/@* "$d/main/current" 2>/dev/null | grep -c '^proc$')" -le 1
}
# previous already linked to its @name, current unfinished (mode 0644)
SETUP="mkdir main; echo prev >main/previous; chmod 744 main/previous; ln main/previous main/$L1; echo cur >main/current" \
  twice "previous linked, current unfinished" ./main
# the same with n: the twice-named file must not count twice
SETUP="mkdir main; echo older >main/$L0; echo prev >main/previous; chmod 744 main/previous; ln main/previous main/$L1; echo cur >main/current" \
  twice "previous linked, n3" n3 ./main
SETUP="mkdir main; echo older >main/$L0; echo prev >main/previous; chmod 744 main/previous; ln main/previous main/$L1; echo cur >main/current" \
  twice "previous linked, n2" n2 ./main
# previous not yet chmodded (the outage came between rename and chmod)
SETUP="mkdir main; echo prev >main/previous; ln main/previous main/$L1; echo cur >main/current" \
  twice "previous linked, mode 0644" ./main
# processed finished (0744) and linked, previous and current still there
SETUP="mkdir main; echo proc >main/processed; chmod 744 main/processed; ln main/processed main/$L1; echo prev >main/previous; chmod 744 main/previous; echo cur >main/current" \
  twice "processed linked, previous and current" n3 ./main
SETUP="mkdir main; echo proc >main/processed; chmod 744 main/processed; ln main/processed main/$L1; echo cur >main/current" \
  twice "processed linked, no previous" '!cat' ./main
# previous linked twice already (three names, as the old bug left it):
# previous is only unlinked; the two @ names stay, as on the reference
SETUP="mkdir main; echo prev >main/previous; chmod 744 main/previous; ln main/previous main/$L0; ln main/previous main/$L1; echo cur >main/current" \
  ml "previous under three names" "$IN.1" -- n5 ./main
# current finished (0744): 0.76 appends to it and leaves previous alone
SETUP="mkdir main; echo prev >main/previous; chmod 744 main/previous; ln main/previous main/$L1; echo cur >main/current; chmod 744 main/current" \
  ml "previous linked, current finished: appended to" "$IN.1" -- ./main
# and then a rotation: previous is reused by the rename, the old @ stays
SETUP="mkdir main; echo prev >main/previous; chmod 744 main/previous; ln main/previous main/$L1; echo cur >main/current" \
  ml "previous linked, then rotations" "$IN" -- s4096 n5 ./main

# ---- =file: a failed write pauses and tries again ----
shim=${DT_TESTS:-}/faultio.so
if [ -f "$shim" ]; then
  declare -A sd
  for e in 28 5; do
    for bin in "$DT_BIN" "$REF_BIN"; do
      [ -x "$bin/multilog" ] || continue
      sd[$e:$bin]=$(_newdir)
      (cd "${sd[$e:$bin]}" && FAULT_WRITE=1 FAULT_ERRNO=$e LD_PRELOAD="$shim" "$bin/multilog" =st <"$IN.1" 2>.err; echo $? >.rc) &
    done
  done
  wait
  for e in 28 5; do
    [ $e = 28 ] && r="out of disk space" || r="input/output error"
    d=${sd[$e:$DT_BIN]}
    check "=st, write fails ($r): the warning" test "$(cat "$d/.err")" = "multilog: warning: unable to write st, pausing: $r"
    check "=st, write fails ($r): the only line is in st after all" test "$(head -1 "$d/st")" = "new line" -a "$(stat -c %s "$d/st")" = 1001
    check "=st, write fails ($r): exit 0" test "$(cat "$d/.rc")" = 0
    if has_ref multilog; then same_tree "=st, write fails ($r)" "$d" "${sd[$e:$REF_BIN]}"; fi
  done
else
  skip "=file: $shim not built"
fi

# ---- start-up stat errors other than "missing" ----
# current or processed a symlink loop: fatal, 111 (0.76-era ours paused
# for ever: the runs are cut off after 20 s, which then fails the checks)
for f in current processed; do
  if has_ref multilog; then
    a=$(_newdir)
    b=$(_newdir)
    for x in "$a:$DT_BIN" "$b:$REF_BIN"; do
      (cd "${x%%:*}" && mkdir main && ln -s $f main/$f && timeout -s KILL 20 "${x#*:}/multilog" ./main <"$IN.1" 2>.err; echo $? >.rc)
    done
    same_tree "$f a symlink loop" "$a" "$b"
  fi
  d=$(_newdir)
  (cd "$d" && mkdir main && ln -s $f main/$f && timeout -s KILL 20 "$DT_BIN/multilog" ./main <"$IN.1" 2>.err; echo $? >.rc)
  check "$f a symlink loop: 111" test "$(cat "$d/.rc")" = 111
  check "$f a symlink loop: the message" test "$(cat "$d/.err")" = "multilog: fatal: unable to stat ./main/$f: symbolic link loop"
done
# previous a symlink loop: the reference pauses on it (its finishing of
# previous is the rotation's), so does ours; neither exits
for bin in "$DT_BIN" "$REF_BIN"; do
  [ -x "$bin/multilog" ] || continue
  d=$(_newdir)
  mkdir "$d/main"
  ln -s previous "$d/main/previous"
  (cd "$d" && exec "$bin/multilog" ./main <"$IN.1" 2>.err) &
  p=$!
  track_pid $p
  poll 30 test -s "$d/.err"
  sleep 1
  check "previous a symlink loop ($bin): still running, pausing" kill -0 $p
  check "previous a symlink loop ($bin): the warning" test "$(head -1 "$d/.err")" = "multilog: warning: unable to stat ./main/previous, pausing: symbolic link loop"
  kill -KILL $p
  wait $p 2>/dev/null
done

finish
