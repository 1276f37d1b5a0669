# pytest_plugin — `pytest -p heapscan_cpython.pytest_plugin`: fails a test that leaves new garbage cycles,
# or new live objects of types it names, and prints heapscan's leak report (what expectNoLeaks does for
# Swift). Checked: tests using the `heapscan` fixture, tests marked @pytest.mark.heapscan(types=[...]),
# or every test with --heapscan. Dumps and SVGs of failing tests go to --heapscan-dir (.heapscan).
import gc
import json
import os
import re
import shutil
import subprocess

import pytest

from ._export import _type_name, dump


def pytest_addoption(parser):
    group = parser.getgroup("heapscan", "heap checks with heapscan")
    group.addoption("--heapscan", action="store_true", help="check every test for new garbage cycles")
    group.addoption("--heapscan-dir", default=".heapscan", help="where dumps and pictures of failing tests go")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "heapscan(types=()): fail if the test leaves garbage cycles or new live objects of these types")


class HeapCheck:
    """The `heapscan` fixture: `heapscan.track("myapp.Session", ...)` names types whose new live objects
    fail the test; garbage cycles always do."""

    def __init__(self):
        self.types = set()
        self.before = set()
        self.started = False

    def track(self, *type_names):
        """Adds type names (`module.Qualname`, or the bare class name); objects alive now do not count."""
        self.types.update(type_names)
        if self.started:
            self.before |= self._ids_of_tracked_types()

    def _matches(self, name):
        return name in self.types or name.rsplit(".", 1)[-1] in self.types

    def _ids_of_tracked_types(self):
        if not self.types:
            return set()
        return {id(o) for o in gc.get_objects() if self._matches(_type_name(type(o)))}

    def start(self):
        gc.collect()
        self.enabled = gc.isenabled()
        gc.disable()  # garbage the test makes stays until it is dumped
        self.before = self._ids_of_tracked_types()
        self.started = True

    def finish(self, nodeid, directory):
        """Dumps the heap and returns the failure report, or None."""
        os.makedirs(directory, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150]
        path = os.path.join(directory, stem + ".json")
        try:
            dump(path)
        finally:
            if self.enabled:
                gc.enable()
        report = self._report(path, stem, directory)
        gc.collect()
        if report is None:
            os.remove(path)
        return report

    def _report(self, path, stem, directory):
        binary = os.environ.get("HEAPSCAN_BIN") or shutil.which("heapscan")
        with open(path, encoding="utf-8") as f:
            objects = json.load(f)["objects"]
        if binary is None:
            return self._report_without_heapscan(objects, path)
        status, out = _run(binary, "cycles", "--json", path)
        result = json.loads(out) if status in (0, 1) else {"garbage": [], "cycles": []}
        garbage = set(result["garbage"])
        parts = []
        if result["cycles"]:
            _, text = _run(binary, "cycles", "--top", "3", "--max-lines", "40", path)
            svg = os.path.join(directory, stem + ".svg")
            _run(binary, "graph", path, "-o", svg)
            parts.append("heapscan: the test left %d garbage cycles (%d garbage objects)\n%s\npicture: %s\ndump: %s"
                         % (len(result["cycles"]), len(garbage), text.rstrip(), svg, path))
        new = {}
        for o in objects:
            if o["id"] not in garbage and o["id"] not in self.before and self._matches(o["type"]):
                new.setdefault(o["type"], []).append(o["id"])
        for type_name, ids in sorted(new.items()):
            _, chain = _run(binary, "path", path, str(ids[0]))
            parts.append("heapscan: %d new live %s object%s; what keeps the first alive:\n%s"
                         % (len(ids), type_name, "" if len(ids) == 1 else "s", chain.rstrip()))
        return "\n\n".join(parts) if parts else None

    def _report_without_heapscan(self, objects, path):
        return None if not gc.collect() else (
            "heapscan_cpython: the test left garbage cycles (install heapscan or set HEAPSCAN_BIN for the "
            "report); dump: %s" % path)


def _run(binary, *args):
    p = subprocess.run([binary, *args], capture_output=True, text=True)
    return p.returncode, p.stdout if p.stdout else p.stderr


@pytest.fixture
def heapscan():
    """Checks the test for new garbage cycles; `heapscan.track(type names)` for new live objects."""
    return HeapCheck()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    marker = item.get_closest_marker("heapscan")
    check = item.funcargs.get("heapscan") if hasattr(item, "funcargs") else None
    if not isinstance(check, HeapCheck):
        if marker is None and not item.config.getoption("heapscan"):
            return (yield)
        check = HeapCheck()
    if marker is not None:
        check.types.update(marker.kwargs.get("types", ()))
    check.start()
    try:
        result = yield
    except BaseException:
        if check.enabled:
            gc.enable()
        raise
    report = check.finish(item.nodeid, item.config.getoption("heapscan_dir"))
    if report:
        pytest.fail(report, pytrace=False)
    return result
