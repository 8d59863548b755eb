#!/usr/bin/env bash
# multilog: input that arrives in pieces (a pipe written bit by bit). Where
# the reference cuts files depends on what each read() returned; ours must
# cut at the same places. Both read the same pieces: each piece is written
# to both, then the writer waits until both have read it and sleep again.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"


# pieces NAME SIZES FILE -- ARGS: feed FILE in pieces of the given sizes
# (the last piece is the rest) to ours and the reference, compare the trees
pieces() {
  local name=$1 sizes=$2 file=$3
  shift 4
  if ! has_ref multilog; then skip "$name: reference multilog not installed"; return; fi
  local a b pa pb ba bb off=0 n
  a=$(_newdir)
  b=$(_newdir)
  mkfifo "$a/fifo" "$b/fifo"
  (cd "$a" && exec "$DT_BIN/multilog" "$@" <fifo 2>.err) &
  pa=$!
  (cd "$b" && exec "$REF_BIN/multilog" "$@" <fifo 2>.err) &
  pb=$!
  track_pid $pa
  track_pid $pb
  exec 7>"$a/fifo" 8>"$b/fifo"
  await 30 test -e "$a/main/current"
  await 30 test -e "$b/main/current"
  ba=$(rchar $pa)
  bb=$(rchar $pb)
  local total
  total=$(stat -c %s "$file")
  for n in $sizes $total; do
    [ $off -ge "$total" ] && break
    [ $((off + n)) -gt "$total" ] && n=$((total - off))
    tail -c +$((off + 1)) "$file" | head -c "$n" >"$TEST_ROOT/piece"
    cat "$TEST_ROOT/piece" >&7
    cat "$TEST_ROOT/piece" >&8
    off=$((off + n))
    # the reference reads at most 1024 bytes at a time
    poll 30 has_read $pa $((ba + off)) && poll 30 has_read $pb $((bb + off)) || { fail "$name: stuck at $off"; break; }
  done
  exec 7>&- 8>&-
  wait $pa $pb
  same_tree "$name" "$a" "$b"
}

IN=$TEST_ROOT/in
y() { head -c "$1" /dev/zero | tr '\0' "${2:-y}"; }

# 2000 bytes of lines, then a piece whose 512-byte chunk crosses the
# 2000-byte margin with a newline inside: the file ends at that newline
(for i in $(seq 20); do y 99; echo; done; y 9; echo; y 502; echo; echo abc) >"$IN.1"
pieces "chunk cut at its last newline" "1024 976" "$IN.1" -- s4096 ./main
pieces "the same read at once" "4096" "$IN.1" -- s4096 ./main
# a long line arriving in pieces: undecided under 1000 bytes, then streamed
(printf 'ab\n'; y 3890; echo; for i in $(seq 40); do echo 123456789; done) >"$IN.2"
pieces "long line in pieces" "3 1000 700 1024 300 500 401" "$IN.2" -- s4096 ./main
pieces "long line, small pieces" "3 100 999 1 1000 1 600 200" "$IN.2" -- s4096 ./main
# random lines in random pieces
awk 'BEGIN { srand(7); for (i = 0; i < 400; i++) { len = (rand() < 0.1) ? int(rand() * 2500) : int(rand() * 120);
  s = ""; for (j = 0; j < len; j++) s = s sprintf("%c", 97 + (i + j) % 26); print s } }' >"$IN.3"
sizes=$(awk 'BEGIN { srand(11); for (i = 0; i < 60; i++) printf "%d ", 1 + int(rand() * 1500) }')
pieces "random lines in random pieces" "$sizes" "$IN.3" -- s4096 n20 ./main
pieces "random lines in random pieces, two logs" "$sizes" "$IN.3" -- s5000 n20 ./main '-*a*' s4096 ./other
finish
