# Helpers for the tests of supervise's features beyond 0.76 written with
# them (supervise_letters.sh, supervise_stop.sh, supervise_finish.sh,
# supervise_ready.sh, supervise_adopt.sh, supervise_debian.sh); sourced
# after tests/lib.sh and supervise_helpers.bash. Only our supervise: the
# reference has none of these features.

# A daemon that logs, to ../log, "NAME:SIG" for each signal it gets, and
# otherwise runs for ever. Background jobs of sh ignore INT and QUIT, so a
# grandchild logs only the others.
daemon_sh='#!/bin/sh
for s in HUP INT QUIT USR1 USR2 WINCH ABRT TERM CONT ALRM; do trap "echo $1:$s >>../log" $s; done
while :; do sleep 0.1; done'

# mk_service DIR RUN-BODY: DIR/run (a shell script with that body) and
# DIR/d.sh (the daemon above).
mk_service() {
  mkdir -p "$1"
  printf '#!/bin/sh\n%s\n' "$2" >"$1/run"
  printf '%s\n' "$daemon_sh" >"$1/d.sh"
  chmod +x "$1/run" "$1/d.sh"
}

# start_ours DIR: our supervise, as start_sv does, with INT and QUIT at
# their defaults (a background job of the harness inherits them ignored).
start_ours() {
  if env --default-signal=INT,QUIT true 2>/dev/null; then
    setsid env --default-signal=INT,QUIT "$DT_BIN/supervise" "$1" </dev/null >>"$1.out" 2>>"$1.err" &
  else
    setsid "$DT_BIN/supervise" "$1" </dev/null >>"$1.out" 2>>"$1.err" &
  fi
  SV_PID=$!
  track_pgrp "$SV_PID"
}

# ctl DIR BYTES: write the bytes to DIR/supervise/control in one write.
ctl() { printf '%s' "$2" >"$1/supervise/control"; }

# has_log LINE: ./log has that line; no_log LINE: it has not.
has_log() { grep -qx -- "$1" log 2>/dev/null; }
no_log() { ! grep -qx -- "$1" log 2>/dev/null; }

alive() { ! gone "$1"; }

# ext_of DIR: "STATE FLAGS" (bytes 18 and 19 in decimal, flags without the
# 0x80 marker) of a 20-byte record with the marker, else "none".
ext_of() {
  local f=$1/supervise/status b
  [ "$(stat -c %s "$f" 2>/dev/null)" = 20 ] || { echo none; return; }
  b=($(od -An -v -tu1 "$f"))
  [ $((b[19] & 128)) = 128 ] || { echo none; return; }
  echo "${b[18]} $((b[19] & 127))"
}
ext_is() { [ "$(ext_of "$1")" = "$2" ]; }
# size_of DIR: bytes in DIR/supervise/status.
size_of() { stat -c %s "$1/supervise/status" 2>/dev/null; }
# st20_of DIR: like status_of, for a record of 18 or 20 bytes (the first 18).
pid20_of() { local b; b=($(od -An -v -tx1 -N18 "$1/supervise/status")); printf '%d\n' "0x${b[15]}${b[14]}${b[13]}${b[12]}"; }
no_sv_msg() { ! grep -q supervise: "$1"; }

# status_of (as in supervise_helpers.bash) for a record of 18 bytes or of
# 20 (extended mode): the first 18 bytes mean the same.
status_of() {
  local f=$1/supervise/status b size
  size=$(stat -c %s "$f" 2>/dev/null)
  [ "$size" = 18 -o "$size" = 20 ] || { echo bad; return; }
  b=($(od -An -v -tx1 -N18 "$f"))
  [ ${#b[@]} = 18 ] || { echo bad; return; }
  local want=0
  [ "${b[17]}" = 75 ] && want=u
  [ "${b[17]}" = 64 ] && want=d
  printf '%d %d %s %d %d\n' "0x${b[15]}${b[14]}${b[13]}${b[12]}" "0x${b[16]}" "$want" \
    "0x${b[1]}${b[2]}${b[3]}${b[4]}${b[5]}${b[6]}${b[7]}" "0x${b[8]}${b[9]}${b[10]}${b[11]}"
}
