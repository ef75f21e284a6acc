"""Bytes to text for markup formats whose declared charset may be wrong or missing.

Rule, in order: a byte-order mark wins; bytes that are valid UTF-8 are UTF-8 whatever the
declaration says (stale `charset=iso-8859-1` headers on UTF-8 pages are common, and non-ASCII
UTF-8 is practically never valid in a legacy encoding); otherwise a declared legacy charset is
used when the bytes decode under it; otherwise the document is taken as UTF-8 with stray bytes
(pasted from a Windows-1252 editor) decoded as Windows-1252, and the number of such bytes is
reported.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# WHATWG: these labels mean windows-1252 in HTML.
_AS_1252 = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1", "l1", "cp819", "windows-1252", "cp1252"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    declared: str | None
    stray_bytes: int = 0  # bytes decoded as Windows-1252 inside otherwise UTF-8 text


def declared_charset(data: bytes) -> str | None:
    """The charset a `<meta charset>` or `http-equiv` tag declares in the first 4 KB, lower-cased."""
    match = _DECLARED.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def decode_markup(data: bytes) -> Decoded:
    """Decode HTML/SGML bytes following the module's rule; never raises on any byte sequence."""
    declared = declared_charset(data)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(name, errors="replace"), name, declared)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", declared)
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf-8", "utf8"):
        name = "cp1252" if declared in _AS_1252 else declared
        try:
            return Decoded(data.decode(name), name, declared)
        except (LookupError, UnicodeDecodeError):
            pass
    text, stray = utf8_with_1252_fallback(data)
    return Decoded(text, "utf-8+cp1252", declared, stray)


def utf8_with_1252_fallback(data: bytes) -> tuple[str, int]:
    """Decode UTF-8, decoding each invalid byte as Windows-1252 (latin-1 where 1252 has a hole)."""
    text = data.decode("utf-8", errors="surrogateescape")  # invalid byte b -> U+DC00 + b
    stray = len(_ESCAPED.findall(text))
    return (_ESCAPED.sub(_byte_as_1252, text) if stray else text), stray


_ESCAPED = re.compile("[\udc80-\udcff]")


def _byte_as_1252(match: re.Match[str]) -> str:
    byte = bytes([ord(match.group()) - 0xDC00])
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:
        return byte.decode("latin-1")
