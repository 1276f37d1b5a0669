# conftest — makes the package under test (python/heapscan_cpython) and the test helpers importable
# without installing anything.
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(here))
sys.path.insert(0, here)

pytest_plugins = ["pytester"]
