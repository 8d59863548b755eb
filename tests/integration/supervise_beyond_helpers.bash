# Helpers shared by the supervise_beyond_*.sh and peers*.sh tests (sourced
# after tests/lib.sh and supervise_helpers.bash; not a test itself).

SUP=$DT_BIN/supervise
OSVC=$DT_BIN/svc
OSVSTAT=$DT_BIN/svstat

# start_ext DIR: our supervise DIR in a session of its own, INT and QUIT
# back to their defaults (a background test shell ignores them, and so
# would the service); stdout/stderr appended to DIR.out / DIR.err. Sets
# SV_PID. The service stays in that session, so cleanup stops both.
start_ext() {
  setsid env --default-signal=INT,QUIT "$SUP" "$1" </dev/null >>"$1.out" 2>>"$1.err" &
  SV_PID=$!
  track_pgrp "$SV_PID"
}

# rec DIR: "SIZE PID PAUSED WANT STATE FLAGS" from DIR/supervise/status
# (WANT u, d or 0; STATE and FLAGS decimal, - for an 18-byte record);
# "bad" when absent or neither 18 nor 20 bytes.
rec() {
  local f=$1/supervise/status b n want
  n=$(stat -c %s "$f" 2>/dev/null) || { echo bad; return; }
  [ "$n" = 18 ] || [ "$n" = 20 ] || { echo bad; return; }
  b=($(od -An -v -tx1 "$f"))
  [ ${#b[@]} = "$n" ] || { echo bad; return; }  # replaced in between
  want=0
  [ "${b[17]}" = 75 ] && want=u
  [ "${b[17]}" = 64 ] && want=d
  if [ "$n" = 20 ]; then
    printf '%s %d %d %s %d %d\n' "$n" "0x${b[15]}${b[14]}${b[13]}${b[12]}" "0x${b[16]}" $want "0x${b[18]}" "0x${b[19]}"
  else
    printf '%s %d %d %s - -\n' "$n" "0x${b[15]}${b[14]}${b[13]}${b[12]}" "0x${b[16]}" $want
  fi
}
rec_is() { [ "$(rec "$1")" = "$2" ]; }
# field DIR N: field N (1-based) of rec
field() { local r; r=($(rec "$1")); echo "${r[$(($2 - 1))]:-}"; }
rpid() { field "$1" 2; }
rstate() { field "$1" 5; }
rflags() { field "$1" 6; }
# up_pid DIR: the pid in the record once it is not 0 (polls 20 s)
up_pid() {
  await 30 eval '[ "$(rpid "'"$1"'")" != 0 ] && [ -n "$(rpid "'"$1"'")" ]'
  rpid "$1"
}

# up_run DIR [FILE]: up_pid, once the run has also written its pid to FILE
# (default ./pids): a run killed before that line would leave no trace
up_run() {
  local p
  p=$(up_pid "$1")
  await 30 grep -qx -- "$p" "${2:-pids}"
  echo "$p"
}

# svstat_line DIR: our svstat's line with the seconds masked
svstat_line() { "$OSVSTAT" "$1" | sed -E 's/ [0-9]+ seconds/ N seconds/'; }
ref_svstat_line() { "$REF_BIN/svstat" "$1" | sed -E 's/ [0-9]+ seconds/ N seconds/'; }
svstat_is() { [ "$(svstat_line "$1")" = "$2" ]; }

# logged FILE WORD: FILE has a line WORD
logged() { grep -qx -- "$2" "$1" 2>/dev/null; }
# count FILE WORD: how many lines WORD
count() { grep -cx -- "$2" "$1" 2>/dev/null || true; }

# alive PID: the process exists and is not a zombie
alive() { ! gone "$1"; }

# A run script that logs the signals it gets (as "SIG") to ../log and
# survives each, after writing "start PID" there. Extra shell lines may
# follow in $2.
sig_run() {
  cat >"$1/run" <<EOF
#!/bin/sh
echo "start \$\$" >>../log
for s in HUP INT QUIT USR1 USR2 WINCH ABRT ALRM TERM CONT; do trap "echo \$s >>../log" \$s; done
${2:-}
while :; do sleep 0.1; done
EOF
  chmod +x "$1/run"
}

# mksv DIR: a fresh service directory with a signal-logging run
mksv() { mkdir -p "$1" && sig_run "$1" "${2:-}"; }

# stop_ext DIR: svc -dx with our svc, -k if the service survives TERM,
# then KILL the session if it lingers
stop_ext() {
  "$OSVC" -dx "$1" 2>/dev/null
  poll 2 gone "$SV_PID" || "$OSVC" -k "$1" 2>/dev/null
  poll 10 gone "$SV_PID" || kill -KILL -- "-$SV_PID" 2>/dev/null
  kill -KILL -- "-$SV_PID" 2>/dev/null
  wait "$SV_PID" 2>/dev/null
  return 0
}

# ctl DIR BYTES: write BYTES (printf format) to DIR/supervise/control
ctl() { printf "$2" >"$1/supervise/control"; }

# cpu_of PID: user+system ticks
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
# wakeups PID: voluntary context switches so far
wakeups() { awk '/^voluntary_ctxt_switches:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
