"""A cue's text as read from the file, and what is shown of it.

What a cue shows is the text as the file writes it: inline markup such as ``<b>`` or
``<c.yellow>`` stays, since a quote must be exact. Only what the readers consume as
structure goes: a WebVTT voice span (it names the speaker) and inline timestamps (karaoke
timing, not words). Character references (``&amp;``, ``&#237;``) are decoded, since they
stand for the characters the speaker's words are made of.
"""

from __future__ import annotations

import re

from review_tui.text import clean

_TAG = re.compile(r"<[^>\n]*>")
_VOICE_TAG = re.compile(r"<v(?:\.[\w-]+)*(?:[ \t][^>\n]*)?>|</v\s*>")
_INLINE_TIMESTAMP = re.compile(r"<(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}>")
# The controls text.clean removes: tested first so clean text (nearly all) costs one scan.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def unescape(text: str) -> str:
    """``text`` with its character references decoded. The html module (and its table of
    2,000 entities, ~2.5 ms to import) is loaded only for text that has a reference, which
    most transcripts never do."""
    if "&" not in text:
        return text
    from html import unescape as decode_references

    return decode_references(text)


def strip_tags(text: str) -> str:
    """Text without any markup, references decoded: for matching, never for showing."""
    return unescape(_TAG.sub("", text))


def shown_text(text: str) -> str:
    """The cue's text as written, minus voice spans and inline timestamps, references decoded,
    control characters removed (a transcript comes from outside)."""
    if "<" in text:
        text = _INLINE_TIMESTAMP.sub("", _VOICE_TAG.sub("", text))
    return safe_text(unescape(text))


def safe_text(text: str) -> str:
    """``text`` with control characters and bidi overrides removed (text.clean), cheaply."""
    return clean(text) if _CONTROLS.search(text) else text


def tidy_lines(text: str) -> str:
    """Stripped, non-empty lines: what two readers must agree on, and what a cue shows."""
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
