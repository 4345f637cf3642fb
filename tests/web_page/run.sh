#!/usr/bin/env bash
# The page tests by hand: tests/web_page/run.sh [BUILD_DIR] (default: build). Installs the
# front-end packages if missing (scripts/web-deps.sh), then runs page_test.mjs and
# bureau_test.mjs and admin_test.mjs (a server with accounts) against BUILD_DIR/cli/onemap; screenshots go to
# BUILD_DIR/tests/artifacts/web-*.png.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
bash "$repo/scripts/web-deps.sh" >/dev/null
for t in page_test bureau_test admin_test publicity_test; do
  node "$repo/tests/web_page/$t.mjs" --onemap "${ONEMAP_BINARY:-$build/cli/onemap}" \
    --plan "$repo/sample-data/g60.toml" --artifacts "$build/tests/artifacts"
done
