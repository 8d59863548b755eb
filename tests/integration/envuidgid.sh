#!/usr/bin/env bash
# envuidgid: usage, unknown accounts, $UID and $GID (the primary gid) and
# where they land in the environment, against the reference.
. "$(dirname "$0")/../lib.sh"

U="envuidgid: usage: envuidgid account child"
expect "no arguments" 100 "" "$U" -- envuidgid
expect "no child" 100 "" "$U" -- envuidgid root
expect "unknown account" 111 "" "envuidgid: fatal: unknown account nosuchuser.dt" -- envuidgid nosuchuser.dt true
expect "empty account" 111 "" "envuidgid: fatal: unknown account " -- envuidgid '' true
expect "options are not parsed" 111 "" "envuidgid: fatal: unknown account -x" -- envuidgid -x root true
expect "missing child" 111 "" "envuidgid: fatal: unable to run /nonexistent: file does not exist" -- envuidgid root /nonexistent
expect "root" 0 "0 0" "" -- envuidgid root sh -c 'echo $UID $GID'
expect "uid unchanged" 0 "$(id -u)" "" -- envuidgid nobody sh -c 'id -u'

# Accounts whose gid differs from their uid: GID is the primary gid.
for acct in sync games man nobody daemon; do
  if id "$acct" >/dev/null 2>&1; then
    expect "account $acct" 0 "$(id -u "$acct") $(id -g "$acct")" "" -- envuidgid "$acct" sh -c 'echo $UID $GID'
  fi
done

# Where they land: GID then UID, each edit replacing the first entry of its
# name by the last entry and appending (tests/shim/setenviron.cpp sets the
# starting environment exactly).
shim=${DT_TESTS:-}/setenviron.so
if [ -n "${DT_TESTS:-}" ] && [ -f "$shim" ]; then
  E="export LD_PRELOAD=$shim SHIM_ENVIRON"
  SETUP="$E=\$'UID=5\\nX=1\\nGID=7\\nY=2'" expect "order: replaced" 0 $'GID=0\nX=1\nY=2\nUID=0' "" -- envuidgid root /usr/bin/env
  SETUP="$E=\$'X=1\\nY=2'" expect "order: appended" 0 $'X=1\nY=2\nGID=0\nUID=0' "" -- envuidgid root /usr/bin/env
  SETUP="$E=\$'UID=5\\nUID=6\\nGID\\nGID=7\\nGID=8'" expect "order: duplicates" 0 $'GID=0\nUID=6\nGID\nGID=8\nUID=0' "" -- envuidgid root /usr/bin/env
  SETUP="$E=" expect "order: empty environment" 0 $'GID=0\nUID=0' "" -- envuidgid root /usr/bin/env
else
  skip "environment order: $DT_TESTS/setenviron.so missing"
fi
finish
