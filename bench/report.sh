#!/usr/bin/env bash
# Print the results of a bench run (bench/lib.sh's TSV) as Markdown: the
# targets of issue 7 with their measured ratios, then one table per section.
#   bench/report.sh RESULTS.tsv
set -u
R=${1:?usage: report.sh RESULTS.tsv}
export LC_ALL=C

# get SECTION METRIC IMPL: the value recorded (the last one), or nothing.
get() {
  awk -F '\t' -v s="$1" -v m="$2" -v i="$3" '$1 == s && $2 == m && $3 == i { v = $4 } END { printf "%s", v }' "$R"
}
num() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; }
# ratio A B [DIGITS]: A / B, or "n/a" when either is not a number.
ratio() {
  if num "$1" && num "$2" && [ "$(awk "BEGIN { print ($2 != 0) }")" = 1 ]; then
    awk "BEGIN { printf \"%.${3:-2}f\", $1 / $2 }"
  else printf 'n/a'; fi
}
# verdict CONDITION-AWK-EXPR A B: "yes"/"**no**" or "n/a" when not numbers.
verdict() {
  if num "$2" && { [ -z "${3:-}" ] || num "$3"; }; then
    local a=$2 b=${3:-0}
    if [ "$(awk -v a="$a" -v b="$b" "BEGIN { print ($1) ? 1 : 0 }")" = 1 ]; then printf 'yes'; else printf '**no**'; fi
  else printf 'n/a'; fi
}
# show VALUE: numbers rounded for reading (3 significant digits or so)
# verdict_le A B: A <= B? "yes", else "**no** (+N %)", or "n/a".
verdict_le() {
  if num "$1" && num "$2"; then
    awk -v a="$1" -v b="$2" 'BEGIN { if (a <= b) printf "yes"; else if (b > 0) printf "**no** (+%.1f %%)", (a / b - 1) * 100; else printf "**no**" }'
  else printf 'n/a'; fi
}
show() {
  if [ -z "$1" ]; then printf 'n/a'
  elif num "$1"; then awk -v v="$1" "$FMT BEGIN { printf \"%s\", fmt(v) }"
  else printf '%s' "$1"; fi
}
FMT='function fmt(v,  a) {
  if (v == int(v)) return sprintf("%d", v)
  a = v < 0 ? -v : v
  if (a >= 100) return sprintf("%.0f", v)
  if (a >= 10) return sprintf("%.1f", v)
  if (a >= 1) return sprintf("%.2f", v)
  return sprintf("%.3f", v)
}'


row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }

targets() {
  echo "### Targets (issue 7)"
  echo
  echo "| figure | ours | reference | measured | target | met |"
  echo "|---|---|---|---|---|---|"
  local o r c x
  o=$(get log throughput "ours multilog t") r=$(get log throughput "daemontools multilog t") c=$(get log throughput cat)
  row "\`multilog t\` throughput (MB/s)" "$(show "$o")" "$(show "$r")" "$(ratio "$o" "$r")× the reference" "≥ 5×" "$(verdict 'a/b >= 5' "$o" "$r")"
  x=$(ratio "$c" "$o")
  local cf
  cf=$(get log throughput "cat + fsync")
  row "\`multilog t\` time vs \`cat\`" "$(show "$o")" "cat $(show "$c")" "${x}× the time of cat ($(ratio "$cf" "$o")× cat + fsync)" "≤ 2×" "$(verdict 'a <= 2' "$x")"
  for p in tai64n tai64nlocal; do
    o=$(get $p throughput ours) r=$(get $p throughput daemontools)
    local want=4
    [ $p = tai64nlocal ] && want=10
    row "\`$p\` throughput (MB/s)" "$(show "$o")" "$(show "$r")" "$(ratio "$o" "$r")× the reference" "≥ ${want}×" "$(verdict "a/b >= $want" "$o" "$r")"
  done
  local k
  k=$(awk -F '\t' '$1 == "footprint" && $2 ~ / services up$/ { split($2, a, " "); print a[1]; exit }' "$R")
  k=${k:-200}
  o=$(get footprint "PSS per supervisor" ours) r=$(get footprint "PSS per supervisor" daemontools)
  row "PSS per idle supervise (kB)" "$(show "$o")" "$(show "$r")" "$(ratio "$o" "$r")× the reference" "≤ 1×" "$(verdict_le "$o" "$r")"
  o=$(get footprint "$k services up" ours) r=$(get footprint "$k services up" daemontools)
  row "$k services up after svscan starts (s)" "$(show "$o")" "$(show "$r")" "$(ratio "$o" "$r")× the reference" "≤ 1×" "$(verdict_le "$o" "$r")"
  o=$(get latency "new service picked up, median" ours) r=$(get latency "new service picked up, median" daemontools)
  row "new service picked up, median (ms)" "$(show "$o")" "$(show "$r")" "$(show "$o") ms" "≤ 50 ms, no command" "$(verdict 'a <= 50' "$o")"
  local m
  for m in "svc -u" "svstat, one service" "svstat, $k services"; do
    o=$(get control "$m" ours) r=$(get control "$m" daemontools)
    row "\`$m\` (ms)" "$(show "$o")" "$(show "$r")" "$(ratio "$o" "$r")× the reference" "≤ 1×" "$(verdict_le "$o" "$r")"
  done
  o=$(get footprint "all $k supervisors' wake-ups, idle" ours) r=$(get footprint "all $k supervisors' wake-ups, idle" daemontools)
  row "idle wake-ups of all $k supervise (/s)" "$(show "$o")" "$(show "$r")" "$(show "$o")/s" "0" "$(verdict 'a == 0' "$o")"
  o=$(get footprint "scanner wake-ups, idle" ours) r=$(get footprint "scanner wake-ups, idle" daemontools)
  row "idle wake-ups of svscan (/s)" "$(show "$o")" "$(show "$r")" "$(show "$o")/s" "≤ 0.2/s" "$(verdict 'a <= 0.2' "$o")"
  local pn
  pn=$(get programs "programs compared" "ours size")
  o=$(get programs "total of the $pn programs both have" "ours size") r=$(get programs "total of the $pn programs both have" "daemontools size")
  local on=
  [ -n "$pn" ] && [ "$pn" != 17 ] && on=" (the $pn built)"
  row "programs' total size (bytes)" "$(show "$o")$on" "$(show "$r")" "$(ratio "$o" "$r")× the reference" "≤ 3×" "$(verdict 'a <= 3 * b' "$o" "$r")"
  o=$(get programs "linking more than libc" "ours libraries")
  row "programs linking more than libc" "$(show "$o")" "$(show "$(get programs "linking more than libc" "daemontools libraries")")" "$(show "$o")" "none" "$(if [ "$o" = none ]; then printf yes; elif [ -z "$o" ]; then printf n/a; else printf '**no**'; fi)"
  o=$(get latency "crash-loop restart interval" ours) r=$(get latency "crash-loop restart interval" daemontools)
  row "crash-loop restart interval (s)" "$(show "$o")" "$(show "$r")" "$(show "$o") s" "≈ 1 s, as the reference" "$(verdict 'a >= 0.9 && a <= 1.2' "$o")"
  echo
}

tables() {
  awk -F '\t' "$FMT"'
    BEGIN {
      title["log"] = "Log throughput"
      title["tai64n"] = "tai64n"
      title["tai64nlocal"] = "tai64nlocal"
      title["footprint"] = "Supervisor footprint"
      title["scale"] = "Scale (our svscan beyond the references'"'"' limits)"
      title["latency"] = "Latency"
      title["control"] = "Control cost (hyperfine, median)"
      title["programs"] = "Program footprint"
      title["supervise"] = "supervise alone (bench/supervise_footprint.sh)"
      n = split("ours|ours multilog t|ours multilog|daemontools|daemontools multilog t|daemontools multilog|runit|svlogd -tt|s6|s6-log t|s6 + s6-svscanctl -a|cat|cat + fsync|ours size|daemontools size|ours libraries|daemontools libraries|ours peak RSS (kB)|daemontools peak RSS (kB)", o, "|")
      for (i = 1; i <= n; i++) rank[o[i]] = i
    }
    {
      s = $1; m = $2 ($5 != "" ? " (" $5 ")" : ""); c = $3
      if (!(s in seen)) { seen[s] = 1; secs[++ns] = s }
      if (!((s, m) in mseen)) { mseen[s, m] = 1; mets[s, ++nm[s]] = m }
      if (!((s, c) in cseen)) { cseen[s, c] = ++nc[s]; cols[s, nc[s]] = c }
      v[s, m, c] = $4
    }
    function key(s, j,   c) { c = cols[s, j]; return (c in rank ? rank[c] : 100) * 1000 + j }
    END {
      for (a = 1; a <= ns; a++) {
        s = secs[a]
        # columns: the known ones in a fixed order, the rest as they came
        for (j = 1; j <= nc[s]; j++) ord[j] = j
        for (j = 2; j <= nc[s]; j++)
          for (l = j; l > 1 && key(s, ord[l - 1]) > key(s, ord[l]); l--) { t = ord[l]; ord[l] = ord[l - 1]; ord[l - 1] = t }
        printf "### %s\n\n|   |", (s in title ? title[s] : s)
        for (j = 1; j <= nc[s]; j++) printf " %s |", cols[s, ord[j]]
        printf "\n|---|"
        for (j = 1; j <= nc[s]; j++) printf "---|"
        printf "\n"
        for (i = 1; i <= nm[s]; i++) {
          m = mets[s, i]
          printf "| %s |", m
          for (j = 1; j <= nc[s]; j++) { c = cols[s, ord[j]]; x = ((s, m, c) in v ? v[s, m, c] : ""); if (x ~ /^-?[0-9]+(\.[0-9]+)?$/) x = fmt(x + 0); printf " %s |", x }
          printf "\n"
        }
        printf "\n"
      }
    }' "$R"
}

targets
tables
