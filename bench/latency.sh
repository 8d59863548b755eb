#!/usr/bin/env bash
# Latency, under each scanner in turn (the scanners alternated):
#   - crash-loop restart interval: a service whose run exits at once; the
#     median interval between its starts (behaviour: ~1 s, as the reference);
#   - `svc -t` (runit: `sv term`, s6: `s6-svc -t`) to the new start of a
#     service (median);
#   - pick-up of a new service `mv`ed into the scan directory, with no
#     other command: from just before the mv to the start of its run
#     (median and worst). For s6 also with the explicit `s6-svscanctl -a`.
# Start times are written by the run scripts themselves (date +%s%N), so
# polling costs nothing in the figures.
. "$(dirname "$0")/lib.sh"
bench_init

REPS=3       # alternations of the scanners
TERMS=2      # svc -t per alternation
PICKS=2      # new services per alternation
CRASH=6      # crash-loop starts to wait for (first alternation)
PICK_WAIT=8  # the reference rescans every 5 s
PAUSE=2.1    # before svc -t: well past the 1 s pause a supervisor keeps after a start
if quick; then REPS=1 TERMS=1 PICKS=1 CRASH=2 PICK_WAIT=1 PAUSE=1.1; fi
S=latency

stamp='date +%s%N >>starts'

# starts_count FILE / starts_last FILE (in microseconds)
starts_count() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
starts_last() { echo $(($(tail -1 "$1") / 1000)); }

term_cmd() {
  case $1 in
    ours) if ours svc; then echo "$DT_BIN/svc -t"; else echo "$REF_BIN/svc -t"; fi ;;
    daemontools) echo "$REF_BIN/svc -t" ;;
    runit) echo "sv term" ;;
    s6) echo "s6-svc -t" ;;
  esac
}

declare -A terms picks crashes notes
pick_no=0
for ((rep = 1; rep <= REPS; rep++)); do
  for impl in $SCANNERS; do
    miss=$(scanner_missing "$impl")
    if [ -n "$miss" ]; then
      if [ $rep = 1 ]; then
        result $S "crash-loop restart interval" "$impl" "$miss" s
        result $S "svc -t to new start" "$impl" "$miss" ms
        result $S "new service picked up, median" "$impl" "$miss" ms
      fi
      continue
    fi
    dir=$W/$impl.$rep
    stage=$W/stage.$impl.$rep
    mkdir -p "$dir" "$stage"
    make_service "$dir/term" "$stamp; exec sleep 100000"
    [ $rep = 1 ] && make_service "$dir/crash" "$stamp; exit 1"
    scanner_start "$impl" "$dir"
    cmd=$(term_cmd "$impl")
    if ! poll_until 10 "[ \$(starts_count $dir/term/starts) -ge 1 ]"; then
      notes[$impl]="service never started"
      scanner_stop "$impl" "$dir" "$SCAN_ID"
      continue
    fi
    for ((t = 0; t < TERMS; t++)); do
      sleep "$PAUSE"
      n=$(starts_count "$dir/term/starts")
      t0=$(now_us)
      $cmd "$dir/term" >/dev/null 2>&1
      if poll_until 5 "[ \$(starts_count $dir/term/starts) -gt $n ]"; then
        terms[$impl]+=" $(calc "($(starts_last "$dir/term/starts") - $t0) / 1000")"
      fi
    done
    for ((p = 0; p < PICKS; p++)); do
      pick_no=$((pick_no + 1))
      make_service "$stage/new$pick_no" "$stamp; exec sleep 100000"
      sleep 0.2
      t0=$(now_us)
      mv "$stage/new$pick_no" "$dir/"
      if poll_until "$PICK_WAIT" "[ -s $dir/new$pick_no/starts ]"; then
        picks[$impl]+=" $(calc "($(starts_last "$dir/new$pick_no/starts") - $t0) / 1000")"
      else
        picks[$impl]+=" >$((PICK_WAIT * 1000))"
      fi
      if [ "$impl" = s6 ]; then
        pick_no=$((pick_no + 1))
        make_service "$stage/new$pick_no" "$stamp; exec sleep 100000"
        sleep 0.2
        t0=$(now_us)
        mv "$stage/new$pick_no" "$dir/"
        s6-svscanctl -a "$dir"
        poll_until "$PICK_WAIT" "[ -s $dir/new$pick_no/starts ]" &&
          picks["s6 + s6-svscanctl -a"]+=" $(calc "($(starts_last "$dir/new$pick_no/starts") - $t0) / 1000")"
      fi
    done
    if [ $rep = 1 ]; then
      poll_until $((CRASH * 3)) "[ \$(starts_count $dir/crash/starts) -ge $CRASH ]"
      crashes[$impl]=$(awk 'NR > 1 { printf "%s ", ($1 - prev) / 1e9 } { prev = $1 }' "$dir/crash/starts")
    fi
    scanner_stop "$impl" "$dir" "$SCAN_ID"
    rm -rf "$dir" "$stage"
  done
done

# picks: ">N" (timed out) counts as N for the median, and shows as ">".
for impl in ours daemontools runit s6 "s6 + s6-svscanctl -a"; do
  [ -n "${crashes[$impl]:-}" ] && result $S "crash-loop restart interval" "$impl" "$(median ${crashes[$impl]})" s
  [ -n "${terms[$impl]:-}" ] && result $S "svc -t to new start" "$impl" "$(median ${terms[$impl]})" ms
  if [ -n "${picks[$impl]:-}" ]; then
    vals=${picks[$impl]//>/}
    m=$(median $vals) x=$(maxof $vals)
    case ${picks[$impl]} in *'>'*) [ "$x" = "$(maxof $vals)" ] && x=">$x" ;; esac
    case ${picks[$impl]} in *">$m"*) m=">$m" ;; esac
    result $S "new service picked up, median" "$impl" "$m" ms
    result $S "new service picked up, worst" "$impl" "$x" ms
  fi
  [ -n "${notes[$impl]:-}" ] && result $S "note" "$impl" "${notes[$impl]}" ""
done
bench_done
