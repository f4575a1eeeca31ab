"""Shared helpers for the look-alike peer baselines and prototypes (Python only).

Loading of the shop10-dev files, the default quality-customer seeds, TF-IDF as the project
builds it, spherical k-means (cosine) as the project's Swift engine does it, and metrics.
Nothing here reads truth.csv except `load_truth`, which only evaluation code calls.
"""
import csv
import json
import os
from collections import defaultdict
from datetime import datetime, timedelta

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data", "shop10-dev"))


def resolve_data(path):
    if path is None:
        return DEFAULT_DATA
    return path if os.path.isabs(path) else os.path.abspath(path)


class Data:
    """users (sorted ids), per-user post lists, linked buyers, default seeds, prospects."""

    def __init__(self, d):
        self.dir = d
        self.posts = defaultdict(list)  # user -> [text] in file order
        with open(os.path.join(d, "posts.jsonl"), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    o = json.loads(line)
                    self.posts[o["user_id"]].append(o["text"])
        self.users = sorted(self.posts)
        self.index = {u: i for i, u in enumerate(self.users)}
        acc = defaultdict(list)
        with open(os.path.join(d, "accounts.csv"), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                acc[r["customer_id"]].append(r["user_id"])
        orders = defaultdict(list)
        with open(os.path.join(d, "purchases.csv"), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                orders[r["customer_id"]].append((datetime.fromisoformat(r["purchased_at"]), float(r["amount"])))
        # all linked buyers: customers with >= 1 order whose account has posts
        self.linked_buyers = sorted({u for c in orders for u in acc.get(c, []) if u in self.index})
        # default quality customers: top 50% by monetary among customers with an order in the
        # last 365 days before the newest purchase, then linked to accounts with posts
        newest = max(t for v in orders.values() for t, _ in v)
        recent = [c for c, v in orders.items() if any(t > newest - timedelta(days=365) for t, _ in v)]
        monetary = {c: sum(a for _, a in orders[c]) for c in recent}
        ranked = sorted(recent, key=lambda c: (-monetary[c], c))
        top = ranked[: (len(ranked) + 1) // 2]
        self.seeds = sorted({u for c in top for u in acc.get(c, []) if u in self.index})
        p = os.path.join(d, "prospects.txt")
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                self.prospects = [l.strip() for l in f if l.strip()]
        else:
            s = set(self.linked_buyers)
            self.prospects = [u for u in self.users if u not in s]

    def user_docs(self):
        return ["\n".join(self.posts[u]) for u in self.users]

    def post_rows(self):
        """(texts, owner index) with one row per post."""
        texts, owner = [], []
        for i, u in enumerate(self.users):
            for t in self.posts[u]:
                texts.append(t)
                owner.append(i)
        return texts, np.asarray(owner)

    def idx(self, ids):
        return np.array([self.index[u] for u in ids], dtype=np.int64)


def load_truth(d, ids):
    with open(os.path.join(d, "truth.csv"), encoding="utf-8") as f:
        t = {r["user_id"]: int(r["purchaser"]) for r in csv.DictReader(f)}
    return np.array([t[u] for u in ids])


def tfidf(docs, ngram=(1, 2), min_df=2, max_df=1.0):
    from sklearn.feature_extraction.text import TfidfVectorizer
    v = TfidfVectorizer(analyzer="char", ngram_range=ngram, sublinear_tf=True, min_df=min_df, max_df=max_df,
                        smooth_idf=True, norm="l2", lowercase=True, dtype=np.float64)
    return v.fit_transform(docs).tocsr()


def l2rows(A):
    if sp.issparse(A):
        n = np.sqrt(np.asarray(A.multiply(A).sum(1)).ravel())
        n[n == 0] = 1
        return sp.diags(1 / n) @ A
    n = np.linalg.norm(A, axis=1, keepdims=True)
    n[n == 0] = 1
    return A / n


def spherical_kmeans(X, k, seed=0, n_init=3, max_iter=100, tol=1e-6):
    """Spherical k-means on L2-normalised rows (sparse or dense): assign to the max-cosine
    centroid, centroid = normalised sum of its rows. k-means++ seeding: sample proportional to 1 - cos
    to the nearest chosen centre (= ||x - c||^2 / 2 for unit vectors, i.e. the usual D^2 rule). Best of n_init
    by total cosine. Empty clusters are re-seeded with the row farthest from its centroid.
    Returns (centroids k x d dense unit rows, labels, objective)."""
    rng = np.random.RandomState(seed)
    n = X.shape[0]
    best = None
    for _ in range(n_init):
        first = rng.randint(n)
        C = [np.asarray(X[first].todense()).ravel() if sp.issparse(X) else X[first].copy()]
        closest = 1 - np.asarray(X @ C[0]).ravel()
        for _j in range(1, k):
            p = np.maximum(closest, 0)
            p = p / p.sum()
            j = rng.choice(n, p=p)
            c = np.asarray(X[j].todense()).ravel() if sp.issparse(X) else X[j].copy()
            C.append(c)
            closest = np.minimum(closest, 1 - np.asarray(X @ c).ravel())
        C = np.vstack(C)
        prev = -np.inf
        for _it in range(max_iter):
            S = np.asarray(X @ C.T)
            lab = S.argmax(1)
            obj = S[np.arange(n), lab].sum()
            M = sp.csr_matrix((np.ones(n), (lab, np.arange(n))), shape=(k, n))
            C = np.asarray((M @ X).todense()) if sp.issparse(X) else M @ X
            empty = np.where(np.asarray(M.sum(1)).ravel() == 0)[0]
            if len(empty):
                far = np.argsort(S[np.arange(n), lab])[: len(empty)]
                for e, j in zip(empty, far):
                    C[e] = np.asarray(X[j].todense()).ravel() if sp.issparse(X) else X[j]
            C = l2rows(C)
            if obj - prev <= tol * abs(obj):
                break
            prev = obj
        S = np.asarray(X @ C.T)
        lab = S.argmax(1)
        obj = S[np.arange(n), lab].sum()
        if best is None or obj > best[2]:
            best = (C, lab, obj)
    return best


def auc_ap(y, s):
    from sklearn.metrics import average_precision_score, roc_auc_score
    return float(roc_auc_score(y, s)), float(average_precision_score(y, s))
