#!/usr/bin/env bash
# Messages longer than 4096 bytes are printed whole, with their reason, as
# the reference prints them (issue 14 item 2): names of 5000 and 100000
# bytes in every program's messages built from argv or a path. Each case is
# checked literally on ours and, where installed, on the reference.
. "$(dirname "$0")/../lib.sh"

for len in 5000 100000; do
  n=$(head -c "$len" /dev/zero | tr '\0' a)
  long=': file name too long'
  expect "svc -u $len" 0 '' "svc: warning: unable to chdir to $n$long" -- svc -u "$n"
  expect "svc -u $len and a second" 0 '' "svc: warning: unable to chdir to $n$long
svc: warning: unable to chdir to missing: file does not exist" -- svc -u "$n" missing
  expect "svok $len" 111 '' "svok: fatal: unable to chdir to $n$long" -- svok "$n"
  expect "svstat $len" 0 "$n: unable to chdir: file name too long" '' -- svstat "$n"
  expect "supervise $len" 111 '' "supervise: fatal: unable to chdir to $n$long" -- supervise "$n"
  expect "envdir $len" 111 '' "envdir: fatal: unable to switch to directory $n$long" -- envdir "$n" true
  expect "setlock $len" 111 '' "setlock: fatal: unable to open $n$long" -- setlock "$n" true
  expect "setuidgid $len" 111 '' "setuidgid: fatal: unknown account $n" -- setuidgid "$n" true
  expect "envuidgid $len" 111 '' "envuidgid: fatal: unknown account $n" -- envuidgid "$n" true
  for prog in softlimit pgrphack fghack; do
    expect "$prog unable to run $len" 111 '' "$prog: fatal: unable to run $n$long" -- $prog "$n"
  done
  expect "setlock unable to run $len" 111 '' "setlock: fatal: unable to run $n$long" -- setlock lockfile "$n"
  expect "envdir unable to run $len" 111 '' "envdir: fatal: unable to run $n$long" -- envdir . "$n"
  expect "multilog directory $len" 111 '' "multilog: fatal: unable to open directory ./$n$long" -- multilog "./$n"
done

finish
