#!/usr/bin/env bash
# Our svscan beyond 0.76: the orderly shutdown on TERM, as process 1 of a
# new PID namespace (unshare, as root) and opted in by .svscan/ outside it.
# Services write numbered lines as fast as they can into multilog loggers;
# after the TERM every line a service wrote is in its log, in order, once;
# a service that ignores TERM is KILLed at the limit and its logger still
# drains; orphans (double-forked children) are reaped; every process is
# gone; the exit code is 0, or the code of .svscan/finish. Bad input:
# .svscan a file (0.76: TERM kills svscan), unreadable, a finish that cannot
# run, hangs or exits 111, a timeout that is not a number.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/svscan_helpers.bash"
need_supervise
LOG=$DT_BIN
[ -x "$LOG/multilog" ] || LOG=$REF_BIN
if [ ! -x "$LOG/multilog" ]; then
  skip "no multilog"
  finish
fi

# counter DIR NAME: a logged service writing 1, 2, 3... one write a line;
# on TERM it leaves the last number written in ../../last.NAME (bash runs
# the trap between commands, and the count and the write are one command).
counter() {
  mkdir -p "$1/log"
  cat >"$1/run" <<EOF
#!/bin/bash
i=0
trap 'echo \$i >../../last.$2; exit 0' TERM
while :; do echo \$((++i)); done
EOF
  printf '#!/bin/sh\nexec %s/multilog s16777215 n50 ./main\n' "$LOG" >"$1/log/run"
  chmod +x "$1/run" "$1/log/run"
}
# stubborn DIR: the same, ignoring TERM (killed at the limit).
stubborn() {
  counter "$1" x
  printf '#!/bin/bash\ntrap "" TERM\ni=0\nwhile :; do i=$((i + 1)); echo $i; done\n' >"$1/run"
}
# orphans DIR: makes children that outlive their parent, all the time.
orphans() {
  mksvc "$1" 'while :; do for i in 1 2 3 4 5; do (sleep 0.05 &); done; sleep 0.2; done'
}
# logged DIR: every file the logger made, oldest first.
logged() { cat "$1"/log/main/@* "$1"/log/main/current 2>/dev/null; }
count() { logged "$1" | wc -l; }
# prefix_ok DIR: the log is exactly 1..n for some n >= 1 (in order, none
# lost, none twice); prints n.
prefix_ok() {
  local n
  n=$(count "$1")
  [ "$n" -ge 1 ] && logged "$1" | cmp -s - <(seq 1 "$n") && echo "$n"
}
all_logging() { # DIR N: N services have lines in their logs
  local d c=0
  for d in "$1"/c*; do [ -s "$d/log/main/current" ] && c=$((c + 1)); done
  [ "$c" -ge "$2" ]
}

# check_lines IMPL ROOT N: each counter's log is 1..last exactly.
check_lines() {
  local impl=$1 root=$2 n=$3 i bad=0 what=
  for ((i = 1; i <= n; i++)); do
    local d=$root/s/c$i last
    last=$(cat "$root/last.c$i" 2>/dev/null)
    if [ -z "$last" ] || ! logged "$d" | cmp -s - <(seq 1 "$last"); then
      bad=$((bad + 1))
      what="$what c$i(last ${last:-?}, logged $(count "$d"))"
    fi
  done
  check "$impl: every line written is logged once, in order ($n services)$what" test "$bad" = 0
}

# ---- process 1 of a PID namespace --------------------------------------------
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || ! unshare --pid --fork --mount-proc true 2>/dev/null; then
  skip "process 1: unshare --pid --fork --mount-proc is not available here (needs root)"
else
  root=$(mktemp -d "$TEST_ROOT/pid1.XXXXXX")
  N=20
  for ((i = 1; i <= N; i++)); do counter "$root/s/c$i" "c$i"; done
  stubborn "$root/s/stubborn"
  orphans "$root/s/orphans"
  setsid unshare --pid --fork --mount-proc env PATH="$SUP:/usr/bin:/bin" "$DT_BIN/svscan" "$root/s" \
    >"$root/out" 2>"$root/err" </dev/null &
  ns=$!
  track_pgrp "$ns"
  sv() { ps -o pid= --ppid "$ns" | tr -d ' '; }
  check "pid1: svscan runs" poll 30 eval '[ -n "$(sv)" ]'
  p1=$(sv)
  check "pid1: svscan is process 1 inside" test "$(awk '/^NSpid/ {print $3}' "/proc/$p1/status")" = 1
  check "pid1: all $N services logging" poll 30 all_logging "$root/s" "$N"
  check "pid1: the stubborn one logging" poll 30 test -s "$root/s/stubborn/log/main/current"
  # orphans come to svscan and are reaped: never more than a few zombies
  zmax=0
  for k in $(seq 1 10); do
    z=$(zombies_of "$p1")
    [ "$z" -gt "$zmax" ] && zmax=$z
    sleep 0.1
  done
  check "pid1: orphans reaped (at most $zmax zombies at a time)" test "$zmax" -le 10
  stub_before=$(count "$root/s/stubborn")
  t0=$(date +%s%N)
  kill -TERM "$p1"
  check "pid1: svscan exits" poll 30 gone "$ns"
  wait "$ns"
  rc=$?
  t1=$(date +%s%N)
  check "pid1: exit code 0 (got $rc)" test "$rc" = 0
  ms=$(((t1 - t0) / 1000000))
  # the stubborn service is killed at 4/5 of the 5 s limit, not before
  check "pid1: stopped after the kill time ($ms ms)" test "$ms" -ge 3900
  check_lines pid1 "$root" "$N"
  n=$(prefix_ok "$root/s/stubborn")
  check "pid1: stubborn: logged 1..${n:-?} in order, more than the $stub_before before the TERM" \
    test -n "$n" -a "${n:-0}" -ge "$stub_before"
  check "pid1: every process gone" poll 30 session_empty "$ns"
  check "pid1: no message" test ! -s "$root/err"
fi

# ---- opted in by .svscan/, outside process 1 ---------------------------------
root=$(mktemp -d "$TEST_ROOT/opt.XXXXXX")
N=5
for ((i = 1; i <= N; i++)); do counter "$root/s/c$i" "c$i"; done
stubborn "$root/s/stubborn"
orphans "$root/s/orphans"
# an orphan that stays: TERMed once the services are down
mksvc "$root/s/daemon" '(exec sleep 100000 &); exec sleep 100000'
mkdir "$root/s/.svscan"
echo 1500 >"$root/s/.svscan/timeout-kill"
cat >"$root/s/.svscan/finish" <<'EOF'
#!/bin/sh
# what is left when the finish runs: the counters' last lines, and processes
ls ../last.c* | wc -l >../finish.out
exit 3
EOF
chmod +x "$root/s/.svscan/finish"
scan_start "$DT_BIN" "$root/s"
sp=$SCAN_PID
check "opt: all $N services logging" poll 30 all_logging "$root/s" "$N"
orphan_of_svscan() { ps -o args= --ppid "$sp" | grep -qx 'sleep 100000'; }
check "opt: an orphan adopted by svscan (subreaper)" poll 30 orphan_of_svscan
zmax=0
for k in $(seq 1 10); do
  z=$(zombies_of "$sp")
  [ "$z" -gt "$zmax" ] && zmax=$z
  sleep 0.1
done
check "opt: orphans reaped (at most $zmax zombies at a time)" test "$zmax" -le 10
stub_before=$(count "$root/s/stubborn")
kill -TERM "$sp"
check "opt: svscan exits" poll 30 gone "$sp"
wait "$sp"
rc=$?
check "opt: exit code of the finish (3, got $rc)" test "$rc" = 3
check "opt: finish ran after every counter stopped" test "$(cat "$root/finish.out" 2>/dev/null)" = "$N"
check_lines opt "$root" "$N"
n=$(prefix_ok "$root/s/stubborn")
check "opt: stubborn: logged 1..${n:-?} in order, more than the $stub_before before the TERM" \
  test -n "$n" -a "${n:-0}" -ge "$stub_before"
check "opt: every process gone" poll 30 session_empty "$sp"
check "opt: no message" test ! -s "$root/s.err"

# ---- bad input ---------------------------------------------------------------------
# bad NAME SETUP WANT-RC WANT-ERR [WRAP]: one logged counter; SETUP run in the
# scan directory; TERM; exit code and messages.
bad() {
  local name=$1 setup=$2 want_rc=$3 want_err=$4 wrap=${5:-}
  local r
  r=$(mktemp -d "$TEST_ROOT/bad.XXXXXX")
  chmod 755 "$TEST_ROOT" "$r"
  counter "$r/s/c1" c1
  (cd "$r/s" && eval "$setup")
  [ -n "$wrap" ] && chown -R 65534:65534 "$r"
  setsid $wrap env PATH="$SUP:/usr/bin:/bin" "$DT_BIN/svscan" "$r/s" >"$r/out" 2>"$r/err" </dev/null &
  local p=$!
  track_pgrp "$p"
  await 30 all_logging "$r/s" 1
  kill -TERM "$p"
  await 30 gone "$p"
  wait "$p"
  local rc=$?
  check "bad: $name: exit code $want_rc (got $rc)" test "$rc" = "$want_rc"
  check "bad: $name: messages: $(head -3 "$r/err")" test "$(cat "$r/err")" = "$want_err"
  if [ "$want_rc" = 143 ]; then
    # 0.76: svscan dies, its services stay
    check "bad: $name: services left running" eval '[ -n "$(in_session "$p")" ]'
    kill -KILL -- "-$p" 2>/dev/null
  else
    check "bad: $name: counter logged every line" eval 'logged "$r/s/c1" | cmp -s - <(seq 1 "$(cat "$r/last.c1")")'
    check "bad: $name: every process gone" poll 30 session_empty "$p"
  fi
}
bad ".svscan a file" ': >.svscan' 143 ""
bad "finish not executable" 'mkdir .svscan; printf "#!/bin/sh\nexit 0\n" >.svscan/finish' 111 \
  "svscan: warning: unable to run .svscan/finish: access denied"
bad "finish hangs" 'mkdir .svscan; printf "#!/bin/sh\nexec sleep 100000\n" >.svscan/finish; chmod +x .svscan/finish; echo 300 >.svscan/timeout-finish' \
  111 "svscan: warning: .svscan/finish did not exit in time: killed"
bad "finish exits 111" 'mkdir .svscan; printf "#!/bin/sh\nexit 111\n" >.svscan/finish; chmod +x .svscan/finish' 111 ""
bad "finish absent" 'mkdir .svscan' 0 ""
bad "timeout not a number" 'mkdir .svscan; echo 5s >.svscan/timeout-kill' 0 "svscan: warning: invalid .svscan/timeout-kill"
if [ -n "$AS_NOBODY" ]; then
  bad "unreadable .svscan" 'mkdir .svscan; : >.svscan/finish; chmod 0 .svscan' 111 \
    $'svscan: warning: unable to read .svscan/timeout-kill: access denied\nsvscan: warning: unable to read .svscan/timeout-finish: access denied\nsvscan: warning: unable to run .svscan/finish: access denied' "$AS_NOBODY"
else
  skip "unreadable .svscan: not root (the check needs another user)"
fi
finish
