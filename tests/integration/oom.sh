#!/usr/bin/env bash
# Out of memory (issue 14 item 6): every program says "prog: fatal: out of
# memory" and exits 111, with no abort and no core dump; and softlimit
# allocates nothing after lowering the limits, so `softlimit -m 2000000 prog`
# with prog found on PATH runs prog exactly as the reference does.
. "$(dirname "$0")/../lib.sh"
SHIM=${DT_TESTS:-$DT_BIN/../tests}/failmalloc.so

# softlimit: prog found on PATH, after every memory limit is 2 MB. What the
# program then does (here the dynamic loader cannot map libc) is its own
# business; softlimit must have run it, as the reference does.
expect 'softlimit -m, a program on PATH, runs it' 127 '' \
  'true: error while loading shared libraries: libc.so.6: failed to map segment from shared object' \
  -- softlimit -m 2000000 true
same 'softlimit -m, a program on PATH (differential)' -- softlimit -m 2000000 true
same 'softlimit -m -o, a shell on PATH (differential)' -- softlimit -m 2000000 -o 20 sh -c 'echo hi'
expect 'softlimit -m, not on PATH' 111 '' 'softlimit: fatal: unable to run nonexistent-prog: file does not exist' \
  -- softlimit -m 2000000 nonexistent-prog
SETUP="export PATH=/nonexistent/$(head -c 600 /dev/zero | tr '\0' d):/bin:/usr/bin:/x" \
  expect 'softlimit -m, a long PATH search' 111 '' 'softlimit: fatal: unable to run nonexistent-prog: file does not exist' \
  -- softlimit -m 2000000 nonexistent-prog
# A PATH entry too long for the kernel stops the search as execve's
# ENAMETOOLONG does (0.76 under -m says "out of memory" here instead: its
# static pool is 4096 bytes; that setup does not work on 0.76).
d=$(_newdir)
(cd "$d" && PATH="/$(head -c 5000 /dev/zero | tr '\0' d):/bin" "$DT_BIN/softlimit" -m 2000000 true 2>err; echo $? >rc)
check 'softlimit -m, a PATH entry past PATH_MAX' [ "$(cat "$d/rc"):$(cat "$d/err")" = '111:softlimit: fatal: unable to run true: file name too long' ]

# oom NAME PROG ARGS...: under the malloc-failing shim, ours says
# "PROG: fatal: out of memory" and exits 111 (never 134, an abort).
oom() {
  local name=$1 min=$2 prog=$3
  shift 3
  local d
  d=$(_newdir)
  (
    cd "$d" || exit 99
    eval "${SETUP:-}"
    printf '@4000000000000000 x\n' |
      SHIM_MALLOC_MIN=$min LD_PRELOAD=$SHIM "$DT_BIN/$prog" "$@" >out 2>err
    echo $? >rc
  )
  if [ "$(cat "$d/rc")" = 111 ] && [ "$(cat "$d/err")" = "$prog: fatal: out of memory" ] && [ ! -s "$d/out" ]; then
    pass
  else
    fail "$name: want rc 111 and '$prog: fatal: out of memory', got rc $(cat "$d/rc")"
    _show stderr "$d/err"
  fi
}
SETUP='mkdir e; head -c 300000 /dev/zero | tr "\0" x >e/A' oom 'envdir, a big file' 100000 envdir e true
oom 'tai64nlocal' 1 tai64nlocal
oom 'multilog' 1 multilog t ./main

# A real shortage, no shim: a 100 MB file read under a 40 MB address space.
# The reference says "unable to read e/BIG: out of memory"; both exit 111.
d=$(_newdir)
mkdir "$d/e" && truncate -s 100000000 "$d/e/BIG"
(cd "$d" && "$DT_BIN/softlimit" -a 40000000 "$DT_BIN/envdir" e true >out 2>err; echo $? >rc)
check 'envdir out of address space: exit 111' [ "$(cat "$d/rc")" = 111 ]
check 'envdir out of address space: the message' [ "$(cat "$d/err")" = 'envdir: fatal: out of memory' ]
if has_ref envdir; then
  (cd "$d" && "$DT_BIN/softlimit" -a 40000000 "$REF_BIN/envdir" e true >/dev/null 2>&1; echo $? >rc)
  check 'reference envdir out of address space: exit 111' [ "$(cat "$d/rc")" = 111 ]
else
  skip "envdir out of address space (reference): $REF_BIN/envdir not installed"
fi

finish
