#!/usr/bin/env bash
# softlimit: option parsing and usage, every limit, "=", values above the
# hard limit, the reference's wrapping number scanner, failures, against
# the reference.
. "$(dirname "$0")/../lib.sh"

U="softlimit: usage: softlimit [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes] [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child"
expect "no arguments" 100 "" "$U" -- softlimit
expect "options, no child" 100 "" "$U" -- softlimit -m 5
expect "missing value" 100 "" "softlimit: option requires an argument -- m"$'\n'"$U" -- softlimit -m
expect "missing value after others" 100 "" "softlimit: option requires an argument -- o"$'\n'"$U" -- softlimit -o 1 -o
expect "unknown option" 100 "" "softlimit: illegal option -- z"$'\n'"$U" -- softlimit -z true
expect "unknown option in a cluster" 100 "" "softlimit: illegal option -- x"$'\n'"$U" -- softlimit -c5 -x true
expect "question mark" 100 "" "softlimit: illegal option -- ?"$'\n'"$U" -- softlimit '-?' true
expect "colon" 100 "" "softlimit: illegal option -- :"$'\n'"$U" -- softlimit -: true
expect "letters in a value" 100 "" "$U" -- softlimit -m abc true
expect "trailing junk in a value" 100 "" "$U" -- softlimit -m 12abc true
expect "negative value" 100 "" "$U" -- softlimit -o -5 true
expect "plus sign" 100 "" "$U" -- softlimit -o +5 true
expect "leading space" 100 "" "$U" -- softlimit -o ' 5' true
expect "value is the next argument whatever it is" 100 "" "$U" -- softlimit -m -- true
expect "value glued, the rest of the cluster" 100 "" "$U" -- softlimit -o5o6 true
expect "-- ends the options" 0 "" "" -- softlimit -- true
expect "--anything ends the options" 0 "" "" -- softlimit --x true
expect "after -- an option is the child" 111 "" "softlimit: fatal: unable to run -o: file does not exist" -- softlimit -- -o 5 true
expect "- is the child" 111 "" "softlimit: fatal: unable to run -: file does not exist" -- softlimit -c 5 - true
expect "options after the child are its own" 0 "-m 5" "" -- softlimit -c 5 echo -m 5
expect "missing child" 111 "" "softlimit: fatal: unable to run /nonexistent: file does not exist" -- softlimit -c 5 /nonexistent

# The soft limits the child gets, from /proc/self/limits, one per line.
lim() { # lim NAME... -> a sh script printing each soft limit
  local s="" n
  for n in "$@"; do s="$s grep '^Max $n ' /proc/self/limits | sed 's/^Max $n  *//; s/ .*//';"; done
  printf '%s' "$s"
}
if [ -r /proc/self/limits ]; then
  expect "every option" 0 $'33\n123456\n200000000\n600000\n1000\n555555\n77\n999\n4096\n300000000' "" -- \
    softlimit -t 33 -f 123456 -d 200000000 -s 600000 -c 1000 -r 555555 -o 77 -p 999 -l 4096 -a 300000000 \
    sh -c "$(lim 'cpu time' 'file size' 'data size' 'stack size' 'core file size' 'resident set' 'open files' processes 'locked memory' 'address space')"
  expect "clustered values" 0 $'100\n50' "" -- softlimit -c100 -o50 sh -c "$(lim 'core file size' 'open files')"
  all4="$(lim 'data size' 'stack size' 'locked memory' 'address space')"
  # -m: data, stack, locked memory and address space (here memlock's hard
  # limit is 4 KiB, so that one is lowered to it)
  SETUP='ulimit -l 4' expect "-m sets four limits" 0 $'100000000\n100000000\n4096\n100000000' "" -- softlimit -m 100000000 sh -c "$all4"
  SETUP='ulimit -l 4' expect "later options win" 0 $'200000000\n100000000\n2048\n100000000' "" -- softlimit -m 100000000 -d 200000000 -l 2048 sh -c "$all4"
  SETUP='ulimit -l 4' expect "earlier options lose" 0 $'100000000\n100000000\n4096\n100000000' "" -- softlimit -d 200000000 -l 2048 -m 100000000 sh -c "$all4"
  # = is the hard limit; a value above the hard limit is lowered to it
  SETUP='ulimit -S -n 50; ulimit -H -n 500' expect "= is the hard limit" 0 "500" "" -- softlimit -o = sh -c "$(lim 'open files')"
  SETUP='ulimit -S -n 50; ulimit -H -n 500' expect "above the hard limit: lowered" 0 "500" "" -- softlimit -o 1000 sh -c "$(lim 'open files')"
  SETUP='ulimit -S -n 50; ulimit -H -n 500' expect "below the soft limit: lowered" 0 "20" "" -- softlimit -o 20 sh -c "$(lim 'open files')"
  SETUP='ulimit -S -c 0' expect "= unlimited" 0 "unlimited" "" -- softlimit -c = sh -c "$(lim 'core file size')"
  # the number scanner wraps modulo 2^64 instead of stopping, as the
  # reference's does; an empty value is 0
  if [ "$(ulimit -H -c)" = unlimited ]; then
    core="$(lim 'core file size')"
    expect "huge value wraps" 0 "200376420520689663" "" -- softlimit -c 99999999999999999999999 sh -c "$core"
    expect "2^64-1 is unlimited" 0 "unlimited" "" -- softlimit -c 18446744073709551615 sh -c "$core"
    expect "2^64 wraps to 0" 0 "0" "" -- softlimit -c 18446744073709551616 sh -c "$core"
    expect "2^64+1 wraps to 1" 0 "1" "" -- softlimit -c 18446744073709551617 sh -c "$core"
    expect "empty value is 0" 0 "0" "" -- softlimit -c '' sh -c "$core"
  else
    skip "wrapping values: the hard core limit is not unlimited here"
  fi
else
  skip "limit values: no /proc/self/limits"
fi

# getrlimit and setrlimit failing, through tests/shim/failcred.cpp.
shim=${DT_TESTS:-}/failcred.so
if [ -n "${DT_TESTS:-}" ] && [ -f "$shim" ]; then
  F="export LD_PRELOAD=$shim SHIM_FAIL"
  SETUP="$F=getrlimit SHIM_ERRNO=22" expect "getrlimit fails" 111 "" "softlimit: fatal: getrlimit failed: invalid argument" -- softlimit -o 5 true
  SETUP="$F=setrlimit SHIM_ERRNO=1" expect "setrlimit fails" 111 "" "softlimit: fatal: setrlimit failed: permission denied" -- softlimit -m = true
  SETUP="$F=setrlimit SHIM_ERRNO=1" expect "a failure comes before a later usage error" 111 "" "softlimit: fatal: setrlimit failed: permission denied" -- softlimit -o 5 -z true
  SETUP="$F=setrlimit SHIM_ERRNO=1" expect "no limit, no failure" 0 "" "" -- softlimit true
else
  skip "system-call failures: $DT_TESTS/failcred.so missing"
fi
finish
