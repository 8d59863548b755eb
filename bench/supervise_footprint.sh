#!/usr/bin/env bash
# supervise alone, ours beside the reference's (no svscan):
#   - PSS and private memory of an idle supervise (service `exec sleep`),
#     one alone and per supervise among 20 (file pages then shared). Both
#     binaries are run from fresh copies, so that neither shares its pages
#     with copies running elsewhere on the machine (other tests' reference
#     supervises would otherwise make the reference look smaller);
#   - interval between restarts of a crash-looping service (run: exit 1),
#     median over the restarts seen by run itself;
#   - K supervises (default 200) each with a crash-looping service: starts
#     per second per service (slowest and fastest), CPU of all supervises
#     over the window, and descriptors and anonymous memory at the start
#     and the end of the window (a leak would show as growth).
#   bench/supervise_footprint.sh   (BENCH_K, BENCH_WINDOW; BENCH_QUICK=1)
. "$(dirname "$0")/lib.sh"
bench_init

K=${BENCH_K:-200}
WINDOW=${BENCH_WINDOW:-20}
SETTLE=2
if quick; then K=10 WINDOW=3 SETTLE=0.5; fi
S=supervise

impls() {
  ours supervise && echo "ours $DT_BIN"
  [ -x "$REF_BIN/supervise" ] && echo "daemontools $REF_BIN"
}
SVC=$REF_BIN/svc
[ -x "$SVC" ] || SVC=$DT_BIN/svc

# sv_start BIN DIR...: one supervise per DIR, each in its own session;
# sets PIDS. Stopped by sv_stop, or at exit.
sv_start() {
  local bin=$1 d
  shift
  PIDS=()
  for d; do
    setsid "$bin/supervise" "$d" </dev/null >/dev/null 2>&1 &
    PIDS+=($!)
  done
  own "${PIDS[@]}"
  on_exit "sv_stop $*"
  # wait until every one is supervise (not still the shell or setsid) and
  # has written its status
  local p
  for p in "${PIDS[@]}"; do
    poll_until 30 "[ \"\$(cat /proc/$p/comm 2>/dev/null)\" = supervise ]"
  done
  for d; do poll_until 30 "[ -s '$d/supervise/status' ]"; done
}
# sv_stop DIR...: svc -dx, then KILL whatever is left after 20 s.
sv_stop() {
  "$SVC" -dx "$@" 2>/dev/null
  wait_owned_gone 20 || note "supervise left after 20 s; killing"
  kill_owned
}
# anon_sum PID...: anonymous memory (kB) summed: what a leak would grow;
# PSS also moves when other processes sharing libc's pages come and go.
anon_sum() { local p; for p; do cat "/proc/$p/smaps_rollup" 2>/dev/null; done | awk '$1 == "Anonymous:" { s += $2 } END { print s + 0 }'; }
fds_sum() { local p n=0; for p; do n=$((n + $(ls "/proc/$p/fd" 2>/dev/null | wc -l))); done; echo $n; }

while read -r impl bin; do
  mkdir -p "$W/bin.$impl"
  cp "$bin/supervise" "$W/bin.$impl/supervise"
  # idle: 1, then 20
  for n in 1 20; do
    dirs=()
    for ((i = 0; i < n; i++)); do
      make_service "$W/$impl.idle$n.$i"
      dirs+=("$W/$impl.idle$n.$i")
    done
    sv_start "$W/bin.$impl" "${dirs[@]}"
    sleep "$SETTLE"
    read -r c pss priv <<<"$(mem_sum "${PIDS[@]}")"
    if [ $n = 1 ]; then
      result $S "PSS of one idle supervise" "$impl" "$pss" kB
      result $S "private memory of one idle supervise" "$impl" "$priv" kB
    else
      result $S "PSS per idle supervise, $n running" "$impl" "$(calc "$pss / $c")" kB
    fi
    sv_stop "${dirs[@]}"
  done

  # crash-loop interval, one service
  d=$W/$impl.crash
  make_service "$d" 'date +%s.%N >>starts
exit 1'
  sv_start "$bin" "$d"
  want=8
  quick && want=3
  poll_until 30 "[ -e '$d/starts' ] && [ \$(wc -l <'$d/starts') -ge $want ]"
  sv_stop "$d"
  iv=$(awk 'NR > 1 { print $1 - prev } { prev = $1 }' "$d/starts")
  # shellcheck disable=SC2086
  result $S "crash loop: interval between starts (median)" "$impl" "$(median $iv)" s

  # K crash-looping services
  dirs=()
  counts=()
  for ((i = 0; i < K; i++)); do
    printf -v name '%s/%s.loop%04d' "$W" "$impl" "$i"
    make_service "$name" 'echo >>count
exit 1'
    dirs+=("$name")
    counts+=("$name/count")
    : >"$name/count"
  done
  sv_start "$bin" "${dirs[@]}"
  sleep "$SETTLE"
  fd0=$(fds_sum "${PIDS[@]}")
  anon0=$(anon_sum "${PIDS[@]}")
  # the window: start counts, CPU and clock read together at each end
  t0=$(now_us)
  wc -l "${counts[@]}" | awk '$2 != "total" { print $1 }' >"$W/n0"
  read -r cpu0 _ <<<"$(activity "${PIDS[@]}")"
  sleep "$WINDOW"
  read -r cpu1 _ <<<"$(activity "${PIDS[@]}")"
  wc -l "${counts[@]}" | awk '$2 != "total" { print $1 }' >"$W/n1"
  t1=$(now_us)
  fd1=$(fds_sum "${PIDS[@]}")
  anon1=$(anon_sum "${PIDS[@]}")
  secs=$(calc "($t1 - $t0) / 1000000")
  sv_stop "${dirs[@]}"
  rates=$(paste "$W/n0" "$W/n1" | awk -v t="$secs" '{ print ($2 - $1) / t }' | sort -g)
  result $S "$K crash loops: starts/s per service, slowest" "$impl" "$(head -1 <<<"$rates")" /s
  result $S "$K crash loops: starts/s per service, median" "$impl" "$(median $rates)" /s
  result $S "$K crash loops: starts/s per service, fastest" "$impl" "$(tail -1 <<<"$rates")" /s
  result $S "$K crash loops: CPU of all supervises" "$impl" "$(calc "($cpu1 - $cpu0) / 10000000 / $secs")" "% of a CPU"
  result $S "$K crash loops: descriptors, start -> end of window" "$impl" "$fd0 -> $fd1" ""
  result $S "$K crash loops: anonymous memory of all supervises, start -> end" "$impl" "$anon0 -> $anon1" kB
  rm -rf "${dirs[@]}"
done < <(impls)
bench_done
