#!/usr/bin/env bash
# The Debian package: cpack -G DEB from the build tree, then its control
# fields, its file list and contents, and a real dpkg -i / dpkg -r into a
# temp root with its own dpkg database (never the machine's), including
# taking over from a Debian-style daemontools package.
. "$(dirname "$0")/../lib.sh"

build=$(cd "$DT_BIN/.." && pwd)
if ! command -v cpack >/dev/null || ! command -v dpkg-deb >/dev/null || [ ! -f "$build/CPackConfig.cmake" ]; then
  skip "Debian package: cpack, dpkg-deb or $build/CPackConfig.cmake missing"
  finish
fi
V=$(sed -n 's/^project([^)]* VERSION \([0-9][0-9.]*\).*/\1/p' "$DT_SRC/CMakeLists.txt")
arch=$(dpkg --print-architecture)
out=$TEST_ROOT/cpack
check "cpack -G DEB" eval 'cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$TEST_ROOT/cpack.log" 2>&1'
deb=$out/daemontools-cxx_${V}_${arch}.deb
check "package file daemontools-cxx_${V}_${arch}.deb" test -f "$deb"
[ -f "$deb" ] || { cat "$TEST_ROOT/cpack.log"; finish; }

field() { dpkg-deb -f "$deb" "$1"; }
check "Package" test "$(field Package)" = daemontools-cxx
check "Version" test "$(field Version)" = "$V"
check "Architecture" test "$(field Architecture)" = "$arch"
check "Section" test "$(field Section)" = admin
check "Provides" test "$(field Provides)" = "daemontools (= 1:$V)"
check "Conflicts" test "$(field Conflicts)" = daemontools
check "Replaces" test "$(field Replaces)" = daemontools
# Depends: what dpkg-shlibdeps says the programs need (libc6 (>= 2.34) as
# built on Debian 12), never a bare libc6; package/deb installs dpkg-dev so
# that a user's package has it too.
if command -v dpkg-shlibdeps >/dev/null; then
  mkdir -p "$TEST_ROOT/shlibs/debian"
  printf 'Source: x\n\nPackage: x\nArchitecture: any\n' >"$TEST_ROOT/shlibs/debian/control"
  progs_elf=()
  for f in "$DT_BIN"/*; do [ -f "$f" ] && [ -x "$f" ] && head -c 4 "$f" | grep -q ELF && progs_elf+=("$f"); done
  want_dep=$(cd "$TEST_ROOT/shlibs" && dpkg-shlibdeps -O "${progs_elf[@]}" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
  check "dpkg-shlibdeps names a versioned libc6 ($want_dep)" eval '[[ "$want_dep" =~ (^|,\ )libc6\ \(\>=\ [0-9][0-9.]*\)(,|$) ]]'
  check "Depends is what dpkg-shlibdeps says: $want_dep" test "$(field Depends)" = "$want_dep"
else
  skip "versioned Depends: dpkg-shlibdeps not installed (apt-get install dpkg-dev); Depends is '$(field Depends)'"
fi
check "no maintainer scripts" eval '! dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -Eq "(pre|post)(inst|rm)"'

# The file list: exactly the programs, the man pages and the copyright file.
want=$TEST_ROOT/want.list
{
  for f in "$DT_BIN"/*; do [ -f "$f" ] && [ -x "$f" ] && echo "-rwxr-xr-x root/root ./usr/bin/${f##*/}"; done
  for f in "$DT_SRC"/man/*.8; do [ -f "$f" ] && echo "-rw-r--r-- root/root ./usr/share/man/man8/${f##*/}.gz"; done
  echo "-rw-r--r-- root/root ./usr/share/doc/daemontools-cxx/copyright"
  echo "-rw-r--r-- root/root ./lib/systemd/system/daemontools-run.service.d/daemontools-cxx.conf"
} | sort >"$want"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $1, $2, $6 }' | sort >"$TEST_ROOT/got.list"
check "file list" cmp "$want" "$TEST_ROOT/got.list" || diff "$want" "$TEST_ROOT/got.list"

x=$TEST_ROOT/x
dpkg-deb -x "$deb" "$x"
same_prog() { # stripped like the package's
  strip -o "$TEST_ROOT/stripped" "$DT_BIN/$1" && cmp -s "$TEST_ROOT/stripped" "$x/usr/bin/$1"
}
for f in "$DT_BIN"/*; do
  p=${f##*/}
  [ -f "$f" ] && [ -x "$f" ] && [ "$p" != svscanboot ] || continue
  if command -v strip >/dev/null; then check "usr/bin/$p is ours, stripped" same_prog "$p"; fi
done
for f in "$DT_SRC"/man/*.8; do
  [ -f "$f" ] && [ "${f##*/}" != svscanboot.8 ] || continue
  check "man page ${f##*/}" eval 'gzip -dc "$x/usr/share/man/man8/${f##*/}.gz" | cmp -s - "$f"'
done
# svscanboot(8) describes the packaged paths: the page's three .ds lines get
# the Debian package's values, nothing else changes, and it renders with
# /etc/service and /usr/bin where the /package page has /service, /command.
page=$x/usr/share/man/man8/svscanboot.8.gz
if [ -f "$DT_SRC/man/svscanboot.8" ]; then
  check "svscanboot.8: only the .ds lines differ" eval 'diff <(gzip -dc "$page") <(sed \
    -e "s,^\.ds sd .*,.ds sd /etc/service," -e "s,^\.ds pd .*,.ds pd /usr/bin," \
    -e "s,^\.ds wh .*,.ds wh the Debian package daemontools\\\\-cxx," "$DT_SRC/man/svscanboot.8")'
  check "svscanboot.8: source page has the .ds lines" eval '[ "$(grep -c "^\.ds \(sd\|pd\|wh\) " "$DT_SRC/man/svscanboot.8")" = 3 ]'
  if command -v groff >/dev/null; then
    gzip -dc "$page" >"$TEST_ROOT/svscanboot.8"
    render() { groff -ww -man -Tutf8 -P -cbou "$1" 2>&1 | sed 's/\xe2\x80\x90//g' | tr -s ' \n' ' '; }
    check "packaged svscanboot.8 renders without warnings" eval 'groff -ww -man -z "$TEST_ROOT/svscanboot.8" 2>&1 | cmp -s - /dev/null'
    deb_text=$(render "$TEST_ROOT/svscanboot.8")
    src_text=$(render "$DT_SRC/man/svscanboot.8")
    check "packaged svscanboot.8: svc -dx /etc/service/*" grep -qF 'svc -dx /etc/service/* /etc/service/*/log' <<<"$deb_text"
    check "packaged svscanboot.8: svscan /etc/service" grep -qF 'svscan /etc/service 2>&1' <<<"$deb_text"
    check "packaged svscanboot.8: inittab line runs /usr/bin/svscanboot" grep -qF 'SV:123456:respawn:/usr/bin/svscanboot' <<<"$deb_text"
    check "packaged svscanboot.8: FILES name /etc/service and /usr/bin" \
      grep -qF 'FILES /etc/service the service directories (or symbolic links to them). /usr/bin the daemontools programs' <<<"$deb_text"
    check "packaged svscanboot.8: no /service or /command/svscanboot of the /package install" \
      eval '! grep -qE "(svc -dx|svscan|FILES) /service|/command/svscanboot" <<<"$deb_text"'
    check "source svscanboot.8: /service and /command" \
      grep -qF 'FILES /service the service directories (or symbolic links to them). /command the daemontools programs' <<<"$src_text"
    check "source svscanboot.8: inittab line runs /command/svscanboot" grep -qF 'SV:123456:respawn:/command/svscanboot' <<<"$src_text"
  else
    skip "svscanboot.8 rendering: groff not installed"
  fi
fi
if [ -f "$DT_BIN/svscanboot" ]; then
  # Debian's svscanboot scans /etc/service; otherwise ours as built.
  check "svscanboot scans /etc/service" grep -q 'svscan /etc/service' "$x/usr/bin/svscanboot"
  check "svscanboot otherwise the same" eval \
    'diff <(sed "s,/etc/service,/service,g" "$x/usr/bin/svscanboot") <(sed "s,/etc/service,/service,g" "$DT_BIN/svscanboot")'
else
  skip "svscanboot in the package: not built yet"
fi

# The drop-in for Debian's daemontools-run.service: our unit's orderly stop
# on /etc/service, and a unit that systemd accepts with it.
dropin=$x/lib/systemd/system/daemontools-run.service.d/daemontools-cxx.conf
unit=$DT_SRC/package/boot/daemontools.service
check "drop-in: ExecStartPre makes /etc/service/.svscan" grep -qx 'ExecStartPre=/bin/mkdir -p /etc/service/.svscan' "$dropin"
check "drop-in: our unit's ExecStop, unchanged" eval 'grep -x "^ExecStop=.*" "$dropin" | cmp -s - <(grep -x "^ExecStop=.*" "$unit")'
check "drop-in: our unit's TimeoutStopSec" eval 'grep -x "^TimeoutStopSec=.*" "$dropin" | cmp -s - <(grep -x "^TimeoutStopSec=.*" "$unit")'
check "drop-in: only a [Service] section" eval '[ "$(grep -c "^\[" "$dropin")" = 1 ] && grep -qx "\[Service\]" "$dropin"'
if command -v systemd-analyze >/dev/null 2>&1 && [ -d /lib/systemd/system ]; then
  r=$TEST_ROOT/root-dropin
  mkdir -p "$r/lib/systemd" "$r/bin" "$r/usr/bin" && cp -a /lib/systemd/system "$r/lib/systemd/"
  cp /bin/mkdir /bin/sh "$r/bin/" && cp "$x/usr/bin/svscanboot" "$r/usr/bin/"
  # daemontools-run's unit as Debian ships it (1:0.76-8.1)
  printf '%s\n' '[Unit]' 'Description=Daemontools service supervision' '[Service]' \
    'ExecStart=/usr/bin/svscanboot /etc/service/' 'Restart=always' '[Install]' 'WantedBy=multi-user.target' \
    >"$r/lib/systemd/system/daemontools-run.service"
  mkdir -p "$r/lib/systemd/system/daemontools-run.service.d" && cp "$dropin" "$r/lib/systemd/system/daemontools-run.service.d/"
  check "drop-in: systemd-analyze verify daemontools-run.service" systemd-analyze verify --man=no --root="$r" daemontools-run.service
else
  skip "drop-in: systemd-analyze not installed"
fi

# dpkg round trip into a temp root with an empty database (libc6 is not in
# it, hence --force-depends).
if [ "$(id -u)" = 0 ]; then
  r=$TEST_ROOT/root
  mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates"
  touch "$r/var/lib/dpkg/status" "$r/var/lib/dpkg/available"
  D=(dpkg --root="$r" --force-depends)
  # A Debian-style daemontools already installed: ours must take it over.
  fake=$TEST_ROOT/fake
  mkdir -p "$fake/DEBIAN" "$fake/usr/bin"
  printf 'Package: daemontools\nVersion: 1:0.76-8.1\nArchitecture: %s\nMaintainer: x <x@x>\nDescription: stand-in for Debian'"'"'s daemontools\n' "$arch" >"$fake/DEBIAN/control"
  echo old >"$fake/usr/bin/svc"
  echo old >"$fake/usr/bin/svstat"
  dpkg-deb -b "$fake" "$TEST_ROOT/daemontools.deb" >/dev/null
  check "dpkg -i of a stand-in daemontools" eval '"${D[@]}" -i "$TEST_ROOT/daemontools.deb" >"$TEST_ROOT/dpkg.log" 2>&1'
  check "dpkg -i daemontools-cxx" eval '"${D[@]}" -i "$deb" >"$TEST_ROOT/dpkg-i.log" 2>&1' || cat "$TEST_ROOT/dpkg-i.log"
  # README: dpkg -i unpacks ours before it removes Debian's package, so
  # /usr/bin/svc is never missing (apt removes first).
  check "dpkg -i: ours unpacked before the old package is removed" eval \
    'lu=$(grep -n "^Unpacking daemontools-cxx" "$TEST_ROOT/dpkg-i.log" | cut -d: -f1) &&
     lr=$(grep -n "^Removing daemontools " "$TEST_ROOT/dpkg-i.log" | cut -d: -f1) && [ "$lu" -lt "$lr" ]' ||
    cat "$TEST_ROOT/dpkg-i.log"
  check "installed" eval '"${D[@]}" -s daemontools-cxx 2>/dev/null | grep -qx "Status: install ok installed"'
  check "daemontools removed in its favour" eval '! "${D[@]}" -s daemontools 2>/dev/null | grep -q "Status: install ok installed"'
  for f in "$x"/usr/bin/*; do
    check "installed /usr/bin/${f##*/}" cmp -s "$f" "$r/usr/bin/${f##*/}"
  done
  check "svc and svstat now ours, not the old package's" eval '! grep -qx old "$r/usr/bin/svc" 2>/dev/null && ! grep -qx old "$r/usr/bin/svstat" 2>/dev/null'
  # daemontools-run depends on daemontools (>> 1:0.76): the Provides satisfies it.
  run=$TEST_ROOT/run
  mkdir -p "$run/DEBIAN"
  printf 'Package: daemontools-run\nVersion: 1:0.76-8.1\nArchitecture: all\nDepends: daemontools (>> 1:0.76)\nMaintainer: x <x@x>\nDescription: stand-in for daemontools-run\n' >"$run/DEBIAN/control"
  dpkg-deb -b "$run" "$TEST_ROOT/run.deb" >/dev/null
  check "daemontools-run's dependency satisfied" eval 'dpkg --root="$r" -i "$TEST_ROOT/run.deb" >>"$TEST_ROOT/dpkg.log" 2>&1'
  "${D[@]}" -r daemontools-run >/dev/null 2>&1
  check "dpkg -r daemontools-cxx" eval '"${D[@]}" -r daemontools-cxx >>"$TEST_ROOT/dpkg.log" 2>&1'
  check "nothing left after dpkg -r" test -z "$(find "$r" -mindepth 1 -not -path "$r/var" -not -path "$r/var/lib" -not -path "$r/var/lib/dpkg*")"
else
  skip "dpkg -i / dpkg -r into a temp root: needs root"
fi
# README, "The running services": after dpkg -i, the services run on under
# Debian's supervise and multilog and obey our svc; `svc -dx` on a service
# and its logger moves them to ours (started by the running svscan through
# PATH), with no log line lost or doubled. (-dx, not -tx: a 0.76 supervise
# may restart the service before it reads the x, then wait on it for ever.)
# Played with the reference as Debian's programs and a PATH directory whose
# links dpkg -i would switch.
if ! has_ref svscan || ! has_ref supervise || ! has_ref multilog; then
  skip "moving running services to our supervise: reference svscan, supervise, multilog not installed (apt-get install daemontools)"
else
  mv_bin=$TEST_ROOT/usrbin
  mkdir -p "$mv_bin" "$TEST_ROOT/svc/count/log" "$TEST_ROOT/sd"
  for p in supervise multilog; do ln -s "$REF_BIN/$p" "$mv_bin/$p"; done
  printf '#!/bin/sh\nexec 2>&1\nexec sh -c '"'"'i=0; while :; do i=$((i + 1)); echo "$$ $i"; sleep 0.01; done'"'"'\n' >"$TEST_ROOT/svc/count/run"
  printf '#!/bin/sh\nexec multilog t ./main\n' >"$TEST_ROOT/svc/count/log/run"
  chmod +x "$TEST_ROOT/svc/count/run" "$TEST_ROOT/svc/count/log/run"
  ln -s "$TEST_ROOT/svc/count" "$TEST_ROOT/sd/count"
  env - PATH="$mv_bin:/usr/bin:/bin" setsid "$REF_BIN/svscan" "$TEST_ROOT/sd" </dev/null >"$TEST_ROOT/svscan.out" 2>&1 &
  mv_pgrp=$!
  track_pgrp $mv_pgrp
  S=$TEST_ROOT/sd/count
  sup_pid() { # DIR: pid of the supervise that svscan runs on DIR
    local p
    for p in $(pgrep -P "$mv_pgrp" -x supervise); do
      [ "$(readlink "/proc/$p/cwd" 2>/dev/null)" = "$(readlink -f "$1")" ] && { echo "$p"; return 0; }
    done
    return 1
  }
  svc_pid() { "$DT_BIN/svstat" "$1" | sed -n 's/.*: up (pid \([0-9]*\)).*/\1/p'; }
  exe_is() { # DIR WHO PATH: supervise or service of DIR runs PATH
    local p
    case $2 in supervise) p=$(sup_pid "$1") ;; *) p=$(svc_pid "$1") ;; esac
    [ -n "$p" ] && [ "$(readlink "/proc/$p/exe")" = "$3" ]
  }
  check "moving: Debian's supervise runs the service and its logger" \
    poll 30 eval 'exe_is "$S" supervise "$REF_BIN/supervise" && exe_is "$S/log" supervise "$REF_BIN/supervise" && exe_is "$S/log" svc "$REF_BIN/multilog"'
  # dpkg -i: the names now lead to our programs.
  for p in supervise multilog; do ln -s "$DT_BIN/$p" "$mv_bin/$p{new}" && mv -T -f "$mv_bin/$p{new}" "$mv_bin/$p"; done
  old=$(svc_pid "$S")
  # shellcheck disable=SC2034 # old is read in the eval
  check "moving: our svc -t restarts the service under the old supervise" eval \
    '"$DT_BIN/svc" -t "$S" && poll 20 eval '"'"'[ -n "$(svc_pid "$S")" ] && [ "$(svc_pid "$S")" != "$old" ]'"'"' && exe_is "$S" supervise "$REF_BIN/supervise"'
  # The logger first, while the service goes on writing, then the service.
  "$DT_BIN/svc" -dx "$S/log"
  check "moving: svc -dx log: the logger now under our supervise and multilog, up" \
    poll 30 eval 'exe_is "$S/log" supervise "$DT_BIN/supervise" && exe_is "$S/log" svc "$DT_BIN/multilog"'
  sleep 0.5
  "$DT_BIN/svc" -dx "$S"
  check "moving: svc -dx: the service now under our supervise, up again" \
    poll 30 eval 'exe_is "$S" supervise "$DT_BIN/supervise" && [ -n "$(svc_pid "$S")" ]'
  new=$(svc_pid "$S")
  check "moving: the new service is writing to the log" \
    poll 30 eval 'grep -q " $new [0-9]*\$" "$S/log/main/current"'
  "$DT_BIN/svc" -dx "$S" "$S/log"
  await 30 eval '! sup_pid "$S" >/dev/null && ! sup_pid "$S/log" >/dev/null' >/dev/null
  # Every writer's numbers in the log: from 1, each once, none missing.
  check "moving: no log line lost or doubled across the switch" eval \
    'cat "$S"/log/main/@* "$S/log/main/current" 2>/dev/null | awk '"'"'
       { pid = $2; n = $3
         if (!(pid in last)) { if (n != 1) { print "first of " pid ": " n; bad = 1 } }
         else if (n != last[pid] + 1) { print pid ": " last[pid] " then " n; bad = 1 }
         last[pid] = n; w++ }
       END { if (w < 100) { print "only " w " lines"; bad = 1 } exit bad }'"'"''
fi
finish
