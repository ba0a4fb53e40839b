"""Decode bytes of unknown encoding: UTF-8, UTF-16 (with BOM) and Windows-1251 all occur in this domain."""
from __future__ import annotations

from .errors import SkipFile


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if _looks_binary(data):
        raise SkipFile("binary data, not text (wrong file extension?)")
    if _mostly_utf8(data):
        return _decode_lines(data)
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=None).best()
    if best is None:
        return _decode_lines(data)
    return str(best)


def _mostly_utf8(data: bytes) -> bool:
    """True for text where most non-ASCII lines are UTF-8 and some are not: a file pasted together."""
    lines = [line for line in data.split(b"\n") if any(b > 127 for b in line)]
    good = 0
    for line in lines:
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            pass
    return bool(lines) and good / len(lines) >= 0.3


def _decode_lines(data: bytes) -> str:
    """Decode line by line: UTF-8 where it is valid, Windows-1251 (the usual other encoding here) elsewhere."""
    out = []
    for line in data.split(b"\n"):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode("cp1251", errors="replace"))
    return "\n".join(out)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    odd_nulls = sample[1::2].count(0) / max(1, len(sample[1::2]))
    even_nulls = sample[0::2].count(0) / max(1, len(sample[0::2]))
    for encoding, nulls in (("utf-16-le", odd_nulls), ("utf-16-be", even_nulls)):
        if nulls > 0.3:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) * 0.05
