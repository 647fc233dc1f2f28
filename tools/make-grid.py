#!/usr/bin/env python3
"""Writes assets/room/grid.gltf: a 8 m x 8 m checkered floor (16 x 16 cells of 0.5 m,
vertex colours, unlit) that shows perspective and seams plainly on LED-wall tests.
Deterministic: the same bytes every run."""
import base64, json, struct, sys
from pathlib import Path

def main(out):
    cells, size = 16, 0.5
    pos, nrm, col, idx = [], [], [], []
    for j in range(cells):
        for i in range(cells):
            x0, z0 = -4 + i * size, -4 + j * size
            c = (0.8, 0.8, 0.75, 1.0) if (i + j) % 2 == 0 else (0.12, 0.14, 0.2, 1.0)
            base = len(pos)
            for (x, z) in ((x0, z0), (x0, z0 + size), (x0 + size, z0 + size), (x0 + size, z0)):
                pos.append((x, 0.0, z)); nrm.append((0.0, 1.0, 0.0)); col.append(c)
            idx += [base, base + 1, base + 2, base, base + 2, base + 3]
    blob = b"".join(struct.pack("<3f", *p) for p in pos)
    blob += b"".join(struct.pack("<3f", *n) for n in nrm)
    blob += b"".join(struct.pack("<4f", *c) for c in col)
    blob += b"".join(struct.pack("<I", i) for i in idx)
    n = len(pos)
    views = [(0, 12 * n), (12 * n, 12 * n), (24 * n, 16 * n), (40 * n, 4 * len(idx))]
    doc = {
        "asset": {"version": "2.0", "generator": "vitrine tools/make-grid.py"},
        "extensionsUsed": ["KHR_materials_unlit"],
        "scene": 0, "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "grid", "mesh": 0}],
        "meshes": [{"name": "grid", "primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1, "COLOR_0": 2},
                                                     "indices": 3, "material": 0}]}],
        "materials": [{"name": "grid", "pbrMetallicRoughness": {"metallicFactor": 0, "roughnessFactor": 1},
                       "extensions": {"KHR_materials_unlit": {}}}],
        "buffers": [{"byteLength": len(blob),
                     "uri": "data:application/octet-stream;base64," + base64.b64encode(blob).decode()}],
        "bufferViews": [{"buffer": 0, "byteOffset": o, "byteLength": l} for (o, l) in views],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": n, "type": "VEC3", "min": [-4, 0, -4], "max": [4, 0, 4]},
            {"bufferView": 1, "componentType": 5126, "count": n, "type": "VEC3"},
            {"bufferView": 2, "componentType": 5126, "count": n, "type": "VEC4"},
            {"bufferView": 3, "componentType": 5125, "count": len(idx), "type": "SCALAR"},
        ],
    }
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(doc, indent=1) + "\n")

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parent.parent / "assets/room/grid.gltf"))
