#!/usr/bin/env bash
# envdir: usage, errors, how each file becomes a variable, the order of the
# edited environment, and the reference's quirks, against the reference.
. "$(dirname "$0")/../lib.sh"

# The usage error exits 111, not 100: a quirk of the reference, kept.
U="envdir: usage: envdir dir child"
expect "no arguments" 111 "" "$U" -- envdir
expect "no child" 111 "" "$U" -- envdir d
expect "missing directory" 111 "" "envdir: fatal: unable to switch to directory nonexistent: file does not exist" -- envdir nonexistent true
expect "options are not parsed" 111 "" "envdir: fatal: unable to switch to directory -x: file does not exist" -- envdir -x d true
SETUP='touch f' expect "not a directory" 111 "" "envdir: fatal: unable to switch to directory f: not a directory" -- envdir f true
expect "empty name" 111 "" "envdir: fatal: unable to switch to directory : file does not exist" -- envdir '' true
SETUP='ln -s loop loop' expect "symlink loop" 111 "" "envdir: fatal: unable to switch to directory loop: symbolic link loop" -- envdir loop true
SETUP='mkdir d' expect "missing child" 111 "" "envdir: fatal: unable to run /nonexistent: file does not exist" -- envdir d /nonexistent
SETUP='mkdir d; echo hi > d/X' expect "runs the child with args" 0 "hi a b" "" -- envdir d sh -c 'echo "$X" "$0" "$1"' a b
SETUP='mkdir -p d/sub' expect "a subdirectory" 111 "" "envdir: fatal: unable to read d/sub: is a directory" -- envdir d true
SETUP='mkdir -p d/sub' expect "the path as given" 111 "" "envdir: fatal: unable to read d//sub: is a directory" -- envdir d/ true
SETUP='mkdir d; ln -s . d/L' expect "a symlink to a directory" 111 "" "envdir: fatal: unable to read d/L: is a directory" -- envdir d true
# Files are opened non-blocking, as the reference's: a FIFO with a writer
# but nothing more to read is "temporary failure", even after some data.
SETUP='mkdir d; mkfifo d/F; exec 3<>d/F' expect "FIFO with a writer, no data" 111 "" "envdir: fatal: unable to read d/F: temporary failure" -- envdir d true
SETUP='mkdir d; mkfifo d/F; exec 3<>d/F; echo hi >&3' expect "FIFO with a writer and data" 111 "" "envdir: fatal: unable to read d/F: temporary failure" -- envdir d true

# The variables themselves: SHIM_ENVIRON (tests/shim/setenviron.cpp) gives
# the program exactly the starting environment wanted, duplicates included,
# and the child /usr/bin/env shows the environment it was given, in order.
shim=${DT_TESTS:-}/setenviron.so
if [ -n "${DT_TESTS:-}" ] && [ -f "$shim" ]; then
  E="export LD_PRELOAD=$shim SHIM_ENVIRON"
  one() { # name file-content(printf format) expected-output
    SETUP="$E=\$'X=old\\nKEEP=1'; mkdir d; printf '$2' > d/X" expect "$1" 0 "$3" "" -- envdir d /usr/bin/env
  }
  one "first line only" 'value\nsecond\n' $'KEEP=1\nX=value'
  one "trailing spaces and tabs removed" 'a b \t \t\nsecond\n' $'KEEP=1\nX=a b'
  one "leading spaces kept" '  a\n' $'KEEP=1\nX=  a'
  one "carriage return kept" 'cr\r\n' $'KEEP=1\nX=cr\r'
  one "other white space kept" 'v\v\f \n' $'KEEP=1\nX=v\v\f'
  one "no final newline" 'noeol' $'KEEP=1\nX=noeol'
  one "NUL becomes newline" 'x\0y\0\n' $'KEEP=1\nX=x\ny\n'
  one "NUL stops the stripping" 'a\0b  \0 \t\nz\n' $'KEEP=1\nX=a\nb  \n'
  one "empty first line sets empty" '\nsecond\n' $'KEEP=1\nX='
  one "blank first line sets empty" ' \t \n' $'KEEP=1\nX='
  one "empty file unsets" '' 'KEEP=1'
  long=$(printf 'z%.0s' $(seq 1 3000))
  one "long line" "$long\\n" $'KEEP=1\nX='"$long"

  SETUP="$E=\$'A=1\\nB=2\\nA=3\\nA\\nC=4'; mkdir d; echo v > d/A" expect "first duplicate replaced by the last entry" 0 $'C=4\nB=2\nA=3\nA\nA=v' "" -- envdir d /usr/bin/env
  SETUP="$E=\$'A=1\\nA=B=2\\nC=3'; mkdir d; echo eq > d/A=B" expect "a name with = is cut at it" 0 $'C=3\nA=B=2\nA=B=eq' "" -- envdir d /usr/bin/env
  SETUP="$E=\$'A=1\\nC=3'; mkdir d; : > d/A=B" expect "an empty file named A=B sets A=B" 0 $'C=3\nA=B' "" -- envdir d /usr/bin/env
  SETUP="$E=\$'=1\\nA=1\\nC=3'; mkdir d; echo x > d/=B" expect "a name starting with =" 0 $'C=3\nA=1\n=B=x' "" -- envdir d /usr/bin/env
  SETUP="$E=\$'X=old\\nKEEP=1'; mkdir d; echo v > d/.X" expect "dot files skipped" 0 $'X=old\nKEEP=1' "" -- envdir d /usr/bin/env
  SETUP="$E=\$'X=old\\nKEEP=1'; mkdir d; echo v > f; ln -s ../f d/X" expect "symlink followed" 0 $'KEEP=1\nX=v' "" -- envdir d /usr/bin/env
  SETUP="$E=\$'X=old\\nKEEP=1'; mkdir d; ln -s /nonexistent d/X" expect "dangling symlink, first: unset" 0 'KEEP=1' "" -- envdir d /usr/bin/env
  SETUP="$E=\$'X=old\\nKEEP=1'; mkdir d; mkfifo d/X" expect "FIFO without writer reads empty" 0 'KEEP=1' "" -- envdir d /usr/bin/env
  SETUP="$E=\$'X=old\\nKEEP=1'; mkdir d" expect "empty directory" 0 $'X=old\nKEEP=1' "" -- envdir d /usr/bin/env
  SETUP="$E=\$'UID=5\\nPATH=/nonexistent'; mkdir d; echo /bin > d/PATH" expect "the edited PATH is not searched" 111 "" "envdir: fatal: unable to run env: file does not exist" -- envdir d env

  # A missing file (dangling symlink) reuses what the previous file left in
  # the reference's buffer, its terminating NUL included: "abc" makes the
  # next "abc\n", "a\0b\n" (already "a\nb") makes it "a". Which comes first
  # is readdir's order, so the expected text is worked out from `ls -f`.
  stale() { # name content-of-Y(printf) X-after-Y
    local d=$TEST_ROOT/order
    rm -rf "$d"
    mkdir -p "$d"
    ln -s /nonexistent "$d/X"
    printf "$2" >"$d/Y"
    local y want
    y=$(cd "$d" && "$DT_BIN/envdir" . sh -c 'printf %s "$Y"')
    if [ "$(ls -f "$d" | grep -v '^\.' | head -1)" = Y ]; then
      want="Y=$y"$'\n'"X=$3"
    else
      want="Y=$y"
    fi
    SETUP="$E=; mkdir d; ln -s /nonexistent d/X; printf '$2' > d/Y" expect "$1" 0 "$want" "" -- envdir d /usr/bin/env
  }
  stale "missing file reuses the buffer" 'abc   \nmore\n' $'abc\n'
  stale "missing file reuses the converted buffer" 'a\0b\n' 'a'
  stale "missing file after an empty line" '\n' $'\n'

  # Many files at once: readdir's order, the same for both on one file system.
  many='mkdir d; cd d; echo dot > .DOT; printf "a b \t\nx\n" > TRAIL; printf "cr\r\n" > CR; printf "x\0y\n" > NUL;
    : > EMPTY; printf "\n" > BLANK; printf noeol > NOEOL; echo eq > A=B; for i in 1 2 3 4 5 6 7 8 9; do echo $i > V$i; done;
    ln -s /nonexistent GONE1; ln -s /nonexistent GONE2; : > E2; cd ..'
  SETUP="$E=\$'A=1\\nEMPTY=x\\nDOT=1\\nV3=old\\nE2=y\\nZ=last'; $many" same "many files, order of the edits" -- envdir d /usr/bin/env
else
  skip "environment cases: $DT_TESTS/setenviron.so missing"
fi

# System-call failures, through tests/shim/failcred.cpp.
shim=${DT_TESTS:-}/failcred.so
if [ -n "${DT_TESTS:-}" ] && [ -f "$shim" ]; then
  F="mkdir d; echo v > d/X; export LD_PRELOAD=$shim SHIM_ERRNO=5 SHIM_FAIL"
  SETUP="$F=fchdir" expect "fchdir fails" 111 "" "envdir: fatal: unable to switch to starting directory: input/output error" -- envdir d true
  SETUP="$F=readdir" expect "readdir fails" 111 "" "envdir: fatal: unable to read directory d: input/output error" -- envdir d true
  SETUP="$F=closedir" expect "closedir failure ignored" 0 "v" "" -- envdir d sh -c 'echo $X'
else
  skip "system-call failures: $DT_TESTS/failcred.so missing"
fi

# Errors only a user without privileges meets: run as nobody.
# expect_nobody NAME RC OUT ERR -- PROG ARGS: like expect, under setpriv.
expect_nobody() { expect_wrapped "$AS_NOBODY" "$@"; }
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  SETUP='mkdir d; echo s > d/SECRET; chmod 000 d/SECRET' expect_nobody "unreadable file" 111 "" "envdir: fatal: unable to read d/SECRET: access denied" -- envdir d true
  SETUP='mkdir d; echo s > d/X; chmod 311 d' expect_nobody "unreadable directory" 111 "" "envdir: fatal: unable to read directory d: access denied" -- envdir d true
  SETUP='mkdir d; chmod 600 d' expect_nobody "unsearchable directory" 111 "" "envdir: fatal: unable to switch to directory d: access denied" -- envdir d true
  SETUP='mkdir -p c/d; chmod 311 c; cd c' expect_nobody "unreadable current directory" 111 "" "envdir: fatal: unable to switch to current directory: access denied" -- envdir d true
else
  skip "cases as an unprivileged user: not root, or no setpriv"
fi
finish
