#!/usr/bin/env bash
# Segmentation quality on the PKU 1998-01 gold (test set = last 10% of the non-empty lines):
# ours (a) dictionary-free discovery, ours (b) jieba's dict.txt, jieba HMM on/off — same run,
# same scorer (span-based word P/R/F1, every token of the line counts, punctuation included).
# Usage: Benchmarks/segmentation/eval.sh [extra SegmentationBench eval options, e.g. --split dev]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
gold="$("$root/corpora/fetch-pku.sh")"
source "$root/Benchmarks/venv.sh"
dict="$("$PEER_PY" -c 'import jieba, os; print(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))')"
(cd "$root/Benchmarks" && swift build -c release --scratch-path .build-seg --product SegmentationBench >&2)
bin="$root/Benchmarks/.build-seg/release/SegmentationBench"
out="$root/Benchmarks/results/tmp/segmentation-eval"
mkdir -p "$out"
"$bin" eval --gold "$gold" --jieba-dict "$dict" --out "$out" "$@"
"$PEER_PY" "$here/peers_eval.py" "$out"
echo
echo "PKU 1998-01, test = last 10% of non-empty lines ($(wc -l < "$out/gold.txt") lines)"
"$PEER_PY" "$here/score.py" "$out/gold.txt" "$out"/ours-a.txt "$out"/ours-b*.txt \
    "$out"/jieba-hmm-raw.txt "$out"/jieba-hmm-folded.txt "$out"/jieba-nohmm-raw.txt "$out"/jieba-nohmm-folded.txt
