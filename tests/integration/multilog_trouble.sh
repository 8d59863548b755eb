#!/usr/bin/env bash
# multilog: trouble from outside while it runs -- the log directory's
# permission taken away (as user nobody, since root ignores permissions),
# the directory deleted, and failing link, unlink and directory reads
# (through the faultio shim) -- against the reference: the same pausing
# messages, no line lost or repeated, the same files in the end.
# Every case pauses 5 s at least, so all of them run at once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/multilog_helpers.bash"

lines() {
  local i
  for ((i = $1; i <= $2; i++)); do printf 'line %04d abcdefghijklmnopqrstuvwxyz\n' "$i"; done
}
IN=$TEST_ROOT/in
lines 1 100 >"$IN.1"
lines 101 400 >"$IN.2"
cat "$IN.1" "$IN.2" >"$IN"
chmod 0711 "$TEST_ROOT"  # nobody must reach the case directories
bins=("$DT_BIN")
if has_ref multilog; then bins+=("$REF_BIN"); else skip "reference multilog not installed: ours only"; fi
who() { [ "$1" = "$DT_BIN" ] && echo ours || echo reference; }
root=0
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && root=1

# ---- fault injection: input from a file, the shim fails one call ----
shim=${DT_TESTS:-}/faultio.so
declare -A fdir
fault_cases=()
# fault KEY ENV ARGS...: start ours and the reference in the background
fault() {
  local key=$1 env=$2 bin d
  shift 2
  fault_cases+=("$key")
  for bin in "${bins[@]}"; do
    d=$(_newdir)
    fdir[$key:$bin]=$d
    (
      cd "$d" || exit
      env $env LD_PRELOAD="$shim" "$bin/multilog" "$@" <"$IN" 2>.err &
      echo $! >.pid
      wait $!
      echo $? >.rc
    ) &
    poll 5 test -s "$d/.pid" && track_pid "$(cat "$d/.pid")"
  done
}
# fault_verdict KEY STDERR: each exits 0 saying STDERR (labels masked), with
# every line logged once (unless KEY starts with n: old files removed), and
# our directory is the reference's
fault_verdict() {
  local key=$1 err=$2 bin d
  for bin in "${bins[@]}"; do
    d=${fdir[$key:$bin]}
    if ! poll 30 test -s "$d/.rc"; then
      fail "$key ($(who "$bin")): still running"
      continue
    fi
    check "$key ($(who "$bin")): message" test "$(sed -E 's/@[0-9a-f]{24}/@T/g' "$d/.err")" = "$err"
    check "$key ($(who "$bin")): exit 0" test "$(cat "$d/.rc")" = 0
    [ "${key#n}" = "$key" ] &&
      check "$key ($(who "$bin")): every line once" test "$(cat "$d"/main/@* "$d/main/current" | md5sum)" = "$(md5sum <"$IN")"
  done
  if has_ref multilog; then
    same_tree "$key" "${fdir[$key:$DT_BIN]}/main" "${fdir[$key:$REF_BIN]}/main"
  fi
}
if [ -f "$shim" ]; then
  fault "link fails" "FAULT_LINK=1" s4096 ./main
  fault "unlink of previous fails" "FAULT_UNLINK=1 FAULT_NAME=previous FAULT_ERRNO=5" s4096 ./main
  fault "n: unlink of an old file fails" "FAULT_UNLINK=1 FAULT_NAME=@ FAULT_ERRNO=13" s4096 n3 ./main
  fault "n: an old file vanishes first" "FAULT_UNLINK=1 FAULT_NAME=@ FAULT_ERRNO=2" s4096 n3 ./main
  fault "opendir fails" "FAULT_OPENDIR=1 FAULT_ERRNO=24" s4096 ./main
  fault "readdir fails" "FAULT_READDIR=1 FAULT_ERRNO=5" s4096 ./main
  # with a processor; its start-up removes a stale processed, hence 2
  fault "processor: unlink of processed fails" "FAULT_UNLINK=2 FAULT_NAME=processed FAULT_ERRNO=5" s4096 '!cat' ./main
  fault "processor: link of processed fails" "FAULT_LINK=1 FAULT_NAME=processed FAULT_ERRNO=5" s4096 '!cat' ./main
  fault "processor: fsync of processed fails" "FAULT_FSYNC=1 FAULT_NAME=processed FAULT_ERRNO=5" s4096 '!cat' ./main
  fault "processor: fsync of newstate fails" "FAULT_FSYNC=1 FAULT_NAME=newstate FAULT_ERRNO=5" s4096 '!cat' ./main
  fault "processor: rename of newstate fails" "FAULT_RENAME=1 FAULT_NAME=newstate FAULT_ERRNO=5" s4096 '!cat' ./main
else
  skip "fault injection: $shim not built"
fi

# ---- live cases: input through a FIFO, the directory changed meanwhile ----
declare -A ldir lpid lfd
live_cases=()
# shut: close the inputs of the other cases (in a child), so only this
# script holds them and can end them
shut() {
  local fd
  for fd in "${lfd[@]}"; do exec {fd}>&-; done
}
# live KEY USER ARGS...: start ours and the reference reading a FIFO, as
# USER (nobody or root), each in a directory of its own
live() {
  local key=$1 user=$2 bin d fd
  shift 2
  live_cases+=("$key")
  for bin in "${bins[@]}"; do
    d=$(_newdir)
    ldir[$key:$bin]=$d
    mkfifo "$d/in"
    if [ "$user" = nobody ]; then
      chown 65534:65534 "$d"
      (shut && cd "$d" && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$bin/multilog" "$@" <in 2>.err) &
    else
      (shut && cd "$d" && exec "$bin/multilog" "$@" <in 2>.err) &
    fi
    lpid[$key:$bin]=$!
    track_pid $!
    exec {fd}>"$d/in"
    lfd[$key:$bin]=$fd
  done
}
# each KEY COMMAND...: run COMMAND in each of KEY's directories (ours and
# the reference), with $fd the write end of its input
each() {
  local key=$1 bin
  shift
  for bin in "${bins[@]}"; do
    (cd "${ldir[$key:$bin]}" && fd=${lfd[$key:$bin]} && eval "$@") || fail "$key ($(who "$bin")): $*"
  done
}
bytes() { [ "$(cat main/@* main/current 2>/dev/null | wc -c)" = "$1" ]; }
said() { [ "$(grep -c . .err)" -ge "$1" ]; }
# close KEY: end the input, wait for the exits
close() {
  local key=$1 bin fd
  for bin in "${bins[@]}"; do
    fd=${lfd[$key:$bin]}
    exec {fd}>&-
  done
  for bin in "${bins[@]}"; do
    wait "${lpid[$key:$bin]}"
    echo $? >"${ldir[$key:$bin]}/.rc"
  done
}
# live_verdict KEY STDERR: as fault_verdict
live_verdict() {
  local key=$1 err=$2 bin d
  for bin in "${bins[@]}"; do
    d=${ldir[$key:$bin]}
    if [ "$(cat "$d/.err")" = "$err" ]; then pass; else
      fail "$key ($(who "$bin")): message"
      _show "got stderr" "$d/.err"
    fi
    check "$key ($(who "$bin")): exit 0" test "$(cat "$d/.rc")" = 0
    check "$key ($(who "$bin")): every line once" test "$(cat "$d"/main/@* "$d/main/current" | md5sum)" = "$(md5sum <"$IN")"
  done
  if has_ref multilog; then
    same_tree "$key" "${ldir[$key:$DT_BIN]}/main" "${ldir[$key:$REF_BIN]}/main"
  fi
}

# Permission taken away between rotations: mode 0 stops it at the switch
# into the directory, 0500 at the rename of current, 0300 at the reading of
# the directory for old files. Once the mode is back it carries on. All the
# rest of the input goes in one write, so both read it in the same pieces.
modes=(0 500 300)
if [ $root = 1 ]; then
  for m in "${modes[@]}"; do live "chmod $m" nobody s4096 n100 ./main; done
  # a processor that fails until ../ok exists; meanwhile the directory
  # becomes unsearchable, so setting the processor up fails
  live "chmod 0 during processor" nobody s4096 '!test -e ../ok && cat' ./main
else
  skip "permission removed: needs root (to run multilog as nobody)"
fi
# The directory deleted: the rename has nowhere to go, forever; a new
# directory of the same name is not used, and TERM does not end the pause.
live "deleted" root s4096 ./main

for m in "${modes[@]}"; do
  [ $root = 1 ] && each "chmod $m" 'cat "$IN.1" >&$fd; poll 10 bytes 3700'
done
[ $root = 1 ] && each "chmod 0 during processor" 'cat "$IN" >&$fd'
each deleted 'cat "$IN.1" >&$fd; poll 10 bytes 3700'
# now the trouble
for m in "${modes[@]}"; do
  [ $root = 1 ] && each "chmod $m" "chmod $m main; cat \"\$IN.2\" >&\$fd"
done
each deleted 'rm -rf main; cat "$IN.2" >&$fd'
if [ $root = 1 ]; then
  each "chmod 0 during processor" 'poll 10 said 1 && chmod 0 main && touch ok'
  for m in "${modes[@]}"; do each "chmod $m" 'poll 10 said 1 && chmod 700 main'; done
  each "chmod 0 during processor" 'poll 10 said 2 && chmod 700 main'
fi
each deleted 'poll 10 said 1 && mkdir main && kill -TERM ${lpid[deleted:$bin]}'

if [ $root = 1 ]; then
  for m in "${modes[@]}"; do close "chmod $m"; done
  live_verdict "chmod 0" "multilog: warning: unable to switch to ./main, pausing: access denied"
  live_verdict "chmod 500" "multilog: warning: unable to rename current to previous in directory ./main, pausing: access denied"
  live_verdict "chmod 300" "multilog: warning: unable to read ./main, pausing: access denied"
  close "chmod 0 during processor"
  live_verdict "chmod 0 during processor" "multilog: warning: processor failed in ./main, pausing
multilog: fatal: unable to run test -e ../ok && cat: access denied
multilog: warning: processor failed in ./main, pausing"
fi

# deleted: still pausing after TERM, the new directory left empty
each deleted 'poll 10 said 2'
for bin in "${bins[@]}"; do
  d=${ldir[deleted:$bin]}
  check "deleted ($(who "$bin")): message" test "$(sort -u "$d/.err")" = \
    "multilog: warning: unable to rename current to previous in directory ./main, pausing: file does not exist"
  check "deleted ($(who "$bin")): still running after TERM" kill -0 "${lpid[deleted:$bin]}"
  check "deleted ($(who "$bin")): new directory unused" test -z "$(ls -A "$d/main")"
  kill -KILL "${lpid[deleted:$bin]}"
  wait "${lpid[deleted:$bin]}" 2>/dev/null
  fd=${lfd[deleted:$bin]}
  exec {fd}>&-
done

if [ -f "$shim" ]; then
  fault_verdict "link fails" "multilog: warning: unable to link to ./main/@T.s, pausing: out of disk space"
  fault_verdict "unlink of previous fails" "multilog: warning: unable to remove ./main/previous, pausing: input/output error"
  # the reference reports a failed removal of an old file as a failed read
  fault_verdict "n: unlink of an old file fails" "multilog: warning: unable to read ./main, pausing: access denied"
  fault_verdict "n: an old file vanishes first" "multilog: warning: unable to read ./main, pausing: file does not exist"
  fault_verdict "opendir fails" "multilog: warning: unable to read ./main, pausing: process cannot open more files"
  fault_verdict "readdir fails" "multilog: warning: unable to read ./main, pausing: input/output error"
  fault_verdict "processor: unlink of processed fails" "multilog: warning: unable to remove ./main/processed, pausing: input/output error"
  fault_verdict "processor: link of processed fails" "multilog: warning: unable to link to ./main/@T.s, pausing: input/output error"
  fault_verdict "processor: fsync of processed fails" "multilog: warning: unable to write ./main/processed to disk, pausing: input/output error"
  fault_verdict "processor: fsync of newstate fails" "multilog: warning: unable to write ./main/newstate to disk, pausing: input/output error"
  fault_verdict "processor: rename of newstate fails" "multilog: warning: unable to rename newstate to state in directory ./main, pausing: input/output error"
fi
finish
