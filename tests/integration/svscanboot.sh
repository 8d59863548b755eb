#!/usr/bin/env bash
# svscanboot: a copy configured with temp paths stops what a previous run
# left, then runs svscan on the service directory with its messages in
# readproctitle's arguments, in a clean environment. The reference's script
# is read, never run (it works on the real /etc/service).
. "$(dirname "$0")/../lib.sh"

SUP=$DT_BIN
[ -x "$SUP/supervise" ] || SUP=$REF_BIN
SVC=$DT_BIN
[ -x "$SVC/svc" ] || SVC=$REF_BIN
if [ ! -x "$SUP/supervise" ] || [ ! -x "$SVC/svc" ]; then
  skip "supervise or svc missing"
  finish
fi
tpl=$DT_SRC/src/svscanboot.sh.in
dots=$(printf '%400s' '' | tr ' ' .)

# --- the installed default: DJB's layout
if [ -f "$DT_BIN/svscanboot" ] && grep -q '^PATH=/command:' "$DT_BIN/svscanboot"; then
  check "default PATH" grep -qx 'PATH=/command:/usr/local/bin:/usr/local/sbin:/bin:/sbin:/usr/bin:/usr/sbin:/usr/X11R6/bin' "$DT_BIN/svscanboot"
  check "default stops /service" grep -qx 'svc -dx /service/\* /service/\*/log' "$DT_BIN/svscanboot"
  check "default scans /service" grep -q 'svscan /service 2>&1' "$DT_BIN/svscanboot"
  check "400 dots" grep -q "readproctitle service errors: $dots\$" "$DT_BIN/svscanboot"
else
  skip "built svscanboot not configured with the defaults"
fi
if has_ref svscanboot; then
  # same PATH as the reference (Debian's differs only in /etc/service)
  check "PATH as the reference" test "$(grep '^PATH=' "$REF_BIN/svscanboot")" = "$(grep '^PATH=' "$tpl" | sed 's,@DT_COMMAND_DIR@,/command,')"
else
  skip "reference svscanboot not installed"
fi

# --- a run on temp paths
root=$(mktemp -d "$TEST_ROOT/boot.XXXXXX")
cmd=$root/command
svc=$root/service
mkdir -p "$cmd" "$svc"
ln -s "$DT_BIN/svscan" "$DT_BIN/readproctitle" "$SUP/supervise" "$SVC/svc" "$cmd/"
sed -e "s,@DT_COMMAND_DIR@,$cmd,g" -e "s,@DT_SERVICE_DIR@,$svc,g" "$tpl" >"$root/svscanboot"
chmod +x "$root/svscanboot"
mksvc() {
  mkdir -p "$1"
  printf '#!/bin/sh\nexec sleep 100000\n' >"$1/run"
  chmod +x "$1/run"
}
mksvc "$svc/old"
mksvc "$svc/old/log"
mksvc "$svc/new"
ln -s /nonexistent "$svc/broken"

# a supervise left over from a previous run, on old and old/log
(cd "$svc" && exec setsid "$SUP/supervise" old </dev/null >/dev/null 2>&1) &
left=$!
track_pgrp "$left"
(cd "$svc/old" && exec setsid "$SUP/supervise" log </dev/null >/dev/null 2>&1) &
leftlog=$!
track_pgrp "$leftlog"
check "leftover supervise up" poll 30 test -p "$svc/old/log/supervise/ok"

setsid env FOO=bar "$root/svscanboot" &
boot=$!
track_pgrp "$boot"
check "leftover supervise told to exit" poll 30 eval '! kill -0 $left 2>/dev/null && ! kill -0 $leftlog 2>/dev/null'

scanpid() { # the svscan child of the boot shell
  local p
  for p in $(ps -o pid= --ppid "$boot"); do
    [ "$(readlink "/proc/$p/exe")" = "$(readlink -f "$DT_BIN/svscan")" ] && echo "$p" && return
  done
  return 1
}
rptpid() {
  local p
  for p in $(ps -o pid= --ppid "$boot"); do
    [ "$(readlink "/proc/$p/exe")" = "$(readlink -f "$DT_BIN/readproctitle")" ] && echo "$p" && return
  done
  return 1
}
check "svscan running" poll 30 eval 'scanpid >/dev/null'
check "readproctitle running" poll 30 eval 'rptpid >/dev/null'
s=$(scanpid)
r=$(rptpid)
check "services up again" poll 30 eval '[ "$(ps -o pid= --ppid $s | wc -l)" = 3 ]'
check "clean environment for svscan" test "$(tr '\0' '\n' <"/proc/$s/environ")" = "PATH=$cmd:/usr/local/bin:/usr/local/sbin:/bin:/sbin:/usr/bin:/usr/sbin:/usr/X11R6/bin"
check "clean environment for readproctitle" test "$(tr '\0' '\n' <"/proc/$r/environ")" = "PATH=$cmd:/usr/local/bin:/usr/local/sbin:/bin:/sbin:/usr/bin:/usr/sbin:/usr/X11R6/bin"
check "svscan reads nothing" test "$(readlink "/proc/$s/fd/0")" = /dev/null
check "svscan's output goes to readproctitle" test "$(readlink "/proc/$s/fd/1")" = "$(readlink "/proc/$r/fd/0")"
check "and its errors" test "$(readlink "/proc/$s/fd/2")" = "$(readlink "/proc/$r/fd/0")"
check "readproctitle writes nowhere" test "$(readlink "/proc/$r/fd/2")" = /dev/null
warning='svscan: warning: unable to stat broken: file does not exist'
check "svscan's warning shown in ps" poll 30 eval 'ps -o args= -p $r | grep -qF "$warning"'
args=$(tr '\0' '\n' <"/proc/$r/cmdline" | tail -n +2 | head -2 | paste -sd' ' -)
check "readproctitle's title" test "$args" = "service errors:"
argv0=$(tr '\0' '\n' <"/proc/$r/cmdline" | head -1)
check "400 bytes shown" test "$(wc -c <"/proc/$r/cmdline")" = $((${#argv0} + 1 + 8 + 8 + 401))
finish
