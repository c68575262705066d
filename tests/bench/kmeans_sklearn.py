"""The peer side of `cargo bench --bench segments`: scikit-learn KMeans on the same matrix.

Usage: kmeans_sklearn.py FILE ROWS COLS K RUNS
FILE holds ROWS x COLS little-endian float64 values, row-major. Fits
KMeans(n_clusters=K, n_init=1, algorithm="lloyd") with seeds 0..RUNS-1 and prints one JSON line:
per-seed times, inertias and iteration counts. Loading the file is not timed.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info

path, rows, cols, k, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
x = np.fromfile(path, dtype="<f8").reshape(rows, cols)
fits = []
for seed in range(runs):
    t = time.perf_counter()
    m = KMeans(n_clusters=k, n_init=1, algorithm="lloyd", random_state=seed).fit(x)
    fits.append({"seconds": time.perf_counter() - t, "inertia": float(m.inertia_), "n_iter": int(m.n_iter_)})
threads = max((p.get("num_threads", 1) for p in threadpool_info()), default=1)
print(json.dumps({"fits": fits, "sklearn": sklearn.__version__, "threads": threads}))
