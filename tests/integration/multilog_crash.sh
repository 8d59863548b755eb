#!/usr/bin/env bash
# multilog killed with SIGKILL at random points, again and again, while
# numbered lines flow through rotations (s4096): after every restart the
# log directory holds each line once, in order, and loses none that
# multilog had written to disk (issue 14, bug 1: a kill between the link of
# previous to its @name and the unlink of previous left the file under two
# names, and the next start linked it a third time).
#
# The input is a pipe that outlives every multilog, as svscan's log pipe
# does: the test holds both ends, so what a killed multilog had not read is
# still there for the next one. Lines a multilog had read but not yet
# written die with it (that is what kill -9 means); so the check is:
#   - every complete line on disk at a kill (counting each file once, by
#     inode, whatever its names) is in the final log;
#   - the final log (@* by name, then current) has strictly increasing line
#     numbers: none twice, none out of order;
#   - a line is missing only right after the last complete line on disk at
#     some kill (what that multilog had read and not written), and a broken
#     line only where an unfinished file (.u) ends without a newline and the
#     next file goes on;
#   - the last line is there (the last multilog reads to the end of input);
#   - no file has two names.
# Half the kills are real (kill -9 after a random delay), half come from the
# crashat shim, at a random one of the moments before and after each call
# that changes a file (so also between link and unlink). The reference runs
# a shorter series of the same, to show the check holds for 0.76 as well.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"

ROUNDS=${ML_CRASH_ROUNDS:-200}
REF_ROUNDS=${ML_CRASH_REF_ROUNDS:-60}
BATCH=${ML_CRASH_BATCH:-400}
shim=${DT_TESTS:-}/crashat.so
if [ ! -f "$shim" ]; then
  skip "crash: $shim not built"
  finish
fi
# tmpfs when there is one: fsync costs nothing there, and a kill -9 keeps
# the page cache anyway, so the disk adds nothing to what is tested
base=$TEST_ROOT
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  base=$(mktemp -d /dev/shm/dt-crash.XXXXXX)
  trap '[ -n "${ML_CRASH_KEEP:-}" ] && cp -a "$base" "$ML_CRASH_KEEP"; rm -rf "$base"; _cleanup' EXIT
fi

# The lines: L<7 digits>-abcdefghijklmnopqrstuvw-<the same 7 digits>.
# Both awk programs below read whole files (RS is a byte no log holds), so
# they see whether a file ends inside a line; FILES names a file holding
# the names of the files to read, one a line.
AWK_LIB='
function wf(s) {
  return length(s) == 40 && substr(s, 1, 1) == "L" && substr(s, 2, 7) ~ /^[0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/ &&
    substr(s, 2, 7) == substr(s, 34, 7) && substr(s, 9, 25) == "-abcdefghijklmnopqrstuvw-"
}
function slurp(path,   c, r) {
  c = ""
  while ((getline r < path) > 0) c = c r
  close(path)
  return c
}
function names(list, out,   all) {
  all = slurp(list)
  sub(/\n$/, "", all)
  return all == "" ? 0 : split(all, out, "\n")
}
'
# snapshot: the numbers of the complete lines in the files named, then
# "max N" (0 if none)
SNAPSHOT=$AWK_LIB'
BEGIN {
  RS = "\001"; max = 0
  k = names(FILES, f)
  for (i = 1; i <= k; i++) {
    m = split(slurp(f[i]), L, "\n")
    for (j = 1; j <= m; j++) if (wf(L[j])) { n = substr(L[j], 2, 7) + 0; print n; if (n > max) max = n }
  }
  print "max " max
}'

# The checker reads the final log, FILES in order (@* by name, then
# current), and prints "gap A" for each hole after complete line A, "last
# N", "fragments K" and a "bad: ..." line for anything against the rules.
# A .u file is what a killed multilog left; the next file begins with what
# the next multilog read first. So the unterminated end of a .u file is
# joined to the first line of the next file, and that first line may be a
# fragment (the killed one had read the start of the line, not written it).
CHECK=$AWK_LIB'
function line(s, joined,   n, h) {
  if (wf(s)) {
    n = substr(s, 2, 7) + 0
    if (n <= last || n <= frag) print "bad: line " n " after " (last > frag ? last : frag) " (twice or out of order) in " name
    else { if (n > last + 1) print "gap " last; last = n }
  } else if (joined) {
    h = substr(s, 1, 1) == "L" && substr(s, 2, 7) ~ /^[0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/ ? substr(s, 2, 7) + 0 : 0
    if (h && (h <= last || h <= frag)) print "bad: broken line " h " after " last " in " name
    if (h) frag = h
    nfrag++
  } else print "bad: broken line in " name ": " substr(s, 1, 50)
}
BEGIN {
  RS = "\001"; last = 0; frag = 0; pending = ""; afteru = 0
  k = names(FILES, f)
  for (i = 1; i <= k; i++) {
    name = f[i]; sub(/.*\//, "", name)
    c = slurp(f[i])
    if (c != "") {
      m = split(c, L, "\n")   # L[m] is "" when c ends with a newline
      for (j = 1; j < m; j++) {
        s = L[j]; joined = 0
        if (j == 1) { s = pending s; pending = ""; joined = afteru }
        line(s, joined)
      }
      if (L[m] != "") {
        if (m == 1) { L[m] = pending L[m]; pending = "" }
        if (name ~ /\.u$/) pending = L[m]
        else print "bad: " name " ends inside a line"
      }
      afteru = name ~ /\.u$/
    } else if (name ~ /\.u$/) afteru = 1
  }
  if (pending != "") line(pending, 1)
  print "last " last; print "fragments " nfrag + 0
}'

# gen: for each token read, the next BATCH numbered lines, one write each
gen() {
  local n=0 i a
  while read -r _; do
    a=()
    for ((i = 0; i < BATCH; i++)); do
      n=$((n + 1))
      a+=("$n" "$n")
    done
    printf 'L%07d-abcdefghijklmnopqrstuvw-%07d\n' "${a[@]}"
  done
}

# crash_series BIN ROUNDS DIR ARGS...: the kills, one after another, then a last
# multilog that reads to the end of input; leaves in DIR: log/ (the log),
# acked (numbers on disk at some kill), kills (the last complete number on
# disk at each kill), rc (of the last multilog), counts
crash_series() {
  local bin=$1 rounds=$2 d=$3 r pid at i keep rd tok
  shift 3
  mkdir -p "$d"
  mkfifo "$d/fifo"
  : >"$d/acked"
  : >"$d/kills"
  : >"$d/seen"
  exec {keep}<>"$d/fifo"
  exec {rd}<"$d/fifo"
  exec {tok}> >(exec {rd}<&- {keep}<&-; gen >"$d/fifo")
  local shimmed=0 fired=0 real=0
  for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then
      # the shim kills it at event AT: start-up takes about 20, a rotation 16
      at=$((1 + RANDOM % ${CRASH_SPAN:-120}))
      (cd "$d" && CRASH_AT=$at LD_PRELOAD="$shim" exec "$bin/multilog" "$@" n9999 s4096 ./log <&$rd 2>>.err {rd}<&- {keep}<&- {tok}>&-) &
      pid=$!
      echo go >&$tok
      shimmed=$((shimmed + 1))
      for ((i = 0; i < 1000; i++)); do kill -0 $pid 2>/dev/null || break; sleep 0.01; done
      if kill -0 $pid 2>/dev/null; then kill -KILL $pid; else fired=$((fired + 1)); fi
    else
      (cd "$d" && exec "$bin/multilog" "$@" n9999 s4096 ./log <&$rd 2>>.err {rd}<&- {keep}<&- {tok}>&-) &
      pid=$!
      echo go >&$tok
      i=$((RANDOM % 25))
      [ $i -gt 0 ] && sleep "0.0$(printf %02d $i)"
      kill -KILL $pid
      real=$((real + 1))
    fi
    wait $pid
    # what is on disk now: the @ files new since the last kill (the others
    # do not change), and previous, processed, current
    (cd "$d/log" 2>/dev/null && ls -1) | grep '^@' | LC_ALL=C sort >"$d/now"
    { LC_ALL=C comm -13 "$d/seen" "$d/now"; printf '%s\n' previous processed current; } | sed "s|^|$d/log/|" >"$d/read"
    mv "$d/now" "$d/seen"
    awk -v FILES="$d/read" "$SNAPSHOT" >"$d/snap"
    grep -v '^max' "$d/snap" >>"$d/acked"
    sed -n 's/^max //p' "$d/snap" >>"$d/kills"
  done
  # the end of input: one more batch, the generator ends, nobody else
  # holds the pipe
  echo go >&$tok
  exec {tok}>&- {keep}>&-
  (cd "$d" && exec "$bin/multilog" "$@" n9999 s4096 ./log <&$rd 2>>.err {rd}<&-) &
  pid=$!
  exec {rd}<&-
  wait $pid
  echo "$?" >"$d/rc"
  echo "$shimmed $fired $real" >"$d/counts"
}

# verdict WHO DIR ROUNDS
verdict() {
  local who=$1 d=$2 rounds=$3
  { (cd "$d/log" && ls -1) | grep '^@' | LC_ALL=C sort; echo current; } | sed "s|^|$d/log/|" >"$d/final"
  awk -v FILES="$d/final" "$CHECK" >"$d/result"
  check "$who: last multilog exits 0" test "$(cat "$d/rc")" = 0
  if grep -q '^bad' "$d/result"; then
    fail "$who: every line once, in order"
    grep '^bad' "$d/result" | head -5 | sed 's/^/    /'
  else
    pass
  fi
  check "$who: the last line is there" test "$(sed -n 's/^last //p' "$d/result")" = "$(((rounds + 1) * BATCH))"
  # every hole begins right after the last complete line of some kill
  local bad_gaps
  bad_gaps=$(sed -n 's/^gap //p' "$d/result" | sort -u | comm -23 - <(sort -u "$d/kills"))
  if [ -z "$bad_gaps" ]; then pass; else
    fail "$who: lines lost where no kill was: after $(echo $bad_gaps | cut -c1-80)"
  fi
  # nothing that was on disk at a kill is lost
  awk -v FILES="$d/final" "$SNAPSHOT" | grep -v '^max' | sort -u >"$d/have"
  local lost
  lost=$(sort -u "$d/acked" | comm -23 - "$d/have")
  if [ -z "$lost" ]; then pass; else
    fail "$who: lines on disk at a kill lost: $(echo $lost | cut -c1-80)"
  fi
  local twice
  twice=$(find "$d/log" -type f -links +1 | wc -l)
  check "$who: no file under two names ($twice)" test "$twice" = 0
  # the series really was one: kills of both kinds, rotations, holes
  read -r shimmed fired real <"$d/counts"
  check "$who: $shimmed shim kills ($fired fired) and $real real kills" test "$((shimmed + real))" = "$rounds" -a "$fired" -gt $((shimmed / 2))
  local files
  files=$(grep -c '/@' "$d/final")
  check "$who: rotations happened ($files files)" test "$files" -gt "$rounds"
  printf '%s: %s rounds (%s shim kills, %s of them fired), %s files, %s holes, %s\n' "$who" "$rounds" "$shimmed" "$fired" "$files" "$(grep -c '^gap' "$d/result")" "$(grep '^fragments' "$d/result")"
}

# the series: without a processor, and with one (!cat: the finished files
# come from processed); each with ours and, shorter, the reference
PROC_ROUNDS=${ML_CRASH_PROC_ROUNDS:-60}
pids=()
crash_series "$DT_BIN" "$ROUNDS" "$base/ours" 2>"$base/ours.sh.err" &
pids+=($!)
crash_series "$DT_BIN" "$PROC_ROUNDS" "$base/ours-proc" '!cat' 2>"$base/ours-proc.sh.err" &
pids+=($!)
wait "${pids[@]}"
# beyond 0.76: finished files named .log (wlog), the size set by B
crash_series "$DT_BIN" "$PROC_ROUNDS" "$base/ours-w" wlog B4096 2>"$base/ours-w.sh.err"
if has_ref multilog && [ "$REF_ROUNDS" -gt 0 ]; then
  pids=()
  crash_series "$REF_BIN" "$REF_ROUNDS" "$base/ref" 2>"$base/ref.sh.err" &
  pids+=($!)
  crash_series "$REF_BIN" "$((PROC_ROUNDS / 2))" "$base/ref-proc" '!cat' 2>"$base/ref-proc.sh.err" &
  pids+=($!)
  wait "${pids[@]}"
fi
verdict ours "$base/ours" "$ROUNDS"
verdict "ours, !cat" "$base/ours-proc" "$PROC_ROUNDS"
verdict "ours, wlog B4096" "$base/ours-w" "$PROC_ROUNDS"
check "ours, wlog B4096: finished files are .log" test -n "$(ls "$base/ours-w/log" | grep '^@[0-9a-f]*\.log$')" -a -z "$(ls "$base/ours-w/log" | grep '^@' | grep -v '\.\(log\|u\)$')"
if has_ref multilog && [ "$REF_ROUNDS" -gt 0 ]; then
  verdict reference "$base/ref" "$REF_ROUNDS"
  verdict "reference, !cat" "$base/ref-proc" "$((PROC_ROUNDS / 2))"
else
  skip "crash: reference multilog not installed"
fi
finish
