#!/usr/bin/env bash
# Timestamp filters: tai64n and tai64nlocal, ours against the reference and
# s6's s6-tai64n / s6-tai64nlocal, with cat as the floor. Input: the
# generated log (100 MB; for tai64nlocal the same lines stamped by
# tai64n), read from a file, output to /dev/null. The filters are
# alternated over 3 repetitions; median wall time. Checks: our tai64n's
# output without its stamps is the input, and our tai64nlocal's output is
# the reference's, byte for byte (same TZ).
. "$(dirname "$0")/lib.sh"
bench_init

BYTES=${BENCH_TAI_BYTES:-100000000}
REPS=3
if quick; then BYTES=2000000 REPS=1; fi

input=$(bench_input "$BYTES")
stamped=$BENCH_CACHE/stamped.$BYTES
stamper=$REF_BIN/tai64n
[ -x "$stamper" ] || stamper=$DT_BIN/tai64n
[ -x "$stamper" ] || stamper=s6-tai64n
"$stamper" <"$input" >"$stamped" 2>/dev/null || : >"$stamped"

# cmd SECTION IMPL: the filter's path, or nothing
cmd() {
  case $2 in
    ours) ours "$1" && echo "$DT_BIN/$1" ;;
    daemontools) [ -x "$REF_BIN/$1" ] && echo "$REF_BIN/$1" ;;
    s6) command -v "s6-$1" ;;
    cat) command -v cat ;;
  esac
}

for S in tai64n tai64nlocal; do
  in=$input
  [ $S = tai64nlocal ] && in=$stamped
  declare -A times=()
  for ((rep = 1; rep <= REPS; rep++)); do
    for impl in ours daemontools s6 cat; do
      c=$(cmd $S $impl) || continue
      [ -n "$c" ] || continue
      t0=$(now_us)
      "$c" <"$in" >/dev/null || continue
      t1=$(now_us)
      times[$impl]+=" $((t1 - t0))"
    done
  done
  for impl in ours daemontools s6 cat; do
    if [ -z "${times[$impl]:-}" ]; then
      case $impl in ours) why="n/a (not built)" ;; *) why="n/a (not installed)" ;; esac
      result $S throughput "$impl" "$why" MB/s
      continue
    fi
    t=$(median ${times[$impl]})
    result $S throughput "$impl" "$(calc "$(stat -c %s "$in") / $t")" MB/s
    [ -n "${times[cat]:-}" ] && result $S "time vs cat" "$impl" "$(calc "$t / $(median ${times[cat]})")" ×
  done
  unset times
done

if ours tai64n; then
  if "$DT_BIN/tai64n" <"$input" | cut -c27- | cmp -s - "$input"; then v=yes; else v="**NO**"; fi
  result tai64n "output is the input, stamped" ours "$v" ""
fi
if ours tai64nlocal && [ -x "$REF_BIN/tai64nlocal" ]; then
  if cmp -s <("$DT_BIN/tai64nlocal" <"$stamped") <("$REF_BIN/tai64nlocal" <"$stamped"); then v=yes; else v="**NO**"; fi
  result tai64nlocal "output is the reference's" ours "$v" ""
fi
result tai64nlocal "TZ" cat "${TZ:-unset, /etc/localtime: $(readlink /etc/localtime 2>/dev/null || echo none)}" ""
bench_done
