#!/usr/bin/env bash
# `lifestyle score` throughput and memory, end to end from JSON Lines to CSV, against the
# scikit-learn baseline pipeline (vectorise + cosine to centroids, peer_score.py) in the same run.
# Pools: the shop10-dev users replicated to 100 k and 1 M prospects (replicate.py, grouped by
# user). Ours scores both pools on 2 threads (peak RSS of each: flat memory means the 1 M run
# stays within 20 % of the 100 k run); the peer (single-threaded, its best setting) streams the
# first --peer-users users of the same pool (at ~2,000 users/s a full million would take 8 min).
# Usage: Benchmarks/lookalike/score-speed.sh [--data DIR] [--peer-users N] [--sizes "100000 1000000"]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
data="$root/../shared/data/shop10-dev"
peer_users=50000
sizes="100000 1000000"
while [ $# -gt 0 ]; do
    case "$1" in
        --data) data="$2"; shift 2 ;;
        --peer-users) peer_users="$2"; shift 2 ;;
        --sizes) sizes="$2"; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -f "$data/posts.jsonl" ] || { echo "error: $data/posts.jsonl not found" >&2; exit 2; }
scripts/install-deps.sh
source Benchmarks/venv.sh
swift build -c release --product lifestyle >&2
bin=.build/release/lifestyle
work="$root/Benchmarks/results/tmp/score-speed"
mkdir -p "$work"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" train --posts "$data/posts.jsonl" --purchases "$data/purchases.csv" --accounts "$data/accounts.csv" \
    --out "$work/model" --seed 1 --quiet > /dev/null
for n in $sizes; do
    [ -s "$work/pool-$n.jsonl" ] || python3 "$here/replicate.py" --data "$data" --users "$n" --out "$work/pool-$n.jsonl"
done
largest="${sizes##* }"

measure() {  # label, command… → "label seconds peakKB"; the command's stdout goes to $work/stdout.txt
    local label="$1"; shift
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/stdout.txt" 2> "$work/stderr.txt" || { cat "$work/stderr.txt" >&2; exit 1; }
    echo "$label $(cat "$work/time.txt")"
}

echo
echo "| run | users | seconds | users/s | peak RSS |"
echo "|---|---|---|---|---|"
declare -A rate rss
for n in $sizes; do
    read -r _ s kb < <(measure "ours-$n" "$bin" score --model "$work/model" --posts "$work/pool-$n.jsonl" --out "$work/scores-$n.csv" --threads 2 --quiet)
    rate[$n]=$(python3 -c "print(round($n / $s))")
    rss[$n]=$kb
    echo "| lifestyle score, 2 threads, end to end | $n | $s | ${rate[$n]} | $((kb / 1024)) MiB |"
done
read -r _ ps pkb < <(measure peer env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PEER_PY" "$here/peer_score.py" --data "$data" \
    --pool "$work/pool-$largest.jsonl" --out "$work/peer.csv" --limit "$peer_users")
peer_rate=$(python3 -c "import json; print(round(json.load(open('$work/stdout.txt'))['users_per_second']))")
echo "| scikit-learn pipeline, 1 thread (streaming part; its fit excluded) | $peer_users | $ps (incl. fit) | $peer_rate | $((pkb / 1024)) MiB |"
first="${sizes%% *}"
echo
python3 - "$peer_rate" "${rate[$largest]}" "${rss[$first]}" "${rss[$largest]}" "$first" "$largest" <<'PY'
import sys
peer, ours, rss_small, rss_large, small, large = map(float, sys.argv[1:])
print(f"throughput: lifestyle {ours:,.0f} users/s vs scikit-learn {peer:,.0f} users/s = {ours / peer:.1f}× (target ≥ 10×)")
print(f"memory: peak RSS {rss_large / 1024:.0f} MiB at {large:,.0f} users vs {rss_small / 1024:.0f} MiB at {small:,.0f} = "
      f"{(rss_large / rss_small - 1) * 100:+.0f}% (target: within ±20%)")
PY
