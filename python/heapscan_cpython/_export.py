# _export — walks the running interpreter's heap (every object the collector tracks, plus what they refer
# to) and writes it in heapscan's JSON interchange format, with exact refcounts and the reference names a
# Python programmer would write. Nothing here changes the graph it reads.
import array
import collections
import functools
import gc
import os
import sys
import types
import weakref
from json.encoder import encode_basestring as _enc
from itertools import repeat
from operator import is_ as _is

__all__ = ["dump", "dump_on_signal", "RUNTIME"]

RUNTIME = "%s %d.%d.%d" % (
    "CPython" if sys.implementation.name == "cpython" else sys.implementation.name,
    sys.version_info[0], sys.version_info[1], sys.version_info[2])

_G = globals()
_HEAPTYPE = 1 << 9
_MISSING = object()
_LABEL_CHARS = 40

# Descriptors read straight from the built-in types, so that no metaclass or subclass override runs.
_type_dict = type.__dict__["__dict__"].__get__          # a mappingproxy over the type's real dict
_type_mro = type.__dict__["__mro__"].__get__
_type_bases = type.__dict__["__bases__"].__get__
_type_base = type.__dict__["__base__"].__get__
_type_qualname = type.__dict__["__qualname__"].__get__
_type_module = type.__dict__["__module__"].__get__
_module_dict = types.ModuleType.__dict__["__dict__"].__get__
_exc_args = BaseException.__dict__["args"].__get__
_exc_tb = BaseException.__dict__["__traceback__"].__get__
_exc_cause = BaseException.__dict__["__cause__"].__get__
_exc_context = BaseException.__dict__["__context__"].__get__
_weak_call = weakref.ReferenceType.__call__
_oga = object.__getattribute__
_getsizeof = sys.getsizeof
_get_referents = gc.get_referents
_getrefcount = sys.getrefcount
_array = array.array
_append = list.append
_dict_keys = dict.keys


def dump(path, compress=None):
    """Writes the current interpreter's heap to `path` in heapscan's JSON format.

    `compress`: gzip the output (default: when `path` ends in `.gz`). Collection is disabled while the
    heap is walked and restored after; the exporter's own objects are not in the dump.
    Returns the number of objects written.
    - Complexity: O(objects + references) time; the JSON text is built in memory before it is written.
    """
    return _export(path, compress)


def dump_on_signal(sig, path, compress=None):
    """Installs a handler that dumps the heap to `path` each time signal `sig` arrives (e.g. SIGUSR1).

    A `{pid}` or `{n}` in `path` is replaced by the process id or a running count. Returns the previous
    handler. The dump runs in the main thread between bytecodes, as every Python signal handler does.
    """
    import signal

    count = [0]

    def handler(signum, frame):
        count[0] += 1
        target = os.fspath(path).replace("{pid}", str(os.getpid())).replace("{n}", str(count[0]))
        n = dump(target, compress)
        sys.stderr.write("heapscan_cpython: dumped %d objects to %s\n" % (n, target))

    return signal.signal(sig, handler)


def _export(path, compress):
    # Every reference this frame and dump()'s hold to something that may be in the heap (the path the
    # caller passed, the flags, small ints) is listed in `own` so that it is subtracted from refcounts.
    enabled = gc.isenabled()
    gc.disable()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e6)  # no switch to another thread while the heap is read
    try:
        objs = gc.get_objects(0)  # first: the lists for older generations are born in generation 0
        b0 = len(objs)
        objs += gc.get_objects(1)
        b1 = len(objs)
        objs += gc.get_objects(2)
        b2 = len(objs)
        roots = []
        _stack_frames(objs, roots)
        ntracked = len(objs)
        _discover(objs)  # what the tracked objects refer to: str, int, code, untracked tuples and dicts, ...
        # Every count is read before anything else runs: even a type-attribute lookup changes counts (the
        # interpreter's method cache holds references to names, and to None in its empty entries).
        # References held while counting: the list's slot and map's current item (measured by the probe,
        # whose only references are those two), map's getrefcount and the `array` being called.
        probe = object()
        _append(objs, probe)
        del probe
        rcs = _array("q", map(_getrefcount, objs))
        base = rcs.pop()
        objs.pop()
        nrc = len(objs)
        own = [id(path), id(path), id(compress), id(compress), id(enabled), id(b0), id(b1), id(b2), id(ntracked),
               id(nrc), id(_getrefcount), id(_array)]
        lines = _walk(objs, b0, b1, b2, ntracked, roots)
        bias = {}
        for i in own:
            bias[i] = bias.get(i, 0) + 1
        out = []
        append = out.append
        append('{"heapscan": 1, "liveness": "refcount", "runtime": %s,\n "objects": [\n' % _enc(RUNTIME))
        n = len(objs)
        get = bias.get
        for i in range(n):
            oid = id(objs[i])
            rc = rcs[i] - base - get(oid, 0)
            if rc < 0:
                rc = 0
            elif rc > 4294967294:
                rc = 4294967294
            append(lines[i])
            append('"refcount": %d}' % rc if i == n - 1 else '"refcount": %d},\n' % rc)
        del objs
        append('],\n "roots": [')
        append(",\n  ".join(roots))
        append("]}\n")
        text = "".join(out)
        del out, lines
    finally:
        sys.setswitchinterval(interval)
        if enabled:
            gc.enable()
    if compress is None:
        compress = os.fspath(path).endswith(".gz")
    if compress:
        import gzip

        with gzip.open(path, "wb", compresslevel=3) as f:
            f.write(text.encode("utf-8", "replace"))
    else:
        with open(path, "wb") as f:
            f.write(text.encode("utf-8", "replace"))
    return n


def _stack_frames(objs, roots):
    """Appends each thread's frames (outermost last) to `objs` and a frame root for each to `roots`;
    the exporter's own frames are skipped."""
    threading = sys.modules.get("threading")
    active = getattr(threading, "_active", None) or {}
    for tid, top in sys._current_frames().items():
        thread = active.get(tid)
        tname = "thread %s" % (thread.name if thread is not None else tid)
        f = top
        while f is not None:
            if f.f_globals is not _G:
                objs.append(f)
                code = f.f_code
                roots.append('{"to": %d, "name": %s, "kind": "frame"}' % (
                    id(f), _enc("%s: %s:%d %s" % (tname, code.co_filename, f.f_lineno or 0, code.co_name))))
            f = f.f_back
        del f, top, thread


def _discover(objs):
    """Appends to `objs` everything its objects refer to that is not in it yet (transitively): what gc
    reports, a dict's str keys (which gc does not report), a weak reference's target. Calls no method
    and reads no attribute, so that no count changes before the counts are read."""
    seen = set(map(id, objs))
    add = seen.add
    append = objs.append
    weak = {}
    i = 0
    while i < len(objs):
        o = objs[i]
        for r in _get_referents(o):
            rid = id(r)
            if rid not in seen:
                add(rid)
                append(r)
        t = type(o)
        if t is dict or issubclass(t, dict):
            for r in _dict_keys(o):
                rid = id(r)
                if rid not in seen:
                    add(rid)
                    append(r)
        elif issubclass(t, weakref.ReferenceType):
            r = _weak_call(o)
            if r is not None:
                rid = id(r)
                if rid not in seen:
                    add(rid)
                    append(r)
        i += 1
    o = r = t = None


def _walk(objs, b0, b1, b2, nrc, roots):
    """The JSON line of each object (without its refcount, which the caller appends), in `objs` order;
    the untracked objects the walk finds are appended to `objs`. Module roots are added to `roots`."""
    seen = set(map(id, objs))
    lines = []
    append = lines.append
    tracemalloc = sys.modules.get("tracemalloc")
    tracing = tracemalloc is not None and tracemalloc.is_tracing()
    traceback_of = tracemalloc.get_object_traceback if tracing else None
    is_tracked = gc.is_tracked
    types_seen = {}   # id(type) -> [json name, handler, per-type state]
    keynames = {}     # id(str key) -> json text of "['key']"
    index_names = ['"[%d]"' % i for i in range(64)]
    i = 0
    count = len(objs)
    while i < count:
        o = objs[i]
        t = type(o)
        info = types_seen.get(id(t))
        if info is None:
            try:
                info = _type_info(t)
            except Exception:
                info = [_enc(repr(type.__repr__(t))[1:-1]), None, 0, None, None]
            types_seen[id(t)] = info
        if info[2] == 4 and not tracing:  # str, int, float, bytes: no references, a label, never tracked
            append('{"id": %d, "type": %s, "size": %d, "label": %s, "refs": [], ' % (
                id(o), info[0], _getsizeof(o), _enc(info[1](o))))
            i += 1
            continue
        refs = _get_referents(o)
        try:
            size = _getsizeof(o, 0)
        except Exception:
            size = 0
        gen = 0 if i < b0 else 1 if i < b1 else 2 if i < b2 else (3 if i >= nrc and is_tracked(o) else 255)
        head = '{"id": %d, "type": %s, "size": %d, ' % (id(o), info[0], size)
        if gen != 255:
            head += '"generation": %d, ' % gen
        try:
            label = info[1](o) if info[1] is not None else None
        except Exception:
            label = None
        if label is not None:
            head += '"label": %s, ' % _enc(label)
        if tracing:
            tb = traceback_of(o)
            if tb is not None and len(tb):
                head += '"site": %s, ' % _enc("%s:%d" % (tb[0].filename, tb[0].lineno))
            del tb
        # References: the names come from the type's handler; what it cannot name stays unnamed.
        kind = info[2]
        if kind == 1:  # list, tuple: by index (gc reports the items last to first; the items are the same)
            n = len(refs)
            if n > len(index_names):
                index_names.extend('"[%d]"' % k for k in range(len(index_names), n))
            if n == len(o):
                edges = ", ".join(map('{"to": %d, "name": %s}'.__mod__, zip(map(id, o), index_names)))
            else:
                edges = _edges(refs, None)
        elif kind == 2:  # dict
            try:
                edges = _dict_edges(o, refs, keynames, seen, objs)
            except Exception:
                edges = _edges(refs, None)
        else:
            try:
                names = info[3](o, refs, info) if info[3] is not None else None
            except Exception:  # an object in an unexpected state: its references stay unnamed
                names = None
            extra = None
            if kind == 3:  # weakref.ref: the target is a weak reference
                target = _weak_call(o) if extra is None else None
                if target is not None:
                    tid = id(target)
                    extra = '{"to": %d, "name": "()", "kind": "weak"}' % tid
                del target
            edges = _edges(refs, names)
            if extra is not None:
                edges = edges + ", " + extra if edges else extra
        append(head + '"refs": [' + edges + '], ')
        i += 1
    o = t = refs = info = None
    # Roots: the modules in sys.modules.
    for name, m in list(sys.modules.items()):
        if id(m) in seen:
            roots.append('{"to": %d, "name": %s, "kind": "module"}' % (id(m), _enc("sys.modules[%r]" % (name,))))
    m = None
    return lines


def _edges(refs, names):
    if names is None:
        return ", ".join(map('{"to": %d}'.__mod__, map(id, refs)))
    return ", ".join(['{"to": %d}' % id(r) if nm is None else '{"to": %d, "name": %s}' % (id(r), _enc(nm))
                      for r, nm in zip(refs, names)])


def _dict_edges(d, refs, keynames, seen, objs):
    """A dict's references: each value named `['key']`; each key (a reference too, though gc does not
    report str keys) named `key 'key'`."""
    keys = list(dict.keys(d))
    vals = list(dict.values(d))
    n = len(vals)
    parts = []
    if len(refs) == n and all(map(_is, refs, vals)):
        paired = True   # str keys: gc reports the values only
    elif len(refs) == 2 * n and all(map(_is, refs[0::2], vals)) and all(map(_is, refs[1::2], keys)):
        paired = False  # other keys: value, key, value, key
    else:
        return _edges(refs, _match(refs, _dict_pairs(d)))
    append = parts.append
    for k, v in zip(keys, vals):
        kid = id(k)
        kn = keynames.get(kid)
        if kn is None:  # every key stays alive during the walk, so its id names it
            short = _short(k)
            kn = (_enc("[%s]" % short), _enc("key " + short))
            keynames[kid] = kn
        append('{"to": %d, "name": %s}, {"to": %d, "name": %s}' % (id(v), kn[0], kid, kn[1]))
    return ", ".join(parts)


def _dict_pairs(d):
    pairs = []
    for k, v in dict.items(d):
        pairs.append(("[%s]" % _short(k), v))
        pairs.append(("key " + _short(k), k))
    return pairs


def _match(refs, pairs, names=None):
    """Names for `refs` from (name, object) pairs, matched by identity; each reference takes at most one name."""
    if names is None:
        names = [None] * len(refs)
    if not pairs:
        return names
    where = {}
    for k, r in enumerate(refs):
        if names[k] is None:
            where.setdefault(id(r), []).append(k)
    for nm, v in pairs:
        slots = where.get(id(v))
        if slots:
            names[slots.pop(0)] = nm
    return names


def _ordered(refs, fields, o):
    """Names for references gc reports in a known field order: each (name, getter) in turn names the next
    reference when that reference is the field's value (absent fields are skipped)."""
    names = [None] * len(refs)
    k = 0
    n = len(refs)
    for nm, getter in fields:
        if k >= n:
            break
        try:
            v = getter(o)
        except Exception:
            continue
        if refs[k] is v:
            names[k] = nm
            k += 1
    return names


def _short(o):
    """A short, safe repr: values of the plain built-in types, else `<Type at 0x…>` (no user code runs)."""
    t = type(o)
    if t is str:
        return repr(o) if len(o) <= _LABEL_CHARS else repr(o[:_LABEL_CHARS]) + "…"
    if t is int:
        return repr(o) if -10**30 < o < 10**30 else "<int of %d bits>" % o.bit_length()
    if t is float or t is bool or o is None or t is complex:
        return repr(o)
    if t is bytes:
        return repr(o) if len(o) <= _LABEL_CHARS else repr(o[:_LABEL_CHARS]) + "…"
    if t is tuple and len(o) <= 4 and all(type(x) in (str, int, float, bool, bytes) or x is None for x in o):
        return "(" + ", ".join(map(_short, o)) + ("," if len(o) == 1 else "") + ")"
    return "<%s at %#x>" % (_type_name(t), id(o))


def _type_name(t):
    try:
        module = _type_module(t)
        qual = _type_qualname(t)
    except Exception:
        return "?"
    if not isinstance(module, str) or module == "builtins":
        return str(qual)
    return "%s.%s" % (module, qual)


# --- labels ----------------------------------------------------------------------------------------------

def _label_value(o):
    return _short(o)


def _label_str(o):
    return str.__repr__(o) if len(o) <= _LABEL_CHARS else str.__repr__(o[:_LABEL_CHARS]) + "…"


def _label_qualname(o):
    q = getattr(o, "__qualname__", None)
    return q if type(q) is str else None


def _label_type(o):
    q = _type_qualname(o)
    return q if type(q) is str else None


def _label_module(o):
    n = _module_dict(o).get("__name__")
    return n if type(n) is str else None


def _label_frame(o):
    code = o.f_code
    return "%s:%d %s" % (code.co_filename, o.f_lineno or 0, code.co_name)


def _label_code(o):
    return "%s:%d %s" % (o.co_filename, o.co_firstlineno, getattr(o, "co_qualname", o.co_name))


# --- names per type --------------------------------------------------------------------------------------

_FUNCTION_FIELDS = ("__code__", "__globals__", "__builtins__", "__module__", "__defaults__", "__kwdefaults__",
                    "__doc__", "__name__", None, "__closure__", None, "__qualname__")
_FUNCTION_LAZY = ("__dict__", "__annotations__")  # created when read: named by their place instead


def _names_function(o, refs, info):
    values = []
    for nm in _FUNCTION_FIELDS:
        if nm is None:
            values.append(_MISSING)
        else:
            try:
                values.append(getattr(o, nm))
            except AttributeError:
                values.append(_MISSING)
    names = [None] * len(refs)
    k = 0
    n = len(refs)
    lazy = 0
    for f, nm in enumerate(_FUNCTION_FIELDS):
        if k >= n:
            break
        r = refs[k]
        if nm is None:
            wanted = _FUNCTION_LAZY[lazy]
            lazy += 1
            if (type(r) is dict or (wanted == "__annotations__" and type(r) is tuple)) and not any(
                    r is v for v in values[f + 1:]):
                names[k] = wanted
                k += 1
        elif r is values[f]:
            names[k] = nm
            k += 1
    return names


def _names_method(o, refs, info):
    return _match(refs, [("__func__", o.__func__), ("__self__", o.__self__)])


def _names_cell(o, refs, info):
    try:
        return _match(refs, [("cell_contents", o.cell_contents)])
    except ValueError:
        return None


def _names_type(o, refs, info):
    pairs = [("__mro__", _type_mro(o)), ("__bases__", _type_bases(o)), ("__base__", _type_base(o))]
    real = _get_referents(_type_dict(o))
    if real:
        pairs.insert(0, ("__dict__", real[0]))
    return _match(refs, pairs)


def _names_module(o, refs, info):
    return _match(refs, [("__dict__", _module_dict(o))])


def _names_traceback(o, refs, info):
    return _match(refs, [("tb_next", o.tb_next), ("tb_frame", o.tb_frame)])


def _locals_names(code):
    names = list(code.co_varnames)
    names += [c for c in code.co_cellvars if c not in names]
    names += list(code.co_freevars)
    return names


def _frame_tail(refs, names, code, start):
    """Names the locals that follow the code object in a suspended frame's references."""
    for k in range(start, len(refs)):
        if refs[k] is code:
            rest = len(refs) - k - 1
            local = _locals_names(code)
            if rest == len(local):  # every local bound, nothing on the value stack: names by position
                names[k + 1:] = local
            elif rest > 0 and len(local) == 0:
                pass
            return k
    return -1


def _names_frame(o, refs, info):
    names = [None] * len(refs)
    if not refs:
        return names
    pairs = [("f_back", o.f_back), ("f_trace", o.f_trace)]
    _match(refs[:2], pairs, names)
    code = o.f_code
    k = _frame_tail(refs, names, code, 0)
    if k >= 0:
        names[k] = "f_code"
        for j in range(k):
            if names[j] is None and type(refs[j]) is dict:
                names[j] = "f_locals"
    return names


def _names_generator(o, refs, info):
    code = getattr(o, "gi_code", None) or getattr(o, "cr_code", None) or getattr(o, "ag_code", None)
    prefix = "gi" if hasattr(o, "gi_code") else "cr" if hasattr(o, "cr_code") else "ag"
    names = [None] * len(refs)
    _match(refs[:3], [(prefix + "_code", code), ("__name__", o.__name__), ("__qualname__", o.__qualname__)], names)
    k = _frame_tail(refs, names, code, 3)
    if k >= 0:
        names[k] = prefix + "_frame.f_code"
        for j in range(3, k):
            if names[j] is None:
                if type(refs[j]) is types.FrameType:
                    names[j] = prefix + "_frame"
                elif type(refs[j]) is dict:
                    names[j] = prefix + "_frame.f_locals"
    return names


def _names_set(o, refs, info):
    return ["{%s}" % _short(r) for r in refs]


def _names_positional(o, refs, info):
    return _match(refs, [("[%d]" % k, v) for k, v in enumerate(o)])


def _names_property(o, refs, info):
    return _match(refs, [("fget", o.fget), ("fset", o.fset), ("fdel", o.fdel), ("__doc__", o.__doc__)])


def _names_wrapped(o, refs, info):
    return _match(refs, [("__func__", o.__func__)])


def _names_partial(o, refs, info):
    return _match(refs, [("func", o.func), ("args", o.args), ("keywords", o.keywords)])


def _names_weakref(o, refs, info):
    return _match(refs, [("__callback__", o.__callback__)])


class _Attributes:
    """What an instance of one heap type may hold: its slots, and the names its attributes may have."""

    __slots__ = ("slots", "candidates", "learned", "tries", "classvals", "plain")

    def __init__(self, t):
        self.slots = []
        cands = []
        shadowed = {}
        try:
            mro = _type_mro(t)
        except Exception:
            mro = (t,)
        for cls in mro:
            if cls is object:
                continue
            cdict = _type_dict(cls)
            for name, v in cdict.items():
                shadowed.setdefault(name, v)
            slots = cdict.get("__slots__", ())
            if isinstance(slots, str):
                slots = (slots,)
            for s in slots if isinstance(slots, (tuple, list)) else ():
                if not isinstance(s, str) or s in ("__dict__", "__weakref__"):
                    continue
                mangled = "_%s%s" % (cls.__name__.lstrip("_"), s) if s.startswith("__") and not s.endswith("__") else s
                desc = cdict.get(mangled)
                if type(desc) is types.MemberDescriptorType:
                    self.slots.append((s, desc))
            for v in cdict.values():
                _collect_names(v, cands)
            ann = cdict.get("__annotations__")
            if isinstance(ann, dict):
                cands.extend(k for k in ann if isinstance(k, str))
            for extra in ("__match_args__", "_fields"):
                more = cdict.get(extra)
                if isinstance(more, tuple):
                    cands.extend(k for k in more if isinstance(k, str))
        usable = []
        done = set()
        self.classvals = {}
        for name in cands:
            if name in done:
                continue
            done.add(name)
            if name.startswith("__") and name.endswith("__"):
                continue
            if name in shadowed:
                v = shadowed[name]
                if hasattr(type(v), "__get__"):
                    continue  # a method, property or other descriptor: reading it could run code
                self.classvals[name] = v  # a class attribute: an instance value only when it differs
            usable.append(name)
        self.candidates = usable
        self.learned = []
        self.tries = 0
        self.plain = not self.slots and not issubclass(t, (dict, list, tuple, set, frozenset, BaseException))


def _collect_names(v, out):
    if isinstance(v, (staticmethod, classmethod)):
        v = v.__func__
    if isinstance(v, property):
        for f in (v.fget, v.fset, v.fdel):
            if f is not None:
                _collect_names(f, out)
        return
    code = getattr(v, "__code__", None) if type(v) is types.FunctionType else None
    if code is None:
        return
    stack = [code]
    while stack:
        c = stack.pop()
        out.extend(c.co_names)
        stack.extend(x for x in c.co_consts if type(x) is types.CodeType)


def _names_instance(o, refs, info):
    """Heap-type instances: slots, attributes by name (read from the instance, never creating its
    __dict__), a materialized __dict__, the contents of a built-in base (dict, list, set), __class__."""
    attrs = info[4]
    t = type(o)
    if attrs.plain:  # the common case: the attributes this type's instances had before, in that order
        learned = attrs.learned
        if len(refs) == len(learned) + 1 and refs[-1] is t:
            try:
                if all(map(_is, refs, map(_oga, repeat(o), learned))):
                    return learned + ["__class__"]
            except Exception:
                pass
    names = [None] * len(refs)
    pairs = []
    if refs and refs[-1] is t:
        names[-1] = "__class__"
    for s, desc in attrs.slots:
        try:
            pairs.append((s, desc.__get__(o, t)))
        except Exception:
            pass
    if isinstance(o, dict):
        pairs.extend(_dict_pairs(o))
    elif isinstance(o, list):
        pairs.extend(("[%d]" % k, v) for k, v in enumerate(list.__iter__(o)))
    elif isinstance(o, tuple):
        pairs.extend(("[%d]" % k, v) for k, v in enumerate(tuple.__iter__(o)))
    elif isinstance(o, set):
        pairs.extend(("{%s}" % _short(v), v) for v in set.__iter__(o))
    elif isinstance(o, frozenset):
        pairs.extend(("{%s}" % _short(v), v) for v in frozenset.__iter__(o))
    if isinstance(o, BaseException):
        pairs.extend((("args", _exc_args(o)), ("__traceback__", _exc_tb(o)), ("__cause__", _exc_cause(o)),
                      ("__context__", _exc_context(o))))
    _match(refs, pairs, names)
    if None not in names:
        return names
    found = []
    classvals = attrs.classvals
    for name in attrs.learned:
        try:
            v = _oga(o, name)
        except Exception:
            continue
        if classvals.get(name, _MISSING) is not v:
            found.append((name, v))
    _match(refs, found, names)
    if None in names and attrs.tries < 16:
        # Names not seen on this type yet: try the other candidates, and remember those it has.
        attrs.tries += 1
        learned = attrs.learned
        more = []
        for name in attrs.candidates:
            if name in learned:
                continue
            try:
                v = _oga(o, name)
            except Exception:
                continue
            if classvals.get(name, _MISSING) is not v:
                more.append((name, v))
                learned.append(name)
                attrs.tries = 0
        _match(refs, more, names)
        found += more
        # Keep the names in the order gc reports the values, for the fast path above.
        order = {nm: k for k, nm in enumerate(names) if nm is not None}
        learned.sort(key=lambda nm: order.get(nm, len(names)))
    # A materialized instance __dict__: an unnamed dict holding the attributes just read.
    for k, r in enumerate(refs):
        if names[k] is None and type(r) is dict:
            for name, v in found:
                if dict.get(r, name, _MISSING) is v:
                    names[k] = "__dict__"
                    break
            else:
                if names.count(None) == 1 and r and all(type(x) is str for x in r):
                    keys = list(dict.keys(r))[:3]
                    try:
                        if all(_oga(o, x) is dict.__getitem__(r, x) for x in keys):
                            names[k] = "__dict__"
                    except Exception:
                        pass
    return names


_LABELS = {str: _label_str, bytes: _label_value, int: _label_value, float: _label_value, bool: _label_value,
           complex: _label_value, types.FunctionType: _label_qualname, types.BuiltinFunctionType: _label_qualname,
           type: _label_type, types.ModuleType: _label_module, types.FrameType: _label_frame,
           types.CodeType: _label_code, types.MethodType: _label_qualname}

_NAMERS = {types.FunctionType: _names_function, types.MethodType: _names_method, types.CellType: _names_cell,
           type: _names_type, types.ModuleType: _names_module, types.TracebackType: _names_traceback,
           types.FrameType: _names_frame, types.GeneratorType: _names_generator,
           types.CoroutineType: _names_generator, types.AsyncGeneratorType: _names_generator,
           set: _names_set, frozenset: _names_set, property: _names_property, staticmethod: _names_wrapped,
           classmethod: _names_wrapped}


def _type_info(t):
    """[json type name, labeller, kind (1 positional, 2 dict, 3 weakref, 0 other), namer, attributes]."""
    name = _enc(_type_name(t))
    label = _LABELS.get(t)
    if t is str or t is int or t is float or t is bytes:
        return [name, label, 4, None, None]
    if t is list or t is tuple:
        return [name, None, 1, None, None]
    if t is dict:
        return [name, None, 2, None, None]
    if issubclass(t, weakref.ReferenceType):
        return [name, None, 3, _names_weakref if t is weakref.ReferenceType else _names_instance,
                _Attributes(t) if t is not weakref.ReferenceType else None]
    namer = _NAMERS.get(t)
    if namer is None:
        if t is collections.deque:
            namer = _names_positional
        elif t is functools.partial:
            namer = _names_partial
        elif issubclass(t, type):
            namer = _names_type
            label = _label_type
        elif t.__flags__ & _HEAPTYPE:
            return [name, label, 0, _names_instance, _Attributes(t)]
        elif issubclass(t, BaseException):
            namer = _names_instance
            return [name, label, 0, namer, _Attributes(t)]
    return [name, label, 0, namer, None]
