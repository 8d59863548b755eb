#!/usr/bin/env bash
# supervise (issue 14): a lasting poll(2) error does not spin: a warning
# and a one-second pause each time; letters are still read (late), the
# service still starts and stops.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"

need_svc
shim=$(cd "$DT_BIN/../tests" && pwd)/failsup.so
[ -e "$shim" ] || { skip "poll errors: $shim not built"; finish; }
d=$(_newdir)
cd "$d" || exit 1
mkdir s
printf '#!/bin/sh\nexec sleep 100\n' >s/run
chmod +x s/run
SHIM_FAIL=poll SHIM_ERRNO=12 LD_PRELOAD=$shim setsid "$DT_BIN/supervise" s </dev/null >s.out 2>s.err &
SV_PID=$!
track_pgrp "$SV_PID"
await 30 state_is s "up 0 u"
check "poll failing: the service starts" state_is s "up 0 u"
sleep 3
n=$(grep -c 'unable to poll' s.err)
check "poll failing: about one warning a second ($n in 3 s)" [ "$n" -ge 1 -a "$n" -le 5 ]
check "poll failing: the warning ($(head -1 s.err))" \
  [ "$(head -1 s.err)" = "supervise: warning: unable to poll for s, sleeping 1 second: out of memory" ]
check "poll failing: supervise does not spin ($(cpu_ticks "$SV_PID") ticks)" [ "$(cpu_ticks "$SV_PID")" -lt 30 ]
"$SVC" -d s
await 30 state_is s "down 0 d"
check "poll failing: svc -d still works" state_is s "down 0 d"
stop_sv s "$SV_PID"
finish
