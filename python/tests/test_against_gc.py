# test_against_gc — the proof: on real heaps built from the standard library, heapscan's garbage set for
# the exported heap equals exactly what CPython's collector finds unreachable in the same heap.
import asyncio
import gc
import weakref

import pytest

import oracle


def check(tmp_path, build):
    """Builds garbage (and live objects) with `build` while collection is off, dumps, collects, compares.
    Returns (gc's unreachable ids, heapscan's garbage ids, the dump)."""
    gc.collect()
    gc.disable()
    try:
        keep = build()
        path = str(tmp_path / "heap.json")
        found, saved = oracle.dump_and_collect(path)
    finally:
        gc.enable()
    tracked, data = oracle.tracked_ids(path)
    garbage = oracle.heapscan_garbage(path)
    by_id = {o["id"]: o for o in data["objects"]}
    only_gc = found - garbage
    only_heapscan = (garbage & tracked) - found
    assert not only_gc and not only_heapscan, (
        "gc only: %s\nheapscan only: %s" % ([by_id.get(i, i) for i in sorted(only_gc)][:5],
                                             [by_id.get(i, i) for i in sorted(only_heapscan)][:5]))
    assert saved <= found  # what DEBUG_SAVEALL kept is part of what it found
    # Untracked garbage (str, int, ...) is only what garbage refers to.
    referenced_by_garbage = {r["to"] for i in garbage for r in by_id[i].get("refs", ())}
    assert garbage - tracked <= referenced_by_garbage
    del keep
    return found, garbage, data


def test_cycle_of_two_instances(tmp_path):
    class Node:
        def __init__(self):
            self.other = None

    def build():
        a, b = Node(), Node()
        a.other, b.other = b, a
        live = Node()
        live.other = live
        return live

    found, garbage, _ = check(tmp_path, build)
    assert len(found) == 2


def test_xml_dom(tmp_path):
    from xml.dom import minidom

    text = "<doc><item id='1'>one</item><item id='2'><sub/>two</item></doc>"

    def build():
        minidom.parseString(text)  # dropped: parent/child links make it a cycle
        return minidom.parseString(text)

    found, _, _ = check(tmp_path, build)
    assert len(found) > 10


def test_argparse(tmp_path):
    import argparse

    def build():
        for _ in range(2):
            p = argparse.ArgumentParser(prog="tool")
            p.add_argument("--verbose", action="store_true")
            sub = p.add_subparsers(dest="cmd")
            run = sub.add_parser("run")
            run.add_argument("file")
            p.parse_args(["run", "x.py"])
        return p

    found, _, _ = check(tmp_path, build)
    assert found


def test_email(tmp_path):
    import email
    import email.policy

    raw = "From: a@example.com\nTo: b@example.com\nSubject: hi\nContent-Type: multipart/mixed; boundary=X\n\n" \
          "--X\nContent-Type: text/plain\n\nbody\n--X--\n"

    def build():
        email.message_from_string(raw, policy=email.policy.default)
        msg = email.message_from_string(raw, policy=email.policy.default)
        _ = msg["subject"]
        return msg

    check(tmp_path, build)


def test_asyncio(tmp_path):
    async def fail():
        raise ValueError("in a task")

    async def main():
        tasks = [asyncio.ensure_future(fail()) for _ in range(3)]
        await asyncio.gather(*tasks, return_exceptions=True)
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        fut.add_done_callback(lambda f: fut)  # the callback's closure holds the future
        fut.set_result(tasks)
        await asyncio.sleep(0)
        try:
            await tasks[0]
        except ValueError as e:
            err = e  # the exception's traceback holds this frame, whose local holds the exception
        return tasks

    def build():
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(main())
        finally:
            loop.close()
        return None

    found, _, _ = check(tmp_path, build)
    assert found


def test_logging(tmp_path):
    import io
    import logging

    def build():
        logger = logging.getLogger("heapscan.test")
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
        logger.addHandler(handler)
        try:
            raise RuntimeError("logged")
        except RuntimeError:
            logger.exception("failure")  # the record's exc_info holds a traceback with frames
        logger.removeHandler(handler)
        return logger

    check(tmp_path, build)


def test_traceback_holding_frames(tmp_path):
    def fails():
        payload = [1, 2, 3]
        raise KeyError(payload)

    def build():
        try:
            fails()
        except KeyError as e:
            err = e
        frame_cycle = err.__traceback__.tb_frame  # the frame's local `err` holds the traceback: a cycle
        del frame_cycle
        return None

    found, _, _ = check(tmp_path, build)
    assert found


def test_closures(tmp_path):
    def build():
        def outer():
            state = {"calls": 0}

            def recurse(n):
                state["calls"] += 1
                return recurse(n - 1) if n else state

            return recurse

        outer()  # recurse's cell holds recurse: a cycle through __closure__
        return outer()

    found, _, _ = check(tmp_path, build)
    assert found


def test_generators(tmp_path):
    def build():
        def gen():
            me = yield 1
            yield me

        g = gen()
        next(g)
        g.send(g)  # the generator's frame holds the generator
        live = gen()
        next(live)
        return live

    found, _, _ = check(tmp_path, build)
    assert found


def test_classes_made_with_type(tmp_path):
    def build():
        def init(self, n):
            self.n = n
            self.me = self

        Point = type("Point", (object,), {"__init__": init, "kind": "point"})
        p = Point(3)
        Sub = type("Sub", (Point,), {})
        Sub(4)
        del p, Sub, Point
        Kept = type("Kept", (), {})
        return Kept

    found, _, _ = check(tmp_path, build)
    assert len(found) > 4


def test_objects_with_del(tmp_path):
    resurrected = []

    class Finalized:
        def __init__(self):
            self.me = self

        def __del__(self):
            pass

    class Phoenix:
        def __init__(self):
            self.me = self

        def __del__(self):
            resurrected.append(self)

    def build():
        Finalized()
        Phoenix()
        return None

    found, _, _ = check(tmp_path, build)
    assert resurrected and id(resurrected[0]) in found  # unreachable when dumped, resurrected after
    resurrected[0].me = None
    resurrected.clear()


def test_weak_references(tmp_path):
    class Thing:
        def __init__(self):
            self.me = self

    registry = weakref.WeakValueDictionary()
    seen = weakref.WeakSet()

    def build():
        dead = Thing()
        registry["dead"] = dead
        seen.add(dead)
        alive = Thing()
        registry["alive"] = alive
        ref = weakref.ref(dead)
        dead.ref_to_self = ref  # a weakref inside the garbage
        return alive

    found, garbage, data = check(tmp_path, build)
    assert found
    weak = [r for o in data["objects"] for r in o.get("refs", ()) if r.get("kind") == "weak"]
    assert any(r["to"] in garbage for r in weak)  # garbage that live objects refer to weakly


def test_everything_together(tmp_path):
    from xml.dom import minidom
    import argparse
    import logging

    def build():
        kept = []
        for _ in range(3):
            minidom.parseString("<a><b/><c>t</c></a>")
            p = argparse.ArgumentParser()
            p.add_argument("-x")
            kept.append(logging.getLogger("heapscan.all"))

            def rec():
                return rec

            try:
                raise ValueError
            except ValueError as e:
                e.self = e
        return kept

    check(tmp_path, build)


def test_other_threads(tmp_path):
    import threading

    class Held:
        def __init__(self):
            self.me = self

    ready, done = threading.Event(), threading.Event()

    def worker():
        local = Held()  # a cycle only this running frame holds: alive
        ready.set()
        done.wait()
        return local

    t = threading.Thread(target=worker, name="worker")
    t.start()
    ready.wait()
    try:
        def build():
            Held()  # garbage
            return None

        found, garbage, data = check(tmp_path, build)
        assert len(found) == 1
        assert any(r["kind"] == "frame" and r["name"].startswith("thread worker: ") for r in data["roots"])
    finally:
        done.set()
        t.join()
