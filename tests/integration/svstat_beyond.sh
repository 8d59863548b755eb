#!/usr/bin/env bash
# svstat beyond 0.76: the words our 20-byte marked record adds, and 0.76's
# line, byte for byte, for every other record: 0.76's 18 bytes, encore's 20
# and 40, runit's 20, s6's 35 and 43 (BEYOND-SPEC g), from records written
# byte by byte; the reference 0.76 svstat must print the same line for each
# foreign record, and the plain line for ours.
. "$(dirname "$0")/../lib.sh"

T=1700000000  # the time svstat sees, through the ctltime shim
shim=${DT_TESTS:-}/ctltime.so
failcall=${DT_TESTS:-}/failcall.so
if [ ! -f "$shim" ]; then
  skip "every case: $shim not built"
  finish
fi
FIX="export LD_PRELOAD=$shim SHIM_TIME=$T"

# octal escapes of the N big-endian bytes of a value
_be() { local n=$1 v=$2 i; for ((i = (n - 1) * 8; i >= 0; i -= 8)); do printf '\\%03o' $(((v >> i) & 255)); done; }
_le32() { local i; for i in 0 8 16 24; do printf '\\%03o' $((($1 >> i) & 255)); done; }
label() { echo $(((1 << 62) + 10 + T - $1)); }  # TAI64 label AGE seconds before $T
# rec76 AGE PID PAUSED WANT: 0.76's 18 bytes as printf escapes (WANT an escape)
rec76() { printf '%s' "$(_be 8 "$(label "$1")")\\000\\000\\000\\000$(_le32 "$2")$(printf '\\%03o' "$3")$4"; }
# put DIR ESCAPES: DIR/supervise/status holds exactly those bytes; supervise/ok
# is a plain file, which opens for writing as a running supervise's pipe does.
put() {
  mkdir -p "$1/supervise"
  printf "$2" >"$1/supervise/status"
  : >"$1/supervise/ok"
}
# ours NAME OUT SETUP ARGS / ref NAME OUT SETUP ARGS: one side only, rc 0,
# stderr empty.
ours() {
  local d
  d=$(_newdir)
  SETUP="$3; $FIX" _run "$d" "$DT_BIN" svstat "${@:4}"
  _compare_literal "$1" ours "$d" 0 "$2" ""
}
ref() {
  local d
  has_ref svstat || { skip "$1 (reference): $REF_BIN/svstat not installed"; return; }
  d=$(_newdir)
  SETUP="$3; $FIX" _run "$d" "$REF_BIN" svstat "${@:4}"
  _compare_literal "$1" reference "$d" 0 "$2" ""
}
# both NAME OUT SETUP ARGS: ours and the reference print OUT
both() { SETUP="$3; $FIX" expect "$1" 0 "$2" "" -- svstat "${@:4}"; }

# --- our marked record: 0.76's line plus encore's words, in encore's order
words=(stopped starting started running stopping failed)
for st in 0 1 2 3 4 5; do
  w=${words[$st]}
  ours "marked, up, state $st" "s: up (pid 812) 3 seconds, $w" "put s '$(rec76 3 812 0 u)\\$(printf %03o $st)\\200'" s
  ours "marked, down, state $st" "s: down 9 seconds, normally up, want up, $w" "put s '$(rec76 9 0 0 u)\\$(printf %03o $st)\\200'" s
done
for st in 6 127 255; do
  ours "marked, state $st" "s: up (pid 5) 1 seconds, status unknown" "put s '$(rec76 1 5 0 u)\\$(printf %03o $st)\\200'" s
done
# ", once": up and want 0 (svc -o), before the state word; never when down
ours "marked, once" "s: up (pid 7) 2 seconds, once, running" "put s '$(rec76 2 7 0 '\000')\\003\\200'" s
ours "marked, once, down" "s: down 2 seconds, normally up, stopped" "put s '$(rec76 2 0 0 '\000')\\000\\200'" s
ours "marked, every 0.76 word too" "s: up (pid 7) 2 seconds, normally down, paused, want down, stopping" \
  "put s '$(rec76 2 7 1 d)\\004\\200'; touch s/down" s
ours "marked, normally down, once" "s: up (pid 7) 2 seconds, normally down, paused, once, starting" \
  "put s '$(rec76 2 7 1 '\000')\\001\\201'; touch s/down" s
# the flags beside the marker change nothing in the line
for fl in 201 202 203 377; do
  ours "marked, flags \\$fl" "s: down 4 seconds, normally up, stopping" "put s '$(rec76 4 0 0 d)\\004\\$fl'" s
done
# the example of svstat(8), with a path of our own
d=$(_newdir)
mkdir -p "$d/x"
(cd "$d" && put x/db "$(rec76 3 812 0 u)\\001\\201")
SETUP="$FIX" _run "$d" "$DT_BIN" svstat "$d/x/db"
_compare_literal "an absolute path, up, starting" ours "$d" 0 "$d/x/db: up (pid 812) 3 seconds, starting" ""
# the reference 0.76 svstat on our marked record: the 18-byte line
for st in 0 1 3 4 5; do
  ref "0.76 on our record, state $st" "s: up (pid 812) 3 seconds" "put s '$(rec76 3 812 0 u)\\$(printf %03o $st)\\201'" s
done
ref "0.76 on our record, once" "s: up (pid 7) 2 seconds" "put s '$(rec76 2 7 0 '\000')\\003\\200'" s
ref "0.76 on our record, down" "s: down 9 seconds, normally up, want up" "put s '$(rec76 9 0 0 u)\\005\\200'" s

# --- records that are not ours: 0.76's line, ours and the reference alike
both "18 bytes" "s: up (pid 812) 3 seconds" "put s '$(rec76 3 812 0 u)'" s
both "17 bytes: bad format" "s: unable to read supervise/status: bad format" "put s '$(rec76 3 812 0 u | head -c 60)'; head -c 17 s/supervise/status > t; mv t s/supervise/status" s
both "19 bytes, marker would be the 20th" "s: up (pid 812) 3 seconds" "put s '$(rec76 3 812 0 u)\\003'" s
for st in 0 1 2 3 4 5; do
  both "encore, 20 bytes, state $st" "s: up (pid 44) 6 seconds" "put s '$(rec76 6 44 0 u)\\$(printf %03o $st)\\000'" s
done
both "encore, 20 bytes, once" "s: up (pid 44) 6 seconds" "put s '$(rec76 6 44 0 '\000')\\003\\000'" s
both "encore, 20 bytes, down, failed" "s: down 6 seconds, normally up" "put s '$(rec76 6 0 0 d)\\005\\000'" s
both "encore, 40 bytes (with a log)" "s: up (pid 44) 6 seconds, want down" \
  "put s '$(rec76 6 44 0 d)\\003\\000$(rec76 8 45 0 u)\\003\\000'" s
for term in 0 1; do
  for state in 0 1 2; do
    both "runit, got TERM $term, state $state" "s: up (pid 45) 8 seconds, paused" \
      "put s '$(rec76 8 45 1 u)\\$(printf %03o $term)\\$(printf %03o $state)'" s
  done
done
both "runit, down" "s: down 8 seconds, normally up" "put s '$(rec76 8 0 0 d)\\000\\000'" s
# s6: big-endian, stamp · readystamp · pid u64 · wstat u16 · flags; 0.76
# reads the readystamp's first bytes as pid, paused and want
s6=$(_be 8 "$(label 30)")'\000\000\000\000'$(_be 8 "$(label 20)")'\000\000\000\000'$(_be 8 4321)'\000\000\015'
s6pid=64  # 0x40 00 00 00, little-endian
s6line="s: up (pid $s6pid) 30 seconds, paused"
both "s6, 35 bytes, supervise/ok a file" "$s6line" "put s '$s6'" s
both "s6, 35 bytes, no supervise/ok" "s: unable to open supervise/ok: file does not exist" "put s '$s6'; rm s/supervise/ok" s
s613=$(_be 8 "$(label 30)")'\000\000\000\000'$(_be 8 "$(label 20)")'\000\000\000\000'$(_be 8 4321)$(_be 8 4321)'\000\000\015'
both "s6 2.13, 43 bytes" "$s6line" "put s '$s613'" s
# ours are exactly 20 bytes: in s6's records above byte 19 is the low byte
# of the readystamp's label (here 0xf6, the marker bit set), and a longer
# record with 0x80 at 19 is not ours either
check "the s6 fixture has 0x80 in byte 19" [ $(( $(label 20) & 128 )) = 128 ]
both "40 bytes with 0x80 at 19: not ours" "s: up (pid 44) 6 seconds" "put s '$(rec76 6 44 0 u)\\003\\200$(rec76 8 45 0 u)\\003\\000'" s
both "21 bytes with 0x80 at 19: not ours" "s: up (pid 44) 6 seconds" "put s '$(rec76 6 44 0 u)\\003\\200\\000'" s

# --- the record buffer is reused across services, as in 0.76: bytes 18 and
# 19 of an earlier marked record count only when this read returned them
ours "marked, then 18 bytes" $'a: up (pid 1) 1 seconds, running\nb: up (pid 2) 2 seconds' \
  "put a '$(rec76 1 1 0 u)\\003\\200'; put b '$(rec76 2 2 0 u)'" a b
ours "marked, then 19 bytes" $'a: up (pid 1) 1 seconds, running\nb: up (pid 2) 2 seconds' \
  "put a '$(rec76 1 1 0 u)\\003\\200'; put b '$(rec76 2 2 0 u)\\005'" a b
ours "marked, then a short read" $'a: up (pid 1) 1 seconds, running\nb: unable to read supervise/status: bad format' \
  "put a '$(rec76 1 1 0 u)\\003\\200'; put b '\\000\\000'" a b
# a read error shows the record already there, as 0.76 does: the 18 bytes
ours "marked, then a read error" $'a: up (pid 1) 1 seconds, running\nb: up (pid 1) 1 seconds' \
  "put a '$(rec76 1 1 0 u)\\003\\200'; put b ''; rm b/supervise/status; mkdir b/supervise/status" a b
both "a read error after a marked record, 0.76 line" $'a: up (pid 1) 1 seconds\nb: up (pid 1) 1 seconds' \
  "put a '$(rec76 1 1 0 u)\\003\\000'; put b ''; rm b/supervise/status; mkdir b/supervise/status" a b
ours "18 bytes, then marked" $'a: up (pid 1) 1 seconds\nb: down 2 seconds, normally up, want up, failed' \
  "put a '$(rec76 1 1 0 u)'; put b '$(rec76 2 0 0 u)\\005\\202'" a b
if [ -f "$failcall" ]; then
  d=$(_newdir)
  SETUP="put s '$(rec76 3 812 0 u)\\003\\200'; $FIX; export LD_PRELOAD=$shim:$failcall SHIM_FAIL=read SHIM_ERRNO=5" _run "$d" "$DT_BIN" svstat s
  _compare_literal "read error on a marked record: all zeros, no words" ours "$d" 0 "s: down 4611686020127387648 seconds, normally up" ""
else
  skip "read error: $failcall not built"
fi

# --- still no options: every argument is a directory
both "-x is a directory" $'-x: unable to chdir: file does not exist\ns: up (pid 3) 1 seconds, want down' "put s '$(rec76 1 3 0 d)'" -x s
ours "-x is a directory, marked" $'-x: up (pid 3) 1 seconds, want down, stopping' "put ./-x '$(rec76 1 3 0 d)\\004\\200'" -x
finish
