#!/usr/bin/env bash
# Installs everything leakgate's build, tests and benchmarks need, from Debian 12 packages.
# Idempotent: packages already present are not fetched again. Run as root (or with sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libgit2-dev libre2-dev libfmt-dev libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
  catch2
)
# Tools for the tests and benchmarks: the pre-commit framework, git-filter-repo, hyperfine,
# clang with its sanitizer and fuzzer runtimes, strace (a test watches for child processes).
if [[ "${1:-}" != "--build-only" ]]; then
  packages+=(pre-commit git-filter-repo hyperfine clang libclang-rt-14-dev time python3 strace)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install/deps.sh: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
