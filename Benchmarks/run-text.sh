#!/usr/bin/env bash
# All text-stage benchmarks in one run: TF-IDF vs scikit-learn, segmentation speed vs jieba and
# rjieba, segmentation quality on the PKU 1998-01 gold vs jieba. Peers come from the venv that
# Benchmarks/venv.sh creates (scikit-learn, jieba, rjieba from PyPI).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
echo "== TF-IDF (char 1-2, sublinear tf, min_df=2)"
"$here/tfidf/run.sh" "$@"
echo
echo "== Word segmentation speed (jieba's dictionary)"
"$here/segmentation/speed.sh"
echo
echo "== Word segmentation quality (PKU 1998-01, last 10% of lines)"
"$here/segmentation/eval.sh"
