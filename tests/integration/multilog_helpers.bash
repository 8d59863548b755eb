# Helpers shared by the multilog*.sh tests (sourced after tests/lib.sh; not
# a test itself: the suite runs only *.sh).

# rchar PID: bytes the process has read so far; has_read PID N: it has read
# N bytes and is waiting for more (asleep again), so a signal or a new chunk
# now finds it blocked on its input
rchar() { sed -n 's/^rchar: //p' "/proc/$1/io" 2>/dev/null; }
has_read() { [ "$(rchar "$1")" -ge "$2" ] 2>/dev/null && [ "$(proc_state "$1")" = S ]; }

# tree DIR: every file below DIR, one line each: name (TAI64N labels masked),
# mode, size, checksum of the contents. Old files sort by label. With
# TREE_MASK_CONTENTS=1 the labels inside the files are masked too (logs
# written with `t`, whose labels must differ between two runs).
tree() {
  (cd "$1" && find . -type f | LC_ALL=C sort | while read -r f; do
    printf '%s %s %s\n' "$(printf '%s' "$f" | sed -E 's/@[0-9a-f]{24}/@T/g')" "$(stat -c '%a %s' "$f")" \
      "$(if [ "${TREE_MASK_CONTENTS:-0}" = 1 ]; then sed -E 's/@[0-9a-f]{24}/@T/g' "$f"; else cat "$f"; fi |
        md5sum | cut -c1-12)"
  done)
}

# same_tree NAME OURS REFERENCE: the two directories hold the same files
# (as tree shows them); else the difference is shown.
same_tree() {
  if [ "$(tree "$2")" = "$(tree "$3")" ]; then
    pass
  else
    fail "$1: ours and the reference differ"
    diff <(tree "$2") <(tree "$3") | head -10 | sed 's/^/    /'
  fi
}

# ml NAME INPUT -- ARGS...: run ours and the reference on the same input in
# fresh directories (after $SETUP), compare exit code, stderr and the trees.
ml() {
  local name=$1 input=$2
  shift 3
  if ! has_ref multilog; then skip "$name: reference multilog not installed"; return; fi
  local a b x
  a=$(_newdir)
  b=$(_newdir)
  for x in "$a:$DT_BIN" "$b:$REF_BIN"; do
    (cd "${x%%:*}" && eval "${SETUP:-}" && "${x#*:}/multilog" "$@" <"$input" 2>.err; echo $? >.rc)
    sed -i -E 's/@[0-9a-f]{24}/@T/g' "${x%%:*}/.err"
  done
  same_tree "$name" "$a" "$b"
}
