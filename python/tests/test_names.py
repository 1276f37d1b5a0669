# test_names — every reference of hand-built objects is named as a Python programmer would write it,
# and reading the names changes nothing (no instance __dict__ is created).
import gc
import json
import sys
import weakref

import heapscan_cpython


class Pair:
    def __init__(self, left, right):
        self.left = left
        self.right = right


class Slotted:
    __slots__ = ("head", "tail")


def export(tmp_path):
    path = str(tmp_path / "heap.json")
    heapscan_cpython.dump(path)
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {o["id"]: o for o in data["objects"]}, data


def names(objects, obj):
    """{name: target id} of obj's references (unnamed ones under None, as a list)."""
    out = {}
    for r in objects[id(obj)].get("refs", ()):
        out.setdefault(r.get("name"), []).append(r["to"])
    return out


def test_instances_slots_and_containers(tmp_path):
    a, b = [1], {"k": 2}
    p = Pair(a, b)
    s = Slotted()
    s.head = a
    holder = {"key": p, 3: s, (1, 2): "tuple key"}
    seq = [p, s]
    tup = (p, s)
    members = {"member"}
    before = gc.get_referents(p)
    objects, _ = export(tmp_path)
    assert gc.get_referents(p) == before  # no __dict__ was created to read the names
    assert names(objects, p) == {"left": [id(a)], "right": [id(b)], "__class__": [id(Pair)]}
    assert names(objects, s) == {"head": [id(a)], "__class__": [id(Slotted)]}
    h = names(objects, holder)
    assert h["['key']"] == [id(p)] and h["[3]"] == [id(s)] and h["[(1, 2)]"] == [id(holder[(1, 2)])]
    assert "key 'key'" in h and "key 3" in h  # a dict holds its keys too
    assert names(objects, seq) == {"[0]": [id(p)], "[1]": [id(s)]}
    assert names(objects, tup) == {"[0]": [id(p)], "[1]": [id(s)]}
    assert list(names(objects, members)) == ["{'member'}"]


def test_materialized_instance_dict(tmp_path):
    p = Pair(1, 2)
    d = vars(p)  # now the instance has a real __dict__
    objects, _ = export(tmp_path)
    assert names(objects, p)["__dict__"] == [id(d)]
    assert names(objects, d)["['left']"] == [id(1)]


def test_functions_closures_classes_methods(tmp_path):
    def outer():
        captured = ["captured"]

        def inner(x=captured):
            return captured

        return inner

    fn = outer()
    cell = fn.__closure__[0]
    bound = Pair(1, 2).__init__
    objects, _ = export(tmp_path)
    f = names(objects, fn)
    assert f["__closure__"] == [id(fn.__closure__)]
    assert f["__globals__"] == [id(fn.__globals__)]
    assert f["__defaults__"] == [id(fn.__defaults__)]
    assert f["__code__"] == [id(fn.__code__)]
    assert f["__qualname__"] == [id(fn.__qualname__)]
    assert names(objects, fn.__closure__) == {"[0]": [id(cell)]}
    assert names(objects, cell) == {"cell_contents": [id(cell.cell_contents)]}
    c = names(objects, Pair)
    assert c["__mro__"] == [id(Pair.__mro__)] and c["__bases__"] == [id(Pair.__bases__)]
    assert c["__dict__"] == [id(gc.get_referents(Pair.__dict__)[0])]
    m = names(objects, bound)
    assert m == {"__func__": [id(bound.__func__)], "__self__": [id(bound.__self__)]}
    assert names(objects, sys.modules[__name__])["__dict__"] == [id(globals())]


def test_frames_tracebacks_generators(tmp_path):
    def fails(n):
        local_list = [n]
        raise ValueError(local_list)

    try:
        fails(5)
    except ValueError as e:
        err = e
    tb = err.__traceback__
    frame = tb.tb_next.tb_frame

    def gen(start):
        seen = [start]
        yield seen

    g = gen("s")
    next(g)
    objects, _ = export(tmp_path)
    assert names(objects, err)["__traceback__"] == [id(tb)]
    assert names(objects, tb)["tb_next"] == [id(tb.tb_next)]
    assert names(objects, tb.tb_next)["tb_frame"] == [id(frame)]
    fr = names(objects, frame)
    assert fr["f_back"] == [id(frame.f_back)]
    assert fr["f_code"] == [id(frame.f_code)]
    assert fr["local_list"] == [id(err.args[0])] and "n" in fr
    gn = names(objects, g)
    assert gn["gi_code"] == [id(g.gi_code)] and "seen" in gn and "start" in gn
    assert objects[id(frame)]["label"].endswith(" fails")


def test_weak_references_and_labels(tmp_path):
    target = Pair(1, 2)
    ref = weakref.ref(target)
    text = "x" * 100
    held = [text]
    objects, data = export(tmp_path)
    refs = objects[id(ref)]["refs"]
    assert {"to": id(target), "name": "()", "kind": "weak"} in refs
    assert objects[id(text)]["label"] == repr("x" * 40) + "…"
    assert objects[id(Pair)]["label"] == "Pair"
    assert objects[id(target)]["type"] == __name__ + ".Pair"
    assert objects[id(sys)]["label"] == "sys"
    assert data["liveness"] == "refcount" and data["runtime"].startswith("CPython 3.")
    kinds = {r.get("kind") for r in data["roots"]}
    assert kinds == {"module", "frame"}
    assert {"to": id(sys), "name": "sys.modules['sys']", "kind": "module"} in data["roots"]


def test_reading_runs_no_user_code(tmp_path):
    calls = []

    class Hostile:
        def __init__(self):
            self.data = [1]

        @property
        def data_view(self):
            calls.append("property")
            return self.data

        def __getattr__(self, name):
            calls.append("getattr " + name)
            raise AttributeError(name)

        def __repr__(self):
            calls.append("repr")
            raise RuntimeError("no repr")

        def __eq__(self, other):
            calls.append("eq")
            return True

        __hash__ = object.__hash__

    h = Hostile()
    table = {h: h}
    objects, _ = export(tmp_path)
    assert calls == []
    assert names(objects, h)["data"] == [id(h.data)]
    assert any(n.startswith("[<") and "Hostile at 0x" in n for n in names(objects, table))


def test_sites_from_tracemalloc(tmp_path):
    import tracemalloc

    tracemalloc.start()
    try:
        made_here = ["".join(["made", " here"]), Pair(1, 2)]
        line = sys._getframe().f_lineno - 1
        objects, _ = export(tmp_path)
    finally:
        tracemalloc.stop()
    site = "%s:%d" % (__file__, line)
    assert objects[id(made_here[0])]["site"] == site
    # CPython 3.11 finds no traceback for objects with a GC header before them (cpython #101430).
    expected = site if sys.version_info >= (3, 12) else None
    assert objects[id(made_here)].get("site") == expected
