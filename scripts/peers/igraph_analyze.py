#!/usr/bin/env python3
"""igraph_analyze — the peer of `BENCH analyze-1m`: igraph's strongly connected components and its
Lengauer-Tarjan dominator tree (C code under python-igraph) on the graph heapscan-bench wrote.

Usage: igraph_analyze.py GRAPH OUT_PREFIX
GRAPH is heapscan-bench's CSR file (see analysis_csr.py). Writes OUT_PREFIX.components and
OUT_PREFIX.dominators (int32 per object: component canonical id = smallest member index; immediate
dominator index, -1 for the virtual root, -2 unreachable) and prints `seconds=<best> scc=<s> dom=<s>`.
Installs python-igraph with pip when it is missing.
"""
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from analysis_csr import canonical_components, read_csr  # noqa: E402

try:
    import igraph
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "igraph"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import igraph


def main():
    path, out = sys.argv[1], sys.argv[2]
    n, indptr, indices, roots = read_csr(path)
    sources = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr.astype(np.int64)))
    # A virtual root (vertex n) refers to every object held from outside, as heapscan's tree does.
    src = np.concatenate([sources, np.full(len(roots), n, dtype=np.int64)])
    dst = np.concatenate([indices.astype(np.int64), roots.astype(np.int64)])
    graph = igraph.Graph(n=n + 1, edges=np.column_stack([src, dst]), directed=True)
    best = best_scc = best_dom = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        components = graph.connected_components(mode="strong")
        middle = time.perf_counter()
        dominators = graph.dominator(n, mode="out")
        end = time.perf_counter()
        best = min(best, end - start)
        best_scc = min(best_scc, middle - start)
        best_dom = min(best_dom, end - middle)
    membership = np.asarray(components.membership, dtype=np.int64)[:n]
    canonical_components(membership).astype(np.int32).tofile(out + ".components")
    dom = np.asarray(dominators, dtype=np.float64)[:n]
    result = np.where(np.isnan(dom), -2, dom)
    result = np.where(result == n, -1, result).astype(np.int32)
    result.tofile(out + ".dominators")
    print(f"seconds={best:.6f} scc={best_scc:.6f} dom={best_dom:.6f} components={len(components)}")


if __name__ == "__main__":
    main()
