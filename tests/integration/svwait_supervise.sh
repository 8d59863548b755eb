#!/usr/bin/env bash
# svwait and svup on real supervises: ours and the reference 0.76's
# (differential: our svwait must work on the directory of a reference
# supervise): -u -d -r, the restart idiom `svc -t S && svwait -r S`, a
# restart quicker than the poll (inotify and polling), -r while wanted down,
# svwait started before supervise, supervise killed mid-wait (102), svc -dx,
# the force-stop idiom; runit's runsv and s6-supervise (-u -D -r, 102);
# -U, -D with ./finish and a permanent failure where our supervise writes
# the extended record.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/svwait_helpers.bash"
[ -x "$DT_BIN/svwait" ] || { skip "svwait not built"; finish; }
need_svc
SW=$DT_BIN/svwait
TO='svwait: fatal: timed out'

# rc_err NAME RC ERR CMD...: CMD gives exactly exit code RC and stderr ERR
rc_err() {
  local name=$1 rc=$2 err=$3 got
  shift 3
  got=$("$@" 2>&1 >/dev/null)
  local r=$?
  if [ $r = "$rc" ] && [ "$got" = "$err" ]; then pass; else fail "$name: want rc $rc '$err', got rc $r '$got'"; fi
}

# modes: inotify, and polling (our shim takes inotify away)
modes=(inotify)
have_noinotify && modes+=(polling) || skip "polling: $NOINOTIFY not built"
pre_for() { if [ "$1" = polling ]; then echo "env LD_PRELOAD=$NOINOTIFY"; fi; }

while read -r impl bin; do
  for mode in "${modes[@]}"; do
    pre=$(pre_for $mode)
    T="$impl supervise, $mode"
    w=$(_newdir)
    mkrun "$w/s" 'exec sleep 100000'
    cd "$w" || exit 1

    # svwait before supervise exists: waits through, 0 once it is up
    $pre $SW -u -t 20000 s 2>"$w/err1" &
    wp=$!
    await 30 waiting $wp s
    start_sv "$bin" s
    sp=$SV_PID
    wait $wp
    rc=$?
    [ $rc = 0 ] || echo "rc=$rc err=$(cat "$w/err1") $(cat s.err 2>/dev/null)"
    check "$T: svwait -u started before supervise: 0 once up" eval '[ $rc = 0 ] && [ ! -s "$w/err1" ]'
    check "$T: svup says up" "$DT_BIN/svup" s
    sleep 1.2  # the reference sleeps a second after a start before reading commands

    rc_err "$T: -u on an up service" 0 "" $pre $SW -u -t 20000 s
    rc_err "$T: -d on an up service times out" 99 "$TO" $pre $SW -d -t 300 s
    sleep 2.1  # no command in the last 2 s: -r needs a restart after its start
    rc_err "$T: -r with no restart times out" 99 "$TO" $pre $SW -r -t 500 s

    # the deploy idiom, 5 times: never misses a restart quicker than svwait's start
    okc=0
    for i in 1 2 3 4 5; do
      before=$(pid_of s)
      if "$SVC" -t s && $pre $SW -r -t 10000 s; then
        [ "$(pid_of s)" != "$before" ] && okc=$((okc + 1))
      fi
      sleep 1.1
    done
    check "$T: svc -t s && svwait -r: 5 of 5 restarts seen, new pid ($okc)" [ $okc = 5 ]

    # a restart quicker than the poll, while svwait already waits (no
    # command in the last 2 s, or svwait -r would count the last svc -t's
    # restart and be done at once)
    sleep 1.5
    $pre $SW -r -t 10000 s &
    wp=$!
    await 30 waiting $wp s
    "$SVC" -t s
    wait $wp
    check "$T: restart while waiting with -r: 0" [ $? = 0 ]
    sleep 1.1

    # down, and -r while wanted down
    "$SVC" -d s
    rc_err "$T: svc -d; svwait -d" 0 "" $pre $SW -d -t 10000 s
    rc_err "$T: svwait -D on 0.76-style down" 0 "" $pre $SW -D -t 10000 s
    check "$T: svup says not up (100)" eval '"$DT_BIN/svup" s; [ $? = 100 ]'
    rc_err "$T: -r while wanted down times out" 99 "$TO" $pre $SW -r -t 500 s
    rc_err "$T: -u while wanted down times out" 99 "$TO" $pre $SW -u -t 300 s
    "$SVC" -u s
    rc_err "$T: svc -u; svwait -u" 0 "" $pre $SW -u -t 10000 s
    sleep 1.1

    # the force-stop idiom: a service that ignores TERM
    mkrun "$w/stub" 'trap "" TERM; while :; do sleep 0.1; done'
    start_sv "$bin" stub
    stub_pid=$SV_PID
    await 30 started_ok stub
    sleep 1.2
    "$SVC" -d stub
    $pre $SW -d -t 700 stub 2>"$w/err2" || "$SVC" -k stub
    check "$T: force-stop: svwait -d timed out on a TERM-proof service" [ "$(cat "$w/err2")" = "$TO" ]
    rc_err "$T: force-stop: down after svc -k" 0 "" $pre $SW -d -t 10000 stub
    stop_sv stub "$stub_pid"

    # supervise killed mid-wait: 102
    "$SVC" -d s
    await 30 state_is s "down 0 d"
    $pre $SW -u -t 20000 s 2>"$w/err3" &
    wp=$!
    await 30 waiting $wp s  # (one started after the kill would wait through)
    kill -KILL "$sp"
    wait $wp
    rc=$?
    check "$T: supervise killed while svwait -u waits: 102" eval '[ $rc = 102 ] && [ "$(cat "$w/err3")" = "svwait: fatal: supervise for s exited" ]'
    kill -KILL -- "-$sp" 2>/dev/null
    wait "$sp" 2>/dev/null
    check "$T: svup on a dead supervise: 100" eval '"$DT_BIN/svup" s; [ $? = 100 ]'

    # svc -dx: the last record says down, then supervise exits: -d is met
    start_sv "$bin" s
    await 30 started_ok s
    sleep 1.2
    $pre $SW -d -t 10000 s &
    wp=$!
    await 30 waiting $wp s
    "$SVC" -dx s
    wait $wp
    check "$T: svc -dx while svwait -d waits: 0" [ $? = 0 ]
    await 30 gone "$SV_PID"
    wait "$SV_PID" 2>/dev/null
    cd / || exit 1
  done
done < <(impls)
ref_note "svwait on a reference supervise"

# the peers' own supervisors: runit's runsv, s6-supervise (their records
# and liveness, as a mixed fleet has them)
for peer in runsv s6-supervise; do
  if ! command -v $peer >/dev/null; then
    skip "svwait on $peer: not installed"
    continue
  fi
  case $peer in
    runsv) down() { sv d "./$1" >/dev/null; }; up() { sv u "./$1" >/dev/null; }; term() { sv t "./$1" >/dev/null; } ;;
    s6-supervise) down() { s6-svc -d "$1"; }; up() { s6-svc -u "$1"; }; term() { s6-svc -t "$1"; } ;;
  esac
  w=$(_newdir)
  mkrun "$w/p" 'exec sleep 100000'
  cd "$w" || exit 1
  setsid $peer p </dev/null >/dev/null 2>&1 &
  pp=$!
  track_pgrp $pp
  rc_err "$peer: svwait -u" 0 "" $SW -u -t 20000 p
  check "$peer: svup: 0" "$DT_BIN/svup" p
  down p
  rc_err "$peer: svwait -D" 0 "" $SW -D -t 20000 p
  check "$peer: svup: 100" eval '"$DT_BIN/svup" p; [ $? = 100 ]'
  rc_err "$peer: svwait -u while down: 99" 99 "$TO" $SW -u -t 300 p
  up p
  rc_err "$peer: svwait -u again" 0 "" $SW -u -t 20000 p
  sleep 1.5
  rc_err "$peer: term && svwait -r" 0 "" eval 'term p && $SW -r -t 20000 p'
  down p
  $SW -d -t 20000 p
  $SW -u -t 20000 p 2>"$w/err" &
  wp=$!
  await 30 waiting $wp p
  kill -KILL $pp
  wait $wp
  rc=$?
  check "$peer: killed while svwait -u waits: 102" eval '[ $rc = 102 ] && [ "$(cat "$w/err")" = "svwait: fatal: supervise for p exited" ]'
  kill -KILL -- "-$pp" 2>/dev/null
  { wait $pp; } 2>/dev/null
  cd / || exit 1
done

# svup with a log: s and s/log each under a supervise
w=$(_newdir)
mkrun "$w/s" 'exec sleep 100000'
mkrun "$w/s/log" 'exec sleep 100000'
cd "$w" || exit 1
start_sv "$DT_BIN" s
p1=$SV_PID
start_sv "$DT_BIN" s/log
p2=$SV_PID
await 30 started_ok s
await 30 started_ok s/log
check "svup: service and log up: 0" "$DT_BIN/svup" s
sleep 1.2
"$SVC" -d s/log
await 30 state_is s/log "down 0 d"
check "svup: log down: 100" eval '"$DT_BIN/svup" s; [ $? = 100 ]'
check "svup -l: log not asked: 0" "$DT_BIN/svup" -l s
check "svup -L: only the log: 100" eval '"$DT_BIN/svup" -L s; [ $? = 100 ]'
"$SVC" -u s/log
"$SVC" -d s
await 30 state_is s "down 0 d"
await 30 state_is s/log "up 0 u"
check "svup -L: log up, service down: 0" "$DT_BIN/svup" -L s
check "svup: service down: 100" eval '"$DT_BIN/svup" s; [ $? = 100 ]'
stop_sv s "$p1"
stop_sv s/log "$p2"
cd / || exit 1

# -U against our supervise's readiness (notification-fd, extended record):
# only where our supervise writes the marked 20-byte record for it
w=$(_newdir)
mkrun "$w/late" 'sleep 2; echo >&3; exec sleep 100000'
echo 3 >"$w/late/notification-fd"
mkrun "$w/never" 'exec sleep 100000'
echo 3 >"$w/never/notification-fd"
cd "$w" || exit 1
start_sv "$DT_BIN" late
pl=$SV_PID
await 30 started_ok late
size=$(stat -c %s late/supervise/status)
b19=$(od -An -tx1 -j19 -N1 late/supervise/status 2>/dev/null | tr -d ' ')
if [ "$size" = 20 ] && [ $((0x${b19:-0} & 0x80)) != 0 ]; then
  t0=$(date +%s%N)
  rc_err "-U, a daemon that says ready 2 s after its start: 0" 0 "" $SW -U -t 20000 late
  ms=$(ms_since "$t0")
  check "-U: ... not before it said so ($ms ms after start)" [ "$ms" -ge 1000 ]
  start_sv "$DT_BIN" never
  pn=$SV_PID
  await 30 started_ok never
  rc_err "-U, a daemon that never says ready: 99" 99 "$TO" $SW -U -t 1500 never
  rc_err "-u on it: up" 0 "" $SW -u -t 20000 never
  stop_sv never "$pn"

  # ./finish: -d is met when ./run is gone, -D once ./finish is done too;
  # ./finish exiting 125 is a permanent failure: an up wait exits 1
  mkrun "$w/fin" 'exec sleep 100000'
  printf '#!/bin/sh\nsleep 1.5\n' >"$w/fin/finish"
  chmod +x "$w/fin/finish"
  start_sv "$DT_BIN" fin
  pf=$SV_PID
  await 30 started_ok fin
  sleep 1.2
  $SW -D -t 20000 fin 2>"$w/errD" &
  wD=$!
  await 30 waiting $wD fin
  check "-D on an up service waits" [ -e /proc/$wD ]
  t0=$(date +%s%N)
  "$SVC" -d fin
  rc_err "-d with ./finish running: 0" 0 "" $SW -d -t 20000 fin
  msd=$(ms_since "$t0")
  rc_err "-D -t 300 with ./finish running: 99" 99 "$TO" $SW -D -t 300 fin
  wait $wD
  rc=$?
  ms=$(ms_since "$t0")
  check "-D: 0 once ./finish is done ($ms ms; -d after $msd ms)" eval '[ $rc = 0 ] && [ "$ms" -ge 1000 ] && [ ! -s "$w/errD" ]'
  stop_sv fin "$pf"
  mkrun "$w/bad" 'exit 1'
  printf '#!/bin/sh\nexit 125\n' >"$w/bad/finish"
  chmod +x "$w/bad/finish"
  start_sv "$DT_BIN" bad
  pb=$SV_PID
  failed_state() { [ "$(od -An -tx1 -j18 -N1 bad/supervise/status 2>/dev/null | tr -d ' ')" = 05 ]; }
  await 30 failed_state
  rc_err "./finish exits 125: svwait -u exits 1" 1 "svwait: warning: bad failed: it will not be started again" $SW -u -t 20000 bad
  check "... and svup says not up" eval '"$DT_BIN/svup" bad; [ $? = 100 ]'
  stop_sv bad "$pb"
else
  skip "-U, -D, failed on our supervise: it writes no extended record yet (size $size)"
fi
stop_sv late "$pl"
cd / || exit 1
finish
