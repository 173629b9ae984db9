"""Turn the bytes of a transcript file into text, whatever encoding the exporting tool chose."""

from __future__ import annotations

import codecs
import re

# Longer marks first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How much of the start of the file decides the encoding guesses below.
_SAMPLE_BYTES = 4096

# Characters that some libraries (str.splitlines, so pysrt) treat as line breaks but editors
# mostly do not: they would shift every line number after them, so they become spaces.
_STRAY_BREAKS = dict.fromkeys(map(ord, "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), " ")
_STRAY_BREAK = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

_ALLOWED_CONTROLS = frozenset("\n\t")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a transcript's bytes; return the text (newlines normalised to "\\n") and the encoding.

    Order: a byte-order mark; UTF-16 without a mark (NUL in every other byte); strict UTF-8;
    cp1252. Raises ValueError when the bytes are not text at all (binary data).
    """
    text, encoding = decode_bytes(data)
    return normalise_text(text), encoding


def normalise_text(text: str) -> str:
    """Decoded ``text`` with "\\n" for every line break; ValueError if it is binary data.

    A second copy of a long text is made only when there is something to change in it.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _STRAY_BREAK.search(text):
        text = text.translate(_STRAY_BREAKS)
    if _looks_binary(text):
        raise ValueError("binary data, not text")
    return text


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding) of ``data`` as decoded, line breaks as they were."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            # Through a view: a slice of the bytes would be a second copy of the file.
            return str(memoryview(data)[len(mark) :], encoding, "replace"), encoding
    unmarked_utf16 = _unmarked_utf16(data)
    if unmarked_utf16:
        return data.decode(unmarked_utf16, errors="replace"), unmarked_utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Five bytes have no cp1252 character; one of them should not reject a whole file.
        return data.decode("cp1252", errors="replace"), "cp1252"


def _unmarked_utf16(data: bytes) -> str | None:
    """UTF-16 ("utf-16-le" or "utf-16-be") when NUL bytes fall on one side of the pairs only."""
    sample = data[: _SAMPLE_BYTES - _SAMPLE_BYTES % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    # Timing lines alone are ASCII enough to show the pattern, even when the words are not.
    if odd_nuls >= 0.3 * pairs and even_nuls <= 0.05 * pairs:
        return "utf-16-le"
    if even_nuls >= 0.3 * pairs and odd_nuls <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:_SAMPLE_BYTES]
    if "\x00" in sample:
        return True
    controls = sum(1 for char in sample if char < " " and char not in _ALLOWED_CONTROLS)
    replaced = sample.count("\ufffd")
    return (controls + replaced) > max(2, len(sample) // 50)
