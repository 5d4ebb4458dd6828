"""
Convert a Stata format-114 .dta file (Stata 10-12; what pandas' DataFrame.to_stata writes by default) to CSV,
faithfully: every stored value written as the shortest decimal that reads back to the same double (float columns
widened exactly to double first), Stata's missing values as empty cells, strings as stored. Independent of the
package's own .dta reader (src/data/dta.ts reads formats 117-119 only).

Follows Stata's documented format 114 (`help dta`, "dta format 114"): 109-byte header, typlist, varlist, srtlist,
fmtlist, lbllist, variable labels, expansion fields, then fixed-width records; value labels after them are not read.

Run: python3 tests/reference/dta114-to-csv.py IN.dta OUT.csv [COLUMN ...]   (standard library only)
With columns named, only those are written, in that order.
"""
import csv
import struct
import sys


def read_dta114(path):
    b = open(path, "rb").read()
    if b[0] not in (113, 114, 115):
        raise SystemExit(f"{path}: format {b[0]}, not 113-115")
    bo = "<" if b[1] == 2 else ">"
    nvar, nobs = struct.unpack(bo + "HI", b[4:10])
    pos = 109
    types = list(b[pos:pos + nvar]); pos += nvar
    names = [b[pos + 33 * i:pos + 33 * (i + 1)].split(b"\0")[0].decode("latin-1") for i in range(nvar)]
    pos += 33 * nvar + 2 * (nvar + 1) + 49 * nvar + 33 * nvar + 81 * nvar
    while True:  # expansion fields
        t = b[pos]; ln = struct.unpack(bo + "I", b[pos + 1:pos + 5])[0]; pos += 5 + ln
        if t == 0 and ln == 0:
            break
    fmt = {251: ("b", 1, 100), 252: ("h", 2, 32740), 253: ("i", 4, 2147483620)}
    cols = [[] for _ in range(nvar)]
    for _ in range(nobs):
        for j, t in enumerate(types):
            if t <= 244:
                cols[j].append(b[pos:pos + t].split(b"\0")[0].decode("latin-1")); pos += t
            elif t in fmt:
                code, w, mx = fmt[t]
                v = struct.unpack(bo + code, b[pos:pos + w])[0]; pos += w
                cols[j].append(None if v > mx else v)
            elif t == 254:
                raw = struct.unpack(bo + "I", b[pos:pos + 4])[0]
                v = struct.unpack(bo + "f", b[pos:pos + 4])[0]; pos += 4
                cols[j].append(None if 0x7F000000 <= raw < 0x80000000 else v)  # . and .a-.z
            elif t == 255:
                raw = struct.unpack(bo + "Q", b[pos:pos + 8])[0]
                v = struct.unpack(bo + "d", b[pos:pos + 8])[0]; pos += 8
                cols[j].append(None if 0x7FE0000000000000 <= raw < 0x8000000000000000 else v)
            else:
                raise SystemExit(f"{path}: unknown type {t} for {names[j]}")
    return names, types, cols, nobs


def cell(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v) if v != int(v) or abs(v) >= 1e15 else str(int(v))
    return str(v)


if __name__ == "__main__":
    src, out, *keep = sys.argv[1:]
    names, types, cols, nobs = read_dta114(src)
    idx = [names.index(k) for k in keep] if keep else list(range(len(names)))
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([names[i] for i in idx])
        for r in range(nobs):
            w.writerow([cell(cols[i][r]) for i in idx])
    print(f"{src}: {nobs} rows; wrote {out} with {', '.join(f'{names[i]} ({types[i]})' for i in idx)}")
