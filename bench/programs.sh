#!/usr/bin/env bash
# Program footprint: for every daemontools program, the size of ours and of
# the reference, the shared libraries each needs at run time (ELF NEEDED),
# and the peak RSS of a trivial run (usage error, EOF at once, or a missing
# directory), from /usr/bin/time.
. "$(dirname "$0")/lib.sh"
bench_init
S=programs
PROGS="envdir envuidgid fghack multilog pgrphack readproctitle setlock setuidgid softlimit supervise svc svok svscan svscanboot svstat tai64n tai64nlocal"

# trivial PROG: arguments for a run that ends at once
trivial() {
  case $1 in
    svscan) echo /nonexistent ;;
    svok | svstat | svc) echo /nonexistent ;;
    *) ;;
  esac
}

needed() {  # needed FILE: its NEEDED libraries, or "(script)"
  if [ "$(head -c 4 "$1")" != $'\x7fELF' ]; then echo "(script)"; return; fi
  local l
  l=$(readelf -d "$1" 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
  echo "${l% }"
}

peak() {  # peak FILE PROG: peak RSS (kB) of a trivial run
  if [ ! -x /usr/bin/time ] || [ "$(head -c 4 "$1")" != $'\x7fELF' ]; then echo "–"; return; fi
  # shellcheck disable=SC2046
  /usr/bin/time -o "$W/t" -f '%M' "$1" $(trivial "$2") </dev/null >/dev/null 2>&1
  tail -1 "$W/t"
}

declare -A tot=([ours]=0 [daemontools]=0)
declare -A extra=([ours]="" [daemontools]="")
declare -A count=([ours]=0 [daemontools]=0)
both_ours=0 both_ref=0 both_n=0
for p in $PROGS; do
  if [ -x "$DT_BIN/$p" ] && [ -x "$REF_BIN/$p" ]; then
    both_ours=$((both_ours + $(stat -c %s "$DT_BIN/$p")))
    both_ref=$((both_ref + $(stat -c %s "$REF_BIN/$p")))
    both_n=$((both_n + 1))
  fi
  for impl in ours daemontools; do
    f=$DT_BIN/$p
    [ $impl = daemontools ] && f=$REF_BIN/$p
    if [ ! -x "$f" ]; then
      result $S "$p" "$impl size" "$([ $impl = ours ] && echo "n/a (not built)" || echo "n/a (not installed)")" ""
      continue
    fi
    size=$(stat -c %s "$f")
    libs=$(needed "$f")
    result $S "$p" "$impl size" "$size" ""
    result $S "$p" "$impl libraries" "$libs" ""
    result $S "$p" "$impl peak RSS (kB)" "$(peak "$f" "$p")" ""
    tot[$impl]=$((tot[$impl] + size))
    count[$impl]=$((count[$impl] + 1))
    # ld-linux (the dynamic loader) is part of libc: glibc ships both
    case " $libs " in
      " (script) " | " libc.so.6 " | " libc.so.6 ld-linux-x86-64.so.2 " | " ld-linux-x86-64.so.2 libc.so.6 ") ;;
      *) extra[$impl]+="$p " ;;
    esac
  done
done
for impl in ours daemontools; do
  if [ "${count[$impl]}" = 0 ]; then
    result $S "total (programs found)" "$impl size" "n/a" ""
    continue
  fi
  result $S "total (programs found)" "$impl size" "${tot[$impl]} (${count[$impl]})" ""
  l=${extra[$impl]% }
  result $S "linking more than libc" "$impl libraries" "${l:-none}" ""
done
result $S "total of the $both_n programs both have" "ours size" "$both_ours" ""
result $S "total of the $both_n programs both have" "daemontools size" "$both_ref" ""
result $S "programs compared" "ours size" "$both_n" ""
bench_done
