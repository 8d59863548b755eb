#!/usr/bin/env bash
# supervise, as Debian patches 0.76 (patch 0002): when ./supervise is a
# symbolic link whose target is missing (update-service --add makes
# supervise -> /var/lib/supervise/NAME), the target is made (mode 0700,
# the last component only) and supervise goes on; a readlink failure is
# "unable to readlink ./supervise: REASON", exit 111. Compared with
# Debian's supervise (the reference installed here) where it is there.
# The links are made by hand in a temp dir, as update-service makes them.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"

need_svc
shim=$(cd "$DT_BIN/../tests" && pwd)/failsup.so

while read -r impl bin; do
  d=$(_newdir)
  cd "$d" || exit 1
  mkdir -p var/lib/supervise s/log
  printf '#!/bin/sh\nexec sleep 100\n' >s/run
  printf '#!/bin/sh\nexec cat >/dev/null\n' >s/log/run
  chmod +x s/run s/log/run
  ln -s "$d/var/lib/supervise/s" s/supervise
  ln -s "$d/var/lib/supervise/s.log" s/log/supervise
  start_sv "$bin" s
  await 30 state_is s "up 0 u"
  check "dangling link: target made, service up ($impl: $(state_of s))" state_is s "up 0 u"
  check "dangling link: target mode 0700 ($impl)" [ "$(stat -c %a var/lib/supervise/s)" = 700 ]
  check "dangling link: control, ok, lock, status in it ($impl)" \
    [ -p var/lib/supervise/s/control -a -p var/lib/supervise/s/ok -a -f var/lib/supervise/s/lock -a -f var/lib/supervise/s/status ]
  check "dangling link: still a link ($impl)" test -h s/supervise
  check "dangling link: svok ($impl)" "$SVC" -h s
  stop_sv s "$SV_PID"
  # the log service, as svscan would start it
  start_sv "$bin" s/log
  await 30 state_is s/log "up 0 u"
  check "log/supervise link: up ($impl)" state_is s/log "up 0 u"
  stop_sv s/log "$SV_PID"
  # a link to a directory that exists: used as it is
  start_sv "$bin" s
  await 30 state_is s "up 0 u"
  check "link to an existing directory: up ($impl)" state_is s "up 0 u"
  stop_sv s "$SV_PID"
  # only the last component is made
  rm s/supervise
  ln -s "$d/var/lib/missing/s" s/supervise
  "$bin/supervise" s >out 2>err </dev/null
  echo $? >rc
  check "missing parent: exit 111 ($impl: $(cat rc))" [ "$(cat rc)" = 111 ]
  check "missing parent: lock message ($impl: $(cat err))" \
    [ "$(cat err)" = "supervise: fatal: unable to acquire s/supervise/lock: file does not exist" ]
  check "missing parent: not made ($impl)" test ! -e var/lib/missing
  # readlink fails: Debian's message, without program name
  rm s/supervise
  ln -s "$d/var/lib/supervise/t" s/supervise
  if [ -e "$shim" ]; then
    SHIM_FAIL=readlink SHIM_ERRNO=5 LD_PRELOAD=$shim "$bin/supervise" s >out 2>err </dev/null
    echo $? >rc
    check "readlink fails: exit 111 ($impl: $(cat rc))" [ "$(cat rc)" = 111 ]
    check "readlink fails: Debian's words ($impl: $(cat err))" \
      [ "$(cat err)" = "unable to readlink ./supervise: input/output error" ]
    # a real directory: readlink says "not a link", nothing changes
    rm s/supervise
    mkdir s/supervise
    SHIM_FAIL=readlink SHIM_ERRNO=22 LD_PRELOAD=$shim setsid "$bin/supervise" s </dev/null >>s.out 2>>s.err &
    SV_PID=$!
    track_pgrp "$SV_PID"
    await 30 state_is s "up 0 u"
    check "directory (readlink EINVAL): up as 0.76 ($impl)" state_is s "up 0 u"
    stop_sv s "$SV_PID"
  else
    skip "readlink failures: $shim not built"
  fi
  cd "$TEST_ROOT" || exit 1
done < <(impls)
ref_note "Debian's supervise link"
finish
