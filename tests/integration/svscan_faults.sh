#!/usr/bin/env bash
# svscan's warnings when a system call fails (injected with the failsys
# shim, in ours and the reference alike), and its recovery at the next scan.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/svscan_helpers.bash"
shim=${DT_TESTS:-}/failsys.so
if [ ! -x "$SUP/supervise" ] || [ ! -f "$shim" ]; then
  skip "no supervise to run, or no failsys shim (DT_TESTS)"
  finish
fi
ref_note

# case NAME SHIM_FAIL(ours) SHIM_FAIL(ref) FIRST-WARNING KIDS-AFTER-RECOVERY
cases=(
  "fork|fork:11:1|fork:11:1|svscan: warning: unable to fork for b: temporary failure|supervise b,supervise log"
  "fork log|fork:11:2|fork:11:2|svscan: warning: unable to fork for b/log: temporary failure|supervise b,supervise log"
  # ours makes its self-pipe (for SIGCHLD) first: its second pipe is b's
  "pipe|pipe:24:2|pipe:24:1|svscan: warning: unable to create pipe for b: process cannot open more files|supervise b,supervise log"
  "stat log|stat:13:1:b/log|stat:13:1:b/log|svscan: warning: unable to stat b/log: access denied|supervise b,supervise log"
  "readdir|readdir:5:1|readdir:5:1|svscan: warning: unable to read directory: input/output error|supervise b,supervise log"
  "chdir log|chdir:13:0:b|chdir:13:0:b|svscan: warning: unable to switch to b: access denied|supervise b"
  # a service directory that cannot be looked at: warned about, left alone
  "stat dir|stat:13:0:b|stat:13:0:b|svscan: warning: unable to stat b: access denied|"
)

declare -A SP
for impl in "${IMPLS[@]}"; do
  bin=$DT_BIN
  [ "$impl" = ref ] && bin=$REF_BIN
  i=0
  for c in "${cases[@]}"; do
    IFS='|' read -r name fo fr first after <<<"$c"
    f=$fo
    [ "$impl" = ref ] && f=$fr
    d=$TEST_ROOT/$impl.$i
    mksvc "$d/s/b"
    mksvc "$d/s/b/log"
    setsid env PATH="$SUP:/usr/bin:/bin" SHIM_FAIL="$f" LD_PRELOAD="$shim" "$bin/svscan" "$d/s" \
      >"$d/out" 2>"$d/err" </dev/null &
    SP[$impl.$i]=$!
    track_pgrp "$!"
    i=$((i + 1))
  done
done

for impl in "${IMPLS[@]}"; do
  i=0
  for c in "${cases[@]}"; do
    IFS='|' read -r name fo fr first after <<<"$c"
    d=$TEST_ROOT/$impl.$i
    s=${SP[$impl.$i]}
    if poll 30 test -s "$d/err" && [ "$(head -1 "$d/err")" = "$first" ]; then
      pass
    else
      fail "$impl: $name: first warning: $(head -1 "$d/err")"
    fi
    if poll 15 eval '[ "$(kids $s)" = "$after" ]'; then pass; else fail "$impl: $name: after: $(kids "$s")"; fi
    i=$((i + 1))
  done
done
finish
