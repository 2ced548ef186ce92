#!/usr/bin/env bash
# Installs the dependencies, builds leakgate, and sweeps a repository's whole history
# (default: this clone). Extra arguments go to `leakgate history`.
# Usage: install/sweep.sh [REPO] [leakgate history flags...]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="${1:-$here}"
shift || true

"$here/install/deps.sh" --build-only
cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$here/build" -j"$(nproc 2>/dev/null || echo 2)" --target leakgate >/dev/null
exec "$here/build/hook/leakgate" history --repo "$repo" "$@"
