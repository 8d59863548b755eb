#!/usr/bin/env bash
# svok: exit 0 when a supervise holds S/supervise/ok open, 100 when not
# (silently), 111 with a message on any other trouble.
. "$(dirname "$0")/../lib.sh"

# a pipe with a reader stands for a running supervise: one pipe, its reader
# started here (and stopped at the end), linked into each case
held=$TEST_ROOT/held-ok
mkfifo -m 600 "$held"
hold_fifo "$held"
SETUP="mkdir -p s/supervise; ln -s $held s/supervise/ok" \
  expect "running" 0 "" "" -- svok s
SETUP='mkdir -p s/supervise; mkfifo s/supervise/ok' expect "pipe without reader" 100 "" "" -- svok s
SETUP='mkdir -p s/supervise; touch s/supervise/ok' expect "ok a plain file opens: running" 0 "" "" -- svok s
SETUP='mkdir s' expect "no supervise/" 100 "" "" -- svok s
SETUP='mkdir -p s/supervise' expect "no ok" 100 "" "" -- svok s
SETUP='mkdir -p s/supervise; ln -s nowhere s/supervise/ok' expect "ok dangling symlink" 100 "" "" -- svok s
SETUP='mkdir -p s/supervise/ok' expect "ok a directory" 111 "" "svok: fatal: unable to open s/supervise/ok: is a directory" -- svok s
SETUP='mkdir -p s/supervise; ln -s ok s/supervise/ok' expect "ok a symlink loop" 111 "" "svok: fatal: unable to open s/supervise/ok: symbolic link loop" -- svok s
SETUP='mkdir s; touch s/supervise' expect "supervise/ a file" 111 "" "svok: fatal: unable to open s/supervise/ok: not a directory" -- svok s
SETUP='mkdir -p d/s/supervise; mkfifo d/s/supervise/ok' expect "path kept in messages" 100 "" "" -- svok d/s/
SETUP='mkdir -p d/s/supervise/ok' expect "path as given" 111 "" "svok: fatal: unable to open d/s//supervise/ok: is a directory" -- svok d/s/

expect "no arguments" 100 "" "svok: usage: svok dir" -- svok
expect "missing directory" 111 "" "svok: fatal: unable to chdir to nope: file does not exist" -- svok nope
expect "empty name" 111 "" "svok: fatal: unable to chdir to : file does not exist" -- svok ''
SETUP='echo x > f' expect "a file" 111 "" "svok: fatal: unable to chdir to f: not a directory" -- svok f
# no options: everything is a directory; only the first argument counts
expect "no options" 111 "" "svok: fatal: unable to chdir to -x: file does not exist" -- svok -x
expect "no --" 111 "" "svok: fatal: unable to chdir to --: file does not exist" -- svok -- s
SETUP='mkdir -p s/supervise; touch s/supervise/ok' expect "later arguments ignored" 0 "" "" -- svok s nope
SETUP='mkdir -p s/supervise; touch s/supervise/ok' expect "only the first" 111 "" "svok: fatal: unable to chdir to nope: file does not exist" -- svok nope s

# as a user other than root
# expect_user NAME RC ERR SETUP ARGS...: like expect, svok run as nobody when we are root
expect_user() { SETUP=$4 expect_wrapped "$AS_NOBODY" "$1" "$2" "" "$3" -- svok "${@:5}"; }
expect_user "service not searchable" 111 "svok: fatal: unable to chdir to s: access denied" 'mkdir s; chmod 000 s' s
expect_user "supervise/ not searchable" 111 "svok: fatal: unable to open s/supervise/ok: access denied" \
  'mkdir -p s/supervise; mkfifo s/supervise/ok; chmod 000 s/supervise' s
chmod 400 "$held"  # its reader has it open already: nobody else can write to it now
expect_user "ok not writable" 111 "svok: fatal: unable to open s/supervise/ok: access denied" \
  'mkdir -p s/supervise; ln -s $held s/supervise/ok; chmod 755 s/supervise' s
expect_user "unreadable current directory does not matter" 0 "" \
  'mkdir -p w s/supervise; touch s/supervise/ok; chmod 666 s/supervise/ok; chmod 311 w; cd w' ../s
finish
