"""Joins KMeansBench's and the peers' JSON lines into ours/peer ratios (best thread setting each)."""
import json
import sys

ours, peers = [], []
for path, into in ((sys.argv[1], ours), (sys.argv[2], peers)):
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            into.append(json.loads(line))


def best(rows, kind, key, **match):
    rows = [r for r in rows if r["kind"] == kind and all(r.get(k) == v for k, v in match.items())]
    return min(rows, key=lambda r: r[key]) if rows else None


m = next(r for r in ours if r["kind"] == "matrix")
print(f"matrix: {m['rows']} × {m['columns']}, {m['nnz']} non-zeros ({m['csr_bytes'] / 2**20:.1f} MiB CSR); "
      f"sparse gather kernel: {m.get('gather_kernel', 'portable')}")
print("\nsparse k-means, seconds per iteration (best thread setting; ours spherical, scikit-learn lloyd on the same CSR float32)")
for k in sorted({r["k"] for r in ours if r["kind"] == "sparse"}):
    o, p = best(ours, "sparse", "iteration_s", k=k), best(peers, "sparse", "iteration_s", k=k)
    if o and p:
        target = 8 if k <= 10 else 20
        print(f"  k={k:<4} ours {o['iteration_s'] * 1e3:8.1f} ms ({o['threads']}t)   scikit-learn {p['iteration_s'] * 1e3:8.1f} ms ({p['threads']}t)"
              f"   speed-up {p['iteration_s'] / o['iteration_s']:6.1f}×  (target ≥ {target}×)")
print("\ndense k-means on LSA vectors, seconds per iteration (best thread setting): plain Lloyd, and with Hamerly bounds (default);"
      "\n  assignment GFLOP/s of plain Lloyd vs cblas_sgemm alone on the whole shape")
for d in sorted({r["d"] for r in ours if r["kind"] == "dense"}):
    for k in sorted({r["k"] for r in ours if r["kind"] == "dense"}):
        p = best(peers, "dense", "iteration_s", d=d, k=k)
        plain = best(ours, "dense", "iteration_s", d=d, k=k, pruning=False)
        pruned = best(ours, "dense", "iteration_s", d=d, k=k, pruning=True)
        if not plain:
            continue
        a = max((r for r in ours if r["kind"] == "dense" and r["d"] == d and r["k"] == k and not r.get("pruning")), key=lambda r: r["assignment_gflops"])
        line = f"  d={d:<4} k={k:<4} plain {plain['iteration_s'] * 1e3:7.2f} ms ({plain['threads']}t)"
        if pruned:
            line += f"  bounds {pruned['iteration_s'] * 1e3:7.2f} ms ({pruned['threads']}t)"
        if p:
            line += f"   faiss {p['iteration_s'] * 1e3:7.2f} ms ({p['threads']}t)   speed-up plain {p['iteration_s'] / plain['iteration_s']:5.2f}×"
            if pruned:
                line += f", bounds {p['iteration_s'] / pruned['iteration_s']:5.2f}× (target ≥ 1.5×)"
        line += f"   assignment {a['assignment_gflops']:5.1f} GFLOP/s = {100 * a['assignment_gflops'] / a['sgemm_gflops']:3.0f}% of sgemm alone {a['sgemm_gflops']:5.1f} (target ≥ 70%)"
        print(line)
print("\nrandomised SVD (LSA), seconds")
for dim in sorted({r["components"] for r in ours if r["kind"] == "svd"}):
    o, p = best(ours, "svd", "seconds", components=dim), best(peers, "svd", "seconds", components=dim)
    line = f"  {dim} components, {o['power_iterations']} power iterations: ours {o['seconds']:6.2f} s ({o['threads']}t), reconstruction error {o['relative_reconstruction_error']:.4f}"
    if p:
        line += f"   scikit-learn TruncatedSVD {p['seconds']:6.2f} s   speed-up {p['seconds'] / o['seconds']:5.1f}× (target ≥ 5×)"
    print(line)
for s in (r for r in ours if r["kind"] == "scale"):
    print(f"\n×{s['scale']} scale: {s['rows']} rows, {s['nnz']} non-zeros; one sparse k={s['k']} iteration {s['iteration_s']:.2f} s "
          f"(assignment {s['assignment_s']:.2f} s); peak RSS {s['peak_rss_bytes'] / 2**20:.0f} MiB = {s['rss_over_csr']:.2f}× the CSR matrix "
          f"({s['csr_bytes'] / 2**20:.0f} MiB; target ≤ 2×)")
