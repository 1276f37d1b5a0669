#!/usr/bin/env python3
# make-seeds.py — writes the repeated-type-name and leading-whitespace fuzz seeds in this folder
# (scripts/fuzz adds every seed here to the corpus):
# inputs the writer never produces but the readers must take in linear time (issue 19.1).
import struct, zlib, os

here = os.path.dirname(os.path.abspath(__file__))

def section(tag, payload):
    return tag.encode() + struct.pack("<Q", len(payload)) + payload + struct.pack("<I", zlib.crc32(payload) & 0xFFFFFFFF)

def repeated_type_name(name, entries):
    """A v1 dump: `entries` objects, object k of type entry k, every entry naming pool string 0."""
    out = b"\x89HEAP\r\n\x1a" + struct.pack("<II", 1, 7)
    out += section("STRS", struct.pack("<QQ", 1, len(name)) + name)
    out += section("TYPE", struct.pack("<Q", entries) + b"\0\0\0\0" * entries)
    out += section("SITE", struct.pack("<Q", 0))
    objs = struct.pack("<Q", entries)
    objs += b"".join(struct.pack("<Q", k + 1) for k in range(entries))
    objs += b"".join(struct.pack("<I", k) for k in range(entries))
    objs += struct.pack("<Q", 16) * entries + struct.pack("<I", 1) * entries + b"\xff" * entries
    objs += b"\xff\xff\xff\xff" * entries * 2 + struct.pack("<Q", 0)
    out += section("OBJS", objs)
    out += section("EDGE", struct.pack("<QQ", 0, 0) + b"\0\0\0\0" * (entries + 1))
    out += section("ROOT", struct.pack("<Q", 0))
    out += section("ALOC", b"\0")
    return out

with open(os.path.join(here, "repeated-type-name.heap"), "wb") as f:
    f.write(repeated_type_name(b"T" * 16384, 1000))     # 1,000 entries naming one 16 KiB string: 62 KiB
with open(os.path.join(here, "repeated-type-name-many.heap"), "wb") as f:
    f.write(repeated_type_name(b"Node", 1500))          # many entries, short name
with open(os.path.join(here, "leading-whitespace.json"), "wb") as f:
    f.write(b" \n\t\r" * 4096 + b'{"heapscan":1,"objects":[{"id":1,"type":"A","size":1}]}')
