"""Writes templates/sRGB.icc, the colour profile of the PDF's PDF/A output intent.

    python tools/make_srgb_icc.py

PDF/A needs the intended output described by an ICC profile embedded in the file,
and nothing may be downloaded at build time, so the profile ships in templates/.
It is made here rather than copied from somewhere so that its origin and licence
are plain: an ICC version 2 display profile (v2 because every PDF/A-2 reader
accepts it) with the sRGB primaries adapted to D50 (IEC 61966-2-1, Annex F's
Bradford-adapted values, as the ICC's own sRGB profiles give them) and the sRGB
tone curve as a 1024-entry table. The header's date is fixed, so the bytes are
the same on every run.
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates" / "sRGB.icc"

D50 = (0.9642, 1.0, 0.8249)
PRIMARIES = {  # sRGB red, green, blue in PCS (D50) XYZ
    b"rXYZ": (0.4360, 0.2225, 0.0139),
    b"gXYZ": (0.3851, 0.7169, 0.0971),
    b"bXYZ": (0.1431, 0.0606, 0.7141),
}


def s15(x: float) -> bytes:
    return struct.pack(">i", round(x * 65536))


def xyz(values: tuple[float, float, float]) -> bytes:
    return b"XYZ " + b"\0" * 4 + b"".join(s15(v) for v in values)


def text(s: str) -> bytes:
    return b"text" + b"\0" * 4 + s.encode("ascii") + b"\0"


def desc(s: str) -> bytes:
    ascii_ = s.encode("ascii") + b"\0"
    # ASCII description, then empty Unicode and ScriptCode parts (ICC v2 'desc').
    return (b"desc" + b"\0" * 4 + struct.pack(">I", len(ascii_)) + ascii_
            + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67)


def curve() -> bytes:
    def srgb(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    n = 1024
    table = b"".join(struct.pack(">H", round(srgb(i / (n - 1)) * 65535)) for i in range(n))
    return b"curv" + b"\0" * 4 + struct.pack(">I", n) + table


def pad(b: bytes) -> bytes:
    return b + b"\0" * (-len(b) % 4)


def profile() -> bytes:
    trc = curve()
    tags = [
        (b"desc", desc("sRGB (dxreport)")),
        (b"cprt", text("No copyright, use freely")),
        (b"wtpt", xyz(D50)),
        *((sig, xyz(v)) for sig, v in PRIMARIES.items()),
        (b"rTRC", trc), (b"gTRC", trc), (b"bTRC", trc),
    ]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    entries, data, seen = [], b"", {}
    for sig, body in tags:
        if body in seen:  # the three curves share one copy, as profiles usually do
            entries.append(struct.pack(">4sII", sig, *seen[body]))
            continue
        seen[body] = (offset + len(data), len(body))
        entries.append(struct.pack(">4sII", sig, offset + len(data), len(body)))
        data += pad(body)
    body = struct.pack(">I", len(tags)) + b"".join(entries) + data
    size = 128 + len(body)
    header = (struct.pack(">I", size) + b"\0" * 4 + bytes([2, 0x10, 0, 0]) + b"mntr" + b"RGB " + b"XYZ "
              + struct.pack(">6H", 2000, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 4 + struct.pack(">I", 0)
              + b"\0" * 8 + b"\0" * 8 + struct.pack(">I", 0) + b"".join(s15(v) for v in D50) + b"\0" * 4)
    header += b"\0" * (128 - len(header))
    return header + body


def main() -> None:
    data = profile()
    OUT.write_bytes(data)
    print(f"{OUT.relative_to(ROOT)}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
