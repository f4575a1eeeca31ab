"""scikit-learn peer for the TF-IDF benchmark: same corpus, same settings as TextBench.

Usage: python peer_sklearn.py <corpus> [--repeat R]
Prints one JSON object like TextBench's.
"""
import json, resource, sys, time
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

path = sys.argv[1]
repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
docs = []
with open(path, encoding="utf-8", errors="replace") as f:
    for line in f:
        line = line.rstrip("\n").rstrip("\r")
        docs.append(line.rsplit("\t", 1)[-1])
chars = sum(len(d) for d in docs)
best = float("inf")
for _ in range(repeat):
    v = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2, dtype=np.float32)
    t0 = time.perf_counter()
    X = v.fit_transform(docs)
    best = min(best, time.perf_counter() - t0)
print(json.dumps({
    "system": "scikit-learn", "threads": 1, "documents": len(docs), "characters": chars,
    "seconds": best, "chars_per_second": chars / best, "rows": X.shape[0], "features": X.shape[1],
    "nnz": int(X.nnz), "value_sum": float(X.sum(dtype="float64")),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}, sort_keys=True))
