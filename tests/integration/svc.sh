#!/usr/bin/env bash
# svc: the commands it writes to each supervise/control (a plain file here,
# so what was written can be read back), its warnings, usage and exit codes.
. "$(dirname "$0")/../lib.sh"

shim=${DT_TESTS:-}/ctltime.so
USAGE="svc options: u up, d down, o once, x exit, p pause, c continue, h hup, a alarm, i interrupt, t term, k kill"
# Ours prints 0.76's line and then a line for the letters beyond 0.76.
USAGE_OURS="$USAGE
svc options beyond 0.76: q quit, 1 usr1, 2 usr2, w winch, y winch, b abrt, + to the group, = to the process, r restart, O once at most, D down and ./down, U up and no ./down"

asuser() { $AS_NOBODY "$@"; }

# svcs DIR...: service directories whose supervise/control is a plain file
svcs() {
  local d
  for d in "$@"; do mkdir -p "$d/supervise" && : >"$d/supervise/control"; done
}

# expect_svc NAME RC ERR WRITTEN SETUP ARGS...
#   run svc ARGS (ours, then the reference) in a fresh directory prepared by
#   SETUP; stdout must be empty, stderr ERR, exit code RC, and WRITTEN is
#   "DIR=BYTES;" for every DIR/supervise/control plain file, sorted by DIR.
#   With AS=user, svc runs as an unprivileged user. With ONLY=ours or
#   ONLY=reference, one of them. In ERR, 0.76's usage line stands for ours
#   followed by its second line.
expect_svc() {
  local name=$1 rc=$2 err0=$3 want=$4 setup=$5 which bin d got err
  shift 5
  for which in ours reference; do
    [ -n "${ONLY:-}" ] && [ "$ONLY" != $which ] && continue
    err=$err0
    if [ $which = ours ]; then bin=$DT_BIN; err=${err0//"$USAGE"/"$USAGE_OURS"}; else bin=$REF_BIN; fi
    if [ $which = reference ] && ! has_ref svc; then
      skip "$name (reference): $REF_BIN/svc not installed"
      continue
    fi
    d=$(_newdir)
    mkdir -p "$d/.result"
    (
      cd "$d" || exit 99
      eval "$setup"
      if [ "${AS:-}" = user ]; then
        chmod 755 "$TEST_ROOT" "$d"
        asuser "$bin/svc" "$@" </dev/null >"$d/.result/out" 2>"$d/.result/err"
      else
        "$bin/svc" "$@" </dev/null >"$d/.result/out" 2>"$d/.result/err"
      fi
      echo $? >"$d/.result/rc"
    )
    _compare_literal "$name" "$which" "$d" "$rc" "" "$err"
    chmod -R u+rwx "$d" 2>/dev/null
    got=$(cd "$d" && find -L . -path ./.result -prune -o -path '*/supervise/control' -type f -print 2>/dev/null | LC_ALL=C sort |
      while read -r f; do f=${f#./}; printf '%s=%s;' "${f%/supervise/control}" "$(cat -- "$f")"; done)
    if [ "$got" = "$want" ]; then pass; else fail "$name ($which): written '$got', want '$want'"; fi
  done
}

# each option writes its own letter
for l in u d o p c h a i t k x; do
  expect_svc "-$l" 0 "" "s=$l;" 'svcs s' -$l s
done
expect_svc "all options, in the order given" 0 "" "s=udopchaitkx;" 'svcs s' -udopchaitkx s
expect_svc "all options, another order" 0 "" "s=xkdupctahio;" 'svcs s' -xkdupctahio s
# each letter once, where it first appeared, in one write
expect_svc "repeated letter" 0 "" "s=u;" 'svcs s' -uu s
expect_svc "repeats across arguments" 0 "" "s=du;" 'svcs s' -d -u -d s
expect_svc "mixed repeats" 0 "" "s=kxd;" 'svcs s' -kkx -dk s
expect_svc "many repeats" 0 "" "s=k;" 'svcs s' -kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk s
expect_svc "no options: nothing written" 0 "" "s=;" 'svcs s' s

# every service in turn, each from the starting directory
expect_svc "several services, relative paths" 0 "" "a=dx;b/c=dx;d=dx;" 'svcs a b/c d' -dx a b/c d
expect_svc "absolute path" 0 "" "abs/s=t;" "svcs $TEST_ROOT/abs/s; ln -s $TEST_ROOT/abs abs" -t "$TEST_ROOT/abs/s"
expect_svc "a failure in the middle" 0 "svc: warning: unable to chdir to nope: file does not exist
svc: warning: unable to control e: file does not exist" "a=h;b=h;" 'svcs a b; mkdir e' -h a nope e b

# Beyond 0.76: each new letter writes its byte; 0.76 rejects every one of
# them (usage, exit 100, nothing written), so no 0.76 command line changes.
for l in q 1 2 w y b r O D U; do
  ONLY=ours expect_svc "-$l (beyond 0.76)" 0 "" "s=$l;" 'svcs s' -$l s
  ONLY=reference expect_svc "-$l is a usage error in 0.76" 100 "svc: illegal option -- $l
$USAGE" "s=;" 'svcs s' -$l s
done
for l in + =; do
  ONLY=reference expect_svc "-$l is a usage error in 0.76" 100 "svc: illegal option -- $l
$USAGE" "s=;" 'svcs s' -u -$l s
done
ONLY=ours expect_svc "new letters in argv order" 0 "" "s=q12wybrODU;" 'svcs s' -q12wy -b -rODU s
ONLY=ours expect_svc "new and old letters mixed" 0 "" "s=uq1dr;" 'svcs s' -uq -1d -ruq s
# de-duplicated within a +/= segment; a write that leaves + ends with =
ONLY=ours expect_svc "+: to the group, then = at the end" 0 "" "s=+h=;" 'svcs s' -+h s
ONLY=ours expect_svc "+ and = both given" 0 "" "s=+h=t;" 'svcs s' -+h=t s
ONLY=ours expect_svc "a letter again after +" 0 "" "s=h+h=;" 'svcs s' -h+h s
ONLY=ours expect_svc "letters once per segment" 0 "" "s=th+ht=ht;" 'svcs s' -tht -+hth -=htth s
ONLY=ours expect_svc "+ again: the same segment" 0 "" "s=+ht=;" 'svcs s' -+h+t -+h s
ONLY=ours expect_svc "= at the start changes nothing" 0 "" "s=h;" 'svcs s' -=h= s
ONLY=ours expect_svc "= alone writes nothing" 0 "" "s=;" 'svcs s' -= s
ONLY=ours expect_svc "+ alone" 0 "" "s=+=;" 'svcs s' -+ s
ONLY=ours expect_svc "segments repeat" 0 "" "s=+h=h+h=;" 'svcs s' -++h==h+h s
ONLY=ours expect_svc "the same bytes to every service" 0 "" "a=+dx=;b=+dx=;" 'svcs a b' -+dx a b
ONLY=ours expect_svc "old letters: du" 0 "" "s=du;" 'svcs s' -du s
ONLY=ours expect_svc "old letters: uq" 0 "" "s=uq;" 'svcs s' -uuq s

# all the letters in one write(2), so supervise reads them as one batch
# (its "+" and "L" last until the pipe is empty)
if command -v strace >/dev/null; then
  d=$(_newdir)
  mkdir -p "$d/s/supervise" && : >"$d/s/supervise/control"
  (cd "$d" && strace -f -e trace=write -o "$d/trace" "$DT_BIN/svc" -+hd -t=k s) 2>/dev/null
  check "one write: $(grep -c '^[0-9]* *write(' "$d/trace") in the trace" [ "$(grep -c 'write(' "$d/trace")" = 1 ]
  check "one write of +hdt=k" grep -q 'write([0-9]*, "+hdt=k", 6) *= 6' "$d/trace"
else
  skip "one write: strace not installed"
fi

# options only before the first service; "--" ends them, "-" is a service
expect_svc "option after a service" 0 "svc: warning: unable to chdir to -u: file does not exist" "s=d;" 'svcs s' -d s -u
expect_svc "--" 0 "svc: warning: unable to chdir to -d: file does not exist" "s=u;" 'svcs s' -u -- s -d
expect_svc "-- alone" 0 "" "s=;" 'svcs s' -- s
expect_svc "--x ends the options too" 0 "" "s=;" 'svcs s' --x s
expect_svc "- is a service" 0 "svc: warning: unable to chdir to -: file does not exist" "s=u;" 'svcs s' -u - s
expect_svc "a service named -" 0 "" "-=a;" 'svcs ./-' -a -- -

# usage: the option named, then svc's list; nothing written
expect_svc "unknown option" 100 "svc: illegal option -- z
$USAGE" "s=;" 'svcs s' -z s
expect_svc "unknown after known" 100 "svc: illegal option -- z
$USAGE" "s=;" 'svcs s' -uz s
expect_svc "unknown in a later argument" 100 "svc: illegal option -- Z
$USAGE" "s=;" 'svcs s' -u -dZ s
expect_svc "the first unknown only" 100 "svc: illegal option -- W
$USAGE" "" '' -WQ
expect_svc "dash inside a cluster" 100 "svc: illegal option -- -
$USAGE" "s=;" 'svcs s' -u-d s
expect_svc "-?" 100 "svc: illegal option -- ?
$USAGE" "" '' -?
# that message, and only it, names the program after argv[0]
for which in ours reference; do
  if [ $which = ours ]; then bin=$DT_BIN; u=$USAGE_OURS; else bin=$REF_BIN; u=$USAGE; fi
  if [ $which = reference ] && ! has_ref svc; then skip "argv[0] (reference)"; continue; fi
  d=$(_newdir)
  ln -s "$bin/svc" "$d/foo"
  got=$(cd "$d" && ./foo -z 2>&1; echo "rc=$?")
  check "argv[0] names the program ($which)" [ "$got" = "foo: illegal option -- z
$u
rc=100" ]
  got=$(cd "$d" && ./foo -u nope 2>&1; echo "rc=$?")
  check "but not the warnings ($which)" [ "$got" = "svc: warning: unable to chdir to nope: file does not exist
rc=0" ]
done

# no services: nothing at all
expect_svc "no arguments" 0 "" "" ''
expect_svc "options only" 0 "" "" '' -udx

# bad services: a warning each, exit 0 all the same
expect_svc "missing directory" 0 "svc: warning: unable to chdir to nope: file does not exist" "" '' -u nope
expect_svc "empty name" 0 "svc: warning: unable to chdir to : file does not exist" "" '' -u ''
expect_svc "a file" 0 "svc: warning: unable to chdir to f: not a directory" "" 'echo x > f' -u f
expect_svc "no supervise/" 0 "svc: warning: unable to control d: file does not exist" "" 'mkdir d' -u d
expect_svc "supervise/ a file" 0 "svc: warning: unable to control d: not a directory" "" 'mkdir d; touch d/supervise' -u d
expect_svc "control without reader" 0 "svc: warning: unable to control d: supervise not running" "" 'mkdir -p d/supervise; mkfifo d/supervise/control' -u d
expect_svc "control without reader, no options" 0 "svc: warning: unable to control d: supervise not running" "" 'mkdir -p d/supervise; mkfifo d/supervise/control' d
expect_svc "control a directory" 0 "svc: warning: unable to control d: is a directory" "" 'mkdir -p d/supervise/control' -u d
expect_svc "control a symlink loop" 0 "svc: warning: unable to control d: symbolic link loop" "" 'mkdir -p d/supervise; ln -s control d/supervise/control' -u d
expect_svc "write fails" 0 "svc: warning: error writing commands to d: out of disk space" "s=u;" 'svcs s; mkdir -p d/supervise; ln -s /dev/full d/supervise/control' -u d s
if [ -f "$shim" ]; then
  expect_svc "write: broken pipe" 0 "svc: warning: error writing commands to s: broken pipe" "s=;" "svcs s; export LD_PRELOAD=$shim SHIM_FAIL=write SHIM_ERRNO=32" -u s
  expect_svc "fchdir fails: fatal" 111 "svc: warning: unable to chdir to nope: file does not exist
svc: fatal: unable to set directory: input/output error" "s=;" "svcs s; export LD_PRELOAD=$shim SHIM_FAIL=fchdir SHIM_ERRNO=5" -u nope s
else
  skip "shim cases: $shim not built"
fi

# as a user other than root
AS=user expect_svc "unreadable current directory" 111 "svc: fatal: unable to open current directory: access denied" "" 'mkdir -p w; chmod 311 w; cd w' -u
AS=user expect_svc "unreadable current directory, no arguments" 111 "svc: fatal: unable to open current directory: access denied" "" 'mkdir -p w; chmod 311 w; cd w'
AS=user expect_svc "service not searchable" 0 "svc: warning: unable to chdir to s: access denied" "s=;" 'svcs s; chmod 000 s' -u s
AS=user expect_svc "control not writable" 0 "svc: warning: unable to control s: access denied" "s=;" 'svcs s; chmod 755 s/supervise; chmod 444 s/supervise/control' -u s
AS=user expect_svc "control pipe not writable" 0 "svc: warning: unable to control s: access denied" "" 'mkdir -p s/supervise; mkfifo -m 400 s/supervise/control; chmod 755 s/supervise' -u s
AS=user expect_svc "control writable" 0 "" "s=k;" 'svcs s; chmod 755 s/supervise; chmod 666 s/supervise/control' -k s
finish
