"""Peers for the k-means benchmark, on the matrices KMeansBench wrote (same data, same run).

Usage: python peer.py DIR [--ks 10,100] [--lsa 128,256] [--iterations 20] [--threads 1,2] [--svd 256]
Prints JSON lines like KMeansBench: scikit-learn sparse KMeans (lloyd, float32 CSR), faiss.Kmeans on
the LSA vectors, scikit-learn TruncatedSVD(algorithm='randomized'), each at every thread setting.
Per-iteration time = fit time / (n_iter_ + 1): scikit-learn's fit ends with one more assignment pass.
"""
import argparse
import json
import time

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

p = argparse.ArgumentParser()
p.add_argument("dir")
p.add_argument("--ks", default="10,100")
p.add_argument("--sparse-ks", default=None, help="k values for scikit-learn sparse KMeans (default: --ks; \"\" skips)")
p.add_argument("--lsa", default="128,256")
p.add_argument("--iterations", type=int, default=20)
p.add_argument("--sklearn-iterations", type=int, default=10)
p.add_argument("--threads", default="1,2")
p.add_argument("--svd", default="256")
p.add_argument("--power-iterations", type=int, default=5)
p.add_argument("--repeat", type=int, default=3, help="faiss fits per setting (best kept)")
p.add_argument("--sklearn-repeat", type=int, default=3, help="scikit-learn KMeans fits per setting (best kept, as ours); TruncatedSVD runs once")
a = p.parse_args()
ints = lambda s: [int(v) for v in s.split(",") if v]

shape = json.load(open(f"{a.dir}/shape.json"))
n, d = shape["rows"], shape["columns"]
X = sp.csr_matrix((np.fromfile(f"{a.dir}/data.f32", dtype=np.float32),
                   np.fromfile(f"{a.dir}/indices.i32", dtype=np.int32),
                   np.fromfile(f"{a.dir}/indptr.i64", dtype=np.int64)), shape=(n, d))


def emit(**kw):
    print(json.dumps(kw, sort_keys=True), flush=True)


from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD

for k in ints(a.ks if a.sparse_ks is None else a.sparse_ks):
    for t in ints(a.threads):
        s = float("inf")
        with threadpool_limits(t):
            for _ in range(a.sklearn_repeat):
                km = KMeans(n_clusters=k, init="random", n_init=1, max_iter=a.sklearn_iterations, tol=0,
                            algorithm="lloyd", random_state=0)
                t0 = time.perf_counter()
                km.fit(X)
                s = min(s, time.perf_counter() - t0)
        emit(kind="sparse", peer="sklearn", k=k, threads=t, iterations=int(km.n_iter_),
             iteration_s=s / (km.n_iter_ + 1), inertia=float(km.inertia_))

try:
    import faiss
except ImportError:
    faiss = None
for dim in ints(a.lsa):
    if faiss is None:
        break
    E = np.fromfile(f"{a.dir}/lsa{dim}.f32", dtype=np.float32).reshape(n, dim)
    for k in ints(a.ks):
        for t in ints(a.threads):
            faiss.omp_set_num_threads(t)
            s = float("inf")
            for _ in range(a.repeat):
                km = faiss.Kmeans(dim, k, niter=a.iterations, seed=1, verbose=False,
                                  max_points_per_centroid=n, min_points_per_centroid=1)
                t0 = time.perf_counter()
                km.train(E)
                s = min(s, time.perf_counter() - t0)
            emit(kind="dense", peer="faiss", d=dim, k=k, threads=t, iterations=a.iterations,
                 iteration_s=s / a.iterations, objective=float(km.obj[-1]))

for dim in ints(a.svd):
    for t in ints(a.threads)[-1:]:
        with threadpool_limits(t):
            svd = TruncatedSVD(n_components=dim, algorithm="randomized", n_iter=a.power_iterations, random_state=0)
            t0 = time.perf_counter()
            svd.fit(X)
            s = time.perf_counter() - t0
        emit(kind="svd", peer="sklearn", components=dim, threads=t, power_iterations=a.power_iterations, seconds=s,
             sigma1=float(svd.singular_values_[0]))
