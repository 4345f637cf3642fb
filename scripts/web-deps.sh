#!/usr/bin/env bash
# The page's front-end packages (viewer/web/package.json, pinned by package-lock.json) from the
# npm registry with `npm ci`, then MapLibre's dist files copied into the page folder
# (viewer/web/page/vendor/, not committed) so the server, which serves only its web root, ships
# them: the page loads nothing from the internet at run time.
#
# Never downloads a browser: playwright-core has no install script, and the tests launch
# Debian's /usr/bin/chromium. Idempotent: npm ci runs only when node_modules is missing or
# older than the lock file; the copy only when a file differs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$here/viewer/web"

if ! command -v npm >/dev/null; then  # a bare Debian 12: its own Node.js and npm
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if [ ! -d "$web/node_modules" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "web-deps: npm ci in viewer/web"
  (cd "$web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

vendor="$web/page/vendor"
mkdir -p "$vendor"
for f in maplibre-gl.js maplibre-gl.css LICENSE.txt; do
  src="$web/node_modules/maplibre-gl/dist/$f"
  [ -f "$src" ] || { echo "web-deps: missing $src" >&2; exit 1; }
  dst="$vendor/$f"
  [ "$f" = LICENSE.txt ] && dst="$vendor/maplibre-gl.LICENSE.txt"
  cmp -s "$src" "$dst" 2>/dev/null || cp "$src" "$dst"
done
echo "web-deps: maplibre-gl $(node -p "require('$web/node_modules/maplibre-gl/package.json').version") in viewer/web/page/vendor"
