"""The tests' one PNG reader (8-bit grey, grey+alpha, RGB, RGBA; every filter), so a
shell test can look at the pictures it made without extra packages:
    sys.path.insert(0, TESTS_DIR); import png_rows
    w, h, bpp, rows = png_rows.read(path, max_rows=None)   # rows: bytes per row, unfiltered
"""
import struct
import zlib


def read(path, max_rows=None):
    data = open(path, 'rb').read()
    i, idat, ihdr = 8, b'', None
    while i < len(data):
        n, kind = struct.unpack('>I4s', data[i:i + 8])
        body = data[i + 8:i + 8 + n]
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', body)
        if kind == b'IDAT':
            idat += body
        i += 12 + n
    w, h, depth, colour = ihdr[:4]
    if depth != 8:
        raise ValueError('%s: %d-bit PNG (8-bit only)' % (path, depth))
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h if max_rows is None else min(h, max_rows)):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows
