#!/usr/bin/env python3
"""analysis_scipy_scc — the peer of `BENCH scc-1m`: scipy's connected_components(connection='strong')
on the CSR graph heapscan-bench wrote.

Usage: analysis_scipy_scc.py GRAPH OUT_PREFIX
Writes OUT_PREFIX.components (int32 per object, smallest member index) and prints
`seconds=<best of 3> components=<k>`.
"""
import sys
import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from analysis_csr import canonical_components, read_csr  # noqa: E402


def main():
    path, out = sys.argv[1], sys.argv[2]
    n, indptr, indices, _ = read_csr(path)
    matrix = csr_matrix((np.ones(len(indices), dtype=np.int8), indices.astype(np.int32), indptr.astype(np.int64)),
                        shape=(n, n))
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        count, labels = connected_components(matrix, directed=True, connection="strong")
        best = min(best, time.perf_counter() - start)
    canonical_components(labels).astype(np.int32).tofile(out + ".components")
    print(f"seconds={best:.6f} components={count}")


if __name__ == "__main__":
    main()
