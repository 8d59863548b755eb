# Helpers shared by the supervise*.sh tests (sourced after tests/lib.sh; not
# a test itself: the suite runs only *.sh).

# The svc that drives both supervises: the reference's, so these tests do not
# depend on ours; ours when the reference is missing.
if [ -x "$REF_BIN/svc" ]; then SVC=$REF_BIN/svc; else SVC=$DT_BIN/svc; fi
have_svc() { [ -x "$SVC" ]; }
# need_svc: end the script (skipped) when there is no svc at all.
need_svc() {
  have_svc && return
  skip "no svc (reference or ours)"
  finish
}

# lines_ge FILE N: FILE exists and has N lines or more.
lines_ge() { [ -e "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
# cpu_ticks PID: user + system clock ticks the process has used.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }

# start_sv BIN DIR: BIN/supervise DIR in a process group of its own (the
# service it starts stays in it, so cleanup stops both); its stdout and
# stderr are appended to DIR.out and DIR.err. Sets SV_PID.
start_sv() {
  setsid "$1/supervise" "$2" </dev/null >>"$2.out" 2>>"$2.err" &
  SV_PID=$!
  track_pgrp "$SV_PID"
}

# gone PID: the process has exited (a zombie counts as gone).
gone() { [ ! -e "/proc/$1" ] || [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" = Z ]; }

# stop_sv DIR PID: ask supervise to stop the service and exit, then make sure.
stop_sv() {
  "$SVC" -dx "$1" 2>/dev/null
  poll 10 gone "$2" || kill -KILL -- "-$2" 2>/dev/null
  kill -KILL -- "-$2" 2>/dev/null
  wait "$2" 2>/dev/null
  return 0
}

# status_of DIR: "PID PAUSED WANT SEC NANO" from DIR/supervise/status
# (WANT: u, d, or 0 for NUL), or "bad" unless it is exactly 18 bytes.
status_of() {
  local f=$1/supervise/status b
  [ "$(stat -c %s "$f" 2>/dev/null)" = 18 ] || { echo bad; return; }
  b=($(od -An -v -tx1 "$f"))
  local want=0
  [ "${b[17]}" = 75 ] && want=u
  [ "${b[17]}" = 64 ] && want=d
  printf '%d %d %s %d %d\n' "0x${b[15]}${b[14]}${b[13]}${b[12]}" "0x${b[16]}" "$want" \
    "0x${b[1]}${b[2]}${b[3]}${b[4]}${b[5]}${b[6]}${b[7]}" "0x${b[8]}${b[9]}${b[10]}${b[11]}"
}

# state_of DIR: "up|down PAUSED WANT".
state_of() {
  local s
  s=($(status_of "$1"))
  [ "${s[0]}" = bad ] && { echo bad; return; }
  if [ "${s[0]}" != 0 ]; then printf 'up %s %s\n' "${s[1]}" "${s[2]}"; else printf 'down %s %s\n' "${s[1]}" "${s[2]}"; fi
}
state_is() { [ "$(state_of "$1")" = "$2" ]; }
pid_of() { local s; s=($(status_of "$1")); echo "${s[0]}"; }
# Unix seconds of the status timestamp (TAI64 label - 2^62 - 10).
when_of() { local s; s=($(status_of "$1")); echo $((${s[3]} - 10)); }

# impls: "ours BIN" and, when installed, "reference BIN" lines.
impls() {
  echo "ours $DT_BIN"
  if has_ref supervise; then echo "reference $REF_BIN"; fi
}
ref_note() { has_ref supervise || skip "$1 (reference): $REF_BIN/supervise not installed"; }
