#!/usr/bin/env bash
# Creates (once) the Python venv the benchmarks run their peers from, with pinned peers from PyPI.
# Usage: source Benchmarks/venv.sh   → sets $PEER_PY to the venv's python.
set -euo pipefail
_bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
_venv="${LIFESTYLE_VENV:-$_bench_dir/.venv}"
if [ ! -x "$_venv/bin/python" ] || ! "$_venv/bin/python" -c "import sklearn, jieba, rjieba, numpy, scipy" 2>/dev/null; then
    echo "benchmarks: creating peer venv at $_venv (scikit-learn, jieba, rjieba)" >&2
    python3 -m venv "$_venv"
    "$_venv/bin/pip" install -q --upgrade pip >&2
    "$_venv/bin/pip" install -q "scikit-learn>=1.5" "jieba==0.42.1" "rjieba" numpy scipy >&2
fi
export PEER_PY="$_venv/bin/python"
# OpenMP peers spin-wait on a busy core; passive waiting is their fair setting here.
export OMP_WAIT_POLICY=PASSIVE
