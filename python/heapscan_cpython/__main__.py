# __main__ — `python -m heapscan_cpython run script.py [args…] -o heap.json`: runs a script as __main__
# and dumps the heap when it ends (normally, by sys.exit, or by an exception).
import argparse
import os
import builtins
import gc
import sys
import types

from ._export import dump


USAGE = """usage: python -m heapscan_cpython run SCRIPT [-o heap.json] [-- SCRIPT-ARGS...]

Runs SCRIPT as __main__ and dumps its heap for heapscan when it ends (-o: the dump file, default
heap.json; a name ending in .gz is gzip-compressed). Arguments after -- go to the script."""


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["-h"], ["--help"]) or not argv:
        sys.stdout.write(USAGE + "\n")
        return 0 if argv else 64
    if argv[0] != "run":
        sys.stderr.write("heapscan_cpython: unknown command %r\n%s\n" % (argv[0], USAGE))
        return 64
    mine, _, script_args = argv[1:], None, []
    if "--" in mine:
        k = mine.index("--")
        mine, script_args = mine[:k], mine[k + 1:]
    parser = argparse.ArgumentParser(prog="python -m heapscan_cpython run", usage=USAGE)
    parser.add_argument("-o", "--output", default="heap.json")
    parser.add_argument("script")
    options = parser.parse_args(mine)
    options.args = script_args
    del parser
    gc.collect()  # argparse's own garbage cycles are not the script's
    script = options.script
    if not os.path.exists(script):
        sys.stderr.write("heapscan_cpython: %s: no such file\n" % script)
        return 2
    sys.argv = [script] + options.args
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    status = 0
    # The script runs in a real __main__ module that stays in sys.modules, so its globals are roots.
    module = types.ModuleType("__main__")
    module.__file__ = script
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    try:
        with open(script, "rb") as f:
            code = compile(f.read(), script, "exec")
        exec(code, module.__dict__)
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        status = 1
    n = dump(options.output)
    sys.stderr.write("heapscan_cpython: dumped %d objects to %s\n" % (n, options.output))
    return status


if __name__ == "__main__":
    sys.exit(main())
