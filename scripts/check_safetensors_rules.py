#!/usr/bin/env python3
"""Checks that Hugging Face's safetensors library (the reference reader) refuses each broken
file that Tests/ConvFormatsTests/SafeTensorsTests.swift (`violations`) expects convscope's
SafeTensors.decode to refuse, and accepts the padded file with zero-length tensors that
`paddingAndEmptyTensors` expects it to accept: convscope's rules are the spec's, no looser. One
place convscope is stricter: a name given twice is refused (JSON leaves repeated keys undefined;
the library keeps the last entry, so only the offsets it leaves uncovered make it refuse the
"duplicate" case here). Not a test dependency; run by hand after changing either side (needs numpy and
safetensors: pip install --no-deps safetensors):
    python3 scripts/check_safetensors_rules.py
Prints one line per case and exits non-zero when the library disagrees.
"""

import struct
import sys

from safetensors.numpy import load


def file(header, data=b"", size=None, pad=True):
    h = header.encode() if isinstance(header, str) else header
    if pad:
        h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h) if size is None else size) + h + data


def entry(name, shape, begin, end, dtype="F32"):
    return '"%s":{"dtype":"%s","shape":%s,"data_offsets":[%d,%d]}' % (
        name, dtype, shape, begin, end)


def main():
    z8 = bytes(8)
    refused = {
        "hole": file("{%s,%s}" % (entry("a", [2], 0, 8), entry("b", [1], 12, 16)), z8 + z8),
        "overlap": file("{%s,%s}" % (entry("a", [2], 0, 8), entry("b", [2], 4, 12)),
                        z8 + bytes(4)),
        "bad length": file("{%s}" % entry("a", [3], 0, 8), z8),
        "end before begin": file("{%s,%s}" % (entry("a", [2], 0, 8), entry("b", [0], 8, 4)), z8),
        "header too long": file("{}", size=100_000_001),
        "header past the end": file("{}", size=64),
        "not JSON": file('{"a":}'),
        "not an object": file("[1, 2]"),
        "duplicate": file("{%s,%s}" % (entry("a", [1], 0, 4), entry("a", [1], 4, 8)), z8),
        "unknown dtype": file("{%s}" % entry("a", [1], 0, 4, "F33"), bytes(4)),
        "truncated data": file("{%s}" % entry("a", [2], 0, 8), bytes(4)),
        "trailing bytes": file("{%s}" % entry("a", [1], 0, 4), z8),
        "too short": bytes([1, 0, 0]),
        "negative dimension": file("{%s}" % entry("a", [-1], 0, 0)),
        "fractional offset": file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}'),
        "missing dtype": file('{"a":{"shape":[1],"data_offsets":[0,4]}}', bytes(4)),
        "metadata not strings": file('{"__metadata__":{"format":1}}'),
        "not UTF-8": file(b'{"\xff":1}'),
    }
    ok = True
    for what, data in refused.items():
        try:
            load(data)
            print("ACCEPTED (convscope refuses it):", what)
            ok = False
        except Exception as e:  # the library raises SafetensorError
            print("refused:", what, "|", str(e)[:80])
    padded = file("{%s,%s}   \t\n " % (entry("z", [0], 0, 0), entry("a", [1], 0, 4)),
                  bytes([0, 0, 0x80, 0x3F]), pad=False)
    print("accepted: trailing whitespace and an empty tensor |", load(padded))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
