#!/usr/bin/env python3
"""CPython peer for the managed-heap benchmarks (Sources/heapscan-bench/Bench+ManagedHeap.swift).

The same workloads as the Swift side, on objects with __slots__ (two reference fields, no __dict__):
  alloc N      allocate + initialise both fields (__init__) + release, N times
                                                                         -> alloc_ns=<ns per object>
  store N      store into a field (retain new, release old), N times    -> store_ns=<ns per store>
  referrers N  gc.get_referrers of one object in a heap of N objects with 4 references each
                                                                         -> referrers_s=<seconds>
Each figure is the best of three runs. Prints one line of key=value pairs.
"""
import gc
import random
import sys
import time


class Node:
    __slots__ = ("a", "b")

    def __init__(self, a=None, b=None):
        self.a = a
        self.b = b


class Quad:
    __slots__ = ("c0", "c1", "c2", "c3")


def best_of(runs, body):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter_ns()
        body()
        best = min(best, time.perf_counter_ns() - start)
    return best


def bench_alloc(n):
    x = Node()

    def body():
        o = None
        for _ in range(n):
            o = Node(x, x)  # the previous object is freed here, when its last reference goes
        del o

    return best_of(3, body) / n


def bench_store(n):
    o, x, y = Node(), Node(), Node()
    half = n // 2

    def body():
        for _ in range(half):
            o.a = x
            o.a = y

    return best_of(3, body) / (2 * half)


def bench_referrers(n):
    gc.disable()
    rng = random.Random(1)
    objects = [Quad() for _ in range(n)]
    for i, q in enumerate(objects):
        q.c0 = objects[(i + 1) % n]
        q.c1 = objects[rng.randrange(n)]
        q.c2 = objects[rng.randrange(n)]
        q.c3 = objects[rng.randrange(n)]
    target = objects[n // 2]
    seconds = best_of(3, lambda: gc.get_referrers(target)) / 1e9
    gc.enable()
    return seconds


def main():
    mode, n = sys.argv[1], int(sys.argv[2])
    if mode == "alloc":
        print(f"alloc_ns={bench_alloc(n):.3f} objects={n} python={sys.version.split()[0]}")
    elif mode == "store":
        print(f"store_ns={bench_store(n):.3f} stores={n} python={sys.version.split()[0]}")
    elif mode == "referrers":
        print(f"referrers_s={bench_referrers(n):.6f} objects={n} python={sys.version.split()[0]}")
    else:
        sys.exit(f"unknown mode {mode!r}: expected alloc, store or referrers")


if __name__ == "__main__":
    main()
