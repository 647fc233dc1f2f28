#!/usr/bin/env python3
"""Writes the curved LED wall of scenes/displays/curved.display.yaml: a 90-degree arc of a
cylinder (radius 3 m about the room's Y axis, 3 m high, 32 segments) facing its axis
(winding and normals), the arc centred on -Z. TEXCOORD_0 runs across: u from 0 at the
left end to 1 at the right end, v from 0 at the top to 1 at the bottom (glTF). One
.gltf with its buffer embedded as base64; the output is the same byte for byte on
every run.

With --flat the same strip is laid out flat instead (as wide as the arc is long, at
z = -3): a "curved" screen that is in fact planar, which tests compare against the
equivalent planar screen.

usage: tools/make-curved-screen.py [--flat] [OUT]   (default scenes/displays/curved_wall.gltf)
"""
import base64
import json
import math
import struct
import sys

RADIUS = 3.0     # metres
HEIGHT = 3.0     # metres, from the floor (y = 0)
ARC = 90.0       # degrees
SEGMENTS = 32


def main():
    args = sys.argv[1:]
    flat = "--flat" in args
    args = [a for a in args if a != "--flat"]
    out = args[0] if args else "scenes/displays/curved_wall.gltf"
    positions, normals, uvs = [], [], []
    length = RADIUS * math.radians(ARC)
    for i in range(SEGMENTS + 1):
        u = i / SEGMENTS
        angle = math.radians(-ARC / 2 + ARC * u)  # 0 = straight ahead (-Z)
        x, z = RADIUS * math.sin(angle), -RADIUS * math.cos(angle)
        if flat:
            x, z = -length / 2 + length * u, -RADIUS
        positions += [(x, 0.0, z), (x, HEIGHT, z)]  # bottom, top
        normals += [(0.0, 0.0, 1.0) if flat else (-x / RADIUS, 0.0, -z / RADIUS)] * 2  # toward the viewer
        uvs += [(u, 1.0), (u, 0.0)]
    indices = []
    for i in range(SEGMENTS):
        lb, lt, rb, rt = 2 * i, 2 * i + 1, 2 * i + 2, 2 * i + 3
        # Counter-clockwise seen from the axis: the front faces the viewer.
        indices += [lb, rb, rt, lb, rt, lt]

    # Rounded to float32 first, so min/max equal the stored values exactly.
    f32 = [struct.unpack("<f", struct.pack("<f", c))[0] for p in positions for c in p]
    pos_bytes = struct.pack("<%df" % len(f32), *f32)
    nrm_bytes = struct.pack("<%df" % (3 * len(normals)), *[c for n in normals for c in n])
    uv_bytes = struct.pack("<%df" % (2 * len(uvs)), *[c for t in uvs for c in t])
    idx_bytes = struct.pack("<%dH" % len(indices), *indices)
    data = pos_bytes + nrm_bytes + uv_bytes + idx_bytes
    xs, ys, zs = f32[0::3], f32[1::3], f32[2::3]
    gltf = {
        "asset": {"version": "2.0", "generator": "vitrine tools/make-curved-screen.py"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "flat_wall" if flat else "curved_wall", "mesh": 0}],
        "meshes": [{"name": "curved_wall", "primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1, "TEXCOORD_0": 2},
                                                      "indices": 3}]}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": len(positions), "type": "VEC3",
             "min": [min(xs), min(ys), min(zs)], "max": [max(xs), max(ys), max(zs)]},
            {"bufferView": 1, "componentType": 5126, "count": len(normals), "type": "VEC3"},
            {"bufferView": 2, "componentType": 5126, "count": len(uvs), "type": "VEC2"},
            {"bufferView": 3, "componentType": 5123, "count": len(indices), "type": "SCALAR"},
        ],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": len(pos_bytes), "target": 34962},
            {"buffer": 0, "byteOffset": len(pos_bytes), "byteLength": len(nrm_bytes), "target": 34962},
            {"buffer": 0, "byteOffset": len(pos_bytes) + len(nrm_bytes), "byteLength": len(uv_bytes), "target": 34962},
            {"buffer": 0, "byteOffset": len(pos_bytes) + len(nrm_bytes) + len(uv_bytes), "byteLength": len(idx_bytes),
             "target": 34963},
        ],
        "buffers": [{"byteLength": len(data),
                     "uri": "data:application/octet-stream;base64," + base64.b64encode(data).decode("ascii")}],
    }
    with open(out, "w", encoding="ascii", newline="\n") as f:
        json.dump(gltf, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
