#!/usr/bin/env bash
# setuidgid: usage, unknown accounts, the uid, gid and supplementary groups
# the child gets, failures of each step, against the reference.
. "$(dirname "$0")/../lib.sh"

U="setuidgid: usage: setuidgid account child"
expect "no arguments" 100 "" "$U" -- setuidgid
expect "no child" 100 "" "$U" -- setuidgid nobody
expect "unknown account" 111 "" "setuidgid: fatal: unknown account nosuchuser.dt" -- setuidgid nosuchuser.dt true
expect "empty account" 111 "" "setuidgid: fatal: unknown account " -- setuidgid '' true
expect "options are not parsed" 111 "" "setuidgid: fatal: unknown account --" -- setuidgid -- nobody true

ids='echo $(id -u) $(id -g) $(id -G)'
if [ "$(id -u)" = 0 ]; then
  expect "missing child" 111 "" "setuidgid: fatal: unable to run /nonexistent: file does not exist" -- setuidgid nobody /nonexistent
  expect "root" 0 "0 0 0" "" -- setuidgid root sh -c "$ids"
  # uid, primary gid, and that gid as the only supplementary group
  for acct in nobody daemon sync games man; do
    id "$acct" >/dev/null 2>&1 || continue
    g=$(id -g "$acct")
    expect "account $acct" 0 "$(id -u "$acct") $g $g" "" -- setuidgid "$acct" sh -c "$ids"
  done
  # an account listed as a member of other groups in the group file gets
  # none of them
  member=$(getent group | awk -F: '$4 != "" { split($4, m, ","); print m[1]; exit }')
  if [ -n "$member" ] && id "$member" >/dev/null 2>&1; then
    g=$(id -g "$member")
    expect "member of other groups ($member)" 0 "$(id -u "$member") $g $g" "" -- setuidgid "$member" sh -c "$ids"
  else
    skip "no account is a member of a supplementary group here"
  fi
  # the PATH search runs as the new user
  SETUP='mkdir -m 700 priv; printf "#!/bin/sh\necho x\n" > priv/prog; chmod 755 priv/prog; export PATH=$PWD/priv' \
    expect "PATH searched as the new user" 111 "" "setuidgid: fatal: unable to run prog: access denied" -- setuidgid nobody prog
  SETUP='chmod 755 "$TEST_ROOT" .; mkdir -m 755 pub; printf "#!/bin/sh\necho \$(/usr/bin/id -u)\n" > pub/prog; chmod 755 pub/prog; export PATH=$PWD/pub' \
    expect "PATH search finds the program" 0 "$(id -u nobody)" "" -- setuidgid nobody prog
  if command -v setpriv >/dev/null; then
    # supplementary groups the caller had are dropped
    expect_wrapped "setpriv --groups=4,20,27" "caller's groups dropped" 0 "$(id -u nobody) $(id -g nobody) $(id -g nobody)" "" -- setuidgid nobody sh -c "$ids"
    # without privileges, setgroups fails first: reported as setgid
    N="setpriv --reuid=65534 --regid=65534 --clear-groups"
    expect_wrapped "$N" "setgroups refused" 111 "" "setuidgid: fatal: unable to setgid: permission denied" -- setuidgid daemon true
    expect_wrapped "$N" "even to oneself" 111 "" "setuidgid: fatal: unable to setgid: permission denied" -- setuidgid nobody true
  else
    skip "cases under setpriv: no setpriv"
  fi
else
  skip "cases that change the uid: not root"
  expect "setgroups refused" 111 "" "setuidgid: fatal: unable to setgid: permission denied" -- setuidgid root true
fi

# Each step failing, through tests/shim/failcred.cpp.
shim=${DT_TESTS:-}/failcred.so
if [ -n "${DT_TESTS:-}" ] && [ -f "$shim" ]; then
  F="export LD_PRELOAD=$shim SHIM_FAIL"
  SETUP="$F=setgroups SHIM_ERRNO=1" expect "setgroups fails" 111 "" "setuidgid: fatal: unable to setgid: permission denied" -- setuidgid root true
  SETUP="$F=setgid SHIM_ERRNO=22" expect "setgid fails" 111 "" "setuidgid: fatal: unable to setgid: invalid argument" -- setuidgid root true
  SETUP="$F=setuid SHIM_ERRNO=11" expect "setuid fails" 111 "" "setuidgid: fatal: unable to setuid: temporary failure" -- setuidgid root true
else
  skip "system-call failures: $DT_TESTS/failcred.so missing"
fi
finish
