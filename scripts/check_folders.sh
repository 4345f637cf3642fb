#!/usr/bin/env bash
# The folder order of docs/architecture.md, checked on every #include of gis/ and core/.
# Prints each include that goes against it and exits 1; "folders: ok" otherwise.
# Usage: scripts/check_folders.sh [REPO_ROOT]
set -uo pipefail
cd "${1:-$(dirname "$0")/..}" || exit 2
bad=0

# "<file>:<line>:<included path>" for every quoted include under the given folders.
includes() { grep -rnoE '#include "[^"]+"' "$@" 2>/dev/null | sed -E 's/#include "([^"]+)"/\1/'; }
# The folder an included path names: onemap/<lib>/<folder>/x.hpp or, privately, <folder>/x.hpp.
folder_of() { sed -E 's#^onemap/(gis|core)/##' <<<"$1" | awk -F/ 'NF>1{print $1}'; }

# gis: each folder may include only itself and the folders before it.
gis_order=(base text geom index crs layer formats tiles raster)
rank() { local i; for i in "${!gis_order[@]}"; do [ "${gis_order[$i]}" = "$1" ] && echo "$i"; done; }
for f in "${gis_order[@]}"; do
  r=$(rank "$f")
  while IFS=: read -r file line path; do
    [[ $path == onemap/core/* ]] && { echo "$file:$line: gis includes core ($path)"; bad=1; continue; }
    [[ $path == onemap/gis/* || ( $path == */* && $path != onemap/* ) ]] || continue
    to=$(folder_of "$path"); [ -n "$to" ] || continue
    tr=$(rank "$to")
    [ -n "$tr" ] || { echo "$file:$line: $path: no such gis folder"; bad=1; continue; }
    [ "$tr" -le "$r" ] || { echo "$file:$line: gis/$f may not include gis/$to ($path)"; bad=1; }
  done < <(includes "gis/src/$f" "gis/include/onemap/gis/$f")
done

# core: plan → rules → check → validate → find → report → time → tiles, cache private to check;
# bureau (accounts and the audit trail) and coverage stand on gis alone, heat on gis, the plan
# and check's layer_source (a plan's [[heatmaps]] read as every command reads its layers).
declare -A allowed=(
  [plan]='plan/.*|rules/rule_registry\.hpp'
  [rules]='plan/plan\.hpp|rules/.*|check/(report|one_map|site_set|number_format|feedback|wording|phrases)\.hpp'
  [check]='plan/plan\.hpp|check/.*|rules/(rule|rule_registry|overlap)\.hpp|cache/.*'
  [validate]='plan/plan\.hpp|check/(one_map|layer_source|number_format|report|feedback)\.hpp|validate/.*'
  [find]='plan/.*|rules/rule_registry\.hpp|check/.*|find/.*'
  [report]='check/.*|find/site_finder\.hpp|report/.*'
  [time]='plan/plan\.hpp|rules/rule_registry\.hpp|check/.*|report/json_report\.hpp|time/.*'
  [cache]='plan/plan\.hpp|check/feedback\.hpp|cache/.*'
  [tiles]='plan/plan\.hpp|check/(one_map|layer_source|feedback)\.hpp|tiles/.*'
  [bureau]='bureau/.*'
  [heat]='plan/plan\.hpp|check/layer_source\.hpp|heat/.*'
  [coverage]='coverage/.*'
)
for f in "${!allowed[@]}"; do
  while IFS=: read -r file line path; do
    [[ $path == onemap/gis/* || $path == */* ]] || continue
    [[ $path == onemap/gis/* ]] && continue
    rel=$(sed -E 's#^onemap/core/##' <<<"$path")
    [[ $rel =~ ^(${allowed[$f]})$ ]] || { echo "$file:$line: core/$f may not include $path"; bad=1; }
  done < <(includes "core/src/$f" "core/include/onemap/core/$f")
done
# Public plan headers stand on gis alone; in check only the engine runs rules, only the one map
# reads the cache.
while IFS=: read -r file line path; do
  [[ $path == onemap/core/* ]] && { echo "$file:$line: plan's public headers include gis only"; bad=1; }
done < <(includes core/include/onemap/core/plan)
while IFS=: read -r file line path; do
  [[ $file == *compliance_engine* ]] && continue
  [[ $path =~ ^(onemap/core/)?rules/ ]] && { echo "$file:$line: only the engine in check includes rules"; bad=1; }
done < <(includes core/src/check core/include/onemap/core/check)
while IFS=: read -r file line path; do
  [[ $file == core/src/cache/* || $file == core/src/check/one_map.cpp ]] && continue
  [[ $path =~ ^cache/ ]] && { echo "$file:$line: only check/one_map.cpp includes the cache"; bad=1; }
done < <(includes core/src core/include)
# The HTTP server (viewer/web) holds no Qt: documents come through onemap::report's functions.
while IFS=: read -r file line _; do
  echo "$file:$line: viewer/web may not include Qt"; bad=1
done < <(grep -rnE '#include <Q' viewer/web 2>/dev/null)
# Nothing outside core and the tests reaches a library's private headers.
[ "$bad" = 0 ] && echo "folders: ok"
exit "$bad"
