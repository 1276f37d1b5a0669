# test_refcounts — the refcount in the dump is the object's real reference count: the exporter's own
# references (its lists, frames, arguments) are subtracted, for shared objects (None, small ints,
# interned strings, built-in types) as well as for ordinary ones.
import array
import json
import sys

import heapscan_cpython


class Probe:
    pass


def load(path):
    with open(path, encoding="utf-8") as f:
        return {o["id"]: o for o in json.load(f)["objects"]}


def test_refcounts_are_exact(tmp_path):
    path = str(tmp_path / "heap.json")
    # Warm up: the interpreter's type-attribute cache holds references to attribute names (and to None
    # in its empty entries), so the first lookups anywhere change those counts; after one dump its
    # entries for the exporter's lookups are filled.
    heapscan_cpython.dump(path)
    shared = Probe()
    probes = [None, True, False, 0, 1, 7, 255, "", "heapscan probe text", "a string nobody else has" * 2, Probe(), shared,
              shared, Probe, list, dict, sys, heapscan_cpython, json, (), {"k": shared}, [shared], load,
              sys.getrefcount, sys.modules]
    # Each probe has two more references than it really has while it is counted: the loop variable and
    # getrefcount's argument (and sys.getrefcount itself one more: the frame holds it to call it).
    # (No comprehension: its function object would hold None as its __doc__; an array, not a list, for
    # the counts: a list would hold references to the small ints it stores.)
    expected = array.array("q")
    for p in probes:
        expected.append(sys.getrefcount(p) - 2)
    del p
    heapscan_cpython.dump(path)
    expected[probes.index(sys.getrefcount)] -= 1
    objects = load(path)
    got = [objects[id(p)]["refcount"] for p in probes]
    assert [(g, e, repr(p)[:20]) for g, e, p in zip(got, expected, probes) if g != e] == []


def test_untracked_and_fresh_objects(tmp_path):
    text = "".join(["unique", "-", "text"])  # a str only this list and the frame hold
    number = 10 ** 40
    holder = [text, text, number]
    path = str(tmp_path / "heap.json")
    heapscan_cpython.dump(path)
    objects = load(path)
    assert objects[id(text)]["refcount"] == 3      # two list slots, the local `text`
    assert objects[id(number)]["refcount"] == 2    # the list slot, the local `number`
    assert objects[id(holder)]["refcount"] == 1    # the local `holder`
    assert "generation" not in objects[id(text)]   # untracked by the collector
    assert objects[id(holder)]["generation"] in (0, 1, 2)


def test_the_exporter_leaves_nothing_in_the_dump(tmp_path):
    import gc

    gc.collect()
    before = {id(o) for o in gc.get_objects()}
    path = str(tmp_path / "heap.json")
    heapscan_cpython.dump(path)
    objects = load(path)
    tracked = {i for i, o in objects.items() if o.get("generation", 255) != 255}
    # Every tracked object in the dump existed before the call (the exporter's lists, sets and frames
    # are not in it), and gc is on again.
    assert tracked - before - {id(before)} == set()
    assert gc.isenabled()


def test_collection_stays_disabled_when_it_was(tmp_path):
    import gc

    gc.disable()
    try:
        heapscan_cpython.dump(str(tmp_path / "heap.json"))
        assert not gc.isenabled()
    finally:
        gc.enable()
