#!/usr/bin/env bash
# man/*.8: every page renders without a single warning (groff -ww, and
# man --warnings where man-db is installed), has the sections a complete page
# needs, and every program of the build (and svscanboot) has one.
. "$(dirname "$0")/../lib.sh"

if ! command -v groff >/dev/null; then
  skip "man pages: groff not installed (apt-get install groff)"
  finish
fi

# Every program built, plus svscanboot (a script, from src/svscanboot.sh.in).
progs=()
for f in "$DT_BIN"/*; do [ -f "$f" ] && [ -x "$f" ] && progs+=("${f##*/}"); done
[ -f "$DT_SRC/src/svscanboot.sh.in" ] && [ ! -x "$DT_BIN/svscanboot" ] && progs+=(svscanboot)
for p in "${progs[@]}"; do
  check "$p has a man page man/$p.8" test -f "$DT_SRC/man/$p.8"
done

# warnings FILE COMMAND...: COMMAND prints nothing at all on stderr.
quiet() {
  local log=$TEST_ROOT/warn
  "$@" >/dev/null 2>"$log"
  local rc=$?
  if [ $rc -ne 0 ] || [ -s "$log" ]; then
    sed 's/^/    | /' "$log"
    return 1
  fi
}
# section PAGE NAME: the page has .SH NAME (EXAMPLES: EXAMPLE will do).
section() {
  local re=$2
  [ "$re" = EXAMPLES ] && re='EXAMPLES?'
  grep -Eq "^\.SH \"?$re\"?\$" "$1"
}

for page in "$DT_SRC"/man/*.8; do
  [ -f "$page" ] || continue
  n=${page##*/}
  p=${n%.8}
  check "$n: groff -ww -man -z, no warnings" quiet groff -ww -man -z "$page"
  if command -v man >/dev/null; then
    check "$n: man --warnings, no warnings" quiet env MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$page"
  fi
  check "$n: .TH names $p, section 8" grep -Eq "^\.TH \"?$p\"? \"?8\"?( |\$)" "$page"
  for s in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" EXAMPLES "SEE ALSO"; do
    check "$n: has section $s" section "$page" "$s"
  done
  # whatis/apropos read the NAME line: "prog \- what it does".
  check "$n: NAME line is '$p \\- ...'" grep -Eq "^$p \\\\- [a-z]" "$page"
done
if ! compgen -G "$DT_SRC/man/*.8" >/dev/null; then
  skip "no man pages yet"
fi
finish
