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

NAMES=("ours t" "ours" "ours I" "ours T" "ours t B100000000" "ours t S50000000" "reference t" "reference"
  "svlogd -tt" "s6-log t" "s6-log T" "cat" "cat+fsync")
[ -n "${BENCH_NAMES:-}" ] && eval "NAMES=($BENCH_NAMES)"  # a subset, e.g. '"ours t" cat
cmd() {
  local out=$work/out
  case $1 in
    "ours t") echo "$DT_BIN/multilog t s16777215 n5 $out" ;;
    "ALT t") echo "$ALT_BIN/multilog t s16777215 n5 $out" ;;
    "ours") echo "$DT_BIN/multilog s16777215 n5 $out" ;;
    "ours I") echo "$DT_BIN/multilog I s16777215 n5 $out" ;;
    "ours T") echo "$DT_BIN/multilog T s16777215 n5 $out" ;;
    "ours t B100000000") echo "$DT_BIN/multilog t B100000000 n5 $out" ;;
    "ours t S50000000") echo "$DT_BIN/multilog t s16777215 n100 S50000000 $out" ;;
    "reference t") echo "$REF_BIN/multilog t s16777215 n5 $out" ;;
    "reference") echo "$REF_BIN/multilog s16777215 n5 $out" ;;
    "svlogd -tt") echo "svlogd -tt $out" ;;
    "s6-log t") echo "s6-log t s16777215 n5 $out" ;;
    "s6-log T") echo "s6-log T s16777215 n5 $out" ;;
    cat) echo "cat" ;;
  esac
}
available() {
  case $1 in
    ours*) [ -x "$DT_BIN/multilog" ] ;;
    ALT*) [ -x "${ALT_BIN:-/nonexistent}/multilog" ] ;;  # another build, e.g. before a change
    reference*) [ -x "$REF_BIN/multilog" ] ;;
    svlogd*) command -v svlogd >/dev/null ;;
    s6-log*) command -v s6-log >/dev/null ;;
    cat*) true ;;
  esac
}

# run NAME: one timed run; prints the wall time and the logger's CPU time
# (user + system) in seconds
run() {
  local out=$work/out c t0 t1
  rm -rf "$out"
  mkdir -p "$out"
  [ "$1" = "svlogd -tt" ] && printf 's16777215\nn5\n' >"$out/config"
  c=$(cmd "$1")
  sync
  t0=$(date +%s%N)
  case $1 in
    cat) cat "$input" | /usr/bin/time -f '%U %S' -o "$work/cpu" cat >"$out/file" ;;
    cat+fsync) cat "$input" | /usr/bin/time -f '%U %S' -o "$work/cpu" sh -c 'cat >"$1" && sync "$1"' sh "$out/file" ;;  # as durable as a logger's files
    *) cat "$input" | /usr/bin/time -f '%U %S' -o "$work/cpu" $c ;;
  esac
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
  awk '{ printf " %.2f", $1 + $2 }' "$work/cpu"
}

# every line arrives: each logger once more keeping every file (n100);
# prints the lines out, marked when they are not the lines in
check_lines() {
  local out=$work/out c n
  rm -rf "$out"
  mkdir -p "$out"
  [ "$1" = "svlogd -tt" ] && printf 's16777215\nn100\n' >"$out/config"
  c=$(cmd "$1" | sed 's/ n5 / n100 /; s/ S50000000 / /')  # S deletes lines by design
  case $1 in
    cat*) cat "$input" | cat >"$out/file" ;;
    *) cat "$input" | $c ;;
  esac
  n=$(cat "$out"/@* "$out"/current "$out"/file 2>/dev/null | wc -l)
  if [ "$n" = "$lines_in" ]; then echo "$n"; else echo "$n (MISMATCH)"; fi
}

declare -A times cpus
for ((r = 0; r < REPS; r++)); do
  for name in "${NAMES[@]}"; do
    available "$name" || continue
    set -- $(run "$name")
    times[$name]+="$1 "
    cpus[$name]+="$2 "
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "multilog throughput: $bytes_in bytes, $lines_in lines, $REPS rounds, median wall time and logger CPU"
printf '%-20s %9s %9s %9s %10s %12s\n' logger seconds MB/s "CPU s" "CPU ms/MB" "lines out"
declare -A med
for name in "${NAMES[@]}"; do
  if ! available "$name"; then printf '%-20s %9s\n' "$name" "n/a (not installed)"; continue; fi
  med[$name]=$(echo "${times[$name]}" | median)
  cpu=$(echo "${cpus[$name]}" | median)
  printf '%-20s %9s %9.1f %9s %10.2f %12s\n' "$name" "${med[$name]}" \
    "$(awk -v s="${med[$name]}" -v b="$bytes_in" 'BEGIN { print b / s / 1e6 }')" "$cpu" \
    "$(awk -v s="$cpu" -v b="$bytes_in" 'BEGIN { print s * 1000 / (b / 1e6) }')" "$(check_lines "$name")"
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
echo "  ours t / cat+fsync:     $(ratio "${med[ours t]:-0}" "${med[cat+fsync]:-0}")   (target <= 1.2: the same bytes made durable)"
echo "  ours / cat+fsync:       $(ratio "${med[ours]:-0}" "${med[cat+fsync]:-0}")"
echo "  ours I / ours t:        $(ratio "${med[ours I]:-0}" "${med[ours t]:-0}")   (I at the speed of t: about 1)"
echo "  ours T / ours t:        $(ratio "${med[ours T]:-0}" "${med[ours t]:-0}")"

# idle wake-ups (voluntary context switches) of a multilog with R: after
# one line, R3600 must not wake at all in the window; R2 wakes once for
# its one rotation due, then never again (current is empty)
[ -x "$DT_BIN/multilog" ] || exit 0
wakes() { # WORD SECONDS: wake-ups of ours over SECONDS after one line
  local d=$work/idle fifo pid n1 n2 
  rm -rf "$d"; mkdir -p "$d"; fifo=$d/in; mkfifo "$fifo"
  "$DT_BIN/multilog" "$1" "$d/main" <"$fifo" &
  pid=$!
  exec 8>"$fifo"
  echo line >&8
  sleep 0.5
  n1=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' /proc/$pid/status)
  sleep "$2"
  n2=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' /proc/$pid/status)
  exec 8>&-
  wait $pid
  echo "$((n2 - n1)) wake-ups in $2 s, $(ls "$d/main" | grep -c '^@') rotation(s)"
}
echo
echo "idle wake-ups after one line:"
echo "  multilog R3600: $(wakes R3600 10)   (target: 0)"
echo "  multilog R2:    $(wakes R2 10)   (target: 1, the rotation due)"
