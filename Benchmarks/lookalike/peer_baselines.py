"""scikit-learn peer baselines for prospect ranking (look-alike), evaluated on shop10-dev.

Usage:
  python peer_baselines.py [--data DIR] [--ours scores.csv] [--json out.json] [--positives all|seeds]

Baselines (one document per user = all posts joined with "\\n"; char (1,2) TF-IDF, sublinear tf,
min_df=2, smooth idf, L2 norm, fitted on every user):
  pu-lr       PU logistic regression: positives = known linked buyers, negatives = prospects,
              C=1 (lbfgs), 5-fold cross-fitted over the prospects (KFold, shuffle, seed 0): each
              prospect is scored by the model that did not see it. Positives are in every fold.
  kmeans3     k-means (k=3, scikit-learn KMeans, n_init=10, seed 0) on the known buyers' vectors;
              score = max cosine to the (re-normalised) centroids.
Metrics on the prospects against truth.csv (purchaser): ROC AUC and average precision.
--ours: a CSV with a header holding user_id and score (other columns ignored); prospects missing
from it get the lowest score and are counted.
"""
import argparse
import csv
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Data, auc_ap, load_truth, resolve_data, tfidf  # noqa: E402  (sets thread env first)

import numpy as np  # noqa: E402


def pu_lr(X, P, Q, folds=5, seed=0, C=1.0):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold
    s = np.zeros(len(Q))
    for tr, te in KFold(folds, shuffle=True, random_state=seed).split(Q):
        rows = np.concatenate([P, Q[tr]])
        y = np.r_[np.ones(len(P)), np.zeros(len(tr))]
        m = LogisticRegression(C=C, max_iter=2000).fit(X[rows], y)
        s[te] = m.decision_function(X[Q[te]])
    return s


def kmeans_max_cos(X, P, Q, k=3, seed=0):
    from sklearn.cluster import KMeans
    km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X[P])
    c = km.cluster_centers_
    c = c / np.linalg.norm(c, axis=1, keepdims=True)
    return np.asarray((X[Q] @ c.T)).max(1)


def read_ours(path, prospects):
    with open(path, encoding="utf-8") as f:
        r = csv.DictReader(f)
        if not r.fieldnames or "user_id" not in r.fieldnames or "score" not in r.fieldnames:
            sys.exit(f"{path}: header must hold user_id and score")
        got = {row["user_id"]: float(row["score"]) for row in r}
    missing = [u for u in prospects if u not in got]
    low = min(got.values()) - 1 if got else 0.0
    return np.array([got.get(u, low) for u in prospects]), len(missing)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, help="dataset folder (default ../../../shared/data/shop10-dev)")
    ap.add_argument("--ours", default=None, help="CSV with user_id,score to evaluate alongside")
    ap.add_argument("--json", default=None, help="write the numbers here")
    ap.add_argument("--positives", choices=["all", "seeds"], default="all",
                    help="known buyers used as positives: all linked buyers (default) or the default "
                         "quality-customer seeds (top 50%% monetary, active in 365 days)")
    a = ap.parse_args()
    d = resolve_data(a.data)

    t0 = time.perf_counter()
    data = Data(d)
    docs = data.user_docs()
    X = tfidf(docs)
    t_vec = time.perf_counter() - t0
    pos_ids = data.linked_buyers if a.positives == "all" else data.seeds
    P, Q = data.idx(pos_ids), data.idx(data.prospects)
    y = load_truth(d, data.prospects)
    print(f"data {d}: {len(data.users)} users, {len(pos_ids)} positives ({a.positives}; "
          f"{len(data.linked_buyers)} linked buyers, {len(data.seeds)} default seeds), "
          f"{len(Q)} prospects ({int(y.sum())} hidden buyers)")
    print(f"TF-IDF char (1,2) sublinear min_df=2: {X.shape[1]} features, {X.nnz} nnz, {t_vec:.2f} s")

    rows = []
    for name, fn in [("pu-lr char(1,2) 5-fold cross-fitted", lambda: pu_lr(X, P, Q)),
                     ("kmeans(k=3) known buyers, max cosine", lambda: kmeans_max_cos(X, P, Q))]:
        t = time.perf_counter()
        s = fn()
        el = time.perf_counter() - t
        auc, apv = auc_ap(y, s)
        rows.append({"method": name, "auc": auc, "ap": apv, "seconds": el, "kind": "baseline"})
    if a.ours:
        s, miss = read_ours(a.ours, data.prospects)
        auc, apv = auc_ap(y, s)
        rows.append({"method": f"ours ({os.path.basename(a.ours)})", "auc": auc, "ap": apv, "seconds": None,
                     "kind": "ours", "missing_prospects": miss})
        if miss:
            print(f"warning: {miss} prospects missing from {a.ours} (scored lowest)")
    best = max((r for r in rows if r["kind"] == "baseline"), key=lambda r: r["auc"])
    print(f"\n| method | ROC AUC | AP | AUC − best | AP ÷ best | seconds |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        r["auc_minus_best"] = r["auc"] - best["auc"]
        r["ap_ratio_best"] = r["ap"] / best["ap"]
        sec = f"{r['seconds']:.2f}" if r["seconds"] is not None else "—"
        print(f"| {r['method']} | {r['auc']:.3f} | {r['ap']:.3f} | {r['auc_minus_best']:+.3f} | "
              f"{r['ap_ratio_best']:.2f}× | {sec} |")
    print(f"(best baseline = {best['method']}; base rate {y.mean():.3f}; "
          f"reference: ceiling .807/.269, README PU-LR .754/.243, k-means(3) .671/.173)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"data": d, "positives": a.positives, "n_positives": len(pos_ids), "n_prospects": len(Q),
                       "hidden_buyers": int(y.sum()), "vectorize_seconds": t_vec, "rows": rows}, f, indent=1,
                      ensure_ascii=False)


if __name__ == "__main__":
    main()
