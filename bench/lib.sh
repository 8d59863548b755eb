# Shared helpers of the benchmark sections (sourced, never run).
#
# Environment:
#   DT_BIN        our programs (default: Release build into build-bench)
#   REF_BIN       the reference daemontools 0.76 (default /usr/bin)
#   BENCH_QUICK   1: tiny sizes, one repetition (a smoke run, not figures)
#   BENCH_RESULTS the TSV file results are appended to (bench/run sets it;
#                 a section run on its own prints its own report)
#   BENCH_CACHE   where generated inputs are kept for the whole run
#   BENCH_TMPDIR  parent of the work directories (default /var/tmp: on disk)
#   BENCH_NO_INSTALL 1: never apt-get the references, skip what is missing
#
# Results are lines "section<TAB>metric<TAB>impl<TAB>value<TAB>unit"; a value
# that is not a number ("n/a (not built)") is printed as it is.
#
# Process safety: every daemon runs in its own session (setsid) and is
# stopped through its own control interface, then by recorded pid (pid and
# start time, so a reused pid is never hit); never by name.
set -u
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(dirname "$BENCH_DIR")
REF_BIN=${REF_BIN:-/usr/bin}
BENCH_QUICK=${BENCH_QUICK:-0}
BASE_PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
HZ=$(getconf CLK_TCK)
export LC_ALL=C

_bench_pgrps=()
_bench_stops=()

# ---- setup ----------------------------------------------------------------

# bench_build: set DT_BIN, building our programs in Release when it is unset.
bench_build() {
  if [ -n "${DT_BIN:-}" ]; then
    # absolute; a directory that does not exist just means nothing is built
    [ -d "$DT_BIN" ] && DT_BIN=$(cd "$DT_BIN" && pwd)
    export DT_BIN
    return
  fi
  local b=$SRC_DIR/build-bench
  note "building our programs (Release) in $b"
  if ! cmake -S "$SRC_DIR" -B "$b" -DCMAKE_BUILD_TYPE=Release -DDT_TESTS=OFF >/dev/null ||
    ! cmake --build "$b" -j2 >"$b.log" 2>&1; then
    tail -20 "$b.log" >&2
    note "the build failed (log: $b.log)"
    exit 1
  fi
  DT_BIN=$b/bin
  export DT_BIN
}

# bench_install: install the programs compared against, from Debian's
# packages. Never daemontools-run, runit-init or runit-run: nothing here
# changes the init system.
bench_install() {
  [ "${BENCH_NO_INSTALL:-0}" = 1 ] && return
  local need=()
  [ -x "$REF_BIN/multilog" ] || need+=(daemontools)
  command -v runsvdir >/dev/null || need+=(runit)
  command -v s6-svscan >/dev/null || need+=(s6)
  command -v hyperfine >/dev/null || need+=(hyperfine)
  [ -x /usr/bin/time ] || need+=(time)
  command -v ps >/dev/null || need+=(procps)
  if [ -z "${DT_BIN:-}" ]; then  # bench_build will need a compiler
    command -v cmake >/dev/null || need+=(cmake)
    command -v g++ >/dev/null || need+=(g++)
    command -v make >/dev/null || need+=(make)
  fi
  [ ${#need[@]} -eq 0 ] && return
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    note "not installing ${need[*]} (not root or no apt-get): those columns will say n/a"
    return
  fi
  note "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; } ||
    note "could not install ${need[*]}: those columns will say n/a"
}

# bench_init: work directory, results file, cleanup trap. Sets W.
bench_init() {
  bench_build
  local parent=${BENCH_TMPDIR:-/var/tmp}
  W=$(mktemp -d "$parent/dt-bench.XXXXXX") || exit 1
  if [ -z "${BENCH_CACHE:-}" ]; then
    BENCH_CACHE=$W/cache
    mkdir -p "$BENCH_CACHE"
  fi
  if [ -z "${BENCH_RESULTS:-}" ]; then
    BENCH_RESULTS=$W/results.tsv
    _bench_standalone=1
  else
    _bench_standalone=0
  fi
  : >>"$BENCH_RESULTS"
  trap _bench_cleanup EXIT
  trap 'exit 130' INT TERM HUP
}

# bench_done: a section run on its own prints its report.
bench_done() {
  if [ "$_bench_standalone" = 1 ]; then
    bash "$BENCH_DIR/report.sh" "$BENCH_RESULTS"
  fi
}

_bench_cleanup() {
  local i
  for ((i = ${#_bench_stops[@]} - 1; i >= 0; i--)); do eval "${_bench_stops[i]}" 2>/dev/null; done
  for i in "${_bench_pgrps[@]}"; do kill -KILL -- "-$i" 2>/dev/null; done
  kill_owned
  chmod -R u+rwx "$W" 2>/dev/null
  rm -rf "$W"
}

# on_exit CMD: run CMD at exit (last registered first).
on_exit() { _bench_stops+=("$1"); }

note() { printf 'bench: %s\n' "$*" >&2; }

quick() { [ "$BENCH_QUICK" = 1 ]; }

# ---- results ---------------------------------------------------------------

# result SECTION METRIC IMPL VALUE UNIT
result() {
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$BENCH_RESULTS"
}

# ours PROG...: all of our programs PROG are built.
ours() {
  local p
  for p; do [ -x "$DT_BIN/$p" ] || return 1; done
}

# ---- numbers ---------------------------------------------------------------

# now_us: wall clock in microseconds, without forking.
now_us() {
  local t=$EPOCHREALTIME
  echo "${t/./}"
}

# median N...: the median (mean of the middle two for an even count).
median() {
  [ $# -eq 0 ] && { echo "n/a"; return; }
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# maxof N...
maxof() { printf '%s\n' "$@" | sort -g | tail -1; }

# calc EXPR: floating-point arithmetic, printed with up to 3 decimals.
calc() { awk "BEGIN { v = $1; if (v == int(v)) printf \"%d\n\", v; else printf \"%.3f\n\", v }"; }

# ---- processes ---------------------------------------------------------------

# proc_cat FILE PID...: /proc/PID/FILE of every PID still there, one after
# the other (cat skips, quietly, those that vanish meanwhile).
proc_cat() {
  local f=$1
  shift
  [ $# -eq 0 ] && return 0
  printf "/proc/%s/$f\\0" "$@" | xargs -0 cat 2>/dev/null
  return 0
}

# starttime PID: the process's start, in clock ticks since boot (or nothing).
starttime() {
  local s
  read -r s <"/proc/$1/stat" 2>/dev/null || return 1
  s=${s##*) }
  set -- $s
  echo "${20}"
}

# own PID...: remember processes (pid:starttime, in $W/owned) to kill by
# pid if still alive, e.g. a supervision tree that did not stop by itself.
own() {
  proc_cat stat "$@" | awk '{ p = $1; sub(/.*\) /, ""); print p ":" $20 }' >>"$W/owned"
}

# alive PID:START: the very process recorded (not a reuse of its pid) lives
# and is not a zombie.
alive() {
  local p=${1%%:*} st=${1##*:} s
  read -r s <"/proc/$p/stat" 2>/dev/null || return 1
  s=${s##*) }
  set -- $s
  [ "$1" != Z ] && [ "${20}" = "$st" ]
}

# kill_owned: KILL the remembered processes still alive.
kill_owned() {
  local left
  left=$(owned_alive | sed 's/:.*//')
  # shellcheck disable=SC2086
  [ -n "$left" ] && kill -KILL $left 2>/dev/null
  : >"$W/owned"
}

# owned_alive: the remembered processes (PID:START) still alive.
owned_alive() {
  [ -s "$W/owned" ] || return 0
  # shellcheck disable=SC2046
  proc_cat stat $(sed 's/:.*//' "$W/owned") | awk -v list="$W/owned" '
    BEGIN { while ((getline l < list) > 0) { split(l, a, ":"); want[a[1]] = a[2] } }
    { p = $1; sub(/.*\) /, ""); if ($1 != "Z" && want[p] == $20) print p ":" $20 }'
}

# wait_owned_gone SECONDS: wait until no remembered process is alive.
wait_owned_gone() {
  local deadline=$(($(now_us) + $1 * 1000000))
  while [ -n "$(owned_alive | head -1)" ]; do
    [ "$(now_us)" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

# descendants PID: PID and every process below it, one per line.
descendants() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { kids[$2] = kids[$2] " " $1 }
    END {
      q[1] = root; n = 1
      for (i = 1; i <= n; i++) {
        print q[i]
        m = split(kids[q[i]], k, " ")
        for (j = 1; j <= m; j++) q[++n] = k[j]
      }
    }'
}

# tree_count PID: "SUPERVISORS SERVICES": children of PID, and their
# children whose command is sleep (the services, `exec sleep 100000`).
tree_count() {
  ps -e -o pid=,ppid=,comm= | awk -v root="$1" '
    { pp[$1] = $2; c[$1] = $3 }
    END {
      for (p in pp) if (pp[p] == root) sup[p] = 1
      for (p in pp) { if (p in sup) ns++; if ((pp[p] in sup) && c[p] == "sleep") nv++ }
      print ns + 0, nv + 0
    }'
}

# tree_pids PID LEVEL: the pids of PID's children (LEVEL 1) or grandchildren
# running sleep (LEVEL 2).
tree_pids() {
  ps -e -o pid=,ppid=,comm= | awk -v root="$1" -v level="$2" '
    { pp[$1] = $2; c[$1] = $3 }
    END {
      for (p in pp) if (pp[p] == root) sup[p] = 1
      for (p in pp) {
        if (level == 1 && (p in sup)) print p
        if (level == 2 && (pp[p] in sup) && c[p] == "sleep") print p
      }
    }'
}

# max_start PID...: the latest start time (ticks) among PIDs.
max_start() {
  proc_cat stat "$@" | sed 's/.*) //' | awk '$20 + 0 > m { m = $20 + 0 } END { print m + 0 }'
}

# mem_sum PID...: "COUNT PSS_KB PRIVATE_KB" summed over PIDs' smaps_rollup.
mem_sum() {
  proc_cat smaps_rollup "$@" | awk '
    $1 == "Pss:" { n++; pss += $2 }
    $1 == "Private_Clean:" || $1 == "Private_Dirty:" { priv += $2 }
    END { print n + 0, pss + 0, priv + 0 }'
}

# activity PID...: "CPU_NS WAKEUPS" summed: time on CPU (schedstat) and
# voluntary context switches (every sleep that ended in a wake-up is one;
# involuntary ones are preemptions, the load of the machine, not wake-ups).
activity() {
  local cpu sw
  cpu=$(proc_cat schedstat "$@" | awk '{ s += $1 } END { printf "%.0f\n", s }')
  sw=$(proc_cat status "$@" | awk '$1 == "voluntary_ctxt_switches:" { s += $2 } END { print s + 0 }')
  echo "$cpu $sw"
}

# ---- supervision trees -------------------------------------------------------

# The scanners compared. Each IMPL is one of:
#   ours         $DT_BIN/svscan running $DT_BIN/supervise
#   daemontools  $REF_BIN/svscan running $REF_BIN/supervise
#   runit        runsvdir -P running runsv
#   s6           s6-svscan running s6-supervise
SCANNERS=${BENCH_SCANNERS:-"ours daemontools runit s6"}

# scanner_missing IMPL: print why IMPL cannot run, or nothing.
scanner_missing() {
  case $1 in
    ours) ours svscan supervise || echo "n/a (not built)" ;;
    daemontools) [ -x "$REF_BIN/svscan" ] && [ -x "$REF_BIN/supervise" ] || echo "n/a (not installed)" ;;
    runit) command -v runsvdir >/dev/null && command -v runsv >/dev/null || echo "n/a (not installed)" ;;
    s6) command -v s6-svscan >/dev/null && command -v s6-supervise >/dev/null || echo "n/a (not installed)" ;;
  esac
}

# make_service DIR [RUN-BODY]: a service directory whose run script is
# "#!/bin/sh" + RUN-BODY (default: exec sleep 100000).
make_service() {
  mkdir -p "$1"
  printf '#!/bin/sh\n%s\n' "${2:-exec sleep 100000}" >"$1/run"
  chmod 755 "$1/run"
}

# make_services DIR K: K services svc00000... under DIR.
make_services() {
  local dir=$1 k=$2 i names=()
  mkdir -p "$dir"
  for ((i = 0; i < k; i++)); do printf -v 'names[i]' '%s/svc%05d' "$dir" "$i"; done
  printf '%s\0' "${names[@]}" | xargs -0 mkdir
  for ((i = 0; i < k; i++)); do printf '#!/bin/sh\nexec sleep 100000\n' >"${names[i]}/run"; done
  printf '%s/run\0' "${names[@]}" | xargs -0 chmod 755
}

# scanner_start IMPL DIR: start the scanner on DIR in its own session;
# sets SCAN_PID (the scanner itself: setsid execs it in place).
scanner_start() {
  local impl=$1 dir=$2
  # one background subshell that becomes the scanner: setsid does not fork
  # there (the subshell leads no process group), so $! is the scanner
  case $impl in
    ours) cd "$dir" && PATH=$DT_BIN:$BASE_PATH exec setsid "$DT_BIN/svscan" "$dir" ;;
    daemontools) cd "$dir" && PATH=$REF_BIN:$BASE_PATH exec setsid "$REF_BIN/svscan" "$dir" ;;
    runit) cd "$dir" && PATH=$BASE_PATH exec setsid runsvdir -P "$dir" ;;
    s6) cd "$dir" && PATH=$BASE_PATH exec setsid s6-svscan "$dir" ;;
  esac </dev/null >/dev/null 2>&1 &
  SCAN_PID=$!
  disown "$SCAN_PID"  # no "Killed" job report when it is stopped
  # wait until the subshell has become the scanner (bash, setsid, exec)
  local i c
  for ((i = 0; i < 500; i++)); do
    c=$(cat "/proc/$SCAN_PID/comm" 2>/dev/null) || break
    [ "$c" != bash ] && [ "$c" != setsid ] && break
    sleep 0.01
  done
  SCAN_ID=$SCAN_PID:$(starttime "$SCAN_PID")
  on_exit "scanner_stop $impl $dir $SCAN_ID"
}

# scanner_stop IMPL DIR PID:START: stop the services, their supervisors and
# the scanner through their own interfaces; KILL by pid what is left after
# 20 s. Does nothing when that scanner is gone (and its pid maybe reused).
scanner_stop() {
  local impl=$1 dir=$2 pid=${3%%:*}
  alive "$3" || return 0
  own $(descendants "$pid")
  case $impl in
    ours | daemontools)
      # svscan is stopped (so it starts no new supervise) while each
      # supervise is told to take its service down and exit; then killed.
      kill -STOP "$pid" 2>/dev/null
      own $(descendants "$pid")
      local svc=$REF_BIN/svc
      [ "$impl" = ours ] && ours svc && svc=$DT_BIN/svc
      find "$dir" -mindepth 1 -maxdepth 2 -type d ! -name supervise -print0 |
        xargs -0 -r "$svc" -dx 2>/dev/null
      kill -KILL "$pid" 2>/dev/null
      ;;
    runit) kill -HUP "$pid" 2>/dev/null ;;  # runsvdir: TERM every runsv, exit
    s6) s6-svscanctl -t "$dir" 2>/dev/null || kill -TERM "$pid" 2>/dev/null ;;
  esac
  wait_owned_gone 20 || note "$impl: processes left after 20 s; killing them"
  kill_owned
  return 0
}

# wait_up PID K SECONDS: poll until PID has K supervisors each running its
# service; returns 1 on timeout, or when nothing more came up for 15 s (a
# scanner at its limit). Leaves UP_COUNT ("SUPERVISORS SERVICES").
wait_up() {
  local pid=$1 k=$2 secs=$3 step=0.1 last=-1 since now
  [ "$k" -gt 500 ] && step=0.5
  local deadline=$(($(now_us) + secs * 1000000))
  while :; do
    UP_COUNT=$(tree_count "$pid")
    [ "${UP_COUNT#* }" -ge "$k" ] && return 0
    now=$(now_us)
    [ "$now" -ge "$deadline" ] && return 1
    if [ "$UP_COUNT" != "$last" ]; then
      last=$UP_COUNT since=$now
    elif [ $((now - since)) -gt 15000000 ]; then
      return 1
    fi
    sleep $step
  done
}

# up_seconds PID: seconds from the scanner's start to the latest start of
# one of its services (from /proc start times: 1/HZ resolution).
up_seconds() {
  local t0 t1
  t0=$(starttime "$1")
  t1=$(max_start $(tree_pids "$1" 2))
  calc "($t1 - $t0) / $HZ"
}

# poll_until SECONDS SHELL-CONDITION: evaluate the condition every 20 ms
# until it holds (0) or the time is up (1).
poll_until() {
  local deadline=$(($(now_us) + $1 * 1000000))
  while :; do
    eval "$2" && return 0
    [ "$(now_us)" -ge "$deadline" ] && return 1
    sleep 0.02
  done
}

# bench_input BYTES: print the path of BYTES of generated log lines
# (bench/genlog.awk, fixed seed), generated once per run.
bench_input() {
  local f=$BENCH_CACHE/log.$1
  if [ ! -s "$f" ]; then
    awk -v bytes="$1" -f "$BENCH_DIR/genlog.awk" >"$f.tmp" && mv "$f.tmp" "$f"
  fi
  printf '%s\n' "$f"
}
