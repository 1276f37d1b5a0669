# oracle — CPython's own collector as the judge: dump the heap, then let gc.collect() say (under
# DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL) which objects it found unreachable, and
# compare with the garbage heapscan computes from the dump.
import functools
import gc
import io
import json
import os
import re
import shutil
import subprocess
import sys

import heapscan_cpython

_ADDRESS = re.compile(r"^gc: (?:collectable|uncollectable) <.* (0x[0-9a-f]+)>$", re.M)


@functools.lru_cache(maxsize=None)
def heapscan_binary():
    """The heapscan CLI: $HEAPSCAN_BIN, else the debug build of the enclosing SwiftPM package."""
    env = os.environ.get("HEAPSCAN_BIN")
    if env:
        return env
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    try:
        bin_dir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=root, capture_output=True,
                                 text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return shutil.which("heapscan") or "heapscan"
    return os.path.join(bin_dir, "heapscan")


def heapscan(*args):
    """Runs heapscan; returns (exit status, stdout, stderr)."""
    p = subprocess.run([heapscan_binary(), *map(str, args)], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def dump_and_collect(path):
    """Dumps the heap to `path`, then collects at once; returns (ids gc found unreachable, ids left in
    gc.garbage). Collection must be disabled by the caller while the heap is built."""
    gc.garbage.clear()
    sink = io.StringIO()
    saved = sys.stderr
    old = gc.get_debug()
    sys.stderr = sink
    try:
        heapscan_cpython.dump(path)
        gc.set_debug(gc.DEBUG_COLLECTABLE | gc.DEBUG_UNCOLLECTABLE | gc.DEBUG_SAVEALL)
        gc.collect()
    finally:
        gc.set_debug(old)
        sys.stderr = saved
    found = {int(a, 16) for a in _ADDRESS.findall(sink.getvalue())}
    saved_ids = {id(o) for o in gc.garbage}
    gc.garbage.clear()
    gc.collect()
    return found, saved_ids


def tracked_ids(path):
    """Ids of the objects the collector tracks (those with a generation) in a dump."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {o["id"] for o in data["objects"] if o.get("generation", 255) != 255}, data


def heapscan_garbage(path):
    status, out, err = heapscan("cycles", "--json", "--top", "0", path)
    assert status in (0, 1), err
    return set(json.loads(out)["garbage"])
