"""Reference values for LifestyleClusteringTests, computed with scikit-learn.

Run from this directory:  /tmp/peers/bin/python make_reference.py
(any Python with numpy, scipy, scikit-learn; versions are recorded in the output).
Writes lloyd_dense.json, lloyd_sparse.json (KMeans(init=centroids, n_init=1, algorithm='lloyd')
from given initial centroids, float32) and svd_small.json (singular values from LAPACK's full SVD).
"""
import json
import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.cluster import KMeans

versions = {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__}


def lloyd(X, init, name, dense):
    km = KMeans(n_clusters=init.shape[0], init=init, n_init=1, algorithm="lloyd", max_iter=300, tol=1e-4)
    km.fit(X)
    out = {
        "versions": versions,
        "command": "KMeans(n_clusters=%d, init=centroids, n_init=1, algorithm='lloyd', max_iter=300, tol=1e-4).fit(X)" % init.shape[0],
        "rows": X.shape[0], "columns": X.shape[1], "k": init.shape[0],
        "init": init.astype(np.float32).ravel().tolist(),
        "labels": km.labels_.tolist(),
        "inertia": float(km.inertia_),
        "n_iter": int(km.n_iter_),
        "centers": km.cluster_centers_.astype(np.float32).ravel().tolist(),
    }
    if dense:
        out["values"] = X.ravel().tolist()
    else:
        out["indptr"] = X.indptr.tolist()
        out["indices"] = X.indices.tolist()
        out["values"] = X.data.tolist()
    with open(name, "w") as f:
        json.dump(out, f)
    print(name, "inertia", km.inertia_, "n_iter", km.n_iter_, "sizes", np.bincount(km.labels_).tolist())


rng = np.random.RandomState(7)
# Dense: 4 overlapping Gaussian blobs in 5-D, 120 rows; start from rows 0, 1, 2, 3 (a poor start, so several rounds run).
means = rng.normal(0, 3, size=(4, 5))
Xd = np.vstack([rng.normal(m, 1.5, size=(30, 5)) for m in means]).astype(np.float32)
Xd = Xd[rng.permutation(len(Xd))]
lloyd(Xd, Xd[[0, 1, 2, 3]].copy(), "lloyd_dense.json", dense=True)

# Sparse: 150 × 40 non-negative CSR, 15% dense, k = 5, start from rows 0, 10, 20, 30, 40.
Xs = sp.random(150, 40, density=0.15, format="csr", random_state=rng, dtype=np.float32)
Xs.data = (Xs.data * 3).astype(np.float32)
Xs.sort_indices()
lloyd(Xs, Xs[[0, 10, 20, 30, 40]].toarray(), "lloyd_sparse.json", dense=False)

# SVD: a 60 × 30 sparse matrix (20% dense) with a decaying spectrum; full SVD by LAPACK gesdd.
A = sp.random(60, 30, density=0.2, format="csr", random_state=rng, dtype=np.float32)
A.data = (A.data * np.linspace(3, 0.1, A.nnz)).astype(np.float32)
A.sort_indices()
s = scipy.linalg.svd(A.toarray().astype(np.float64), compute_uv=False, lapack_driver="gesdd")
with open("svd_small.json", "w") as f:
    json.dump({"versions": versions, "command": "scipy.linalg.svd(A.toarray() as float64, lapack_driver='gesdd')",
               "rows": 60, "columns": 30, "indptr": A.indptr.tolist(), "indices": A.indices.tolist(),
               "values": A.data.tolist(), "singular_values": s.tolist()}, f)
print("svd_small.json top singular values", s[:5])
