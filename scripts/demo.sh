#!/usr/bin/env bash
# The main job on the shipped demo corpus: installs what is missing, builds, runs `lifestyle demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product lifestyle >&2
exec .build/release/lifestyle demo "$@"
