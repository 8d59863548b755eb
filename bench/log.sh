#!/usr/bin/env bash
# Log throughput: ~200 MB of generated log lines (bench/genlog.awk, fixed
# seed, 20-300 bytes a line) piped by cat into each logger, writing into a
# directory on the same disk as the input:
#   ours / daemontools   multilog t s16777215 n5 DIR, multilog s16777215 n5 DIR
#   runit                svlogd -tt DIR (config: s16777215, n5)
#   s6                   s6-log t s16777215 n5 DIR
#   floor                cat > DIR/file (and, for reference, cat then an
#                        fsync of the file: the loggers fsync what they finish)
# The loggers are alternated over 3 repetitions; median wall time from the
# start of the pipeline to the logger's exit (so everything is on disk or
# in the page cache, rotations' fsyncs included). After the timed runs each
# logger runs once more keeping every file (n20), and its output, with the
# timestamps cut off, must be the input byte for byte.
. "$(dirname "$0")/lib.sh"
bench_init

BYTES=${BENCH_LOG_BYTES:-200000000}
REPS=3
if quick; then BYTES=2000000 REPS=1; fi
S=log
LOGGERS=("ours multilog t" "ours multilog" "daemontools multilog t" "daemontools multilog" "svlogd -tt" "s6-log t" cat "cat + fsync")

input=$(bench_input "$BYTES")

# missing NAME: why NAME cannot run, or nothing
missing() {
  case $1 in
    ours*) ours multilog || echo "n/a (not built)" ;;
    daemontools*) [ -x "$REF_BIN/multilog" ] || echo "n/a (not installed)" ;;
    svlogd*) command -v svlogd >/dev/null || echo "n/a (not installed)" ;;
    s6-log*) command -v s6-log >/dev/null || echo "n/a (not installed)" ;;
  esac
}

# run NAME KEEP OUT: pipe the input into logger NAME keeping KEEP files in
# OUT; sets ELAPSED (us), CPU (s) and RSS (kB); returns the logger's status.
run() {
  local name=$1 keep=$2 out=$3 cmd=() sink=/dev/null
  rm -rf "$out"
  case $name in
    "ours multilog t") cmd=("$DT_BIN/multilog" t s16777215 "n$keep" "$out") ;;
    "ours multilog") cmd=("$DT_BIN/multilog" s16777215 "n$keep" "$out") ;;
    "daemontools multilog t") cmd=("$REF_BIN/multilog" t s16777215 "n$keep" "$out") ;;
    "daemontools multilog") cmd=("$REF_BIN/multilog" s16777215 "n$keep" "$out") ;;
    "svlogd -tt")
      mkdir -p "$out"
      printf 's16777215\nn%s\n' "$keep" >"$out/config"
      cmd=(svlogd -tt "$out")
      ;;
    "s6-log t") cmd=(s6-log t s16777215 "n$keep" "$out") ;;
    cat) mkdir -p "$out" && cmd=(cat) sink=$out/file ;;
    "cat + fsync") mkdir -p "$out" && cmd=(sh -c 'cat >"$1" && sync "$1"' sh "$out/file") ;;
  esac
  local timer=()
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -o "$W/time" -f '%U %S %M')
  sync
  local t0 t1 rc
  t0=$(now_us)
  cat "$input" | "${timer[@]}" "${cmd[@]}" >"$sink" 2>"$W/err"
  rc=${PIPESTATUS[1]}
  t1=$(now_us)
  ELAPSED=$((t1 - t0)) CPU=n/a RSS=n/a
  if [ ${#timer[@]} -gt 0 ] && [ -s "$W/time" ]; then
    read -r u s RSS < <(tail -1 "$W/time")
    CPU=$(calc "$u + $s")
  fi
  return "$rc"
}

# output NAME OUT: what the logger wrote, oldest first, timestamps cut off.
output() {
  local name=$1 out=$2 f files=()
  case $name in cat*) cat "$out/file"; return ;; esac
  for f in $(cd "$out" && ls | grep '^@' | sort); do files+=("$out/$f"); done
  files+=("$out/current")
  case $name in
    *" t" | *-tt) cut -c27- "${files[@]}" ;;  # "@" + 24 hex + " ", or svlogd's 25-character date + " "
    *) cat "${files[@]}" ;;
  esac
}

declare -A times cpus rss why
for ((rep = 1; rep <= REPS; rep++)); do
  for name in "${LOGGERS[@]}"; do
    [ -n "$(missing "$name")" ] && continue
    [ -n "${why[$name]:-}" ] && continue
    if ! run "$name" 5 "$W/out"; then
      why[$name]="failed: $(head -c 100 "$W/err" | tr '\n\t' '  ')"
      continue
    fi
    times[$name]+=" $ELAPSED"
    cpus[$name]+=" $CPU"
    rss[$name]=$RSS
    if [ $rep = "$REPS" ]; then
      # what n5 kept must be the end of the input, unchanged
      output "$name" "$W/out" >"$W/kept"
      size=$(stat -c %s "$W/kept")
      if ! tail -c "$size" "$input" | cmp -s - "$W/kept"; then
        why[$name]="output (n5) is not the end of the input"
      fi
    fi
    rm -rf "$W/out"
  done
done

cat_time=
[ -n "${times[cat]:-}" ] && cat_time=$(median ${times[cat]})
for name in "${LOGGERS[@]}"; do
  m=$(missing "$name")
  if [ -n "$m" ]; then
    result $S throughput "$name" "$m" MB/s
    continue
  fi
  if [ -n "${why[$name]:-}" ]; then
    result $S throughput "$name" "${why[$name]}" MB/s
    continue
  fi
  t=$(median ${times[$name]})
  result $S throughput "$name" "$(calc "$BYTES / $t")" MB/s
  [ -n "$cat_time" ] && result $S "time vs cat" "$name" "$(calc "$t / $cat_time")" ×
  result $S "CPU time (user + sys)" "$name" "$(median ${cpus[$name]})" s
  result $S "peak RSS" "$name" "${rss[$name]}" kB
  # every line, unchanged, in a run that keeps every file
  if run "$name" 20 "$W/all" && output "$name" "$W/all" | cmp -s - "$input"; then
    result $S "all lines arrived unchanged (n20 run)" "$name" yes ""
  else
    result $S "all lines arrived unchanged (n20 run)" "$name" "**NO**" ""
  fi
  rm -rf "$W/all"
done
result $S "input" cat "$BYTES bytes, $(wc -l <"$input") lines" ""
bench_done
