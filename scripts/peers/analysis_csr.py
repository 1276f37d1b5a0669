"""analysis_csr — reads the CSR graph file heapscan-bench writes for the analysis peers.

Layout (little-endian): 8 bytes magic b"HSCSR1\\0\\0", then int64 n, int64 m, int64 r, then
uint32 indptr[n + 1], uint32 indices[m], uint32 roots[r] (the objects held from outside).
"""
import numpy as np

MAGIC = b"HSCSR1\0\0"


def read_csr(path):
    with open(path, "rb") as f:
        magic = f.read(8)
        if magic != MAGIC:
            raise SystemExit(f"{path}: not a heapscan CSR file (magic {magic!r})")
        n, m, r = (int(x) for x in np.fromfile(f, dtype="<i8", count=3))
        indptr = np.fromfile(f, dtype="<u4", count=n + 1)
        indices = np.fromfile(f, dtype="<u4", count=m)
        roots = np.fromfile(f, dtype="<u4", count=r)
    if len(indptr) != n + 1 or len(indices) != m or len(roots) != r:
        raise SystemExit(f"{path}: truncated (expected n={n} m={m} r={r})")
    return n, indptr, indices, roots


def canonical_components(labels):
    """Each object's component named by its smallest member index, so two labelings compare equal."""
    labels = np.asarray(labels, dtype=np.int64)
    n = len(labels)
    smallest = np.full(labels.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(n, dtype=np.int64))
    return smallest[labels]
