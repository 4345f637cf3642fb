#!/usr/bin/env bash
# Installs what is missing, configures and builds onemap into ./build (Release with debug info).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset default "$@" >/dev/null
cmake --build build -j"$(nproc)"
