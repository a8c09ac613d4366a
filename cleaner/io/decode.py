"""Bytes to text without losing a document: BOMs honoured (UTF-8, UTF-16,
UTF-32), invalid UTF-8 replaced and flagged, binary content recognised.

>>> decode_text(b"caf\\xc3\\xa9")
('café', [])
>>> decode_text(b"caf\\xe9 au lait")
('caf\\ufffd au lait', ['invalid_utf8_replaced'])
>>> decode_text("\\ufeffHi".encode("utf-16"))
('Hi', ['decoded_utf16'])
>>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR")
True
"""

from __future__ import annotations

import codecs

INVALID_UTF8 = "invalid_utf8_replaced"
#: A file whose first 8 KB are more than this share NUL or other control
#: bytes (not tab, CR, LF, FF) is binary, not text.
BINARY_SHARE = 0.05
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = {9, 10, 12, 13}


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    bad = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    return bad / len(head) > BINARY_SHARE


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Text and the flags that say how it was decoded."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            flags = [] if encoding == "utf-8-sig" else [f"decoded_{encoding.replace('-', '')}"]
            if "\ufffd" in text and "\ufffd".encode() not in data:
                flags.append(INVALID_UTF8)
            return text.lstrip("\ufeff"), flags
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), [INVALID_UTF8]
