#!/usr/bin/env python3
"""CPython peer of `heapscan-bench gc`: builds the collector benchmark's heap shape with the cyclic
collector disabled, then times one full `gc.collect()`.

The shape (the same as Bench+Collector.swift builds in a ManagedHeap, object for object):
- every object is a slotted instance with four reference slots c0..c3 (one gc-tracked object each);
- a live tree of `objects - garbage` nodes: node i (i > 0) sits in slot (i-1) % 4 of node (i-1) // 4,
  the root is held by a local variable;
- `garbage` objects in groups g = 0, 1, ...: a ring of k = 2 + g % 9 members linked through c0, a chain
  of h = g % 4 acyclic objects hanging from member 0 through c1 then c0, and member 0's c2 pointing into
  the live tree (node g % live); the last group is cut to fit (a single member is a self-loop).

Prints: collected=<objects gc.collect() found> seconds=<best time> build_seconds=<one build>
Usage: cpython_gc.py [objects] [garbage_percent] [runs]
"""
import gc
import sys
import time


class Node:
    __slots__ = ("c0", "c1", "c2", "c3")

    def __init__(self):
        self.c0 = self.c1 = self.c2 = self.c3 = None


def build(objects, garbage):
    """The benchmark heap; returns the live tree's root (everything else is garbage)."""
    live = objects - garbage
    nodes = [Node() for _ in range(live)]
    for i in range(1, live):
        setattr(nodes[(i - 1) // 4], ("c0", "c1", "c2", "c3")[(i - 1) % 4], nodes[i])
    root = nodes[0]
    remaining, g = garbage, 0
    while remaining > 0:
        k, h = 2 + g % 9, g % 4
        if k + h > remaining:
            k = min(k, remaining)
            h = remaining - k
        members = [Node() for _ in range(k)]
        for j in range(k):
            members[j].c0 = members[(j + 1) % k]
        holder, field = members[0], "c1"
        for _ in range(h):
            hanger = Node()
            setattr(holder, field, hanger)
            holder, field = hanger, "c0"
        members[0].c2 = nodes[g % live]
        remaining -= k + h
        g += 1
    del nodes, members
    return root


def main():
    objects = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    percent = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    garbage = objects * percent // 100
    best, collected, build_seconds = float("inf"), None, 0.0
    for _ in range(runs):
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        root = build(objects, garbage)
        build_seconds = time.perf_counter() - start
        start = time.perf_counter()
        found = gc.collect()
        best = min(best, time.perf_counter() - start)
        gc.enable()
        if collected is not None and found != collected:
            raise SystemExit(f"gc.collect() found {found} objects after {collected} in an earlier run")
        collected = found
        del root
    print(f"collected={collected} seconds={best:.6f} build_seconds={build_seconds:.6f} python={sys.version.split()[0]}")


if __name__ == "__main__":
    main()
