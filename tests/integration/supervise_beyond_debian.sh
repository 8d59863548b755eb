#!/usr/bin/env bash
# Debian's patch 0002 (issue 10, item 6): ./supervise a dangling symlink,
# as Debian's update-service makes it (supervise -> /var/lib/supervise/NAME):
# supervise makes the target directory (mode 0700, the last component only)
# and goes on. Differential against Debian's own supervise (the reference
# here is Debian's, patch included) on the same links, then the real
# update-service script of daemontools-run (apt-get download + dpkg -x into
# a temp dir, its /etc and /var/lib paths pointed at temp dirs; never the
# machine's /etc/service), or the same links by hand when it cannot be had.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"
. "$(dirname "$0")/supervise_beyond_helpers.bash"

[ -x "$SUP" ] || { skip "our supervise not built"; finish; }
cd "$TEST_ROOT" || exit 1

# layout NAME LINK: case dir NAME with s/run and s/supervise -> LINK (LINK
# may use @ for the case dir)
layout() {
  mkdir -p "$TEST_ROOT/$1/s" "$TEST_ROOT/$1/lib"
  printf '#!/bin/sh\nexec sleep 1000\n' >"$TEST_ROOT/$1/s/run"
  chmod +x "$TEST_ROOT/$1/s/run"
  ln -s "${2//@/$TEST_ROOT/$1}" "$TEST_ROOT/$1/s/supervise"
  [ -z "${EXTRA:-}" ] || (cd "$TEST_ROOT/$1/s" && eval "$EXTRA")
}
# try WHICH BIN NAME: run BIN/supervise on NAME/s; up to 3 s, then -dx;
# prints "rc=RC" and its stderr, and the mode of what the link points to
try() {
  local bin=$2 d=$TEST_ROOT/$3 p rc
  (cd "$d" && exec setsid "$bin/supervise" s </dev/null >out 2>err) &
  p=$!
  track_pgrp $p
  if poll 3 test -p "$d/s/supervise/control" && poll 5 eval '[ "$(rpid "'"$d"'/s")" != 0 ]'; then
    "$OSVC" -dx "$d/s"
  fi
  poll 10 gone $p || kill -KILL -- -$p 2>/dev/null
  wait $p
  rc=$?
  printf 'rc=%s\n%s\nmode=%s\n' "$rc" "$(cat "$d/err")" "$(stat -L -c %a "$d/s/supervise" 2>&1 | sed "s|$d|D|g")"
}
# diff_case NAME LINK: ours and Debian's supervise on the same layout; sets
# out to what ours gave
diff_case() {
  local b
  layout "$1.ours" "$2"
  try ours "$DT_BIN" "$1.ours" >"$TEST_ROOT/$1.a"
  out=$(sed "s|$TEST_ROOT/$1.ours|D|g" "$TEST_ROOT/$1.a")
  if has_ref supervise; then
    layout "$1.ref" "$2"
    try ref "$REF_BIN" "$1.ref" >"$TEST_ROOT/$1.b"
    b=$(sed "s|$TEST_ROOT/$1.ref|D|g" "$TEST_ROOT/$1.b")
    check "$1: as Debian's supervise ($(head -1 <<<"$out"))" [ "$out" = "$b" ]
    [ "$out" = "$b" ] || printf '  ours: %s\n  Debian: %s\n' "${out//$'\n'/ | }" "${b//$'\n'/ | }"
  fi
}

diff_case dangling "@/lib/web"
check "dangling: started, then stopped (rc 0)" [ "$(head -1 <<<"$out")" = rc=0 ]
check "dangling: target made with mode 0700" [ "$(tail -1 <<<"$out")" = mode=700 ]
check "dangling: status in the target" [ -s "$TEST_ROOT/dangling.ours/lib/web/status" ]
diff_case relative "lib-rel"
check "relative dangling link: made in the service dir" [ "$(tail -1 <<<"$out")" = mode=700 ]
diff_case noparent "@/nolib/web"
check "parent missing: not made, fatal" eval '[ "$(head -1 <<<"$out")" != rc=0 ] && [ ! -e "$TEST_ROOT/noparent.ours/nolib" ]'
diff_case twodeep "@/lib/a/b"
check "two missing components: only the last would be made: fatal" [ ! -e "$TEST_ROOT/twodeep.ours/lib/a" ]
EXTRA='ln -s supervise loop' diff_case loop "loop"
check "a symlink loop: fatal" [ "$(head -1 <<<"$out")" != rc=0 ]
EXTRA='echo x >file' diff_case tofile "file"
check "a link to a file: fatal" [ "$(head -1 <<<"$out")" != rc=0 ]
# an existing target is used as it is (mode untouched)
layout existing "@/lib/web"
mkdir -m 755 "$TEST_ROOT/existing/lib/web"
out=$(try ours "$DT_BIN" existing)  # (no check inside)
check "existing target: used, mode unchanged" [ "$(tail -1 <<<"$out")" = mode=755 ]

# --- the real update-service
us=
if command -v apt-get >/dev/null && command -v dpkg >/dev/null; then
  dl=$TEST_ROOT/deb
  mkdir -p "$dl"
  chmod 777 "$dl"
  if (cd "$dl" && timeout 60 apt-get download daemontools-run >/dev/null 2>&1) && dpkg -x "$dl"/daemontools-run_*.deb "$dl/x" 2>/dev/null; then
    us=$dl/x/usr/sbin/update-service
  fi
fi
R=$TEST_ROOT/root
mkdir -p "$R/etc/service" "$R/etc/sv/web/log" "$R/var/lib/supervise" "$R/bin"
printf '#!/bin/sh\necho $$ >>%s/web.pids\nexec sleep 1000\n' "$R" >"$R/etc/sv/web/run"
printf '#!/bin/sh\nexec cat >/dev/null\n' >"$R/etc/sv/web/log/run"
chmod +x "$R/etc/sv/web/run" "$R/etc/sv/web/log/run"
ln -s "$DT_BIN/svc" "$R/bin/svc"
if [ -n "$us" ] && [ -f "$us" ]; then
  # its fixed paths pointed at the temp root, nothing else changed
  sed -e "s|/etc/|$R/etc/|g" -e "s|/var/lib/supervise|$R/var/lib/supervise|g" "$us" >"$R/bin/update-service"
  chmod +x "$R/bin/update-service"
  check "update-service: only its paths changed" [ "$(diff "$us" "$R/bin/update-service" | grep -c '^>')" -le 4 ]
  o=$(SVDIR=$R/etc/service PATH=$R/bin:$PATH update-service --add "$R/etc/sv/web" web 2>&1)
  check "update-service --add: $o" [ "$o" = "Service web added." ]
  how="update-service"
else
  skip "daemontools-run not downloadable: the same links made by hand"
  ln -s "$R/var/lib/supervise/web" "$R/etc/sv/web/supervise"
  ln -s "$R/var/lib/supervise/web.log" "$R/etc/sv/web/log/supervise"
  ln -s "$R/etc/sv/web" "$R/etc/service/web"
  how="by hand"
fi
check "$how: supervise -> var/lib/supervise/web, dangling" eval '[ "$(readlink "$R/etc/sv/web/supervise")" = "$R/var/lib/supervise/web" ] && [ ! -e "$R/etc/sv/web/supervise" ]'
check "$how: log/supervise -> var/lib/supervise/web.log" [ "$(readlink "$R/etc/sv/web/log/supervise")" = "$R/var/lib/supervise/web.log" ]
(cd "$R/etc/service/web" && exec setsid "$SUP" . </dev/null >"$R/main.out" 2>"$R/main.err") &
m=$!
track_pgrp $m
(cd "$R/etc/service/web/log" && exec setsid "$SUP" . </dev/null >"$R/log.out" 2>"$R/log.err") &
l=$!
track_pgrp $l
check "$how: the service starts" poll 30 test -s "$R/web.pids"
check "$how: var/lib/supervise/web made, 0700" poll 30 eval '[ "$(stat -c %a "$R/var/lib/supervise/web" 2>/dev/null)" = 700 ]'
check "$how: var/lib/supervise/web.log made, 0700" poll 30 eval '[ "$(stat -c %a "$R/var/lib/supervise/web.log" 2>/dev/null)" = 700 ]'
check "$how: svstat through the links" poll 30 eval '"$OSVSTAT" "$R/etc/service/web" | grep -q ": up (pid "'
check "$how: no warnings" [ ! -s "$R/main.err" ]
if [ "$how" = update-service ]; then
  o=$(SVDIR=$R/etc/service PATH=$R/bin:$PATH update-service --remove "$R/etc/sv/web" web 2>&1)
  check "update-service --remove: $o" [ "$o" = "Service web removed, the service daemon received the TERM and CONT signals." ]
else
  rm "$R/etc/service/web"
  "$OSVC" -dx "$R/etc/sv/web" "$R/etc/sv/web/log"
fi
check "$how: the main supervise exits" poll 30 gone $m
check "$how: the log supervise exits" poll 30 gone $l
check "$how: the link is gone" [ ! -e "$R/etc/service/web" ]
finish
