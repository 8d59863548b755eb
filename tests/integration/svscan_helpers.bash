# Helpers shared by the svscan*.sh tests (sourced after tests/lib.sh; not a
# test itself: the suite runs only *.sh).

# The supervise both svscans run: ours once built, else the reference's.
SUP=$DT_BIN
[ -x "$SUP/supervise" ] || SUP=$REF_BIN
# need_supervise: end the script (skipped) when there is no supervise at all.
need_supervise() {
  [ -x "$SUP/supervise" ] && return
  skip "no supervise to run"
  finish
}

# IMPLS: "ours" and, when the reference svscan is installed, "ref".
IMPLS=(ours)
if has_ref svscan; then IMPLS+=(ref); fi
ref_note() { has_ref svscan || skip "reference svscan not installed: differential half${1:+ ($1)}"; }
bin_of() { if [ "$1" = ours ]; then echo "$DT_BIN"; else echo "$REF_BIN"; fi; }

# mksvc DIR [RUN-BODY]: a service directory whose run is "#!/bin/sh" +
# RUN-BODY (default: exec sleep 100000).
mksvc() {
  mkdir -p "$1"
  printf '#!/bin/sh\n%s\n' "${2:-exec sleep 100000}" >"$1/run"
  chmod +x "$1/run"
}

# scan_start BIN DIR [ENV...]: BIN/svscan DIR in a session of its own (setsid
# execs it in place, so the pid is svscan's), stdout and stderr in DIR.out
# and DIR.err. Sets SCAN_PID.
scan_start() {
  local bin=$1 dir=$2
  shift 2
  setsid env PATH="$SUP:/usr/bin:/bin" "$@" "$bin/svscan" "$dir" >"$dir.out" 2>"$dir.err" </dev/null &
  SCAN_PID=$!
  track_pgrp "$SCAN_PID"
}
# scan_stop [PID]: the whole session of that svscan (default SCAN_PID) TERMed,
# KILLed if it is still there after 5 s.
scan_stop() {
  local p=${1:-$SCAN_PID}
  kill -TERM -- "-$p" 2>/dev/null
  poll 5 eval "! kill -0 -- -$p 2>/dev/null" || kill -KILL -- "-$p" 2>/dev/null
  wait "$p" 2>/dev/null
  return 0
}

# kids PID: the command lines of PID's children (zombies left out), sorted,
# comma-separated.
kids() { ps -o stat=,args= --ppid "$1" | awk '$1 !~ /^Z/ { $1 = ""; sub(/^ /, ""); print }' | sort | paste -sd, -; }
kids_are() { [ "$(kids "$1")" = "$2" ]; }
nkids() { ps -o pid= --ppid "$1" | wc -l; }
# kid_pid PID ARGS...: the pid of the child of PID running exactly ARGS.
kid_pid() {
  local s=$1 p
  shift
  for p in $(ps -o pid= --ppid "$s"); do
    [ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "$* " ] && echo "$p" && return 0
  done
  return 1
}
has_kid() { kid_pid "$@" >/dev/null; }

# gone PID: the process has exited (a zombie counts as gone).
gone() { [ ! -e "/proc/$1" ] || [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
# in_session SID: the pids of live processes in session SID.
in_session() { ps -e -o sid=,stat=,pid= | awk -v s="$1" '$1 == s && $2 !~ /^Z/ { print $3 }'; }
session_empty() { [ -z "$(in_session "$1")" ]; }
# zombies_of PID: how many zombie children PID has.
zombies_of() { ps -o stat= --ppid "$1" | grep -c '^Z'; }
