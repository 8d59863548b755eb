#!/usr/bin/env bash
# package/install, package/upgrade, package/run into temp roots: every boot
# flavour, detection, idempotence, atomic version switch, errors. Uses the
# programs of the build tree (BIN=$DT_BIN), so nothing is compiled here.
. "$(dirname "$0")/../lib.sh"

V=$(sed -n 's/^project([^)]* VERSION \([0-9][0-9.]*\).*/\1/p' "$DT_SRC/CMakeLists.txt")
check "version read from CMakeLists.txt" test -n "$V"
P="package/admin/daemontools-$V"

# inst ROOT [VAR=value...]: run package/install into ROOT; output in ROOT.out.
inst() {
  local r=$1
  shift
  env "$@" ROOT="$r" BIN="$DT_BIN" "$DT_SRC/package/install" >"$r.out" 2>&1
}

# snapshot ROOT: every path under ROOT with type, mode, link target, mtime
# and content checksum, to show that a second install changes nothing.
snapshot() {
  (cd "$1" && find . -printf '%p %y %m %l %T@\n' | sort &&
    find . -type f -exec md5sum {} + | sort)
}

# programs: what the install must carry.
progs=()
for f in "$DT_BIN"/*; do [ -f "$f" ] && [ -x "$f" ] && progs+=("${f##*/}"); done

# installed ROOT: programs, man pages, links and modes are all in place.
installed() {
  local r=$1 p m ok=0
  [ "$(readlink "$r/package/admin/daemontools")" = "daemontools-$V" ] || { echo "daemontools link"; ok=1; }
  [ "$(stat -c %a "$r/package")" = 1755 ] || { echo "/package mode"; ok=1; }
  [ "$(stat -c %a "$r/service")" = 755 ] || { echo "/service mode"; ok=1; }
  for p in "${progs[@]}"; do
    cmp -s "$DT_BIN/$p" "$r/$P/command/$p" || { echo "$p not installed"; ok=1; }
    [ "$(stat -c %a "$r/$P/command/$p")" = 755 ] || { echo "$p mode"; ok=1; }
    [ "$(readlink "$r/command/$p")" = "../package/admin/daemontools/command/$p" ] || { echo "/command/$p"; ok=1; }
    [ "$(readlink "$r/usr/local/bin/$p")" = "../../../command/$p" ] || { echo "/usr/local/bin/$p"; ok=1; }
    cmp -s "$DT_BIN/$p" "$r/usr/local/bin/$p" || { echo "/usr/local/bin/$p does not resolve"; ok=1; }
  done
  for m in "$DT_SRC"/man/*.8; do
    [ -f "$m" ] || continue
    m=${m##*/}
    cmp -s "$DT_SRC/man/$m" "$r/usr/local/share/man/man8/$m" || { echo "man page $m"; ok=1; }
  done
  return $ok
}

# no_svscan ROOT: the install into ROOT started nothing. Only what belongs to
# this test counts, so that svscans of tests running beside it (ctest -j)
# cannot disturb the check: no process runs a program from ROOT (svscanboot,
# svscan, readproctitle, ...), no svscan of this root scans ROOT/service
# (package/svscans compares root and directory), the svscans on this root's
# /service are those there were before (none, unless the host runs one), and
# the install's output does not say it started anything.
ours_in() { # ROOT: pids of processes whose program lies under ROOT
  local e x
  for e in /proc/[0-9]*/exe; do
    x=$(readlink "$e" 2>/dev/null) || continue
    case $x in "$1"/*) e=${e%/exe} && echo "${e#/proc/}" ;; esac
  done
}
no_svscan() {
  local ok=0 p
  p=$(ours_in "$1") && [ -z "$p" ] || { echo "processes running programs of $1: $p"; ok=1; }
  p=$("$DT_SRC/package/svscans" "$1/service") && { echo "svscan on $1/service: $p"; ok=1; }
  p=$("$DT_SRC/package/svscans" /service)
  [ "$p" = "$before" ] || { echo "svscans on /service: before '$before', now '$p'"; ok=1; }
  ! grep -q '^Started' "$1.out" || { echo "the install says it started something"; ok=1; }
  return $ok
}
before=$("$DT_SRC/package/svscans" /service)

# host_state: what an install without ROOT would touch on this machine; the
# ROOT installs below must leave it exactly as it was.
host_state() {
  local p
  for p in /package /command /service /usr/local/bin /usr/local/share/man/man8 \
    /etc/systemd/system /etc/init /etc/inittab /etc/rc.local; do
    if [ -e "$p" ] || [ -L "$p" ]; then find "$p" -maxdepth 2 -printf '%p %y %m %s %T@ %l\n' 2>/dev/null | sort; else echo "$p absent"; fi
  done
}
host_state >"$TEST_ROOT/host.before"

# One install per boot flavour, each twice.
boot_files() { # flavour root
  case $1 in
    systemd)
      cmp -s "$DT_SRC/package/boot/daemontools.service" "$2/etc/systemd/system/daemontools.service" &&
        [ "$(readlink "$2/etc/systemd/system/multi-user.target.wants/daemontools.service")" = /etc/systemd/system/daemontools.service ] ;;
    upstart)
      cmp -s "$DT_SRC/package/boot/svscan.conf" "$2/etc/init/svscan.conf" ;;
    inittab)
      [ "$(grep -c svscanboot "$2/etc/inittab")" = 1 ] &&
        [ "$(head -n 2 "$2/etc/inittab")" = $'id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS' ] &&
        [ "$(tail -n 1 "$2/etc/inittab")" = "SV:123456:respawn:/command/svscanboot" ] ;;
    rclocal)
      [ "$(grep -c svscanboot "$2/etc/rc.local")" = 1 ] &&
        [ "$(cat "$2/etc/rc.local")" = $'#!/bin/sh -e\n# local\n/command/svscanboot </dev/null >/dev/null 2>&1 &\nexit 0' ] &&
        [ -x "$2/etc/rc.local" ] ;;
    none) [ ! -e "$2/etc" ] ;;
  esac
}

if [ ! -x "$DT_BIN/svscanboot" ]; then
  skip "installs with every boot flavour: $DT_BIN/svscanboot not built yet"
else
  for b in systemd upstart inittab rclocal none; do
    r=$TEST_ROOT/root-$b
    mkdir -p "$r"
    case $b in
      inittab) mkdir -p "$r/etc" && printf 'id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\n' >"$r/etc/inittab" ;;
      rclocal) mkdir -p "$r/etc" && printf '#!/bin/sh -e\n# local\nexit 0\n' >"$r/etc/rc.local" ;;
    esac
    check "$b: install succeeds" inst "$r" BOOT=$b
    check "$b: says which boot flavour" grep -qx "Boot integration: $b" "$r.out"
    check "$b: programs, man pages and links installed" installed "$r"
    check "$b: boot files written" boot_files $b "$r"
    check "$b: started nothing" no_svscan "$r"
    snapshot "$r" >"$r.snap1"
    check "$b: second install succeeds" inst "$r" BOOT=$b
    snapshot "$r" >"$r.snap2"
    check "$b: second install changes nothing" cmp -s "$r.snap1" "$r.snap2"
    check "$b: second install still one boot entry" boot_files $b "$r"
  done
  # The unit passes systemd's own checks (with the system units copied in,
  # so that its dependencies resolve under --root).
  if command -v systemd-analyze >/dev/null 2>&1 && [ -d /lib/systemd/system ]; then
    r=$TEST_ROOT/root-systemd
    mkdir -p "$r/lib/systemd" && cp -a /lib/systemd/system "$r/lib/systemd/"
    # the unit's ExecStartPre and ExecStop run /bin/mkdir and /bin/sh, which
    # every real root has and this test root has not
    mkdir -p "$r/bin" && cp /bin/mkdir /bin/sh "$r/bin/"
    # --man=no: whether man(1) finds the Documentation= pages on this
    # machine says nothing of the unit (a fresh Debian has no man-db).
    check "systemd-analyze verify" systemd-analyze verify --man=no --root="$r" daemontools.service
    rm "$r/command/svscanboot"
    check "systemd-analyze verify notices a missing svscanboot" \
      eval '! systemd-analyze verify --man=no --root="$r" daemontools.service 2>/dev/null'
  else
    skip "systemd-analyze verify: systemd-analyze not installed"
  fi

  # Detection from the files under ROOT when BOOT is not given.
  detect() { # name expected setup
    local r=$TEST_ROOT/detect-$1
    mkdir -p "$r"
    (cd "$r" && eval "$3")
    inst "$r"
    check "detects $2 ($1)" grep -qx "Boot integration: $2" "$r.out"
  }
  detect run-systemd systemd 'mkdir -p run/systemd/system'
  detect sbin-init systemd 'mkdir -p sbin lib/systemd && ln -s ../lib/systemd/systemd sbin/init'
  detect upstart upstart 'mkdir -p sbin etc/init && touch sbin/initctl && chmod +x sbin/initctl'
  detect inittab inittab 'mkdir -p etc && touch etc/inittab'
  detect rclocal rclocal 'mkdir -p etc && touch etc/rc.local'
  detect nothing none ':'

  # rc.local without "exit 0", and none at all: appended / created.
  r=$TEST_ROOT/rc-noexit
  mkdir -p "$r/etc" && printf '#!/bin/sh\necho hi\n' >"$r/etc/rc.local"
  inst "$r" BOOT=rclocal
  check "rc.local without exit 0: line appended" \
    test "$(cat "$r/etc/rc.local")" = $'#!/bin/sh\necho hi\n/command/svscanboot </dev/null >/dev/null 2>&1 &'
  r=$TEST_ROOT/rc-new
  mkdir -p "$r"
  inst "$r" BOOT=rclocal
  check "no rc.local: created, executable" \
    test "$(cat "$r/etc/rc.local")" = $'#!/bin/sh\n/command/svscanboot </dev/null >/dev/null 2>&1 &' -a -x "$r/etc/rc.local"

  # An older version installed: the switch is one link, the old tree stays,
  # and a regular file where a link belongs is replaced.
  r=$TEST_ROOT/upgrade
  mkdir -p "$r/package/admin/daemontools-0.76/command" "$r/command" "$r/usr/local/bin"
  echo old >"$r/package/admin/daemontools-0.76/command/svc"
  ln -s daemontools-0.76 "$r/package/admin/daemontools"
  ln -s ../package/admin/daemontools/command/svc "$r/command/svc"
  echo stray >"$r/usr/local/bin/${progs[0]}"
  check "upgrade: install succeeds" inst "$r" BOOT=none
  check "upgrade: everything points at the new version" installed "$r"
  check "upgrade: old version left in place" test "$(cat "$r/package/admin/daemontools-0.76/command/svc")" = old
fi

# step (package/common): one line per step, progress on a slow one, and on
# failure the end of the log and its path. A throwaway script of the
# package/ kind runs it; its command waits until the progress line is out.
pk=$TEST_ROOT/stepsrc
mkdir -p "$pk/package"
cp "$DT_SRC/package/common" "$pk/package/" && cp "$DT_SRC/CMakeLists.txt" "$pk/"
cat >"$pk/package/demo" <<'EOF'
#!/bin/sh
. "$(dirname "$0")/common"
step "$1" "do the demo" "Doing the demo" sh -c '
  echo "first line"; i=0
  until grep -q "s: first line" "$1"; do i=$((i + 1)); [ $i -lt 600 ] || exit 9; sleep 0.1; done
  echo "last line"; exit 3' sh "$2"
say "not reached"
EOF
chmod +x "$pk/package/demo"
"$pk/package/demo" "$TEST_ROOT/demo.log" "$TEST_ROOT/demo.out" >"$TEST_ROOT/demo.out" 2>"$TEST_ROOT/demo.err"
rc=$?
check "step: a failed step exits 111" test $rc = 111
check "step: says the step first" test "$(head -n 1 "$TEST_ROOT/demo.out")" = "Doing the demo..."
check "step: progress line with the log's latest line" grep -Eqx '  [0-9]+s: first line' "$TEST_ROOT/demo.out"
check "step: nothing after the failure" eval '! grep -q "not reached" "$TEST_ROOT/demo.out"'
check "step: the end of the log on stderr" grep -qx "last line" "$TEST_ROOT/demo.err"
check "step: unable to, exit code, the full log's path" \
  grep -qx "package/demo: fatal: unable to do the demo: sh exited 3; the full log is $TEST_ROOT/demo.log" "$TEST_ROOT/demo.err"
check "step: the whole output in the log" test "$(cat "$TEST_ROOT/demo.log")" = $'first line\nlast line'

# package/run on a real machine, played in chroots (needs root): another
# root's svscan on its /service does not fool the "already running" check
# (package/svscans compares root and directory, not the command line), one
# in this root is found, and BOOT=systemd without a running systemd says
# what is left instead of failing in systemctl.
# mkroot DIR PROG...: a tree with PROGs (from PATH), their libraries, /bin/sh.
mkroot() {
  local r=$1 p f l
  shift
  mkdir -p "$r/dev" "$r/proc" "$r/tmp" "$r/bin"
  mknod -m 666 "$r/dev/null" c 1 3 || return 1
  for p in dash "$@"; do
    f=$(command -v "$p") || return 1
    cp --parents -L "$f" "$r/" || return 1
    for l in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do cp --parents -L "$l" "$r/" || return 1; done
  done
  [ -e "$r/bin/sh" ] || cp -L "$(command -v dash)" "$r/bin/sh"
}
if [ "$(id -u)" != 0 ] || ! command -v chroot >/dev/null || ! command -v dash >/dev/null ||
  ! command -v unshare >/dev/null || ! unshare --mount --propagation private true 2>/dev/null; then
  skip "package/run in chroots (already running, BOOT=systemd without systemd): needs root, chroot, dash, unshare --mount"
elif [ ! -x "$DT_BIN/svscanboot" ]; then
  skip "package/run in chroots: $DT_BIN/svscanboot not built yet"
else
  # A: another root, whose svscan scans its own /service.
  A=$TEST_ROOT/other
  mkroot "$A" && mkdir -p "$A/command" "$A/service" && cp "$DT_BIN/svscan" "$DT_BIN/supervise" "$A/command/"
  chroot "$A" /command/svscan /service </dev/null >/dev/null 2>&1 &
  apid=$!
  track_pid $apid
  check "other root: its svscan runs" poll 30 eval '[ "$(readlink /proc/$apid/cwd 2>/dev/null)" = "$A/service" ]'
  # The command line alone would have fooled the old check.
  check "other root: its command line is /command/svscan /service" \
    test "$(tr '\0' ' ' </proc/$apid/cmdline)" = "/command/svscan /service "
  check "package/svscans /service: the other root's svscan is not ours" \
    eval '! "$DT_SRC/package/svscans" /service | grep -qx $apid'
  check "package/svscans $A/service: a different root, not ours either" \
    eval '! "$DT_SRC/package/svscans" "$A/service" | grep -qx $apid'

  # Here: svscans in this root, on an absolute path, a relative one, and
  # asked about through a symbolic link.
  mkdir -p "$TEST_ROOT/here/service" "$TEST_ROOT/rel/service"
  ln -s here/service "$TEST_ROOT/link"
  "$DT_BIN/svscan" "$TEST_ROOT/here/service" </dev/null >/dev/null 2>&1 &
  hpid=$!
  track_pid $hpid
  (cd "$TEST_ROOT/rel" && exec "$DT_BIN/svscan" service </dev/null >/dev/null 2>&1) &
  rpid=$!
  track_pid $rpid
  check "this root, absolute path: found" poll 30 eval '"$DT_SRC/package/svscans" "$TEST_ROOT/here/service" | grep -qx $hpid'
  check "this root, relative path: found" poll 30 eval '"$DT_SRC/package/svscans" "$TEST_ROOT/rel/service" | grep -qx $rpid'
  check "this root, asked through a symbolic link: found" eval '"$DT_SRC/package/svscans" "$TEST_ROOT/link" | grep -qx $hpid'
  check "this root: only the svscan of that directory" test "$("$DT_SRC/package/svscans" "$TEST_ROOT/here/service")" = "$hpid"
  "$DT_SRC/package/svscans" "$TEST_ROOT/here" >/dev/null
  check "no svscan on a directory: exit 1" test $? = 1
  "$DT_SRC/package/svscans" "$TEST_ROOT/nonexistent" >/dev/null
  check "a missing directory: exit 1" test $? = 1
  "$DT_SRC/package/svscans" >/dev/null 2>&1
  check "no argument: exit 100" test $? = 100
  kill $rpid $hpid 2>/dev/null

  # B: a root with package/install and what it runs; A's svscan still runs.
  B=$TEST_ROOT/machine
  mkroot "$B" dirname sed cat id mkdir chmod setsid sleep tr wc stat cmp readlink grep cp mv ln rm cut tail env &&
    mkdir -p "$B/src" "$B/dtbin" && cp -a "$DT_SRC/package" "$DT_SRC/man" "$DT_SRC/CMakeLists.txt" "$B/src/" &&
    cp "$DT_BIN"/* "$B/dtbin/"
  # A systemctl that only notes that it was run.
  mkdir -p "$B/usr/bin"
  printf '#!/bin/sh\necho "$*" >>/systemctl.calls\n[ -d /run/systemd/system ] || { echo "System has not been booted with systemd" >&2; exit 1; }\n' >"$B/usr/bin/systemctl"
  chmod 755 "$B/usr/bin/systemctl"
  inB() { # VAR=value... COMMAND: in B, with a /proc in a mount namespace of its own
    unshare --mount --propagation private sh -c 'mount -t proc proc "$1/proc" && exec chroot "$@"' \
      sh "$B" env PATH=/usr/bin:/bin "$@"
  }
  inB BIN=/dtbin BOOT=none /src/package/install >"$B.out1" 2>&1
  check "install in B: exit 0" test $? = 0
  check "install in B: not fooled by the other root's svscan" \
    grep -q "^Started /command/svscanboot (pid [0-9]*): svscan now runs on /service.\$" "$B.out1" || cat "$B.out1"
  bpid=$(sed -n 's/^Started \/command\/svscanboot (pid \([0-9]*\)).*/\1/p' "$B.out1")
  [ -n "$bpid" ] && track_pgrp "$bpid"
  # svscanboot's own child (-P), not any svscan of its session (-s), which
  # would also match svscan's forks before they exec supervise.
  bsvscan=$(pgrep -P "${bpid:-0}" -x svscan 2>/dev/null | head -n 1)
  check "install in B: B's svscan runs in B on B's /service" \
    eval '[ -n "$bsvscan" ] && [ "$(readlink /proc/$bsvscan/root)" = "$B" ] && [ "$(readlink /proc/$bsvscan/cwd)" = "$B/service" ]'
  check "install in B: man(1) missing, says how to get it" \
    grep -qx "man(1) is not installed, so man 8 svscan does not work yet: apt-get install man-db" "$B.out1"
  inB BOOT=none /src/package/run >"$B.out2" 2>&1
  check "run again in B: exit 0" test $? = 0
  check "run again in B: already running, with B's svscan's pid" \
    grep -qx "svscan is already running on /service (pid $bsvscan)." "$B.out2" || cat "$B.out2"
  # svscans running in B, leaving out svscan's own forks (before they exec
  # supervise): a second svscanboot would start one in a session of its own
  b_svscans() {
    local p n=0
    for p in $(pgrep -x svscan); do
      [ "$(readlink "/proc/$p/root")" = "$B" ] || continue
      [ "$(ps -o comm= -p "$(ps -o ppid= -p "$p" | tr -d ' ')" 2>/dev/null)" = svscan ] || n=$((n + 1))
    done
    echo "$n"
  }
  check "run again in B: started nothing" eval '[ "$(b_svscans)" = 1 ] && ! grep -q "^Started" "$B.out2"'

  # BOOT=systemd in B, where systemd is not running.
  inB BOOT=systemd /src/package/run >"$B.out3" 2>"$B.err3"
  check "BOOT=systemd without systemd: exit 0" test $? = 0
  check "BOOT=systemd without systemd: the unit installed and enabled" boot_files systemd "$B"
  check "BOOT=systemd without systemd: systemctl not run" test ! -e "$B/systemctl.calls"
  check "BOOT=systemd without systemd: a warning says why" \
    grep -qx "package/run: warning: systemd is not running here (no /run/systemd/system: a chroot or a container?)" "$B.err3"
  check "BOOT=systemd without systemd: says what is left and what to do" eval \
    'grep -q "^daemontools.service is installed and enabled: svscan starts when this system boots" "$B.out3" &&
     grep -qF "without systemd: setsid /command/svscanboot </dev/null >/dev/null 2>&1 &" "$B.out3"'
  # With systemd running (its directory in /run), systemctl is run.
  mkdir -p "$B/run/systemd/system"
  inB BOOT=systemd /src/package/run >"$B.out4" 2>&1
  check "BOOT=systemd with systemd: exit 0" test $? = 0
  check "BOOT=systemd with systemd: daemon-reload, then start" \
    test "$(cat "$B/systemctl.calls" 2>/dev/null)" = $'daemon-reload\nstart daemontools.service'
  [ -z "$bpid" ] || kill -TERM -- "-$bpid" 2>/dev/null
  kill $apid 2>/dev/null
fi

check "nothing written outside ROOT" eval 'host_state | cmp -s "$TEST_ROOT/host.before" -'

# Errors.
r=$TEST_ROOT/bad-boot
mkdir -p "$r"
inst "$r" BOOT=bogus
check "unknown BOOT: exit 100" test $? = 100
check "unknown BOOT: says so" grep -qx "package/run: fatal: BOOT must be systemd, upstart, inittab, rclocal or none, not bogus" "$r.out"
r=$TEST_ROOT/no-progs
mkdir -p "$r" "$TEST_ROOT/empty"
ROOT=$r BIN=$TEST_ROOT/empty "$DT_SRC/package/install" >"$r.out" 2>&1
check "no programs: exit 111" test $? = 111
check "no programs: says so" grep -qx "package/upgrade: fatal: no programs in $TEST_ROOT/empty: run package/compile first" "$r.out"
check "no programs: nothing written" test -z "$(ls -A "$r")"
r=$TEST_ROOT/no-svscanboot
mkdir -p "$r" "$TEST_ROOT/nosb"
for p in "${progs[@]}"; do [ "$p" = svscanboot ] || cp "$DT_BIN/$p" "$TEST_ROOT/nosb/"; done
ROOT=$r BIN=$TEST_ROOT/nosb "$DT_SRC/package/run" >"$r.out" 2>&1
check "run without svscanboot: exit 111" test $? = 111
check "run without svscanboot: says so" grep -qx "package/run: fatal: $r/command/svscanboot is not installed: run package/upgrade first" "$r.out"
finish
