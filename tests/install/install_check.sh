#!/usr/bin/env bash
# Installs onemap into a temporary prefix and runs it from elsewhere with an empty
# environment: it must find the bundled G60 sample beside itself (share/onemap/sample-data),
# give the sample's verdicts, and carry no path into the source tree's sample-data.
set -euo pipefail
build=$1
source_dir=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
cd "$prefix"
run() { env -i PATH=/usr/bin:/bin HOME="$prefix" "$prefix/bin/onemap" "$@"; }

info=$(run info)
plan=$(grep '^plan: ' <<<"$info" | cut -d' ' -f2)
case "$plan" in
  "$prefix"/share/onemap/sample-data/g60.toml) ;;
  *) echo "installed onemap read its plan from $plan, not from $prefix"; exit 1 ;;
esac
code=0
summary=$(run check --lang en 2>/dev/null | grep '^Summary: ') || code=$?
[ "$code" -eq 1 ] || { echo "check exit $code, expected 1 (sites fail)"; exit 1; }
# The same verdicts as the build tree's onemap on the source tree's sample.
expected=$("$build/cli/onemap" check --lang en 2>/dev/null | grep '^Summary: ' || true)
[ -n "$expected" ] && [ "$summary" = "$expected" ] || { echo "got: $summary, built: $expected"; exit 1; }
if grep -a -q "$source_dir/sample-data" "$prefix/bin/onemap"; then
  echo "the installed onemap names the source tree's sample-data"; exit 1
fi
echo "installed onemap ok: $plan"
