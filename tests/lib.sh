# Shared harness for the integration and differential tests.
#
# Every script: source this file, write cases, end with `finish`.
#   DT_BIN   our programs (absolute path, from the build tree) -- required
#   REF_BIN  the reference daemontools 0.76 (default /usr/bin); the
#            differential half of each case is skipped, saying so, when the
#            reference program is not installed there.
#
# Cases:
#   expect NAME RC OUT ERR -- PROG ARGS...
#       run PROG ARGS from our build and, when installed, the reference;
#       each must give exactly exit code RC, stdout OUT and stderr ERR.
#       OUT/ERR are literal text; a trailing newline is added unless empty,
#       so write 'a\nb' style with $'...' quoting when needed.
#   same NAME -- PROG ARGS...
#       run both and compare stdout, stderr and exit code with each other
#       (needs the reference; skipped without it).
#   expect_wrapped "WRAPPER" NAME RC OUT ERR -- PROG ARGS...
#       like expect, with PROG run under WRAPPER (split into words; empty
#       for none), in a case directory anyone may enter: "$AS_NOBODY" runs
#       it as nobody (uid/gid 65534, no groups) when we are root, and as we
#       are otherwise.
#   expect_ours NAME RC OUT ERR -- PROG ARGS...
#       like expect, for our build only: for what the reference lacks
#       (features beyond 0.76), so nothing is skipped.
#   check NAME COMMAND...    a plain assertion: COMMAND must succeed.
#   poll SECONDS COMMAND...  retry COMMAND every 0.05 s until it succeeds
#                            or SECONDS pass; returns its last status.
#   await SECONDS COMMAND... poll, and when COMMAND never succeeds count a
#                            failure naming the script line and COMMAND
#                            (returns 1): a wait that cannot go unnoticed,
#                            even in a subshell.
#                            Give it a generous bound (20-30 s): it returns
#                            as soon as COMMAND succeeds.
#   track_pid PID / track_pgrp PGID: killed (TERM, then KILL) on exit.
#   proc_state PID           the state letter of /proc/PID/stat (R S T Z ...)
#   has_fd PID PATH          the process has a descriptor on PATH (as
#                            /proc/PID/fd shows it: absolute, or pipe:[N])
#   hold_fifo FIFO           a background process holding FIFO open for
#                            reading and writing (as a running supervise
#                            holds supervise/ok), tracked; returns once it
#                            holds it (a FIFO without a reader makes an
#                            O_NDELAY writer fail), its pid in HELD_PID.
#
# Inside a case the current directory is a fresh empty temp dir ($CASE_DIR),
# the same layout for ours and the reference, so relative paths compare.
# A case's setup can be given as a shell function in SETUP before the call:
#   SETUP='mkdir d; echo x > d/A' expect ...
set -u
: "${DT_BIN:?DT_BIN must point at the bin directory of the build tree}"
REF_BIN=${REF_BIN:-/usr/bin}
DT_SRC=${DT_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/dt-test.XXXXXX")
_pass=0
_fail=0
_skip=0
_pids=()
_pgrps=()

track_pid() { _pids+=("$1"); }
track_pgrp() { _pgrps+=("$1"); }

_cleanup() {
  local p
  for p in "${_pgrps[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
  for p in "${_pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 0.1
  for p in "${_pgrps[@]}"; do kill -KILL -- "-$p" 2>/dev/null; done
  for p in "${_pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  chmod -R u+rwx "$TEST_ROOT" 2>/dev/null
  rm -rf "$TEST_ROOT"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

proc_state() { sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null; }
has_fd() {
  local f
  for f in /proc/"$1"/fd/*; do [ "$(readlink "$f" 2>/dev/null)" = "$2" ] && return 0; done
  return 1
}

hold_fifo() {
  local f
  f=$(readlink -f "$1")
  sleep 100000 <>"$1" >/dev/null 2>&1 &
  HELD_PID=$!
  track_pid "$HELD_PID"
  await 30 has_fd "$HELD_PID" "$f"
}

pass() { _pass=$((_pass + 1)); }
fail() {
  _fail=$((_fail + 1))
  printf 'FAIL: %s\n' "$*"
}
skip() {
  _skip=$((_skip + 1))
  printf 'SKIP: %s\n' "$*"
}

# has_ref PROG: the reference program is installed.
has_ref() { [ -x "$REF_BIN/$1" ]; }

_newdir() {
  local d
  d=$(mktemp -d "$TEST_ROOT/case.XXXXXX")
  printf '%s' "$d"
}

# _run DIR BIN PROG ARGS...: run in DIR, leaving out/err/rc in DIR/.result
_run() {
  local dir=$1 bin=$2 prog=$3
  shift 3
  mkdir -p "$dir/.result"
  (
    cd "$dir" || exit 99
    if [ -n "${SETUP:-}" ]; then eval "$SETUP"; fi
    if [ -n "${STDIN:-}" ]; then
      "$bin/$prog" "$@" <"$STDIN" >"$dir/.result/out" 2>"$dir/.result/err"
    else
      "$bin/$prog" "$@" </dev/null >"$dir/.result/out" 2>"$dir/.result/err"
    fi
    echo $? >"$dir/.result/rc"
  )
}

_show() { # label file
  printf '  %s: ' "$1"
  if [ -s "$2" ]; then printf '\n'; sed 's/^/    | /' "$2" | head -20; else printf '(empty)\n'; fi
}

_compare_literal() { # name which dir rc out err
  local name=$1 which=$2 dir=$3 rc=$4 out=$5 err=$6 ok=1
  local want_out want_err
  want_out=$(mktemp "$TEST_ROOT/want.XXXXXX")
  want_err=$(mktemp "$TEST_ROOT/want.XXXXXX")
  [ -n "$out" ] && printf '%s\n' "$out" >"$want_out"
  [ -n "$err" ] && printf '%s\n' "$err" >"$want_err"
  [ "$(cat "$dir/.result/rc")" = "$rc" ] || ok=0
  cmp -s "$want_out" "$dir/.result/out" || ok=0
  cmp -s "$want_err" "$dir/.result/err" || ok=0
  if [ $ok = 1 ]; then
    pass
  else
    fail "$name ($which): want rc=$rc, got rc=$(cat "$dir/.result/rc")"
    _show "want stdout" "$want_out"
    _show "got stdout" "$dir/.result/out"
    _show "want stderr" "$want_err"
    _show "got stderr" "$dir/.result/err"
  fi
}

expect() {
  local name=$1 rc=$2 out=$3 err=$4
  shift 4
  [ "$1" = "--" ] && shift
  local prog=$1
  shift
  local d
  d=$(_newdir)
  _run "$d" "$DT_BIN" "$prog" "$@"
  _compare_literal "$name" ours "$d" "$rc" "$out" "$err"
  if has_ref "$prog"; then
    d=$(_newdir)
    _run "$d" "$REF_BIN" "$prog" "$@"
    _compare_literal "$name" reference "$d" "$rc" "$out" "$err"
  else
    skip "$name (reference): $REF_BIN/$prog not installed"
  fi
}

expect_ours() {
  local name=$1 rc=$2 out=$3 err=$4 d
  shift 4
  [ "$1" = "--" ] && shift
  d=$(_newdir)
  _run "$d" "$DT_BIN" "$@"
  _compare_literal "$name" ours "$d" "$rc" "$out" "$err"
}

same() {
  local name=$1
  shift
  [ "$1" = "--" ] && shift
  local prog=$1
  shift
  if ! has_ref "$prog"; then
    skip "$name: reference $REF_BIN/$prog not installed"
    return
  fi
  local a b ok=1
  a=$(_newdir)
  b=$(_newdir)
  _run "$a" "$DT_BIN" "$prog" "$@"
  _run "$b" "$REF_BIN" "$prog" "$@"
  local f
  for f in rc out err; do
    if [ -n "${MASK:-}" ]; then
      sed -E "$MASK" "$a/.result/$f" >"$a/.result/$f.m"
      sed -E "$MASK" "$b/.result/$f" >"$b/.result/$f.m"
      cmp -s "$a/.result/$f.m" "$b/.result/$f.m" || ok=0
    else
      cmp -s "$a/.result/$f" "$b/.result/$f" || ok=0
    fi
  done
  if [ $ok = 1 ]; then
    pass
  else
    fail "$name: ours and the reference differ"
    _show "ours rc" "$a/.result/rc"
    _show "reference rc" "$b/.result/rc"
    _show "ours stdout" "$a/.result/out"
    _show "reference stdout" "$b/.result/out"
    _show "ours stderr" "$a/.result/err"
    _show "reference stderr" "$b/.result/err"
  fi
}

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  AS_NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
  AS_NOBODY=
fi

expect_wrapped() {
  local wrap=$1 name=$2 rc=$3 out=$4 err=$5 prog=$7 bin which d
  shift 7
  for which in ours reference; do
    bin=$DT_BIN
    if [ $which = reference ]; then
      has_ref "$prog" || { skip "$name (reference): $REF_BIN/$prog not installed"; continue; }
      bin=$REF_BIN
    fi
    d=$(_newdir)
    chmod 755 "$TEST_ROOT" "$d"
    mkdir -p "$d/.result"
    (
      cd "$d" || exit 99
      eval "${SETUP:-}"
      $wrap "$bin/$prog" "$@" </dev/null >"$d/.result/out" 2>"$d/.result/err"
      echo $? >"$d/.result/rc"
    )
    _compare_literal "$name" $which "$d" "$rc" "$out" "$err"
  done
}

check() {
  local name=$1
  shift
  if "$@"; then pass; else fail "$name"; fi
}

poll() {
  local secs=$1
  shift
  local deadline=$(($(date +%s%N) + secs * 1000000000))
  while :; do
    "$@" && return 0
    [ "$(date +%s%N)" -ge "$deadline" ] && return 1
    sleep 0.05
  done
}

# A timed-out await is counted through a file, so that one in a subshell
# (a helper run as $(...)) is not lost; its message goes to stderr, where
# no command substitution swallows it.
await() {
  local secs=$1
  shift
  poll "$secs" "$@" && return 0
  printf 'FAIL: %s:%s: timed out after %s s waiting for: %s\n' \
    "${BASH_SOURCE[1]##*/}" "${BASH_LINENO[0]}" "$secs" "$*" >&2
  echo x >>"$TEST_ROOT/.await-timeouts"
  return 1
}

# A command the script's shell cannot find (a helper the script forgot to
# source, a misspelt name) is a failure, not checks silently lost. bash runs
# this in a subshell, hence the file, as for await; finish names each
# (command, script line) once, even where its stderr went to /dev/null or
# it was retried by a poll.
command_not_found_handle() {
  local i=1  # the script's line, not lib.sh's (a check, a poll)
  while [ "${BASH_SOURCE[i]##*/}" = lib.sh ] && [ $((i + 1)) -lt ${#BASH_SOURCE[@]} ]; do i=$((i + 1)); done
  printf '%s: command not found at %s:%s\n' "$1" "${BASH_SOURCE[i]##*/}" "${BASH_LINENO[i - 1]}" >>"$TEST_ROOT/.not-found"
  return 127
}

# finish: print the closing line ctest and CI read, and exit.
finish() {
  [ ! -s "$TEST_ROOT/.await-timeouts" ] || _fail=$((_fail + $(wc -l <"$TEST_ROOT/.await-timeouts")))
  if [ -s "$TEST_ROOT/.not-found" ]; then
    sort -u "$TEST_ROOT/.not-found" | sed 's/^/FAIL: /'
    _fail=$((_fail + $(sort -u "$TEST_ROOT/.not-found" | wc -l)))
  fi
  printf '%d passed, %d failed, %d skipped\n' "$_pass" "$_fail" "$_skip"
  [ "$_fail" -eq 0 ] || exit 1
  [ "$_pass" -gt 0 ] || exit 77
  exit 0
}
