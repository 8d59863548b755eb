#!/usr/bin/env bash
# supervise beyond 0.76 (issue 10), measured:
#   - PSS and private memory of one idle supervise: ours plain, ours in
#     extended mode (notification-fd + finish + timeout-kill, the service
#     ready), the reference's; each from a fresh copy of its binary, one at a
#     time, median of 3 (target: extended at most 4 kB over plain);
#   - time from the daemon's ready write (bash's $EPOCHREALTIME just before
#     `printf '\n' >&3`) to our svstat printing `, running` (svstat run in a
#     loop: its own run time, shown beside, is the resolution), median and
#     worst over BENCH_STARTS starts (default 200; target: median < 5 ms);
#   - wake-ups (voluntary context switches, /proc/PID/status) of an idle
#     supervise over BENCH_IDLE seconds (default 20): ours plain and
#     extended, with a timeout-kill armed (svc -d on a run that ignores
#     TERM, the deadline after the window) and after one expired (KILL
#     sent, service down), and the reference's (target: 0/s).
#   bench/supervise_beyond.sh   (BENCH_STARTS, BENCH_IDLE; BENCH_QUICK=1)
. "$(dirname "$0")/lib.sh"
bench_init

S=supervise_beyond
STARTS=${BENCH_STARTS:-200}
IDLE=${BENCH_IDLE:-20}
REPS=3
SETTLE=2
if quick; then STARTS=5 IDLE=2 REPS=1 SETTLE=0.5; fi
SVC=$DT_BIN/svc
SVSTAT=$DT_BIN/svstat
if ! ours supervise svc svstat; then
  for m in "PSS of one idle supervise" "ready write to svstat running, median"; do result $S "$m" ours "n/a (not built)" ""; done
  bench_done
  exit 0
fi

# one BIN DIR: BIN/supervise DIR in its own session; sets P
one() {
  setsid "$1/supervise" "$2" </dev/null >/dev/null 2>>"$2.err" &
  P=$!
  own "$P"
  poll_until 30 "[ \"\$(cat /proc/$P/comm 2>/dev/null)\" = supervise ] && [ -s '$2/supervise/status' ]"
}
# stop DIR: svc -dx, -k if it lingers, then whatever is left
stop() {
  "$SVC" -dx "$1" 2>/dev/null
  poll_until 3 "[ ! -e /proc/$P ] || grep -q '^State:.*Z' /proc/$P/status" || "$SVC" -k "$1" 2>/dev/null
  wait_owned_gone 20 || note "supervise left after 20 s; killing"
  kill_owned
  wait "$P" 2>/dev/null
}
# ext DIR [RUN]: a service in extended mode, ready at once
ext() {
  make_service "$1" "${2:-echo >&3; exec 3>&-; exec sleep 100000}"
  echo 3 >"$1/notification-fd"
  printf '#!/bin/sh\nexit 0\n' >"$1/finish"
  chmod 755 "$1/finish"
  echo 5000 >"$1/timeout-kill"
}
running() { [[ $("$SVSTAT" "$1") == *", running" ]]; }

# --- PSS
mkdir -p "$W/bin.plain" "$W/bin.ext" "$W/bin.ref"
cp "$DT_BIN/supervise" "$W/bin.plain/"
cp "$DT_BIN/supervise" "$W/bin.ext/"
[ -x "$REF_BIN/supervise" ] && cp "$REF_BIN/supervise" "$W/bin.ref/"
declare -A pss priv
for ((r = 1; r <= REPS; r++)); do
  for kind in plain ext ref; do
    [ -x "$W/bin.$kind/supervise" ] || continue
    d=$W/mem.$kind.$r
    if [ $kind = ext ]; then ext "$d"; else make_service "$d"; fi
    one "$W/bin.$kind" "$d"
    [ $kind = ext ] && poll_until 10 "running '$d'"
    sleep "$SETTLE"
    read -r _ a b <<<"$(mem_sum "$P")"
    pss[$kind]+="$a "
    priv[$kind]+="$b "
    stop "$d"
  done
done
# shellcheck disable=SC2086
for kind in plain ext ref; do
  case $kind in plain) col=ours ;; ext) col="ours extended" ;; ref) col=daemontools ;; esac
  if [ -n "${pss[$kind]:-}" ]; then
    result $S "PSS of one idle supervise" "$col" "$(median ${pss[$kind]})" kB
    result $S "private memory of one idle supervise" "$col" "$(median ${priv[$kind]})" kB
  else
    result $S "PSS of one idle supervise" "$col" "n/a (not installed)" kB
  fi
done
# shellcheck disable=SC2086
result $S "extended over plain, PSS" "ours" "$(calc "$(median ${pss[ext]}) - $(median ${pss[plain]})")" kB

# --- ready write -> svstat running
d=$W/ready
mkfifo "$W/go"
make_service "$d" 'read -r _ <../go
t=$EPOCHREALTIME
printf "\n" >&3
exec 3>&-
echo "$t" >>../ready.t
exec sleep 100000'
sed -i '1s|.*|#!/bin/bash|' "$d/run"
echo 3 >"$d/notification-fd"
one "$DT_BIN" "$d"
lat=()
for ((i = 1; i <= STARTS; i++)); do
  poll_until 30 "[[ \$('$SVSTAT' '$d') == *', starting' ]]" || { note "start $i never came"; break; }
  echo >"$W/go"
  until running "$d"; do :; done
  t1=$EPOCHREALTIME
  poll_until 10 "[ \$(wc -l <'$W/ready.t') -ge $i ]"
  t0=$(tail -1 "$W/ready.t")
  lat+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')")
  "$SVC" -k "$d"
done
stop "$d"
# shellcheck disable=SC2086
result $S "ready write to svstat running, median" ours "$(median "${lat[@]}")" ms
p90=$(printf '%s\n' "${lat[@]}" | sort -g | awk '{ v[NR] = $1 } END { i = int(NR * 0.9 + 0.999); if (i < 1) i = 1; print v[i] }')
result $S "ready write to svstat running, 90th percentile" ours "$p90" ms
result $S "ready write to svstat running, worst" ours "$(maxof "${lat[@]}")" ms
result $S "ready write to svstat running, starts over 50 ms" ours "$(printf '%s\n' "${lat[@]}" | awk '$1 > 50 { n++ } END { print n + 0 }')" ""
result $S "ready write to svstat running, starts" ours "${#lat[@]}" ""
# svstat's own run time: the loop's resolution
t0=$(now_us)
for ((i = 0; i < 50; i++)); do "$SVSTAT" "$d" >/dev/null; done
result $S "svstat run time (the resolution above)" ours "$(calc "($(now_us) - $t0) / 50000")" ms

# --- wake-ups
# idle_rate BIN DIR: wake-ups/s of supervise over IDLE seconds (P set)
idle_rate() {
  local a b
  read -r _ a <<<"$(activity "$P")"
  sleep "$IDLE"
  read -r _ b <<<"$(activity "$P")"
  calc "($b - $a) / $IDLE"
}
d=$W/idle.plain
make_service "$d"
one "$DT_BIN" "$d"
sleep "$SETTLE"
result $S "idle wake-ups" ours "$(idle_rate)" /s
stop "$d"
d=$W/idle.ext
ext "$d"
one "$DT_BIN" "$d"
poll_until 10 "running '$d'"
sleep "$SETTLE"
result $S "idle wake-ups" "ours extended" "$(idle_rate)" /s
stop "$d"
if [ -x "$REF_BIN/supervise" ]; then
  d=$W/idle.ref
  make_service "$d"
  one "$REF_BIN" "$d"
  sleep "$SETTLE"
  result $S "idle wake-ups" daemontools "$(idle_rate)" /s
  stop "$d"
fi
# armed: the deadline after the window
d=$W/armed
ext "$d" 'echo >&3; exec 3>&-; trap "" TERM; exec sleep 100000'
echo $(((IDLE + 30) * 1000)) >"$d/timeout-kill"
one "$DT_BIN" "$d"
poll_until 10 "running '$d'"
sleep "$SETTLE"
"$SVC" -d "$d"
poll_until 10 "[[ \$('$SVSTAT' '$d') == *', stopping' ]]"
sleep 0.5
result $S "wake-ups, timeout-kill armed" "ours extended" "$(idle_rate)" /s
"$SVC" -k "$d"
stop "$d"
# expired: KILL sent at 500 ms, the service down, then idle
d=$W/expired
ext "$d" 'echo >&3; exec 3>&-; trap "" TERM; exec sleep 100000'
echo 500 >"$d/timeout-kill"
one "$DT_BIN" "$d"
poll_until 10 "running '$d'"
"$SVC" -d "$d"
poll_until 10 "[[ \$('$SVSTAT' '$d') == *': down '* ]]" || note "expired: not down after 10 s"
sleep "$SETTLE"
result $S "wake-ups, timeout-kill expired" "ours extended" "$(idle_rate)" /s
stop "$d"
bench_done
