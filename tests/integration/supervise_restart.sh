#!/usr/bin/env bash
# supervise: restarts at most once a second (crash loop), a missing or
# unrunnable run (warned and retried each second, no busy loop).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/supervise_helpers.bash"

need_svc

while read -r impl bin; do
  d=$(_newdir)
  cd "$d" || exit 1

  # crash loop: run exits at once, every time
  mkdir c
  printf '#!/bin/sh\ndate +%%s.%%N >>../starts\nexit 1\n' >c/run
  chmod +x c/run
  start_sv "$bin" c
  await 30 lines_ge starts 7
  bad=0
  for i in $(seq 1 60); do [ "$(status_of c)" = bad ] && bad=1; done
  ticks=$(cpu_ticks "$SV_PID")
  stop_sv c "$SV_PID"
  # intervals between starts, as run sees them (so with its own start-up
  # jitter): about a second on average, never two starts close together
  ivals=$(awk 'NR > 1 { printf "%.3f\n", $1 - prev } { prev = $1 }' starts)
  check "crash loop: 6+ restarts ($impl)" [ "$(echo "$ivals" | wc -l)" -ge 6 ]
  check "crash loop: one start per second ($impl: $(echo $ivals))" \
    awk '$1 < 0.3 { bad = 1 } { sum += $1 } END { m = sum / NR; exit bad || m < 0.97 || m > 2 }' <<<"$ivals"
  check "crash loop: supervise nearly idle ($impl: $ticks ticks)" [ "${ticks:-999}" -lt 50 ]
  check "crash loop: status never torn ($impl)" [ $bad = 0 ]

  # run missing, then not executable: the child's message, once a second
  mkdir m
  start_sv "$bin" m
  sleep 3.5
  n=$(grep -c . m.err)
  check "missing run: retried about once a second ($impl: $n in 3.5 s)" [ "$n" -ge 2 -a "$n" -le 5 ]
  check "missing run: message ($impl)" \
    [ "$(sort -u m.err)" = "supervise: fatal: unable to start m/run: file does not exist" ]
  check "missing run: status not paused, want up ($impl)" [ "$(state_of m | cut -d' ' -f2-)" = "0 u" ]
  check "missing run: supervise nearly idle ($impl)" [ "$(cpu_ticks "$SV_PID")" -lt 50 ]
  printf '#!/bin/sh\nexec sleep 100\n' >m/run
  : >m.err
  await 30 grep -q . m.err
  check "run not executable: message ($impl)" \
    [ "$(head -1 m.err)" = "supervise: fatal: unable to start m/run: access denied" ]
  chmod +x m/run
  await 30 state_is m "up 0 u"
  check "run appears: started ($impl)" state_is m "up 0 u"
  stop_sv m "$SV_PID"

  cd "$TEST_ROOT" || exit 1
done < <(impls)
ref_note "restarts"
finish
