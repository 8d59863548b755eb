#!/usr/bin/env bash
# multilog throughput, ours against the reference, runit's svlogd, s6-log and
# cat as the floor: ~200 MB of log lines (bench/multilog-input.awk, fixed
# seed, mixed lengths) piped by cat into each, writing to a directory on the
# same disk; the loggers alternated over REPS rounds, median wall time until
# the logger exits (its fsyncs included). Every run must log as many lines
# as it was given. Prints a table and the ratios of the targets.
#   bench/multilog.sh [MB] [REPS]      DT_BIN=our bin dir (default build-mlog/bin)
#   (bench/run multilog runs it with bench/run's DT_BIN; BENCH_QUICK=1: 2 MB, once)
# Installs runit and s6 from Debian when missing (never runit-init/runit-run).
set -u
cd "$(dirname "$0")/.." || exit 1
MB=${1:-200}
REPS=${2:-3}
if [ "${BENCH_QUICK:-0}" = 1 ]; then MB=2 REPS=1; fi  # bench/run --quick: the script works
DT_BIN=${DT_BIN:-$PWD/build-mlog/bin}
REF_BIN=${REF_BIN:-/usr/bin}
export LC_ALL=C

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ "${BENCH_NO_INSTALL:-0}" != 1 ]; then
  need=()
  command -v svlogd >/dev/null || need+=(runit)
  command -v s6-log >/dev/null || need+=(s6)
  [ -x "$REF_BIN/multilog" ] || need+=(daemontools)
  [ ${#need[@]} -gt 0 ] && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/dt-bench-multilog.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
input=$work/input
awk -v seed=1 -v bytes=$((MB * 1000000)) -f bench/multilog-input.awk >"$input"
lines_in=$(wc -l <"$input")
bytes_in=$(stat -c %s "$input")

NAMES=("ours t" "ours" "reference t" "reference" "svlogd -tt" "s6-log t" "cat" "cat+fsync")
cmd() {
  local out=$work/out
  case $1 in
    "ours t") echo "$DT_BIN/multilog t s16777215 n5 $out" ;;
    "ours") echo "$DT_BIN/multilog s16777215 n5 $out" ;;
    "reference t") echo "$REF_BIN/multilog t s16777215 n5 $out" ;;
    "reference") echo "$REF_BIN/multilog s16777215 n5 $out" ;;
    "svlogd -tt") echo "svlogd -tt $out" ;;
    "s6-log t") echo "s6-log t s16777215 n5 $out" ;;
    cat) echo "cat" ;;
  esac
}
available() {
  case $1 in
    ours*) [ -x "$DT_BIN/multilog" ] ;;
    reference*) [ -x "$REF_BIN/multilog" ] ;;
    svlogd*) command -v svlogd >/dev/null ;;
    s6-log*) command -v s6-log >/dev/null ;;
    cat*) true ;;
  esac
}

# run NAME: one timed run; prints the wall time in seconds
run() {
  local out=$work/out c t0 t1
  rm -rf "$out"
  mkdir -p "$out"
  [ "$1" = "svlogd -tt" ] && printf 's16777215\nn5\n' >"$out/config"
  c=$(cmd "$1")
  sync
  t0=$(date +%s%N)
  case $1 in
    cat) cat "$input" | cat >"$out/file" ;;
    cat+fsync) cat "$input" | cat >"$out/file" && sync "$out/file" ;;  # as durable as a logger's files
    *) cat "$input" | $c ;;
  esac
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}

# every line arrives: each logger once more keeping every file (n100);
# prints the lines out, marked when they are not the lines in
check_lines() {
  local out=$work/out c n
  rm -rf "$out"
  mkdir -p "$out"
  [ "$1" = "svlogd -tt" ] && printf 's16777215\nn100\n' >"$out/config"
  c=$(cmd "$1" | sed 's/ n5 / n100 /')
  case $1 in
    cat*) cat "$input" | cat >"$out/file" ;;
    *) cat "$input" | $c ;;
  esac
  n=$(cat "$out"/@* "$out"/current "$out"/file 2>/dev/null | wc -l)
  if [ "$n" = "$lines_in" ]; then echo "$n"; else echo "$n (MISMATCH)"; fi
}

declare -A times
for ((r = 0; r < REPS; r++)); do
  for name in "${NAMES[@]}"; do
    available "$name" || continue
    times[$name]+="$(run "$name") "
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "multilog throughput: $bytes_in bytes, $lines_in lines, $REPS rounds, median wall time"
printf '%-14s %10s %10s %12s\n' logger seconds MB/s "lines out"
declare -A med
for name in "${NAMES[@]}"; do
  if ! available "$name"; then printf '%-14s %10s\n' "$name" "n/a (not installed)"; continue; fi
  med[$name]=$(echo "${times[$name]}" | median)
  printf '%-14s %10s %10.1f %12s\n' "$name" "${med[$name]}" "$(awk -v s="${med[$name]}" -v b="$bytes_in" 'BEGIN { print b / s / 1e6 }')" "$(check_lines "$name")"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
echo
echo "ratios (higher is better for ours):"
echo "  reference t / ours t:   $(ratio "${med[reference t]:-0}" "${med[ours t]:-0}")   (target >= 5)"
echo "  reference / ours:       $(ratio "${med[reference]:-0}" "${med[ours]:-0}")   (target >= 5)"
echo "  s6-log t / ours t:      $(ratio "${med[s6-log t]:-0}" "${med[ours t]:-0}")   (target >= 1)"
echo "  svlogd -tt / ours t:    $(ratio "${med[svlogd -tt]:-0}" "${med[ours t]:-0}")"
echo "  ours t / cat:           $(ratio "${med[ours t]:-0}" "${med[cat]:-0}")   (target <= 2)"
echo "  ours / cat:             $(ratio "${med[ours]:-0}" "${med[cat]:-0}")   (target <= 2)"
echo "  ours t / cat+fsync:     $(ratio "${med[ours t]:-0}" "${med[cat+fsync]:-0}")   (the same bytes made durable: the disk's floor)"
echo "  ours / cat+fsync:       $(ratio "${med[ours]:-0}" "${med[cat+fsync]:-0}")"
