#!/usr/bin/env bash
# pgrphack: usage, PATH search and every errno's wording, against the reference.
. "$(dirname "$0")/../lib.sh"

expect "no arguments" 100 "" "pgrphack: usage: pgrphack child" -- pgrphack
expect "runs the child" 0 "hello" "" -- pgrphack /bin/echo hello
expect "missing program" 111 "" "pgrphack: fatal: unable to run /nonexistent: file does not exist" -- pgrphack /nonexistent
expect "empty name" 111 "" "pgrphack: fatal: unable to run : access denied" -- pgrphack ''
# the child leads its own session and process group
SETUP='' expect "new process group" 0 "yes" "" -- pgrphack sh -c 'test "$(ps -o pgid= -p $$ | tr -d " ")" = "$$" && echo yes'

# PATH search: an entry that is not executable is remembered, the search
# goes on; an empty entry means the current directory; no PATH means /bin:/usr/bin.
mk='mkdir -p a b c/prog x; printf "#!/bin/sh\necho b\n" > b/prog; chmod +x b/prog; echo x > a/prog'
SETUP="$mk; export PATH=\$PWD/a:\$PWD/b" expect "skips non-executable" 0 "b" "" -- pgrphack prog
SETUP="$mk; export PATH=\$PWD/a" expect "access denied remembered" 111 "" "pgrphack: fatal: unable to run prog: access denied" -- pgrphack prog
SETUP="$mk; export PATH=\$PWD/c:\$PWD/nope" expect "directory remembered over not found" 111 "" "pgrphack: fatal: unable to run prog: access denied" -- pgrphack prog
SETUP="$mk; cd b; export PATH=:/nonexistent" expect "empty entry is cwd" 0 "b" "" -- pgrphack prog
SETUP="$mk; cd b; unset PATH" expect "default PATH excludes cwd" 111 "" "pgrphack: fatal: unable to run prog: file does not exist" -- pgrphack prog
SETUP="$mk; printf '\177ELFjunk' > a/prog; chmod +x a/prog; export PATH=\$PWD/a:\$PWD/b" expect "exec format error stops the search" 111 "" "pgrphack: fatal: unable to run prog: exec format error" -- pgrphack prog

# Every errno value's wording, through an LD_PRELOAD shim that makes execve fail.
shim=${DT_TESTS:-}/failexec.so
if [ -n "${DT_TESTS:-}" ] && [ -f "$shim" ] && has_ref pgrphack; then
  for e in $(seq 0 140); do
    SETUP="export SHIM_ERRNO=$e LD_PRELOAD=$shim" same "errno $e wording" -- pgrphack /x
  done
else
  skip "errno wording table: shim or reference missing"
fi
finish
