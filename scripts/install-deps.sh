#!/usr/bin/env bash
# Installs the system libraries Lifestyle links (OpenBLAS, LAPACKE) when they are missing.
# Debian/Ubuntu; runs apt-get as root or through sudo. Safe to run repeatedly.
set -euo pipefail
need=()
for pkg in libopenblas-dev liblapacke-dev pkg-config; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! command -v swift >/dev/null; then
    echo "error: swift is not on PATH (Swift 6 toolchain needed: https://www.swift.org/install/)" >&2
    exit 1
fi
