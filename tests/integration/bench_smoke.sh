#!/usr/bin/env bash
# bench/run --quick: the benchmark scripts run end to end with tiny sizes
# and print their tables. Not a timed test: no figure is checked, only that
# every section ran, cleaned up after itself and reported.
. "$(dirname "$0")/../lib.sh"

out=$TEST_ROOT/out err=$TEST_ROOT/err
# bench/run's own sections (not the per-program scripts, which take longer
# even when quick), with the reference and our scanners only; nothing
# installed; work directories under the test's own root. Two runs side by
# side (the sections mostly wait), so that the test stays short.
mkdir -p "$TEST_ROOT/tmp"
quick() {
  BENCH_NO_INSTALL=1 BENCH_SCANNERS="ours daemontools" BENCH_TMPDIR=$TEST_ROOT/tmp \
    DT_BIN=$DT_BIN bash "$DT_SRC/bench/run" --quick "$@"
}
quick programs tai log control >"$out.1" 2>"$err.1" &
a=$!
quick supervisors latency scale >"$out.2" 2>"$err.2"
rc2=$?
wait $a
rc1=$?
cat "$out.1" "$out.2" >"$out"
check "bench/run --quick exits 0 (programs tai log control)" [ $rc1 = 0 ]
[ $rc1 = 0 ] || sed 's/^/  | /' "$err.1" | tail -20
check "bench/run --quick exits 0 (supervisors latency scale)" [ $rc2 = 0 ]
[ $rc2 = 0 ] || sed 's/^/  | /' "$err.2" | tail -20

check "prints the targets table" grep -q '^### Targets (issue 7)$' "$out"
for t in "Program footprint" tai64n tai64nlocal "Log throughput" "Control cost (hyperfine, median)" \
  "Supervisor footprint" Latency "Scale (our svscan beyond the references' limits)"; do
  check "prints the $t table" grep -qxF "### $t" "$out"
done
check "every target has a row" [ "$(sed -n '/^| figure /,/^$/p' "$out.1" | grep -c '^| [^f]')" = 15 ]
check "the log section compared every line" grep -q '^| all lines arrived unchanged' "$out"
check "no line came out changed" bash -c "! grep -q 'NO\*\*' '$out'"
check "work directories removed" [ -z "$(ls -A "$TEST_ROOT/tmp")" ]
# every process the bench started is gone: none runs from its work dirs
left=$(for p in /proc/[0-9]*; do readlink "$p/cwd" 2>/dev/null; done | grep -c "^$TEST_ROOT/tmp/")
check "no process left behind" [ "$left" = 0 ]
finish
