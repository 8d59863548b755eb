#!/usr/bin/env bash
# Our svscan beyond 0.76's limit of 1000 services: 1200, all up, no warning
# (the reference stops at 1000: "unable to start sN: running too many
# services"). The descriptor limit given to services is the one svscan got.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/svscan_helpers.bash"
need_supervise
n=1200
b=$(mktemp -d "$TEST_ROOT/many.XXXXXX")
mkdir $(printf "$b/s%d " $(seq 1 $n))
for i in $(seq 1 $n); do printf '#!/bin/sh\nexec sleep 100000\n' >"$b/s$i/run"; done
chmod +x "$b"/s*/run
mkdir "$b/s1/log"
printf '#!/bin/sh\nexec sleep 100000\n' >"$b/s1/log/run"
chmod +x "$b/s1/log/run"
soft=$(ulimit -Sn)
hard=$(ulimit -Hn)
if [ "$soft" = "$hard" ] && [ "$hard" != unlimited ] && [ "$hard" -gt 64 ]; then soft=$((hard / 2)); fi
(ulimit -Sn "$soft" && exec setsid env PATH="$SUP:/usr/bin:/bin" "$DT_BIN/svscan" "$b" >"$b.out" 2>"$b.err" </dev/null) &
pid=$!
track_pgrp "$pid"
check "$n services and a log up" poll 50 eval '[ "$(ps -o pid= --ppid $pid | wc -l)" = $((n + 1)) ]'
check "no warning" test ! -s "$b.err"
# svscan lifts its own soft descriptor limit (two per log pipe), not theirs
lim() { awk '/^Max open files/ {print $4}' "/proc/$1/limits"; }
check "svscan's limit lifted" test "$(lim "$pid")" = "$(awk '/^Max open files/ {print $5}' "/proc/$pid/limits")"
kid=$(ps -o pid= --ppid "$pid" | head -1 | tr -d ' ')
check "supervise gets the limit svscan was given ($soft)" test "$(lim "$kid")" = "$soft"
finish
