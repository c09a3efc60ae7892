#!/usr/bin/env python3
"""png.py: tiny PNG reader (8-bit RGB/RGBA, non-interlaced, as Chromium writes)
for tests: `png.py colours FILE` prints the number of distinct colours and
the share of the most common one; `png.py crop FILE OUT X Y W H` writes a
cropped copy (to look at part of a tall screenshot)."""
import struct, sys, zlib


def read(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or inter:
                raise ValueError("unsupported PNG (depth %d, type %d)" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def write(path, w, h, bpp, rows):
    raw = b"".join(b"\x00" + r for r in rows)
    def chunk(k, b):
        return struct.pack(">I", len(b)) + k + b + struct.pack(">I", zlib.crc32(k + b) & 0xffffffff)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2 if bpp == 3 else 6, 0, 0, 0)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                           chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    w, h, bpp, rows = read(path)
    if cmd == "colours":
        counts = {}
        for r in rows[::2]:
            for i in range(0, len(r), bpp * 2):
                px = r[i:i + 3]
                counts[px] = counts.get(px, 0) + 1
        total = sum(counts.values())
        print(len(counts), "%.3f" % (max(counts.values()) / total))
    elif cmd == "crop":
        out, x, y, cw, ch = sys.argv[3], *map(int, sys.argv[4:8])
        ch = min(ch, h - y)
        write(out, cw, ch, bpp, [r[x * bpp:(x + cw) * bpp] for r in rows[y:y + ch]])


if __name__ == "__main__":
    main()
