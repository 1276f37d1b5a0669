# test_pytest_plugin — the plugin fails a test that leaves garbage cycles or new live objects of the types
# it names, with heapscan's report; a clean test passes.
import os

import oracle

INNER = '''
import pytest

class Session:
    def __init__(self):
        self.me = self

SESSIONS = []

def test_leaves_a_cycle(heapscan):
    Session()

def test_clean(heapscan):
    s = [1, 2, 3]

@pytest.mark.heapscan(types=["Session"])
def test_keeps_sessions():
    s = Session()
    s.me = None
    SESSIONS.append(s)
'''


def test_plugin_reports_leaks(pytester, monkeypatch):
    monkeypatch.setenv("HEAPSCAN_BIN", oracle.heapscan_binary())
    monkeypatch.setenv("PYTHONPATH", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest_subprocess("-p", "heapscan_cpython.pytest_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    out = result.stdout.str()
    assert "the test left 1 garbage cycles" in out
    assert "ROOT CYCLE: <test_inner.Session" in out
    assert "me --> CYCLE BACK TO <test_inner.Session" in out
    assert "1 new live test_inner.Session object" in out
    assert "root \"sys.modules['test_inner']\"" in out
    svgs = [f for f in os.listdir(pytester.path / ".heapscan") if f.endswith(".svg")]
    assert svgs and open(pytester.path / ".heapscan" / svgs[0]).read().lstrip().startswith("<")
