"""How many rows triangle-inequality bounds would let spherical k-means skip, on the CSR KMeansBench wrote.

Usage: python bounds.py DIR [--k 10] [--seeds 1,2,3,4] [--iterations 20] [--groups 8]

Runs spherical k-means (random rows as starting centres, Double arithmetic) and, per round, counts the
rows each bound scheme proves keep their cluster, so their dot products need not be gathered:
  hamerly       one lower bound (own centre) and one upper bound (every other centre) per row,
                loosened by the centres' moves δ_c = ‖ĉ′ − ĉ‖ (|x·ĉ′ − x·ĉ| ≤ δ_c for a unit row x)
  elkan         one upper bound per centre per row
  group-elkan   elkan with the move split over G feature groups of equal non-zero mass (most frequent
                features first): |x·Δĉ| ≤ Σ_g ‖x_g‖·‖Δĉ_g‖
A row skipped in a round keeps its loosened bounds; a computed row gets exact ones. Prints one JSON
line per round and a summary: the share of row visits of rounds 1… each scheme saves (round 0 computes
every row in all of them). Used to decide against bounds for the k = 10 benchmark (README).
"""
import argparse
import json

import numpy as np
import scipy.sparse as sp

p = argparse.ArgumentParser()
p.add_argument("dir")
p.add_argument("--k", type=int, default=10)
p.add_argument("--seeds", default="1,2,3,4")
p.add_argument("--iterations", type=int, default=20)
p.add_argument("--groups", type=int, default=8)
a = p.parse_args()

shape = json.load(open(f"{a.dir}/shape.json"))
n, d = shape["rows"], shape["columns"]
idx = np.fromfile(f"{a.dir}/indices.i32", dtype=np.int32)
X = sp.csr_matrix((np.fromfile(f"{a.dir}/data.f32", dtype=np.float32).astype(np.float64), idx,
                   np.fromfile(f"{a.dir}/indptr.i64", dtype=np.int64)), shape=(n, d))
norms = np.sqrt(np.asarray(X.multiply(X).sum(1)).ravel())
X = sp.diags(1 / np.where(norms > 0, norms, 1)) @ X          # unit rows, as the fit uses them
k, G, rows = a.k, a.groups, np.arange(n)

df = np.bincount(idx, minlength=d)
order = np.argsort(-df, kind="stable")
group = np.empty(d, dtype=np.int64)
group[order] = np.minimum((np.cumsum(df[order]) / df.sum() * G).astype(np.int64), G - 1)
to_groups = sp.csr_matrix((np.ones(d), (np.arange(d), group)), shape=(d, G))
row_group_norms = np.sqrt((X.multiply(X) @ to_groups).toarray())          # n × G


def others_max(upper, labels):
    masked = upper.copy()
    masked[rows, labels] = -np.inf
    return masked.max(1)


for seed in [int(s) for s in a.seeds.split(",") if s]:
    rng = np.random.default_rng(seed)
    C = X[rng.choice(n, k, replace=False)].toarray()
    C /= np.linalg.norm(C, axis=1, keepdims=True)
    labels = None
    saved = {"hamerly": 0, "elkan": 0, "group_elkan": 0}
    visits = 0
    for it in range(a.iterations):
        S = np.asarray(X @ C.T)
        new = S.argmax(1)
        top = S[rows, new]
        masked = S.copy()
        masked[rows, new] = -np.inf
        second = masked.max(1)
        if labels is None:
            keep = {s: np.zeros(n, dtype=bool) for s in saved}
            lh, uh = top.copy(), second.copy()
            le, ue = top.copy(), S.copy()
            lg, ug = top.copy(), S.copy()
        else:
            keep = {"hamerly": lh > uh, "elkan": le > others_max(ue, labels), "group_elkan": lg > others_max(ug, labels)}
            for s, kept in keep.items():
                assert not (kept & (new != labels)).any(), f"{s} skipped a row that moves"
                saved[s] += int(kept.sum())
            visits += n
            print(json.dumps({"seed": seed, "round": it, "moved": int((new != labels).sum()),
                              **{s: round(float(v.mean()), 4) for s, v in keep.items()}}), flush=True)
            lh = np.where(keep["hamerly"], lh, top); uh = np.where(keep["hamerly"], uh, second)
            le = np.where(keep["elkan"], le, top); ue = np.where(keep["elkan"][:, None], ue, S)
            lg = np.where(keep["group_elkan"], lg, top); ug = np.where(keep["group_elkan"][:, None], ug, S)
        labels = new
        T = np.zeros((k, d))
        for c in range(k):
            member = labels == c
            if member.any():
                T[c] = np.asarray(X[member].sum(0)).ravel()
        lengths = np.linalg.norm(T, axis=1, keepdims=True)
        Cn = np.where(lengths > 0, T / np.where(lengths > 0, lengths, 1), C)
        D = Cn - C
        C = Cn
        delta = np.linalg.norm(D, axis=1)
        fastest = np.argsort(delta)[::-1]
        lh = lh - delta[labels]
        uh = uh + np.where(labels == fastest[0], delta[fastest[1]] if k > 1 else 0, delta[fastest[0]])
        le = le - delta[labels]
        ue = ue + delta[None, :]
        B = row_group_norms @ np.sqrt((sp.csr_matrix(D * D) @ to_groups).toarray()).T    # n × k
        lg = lg - B[rows, labels]
        ug = ug + B
    print(json.dumps({"seed": seed, "k": k, "groups": G, "summary": "share of row visits in rounds 1.. skipped",
                      **{s: round(v / max(1, visits), 4) for s, v in saved.items()}}), flush=True)
