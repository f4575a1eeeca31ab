#!/usr/bin/env python3
"""scikit-learn baseline scoring pipeline, for throughput: vectorise + cosine to centroids.

    python peer_score.py --data DIR --pool pool.jsonl --out scores.csv [--limit N]

Fit (not timed as throughput): char (1,2) TF-IDF (sublinear tf, min_df=2) on every dev user's
posts joined, k-means (k=3, n_init=10, seed 0) on the known buyers. Then stream the pool (JSON
Lines grouped by user) in chunks of 10,000 users: transform, cosine to the centroids, write
user_id,score,cluster (score = max cosine). Prints users/s of the streaming part as JSON.
"""
import argparse
import csv
import json
import os
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer


def users_of(path, limit=None):
    current, texts, n = None, [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if o["user_id"] != current:
                if current is not None:
                    yield current, texts
                    n += 1
                    if limit and n >= limit:
                        return
                current, texts = o["user_id"], []
            texts.append(o["text"])
    if current is not None:
        yield current, texts


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--data", default=os.path.join(here, "../../../shared/data/shop10-dev"))
    ap.add_argument("--pool", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int)
    a = ap.parse_args()
    t0 = time.perf_counter()
    docs = {}
    for u, texts in users_of(os.path.join(a.data, "posts.jsonl")):
        docs[u] = "\n".join(texts)
    ids = list(docs)
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2, dtype=np.float32)
    X = vec.fit_transform([docs[u] for u in ids])
    with open(os.path.join(a.data, "accounts.csv"), encoding="utf-8") as f:
        known = {r["user_id"] for r in csv.DictReader(f)}
    rows = [i for i, u in enumerate(ids) if u in known]
    c = KMeans(n_clusters=3, n_init=10, random_state=0).fit(X[rows]).cluster_centers_
    c = (c / np.linalg.norm(c, axis=1, keepdims=True)).astype(np.float32)
    fit_seconds = time.perf_counter() - t0

    t1 = time.perf_counter()
    n = 0
    with open(a.out + ".tmp", "w", encoding="utf-8") as out:
        out.write("user_id,score,cluster\n")
        batch_ids, batch_docs = [], []

        def flush():
            if not batch_ids:
                return
            s = np.asarray(vec.transform(batch_docs) @ c.T)
            best = s.argmax(1)
            for u, row, b in zip(batch_ids, s, best):
                out.write(f"{u},{row[b]:.6f},{b}\n")
            batch_ids.clear()
            batch_docs.clear()

        for u, texts in users_of(a.pool, a.limit):
            batch_ids.append(u)
            batch_docs.append("\n".join(texts))
            n += 1
            if len(batch_ids) == 10000:
                flush()
        flush()
    os.replace(a.out + ".tmp", a.out)
    seconds = time.perf_counter() - t1
    print(json.dumps({"users": n, "seconds": seconds, "users_per_second": n / seconds, "fit_seconds": fit_seconds}))


if __name__ == "__main__":
    main()
