# heapscan_cpython — dump a running CPython heap for heapscan (docs/python.md): dump(path),
# dump_on_signal(sig, path), `python -m heapscan_cpython run script.py -o heap.json`, and a pytest plugin.
from ._export import RUNTIME, dump, dump_on_signal

__all__ = ["dump", "dump_on_signal", "RUNTIME"]
__version__ = "0.1.0"
