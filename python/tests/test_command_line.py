# test_command_line — `python -m heapscan_cpython run`, dump_on_signal, and gzip output (tested when the
# heapscan binary reads gzip).
import gzip
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

import oracle

PYTHONPATH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LEAKY = textwrap.dedent('''
    class Session:
        def __init__(self, user):
            self.user = user
            self.handlers = [self.on_close]

        def on_close(self):
            pass

    for i in range(3):
        Session("user%d" % i)
    kept = Session("kept")
''')


def run(*args, **kw):
    env = dict(os.environ, PYTHONPATH=PYTHONPATH)
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, **kw)


def test_run_dumps_the_script_heap_at_exit(tmp_path):
    script = tmp_path / "leaky.py"
    script.write_text(LEAKY)
    out = tmp_path / "heap.json"
    p = run("-m", "heapscan_cpython", "run", str(script), "-o", str(out))
    assert p.returncode == 0, p.stderr
    assert "dumped" in p.stderr
    status, text, _ = oracle.heapscan("cycles", "--json", out)
    assert status == 1
    with open(out, encoding="utf-8") as f:
        objects = {o["id"]: o for o in json.load(f)["objects"]}
    garbage_sessions = [i for i in json.loads(text)["garbage"] if objects[i]["type"] == "__main__.Session"]
    assert len(garbage_sessions) == 3  # the kept one is a global of the script's __main__
    status, text, _ = oracle.heapscan("path", out, garbage_sessions[0])
    assert "is garbage" in text


def test_run_reports_a_missing_script(tmp_path):
    p = run("-m", "heapscan_cpython", "run", str(tmp_path / "missing.py"))
    assert p.returncode == 2 and "no such file" in p.stderr


def test_dump_on_signal(tmp_path):
    out = tmp_path / "signal-{n}.json"
    code = textwrap.dedent('''
        import os, signal, sys
        import heapscan_cpython
        heapscan_cpython.dump_on_signal(signal.SIGUSR1, sys.argv[1])
        os.kill(os.getpid(), signal.SIGUSR1)
        os.kill(os.getpid(), signal.SIGUSR1)
    ''')
    p = run("-c", code, str(out))
    assert p.returncode == 0, p.stderr
    for n in (1, 2):
        status, _, err = oracle.heapscan("summary", tmp_path / ("signal-%d.json" % n))
        assert status == 0, err


def heapscan_reads_gzip(tmp_path):
    probe = tmp_path / "probe.json.gz"
    with gzip.open(probe, "wb") as f:
        f.write(b'{"heapscan": 1, "objects": []}')
    return oracle.heapscan("summary", probe)[0] == 0


def test_gzip_output(tmp_path):
    import heapscan_cpython

    if not heapscan_reads_gzip(tmp_path):
        pytest.skip("this heapscan does not read gzip")
    out = tmp_path / "heap.json.gz"
    n = heapscan_cpython.dump(str(out))
    with gzip.open(out, "rb") as f:
        assert json.loads(f.read())["objects"]
    status, text, err = oracle.heapscan("summary", out)
    assert status == 0, err
    assert "{:,} objects".format(n) in text
