"""A cue as read from the file, before speakers are found and cues are sorted.

What a cue shows is the text as the file writes it: inline markup such as ``<b>`` or
``<c.yellow>`` stays, since a quote must be exact. Only what the readers consume as
structure goes: a WebVTT voice span (it names the speaker) and inline timestamps (karaoke
timing, not words). Character references (``&amp;``, ``&#237;``) are decoded, since they
stand for the characters the speaker's words are made of.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from review_tui.text import clean

_TAG = re.compile(r"<[^>\n]*>")
_VOICE_TAG = re.compile(r"<v(?:\.[\w-]+)*(?:[ \t][^>\n]*)?>|</v\s*>")
_INLINE_TIMESTAMP = re.compile(r"<(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}>")
# The controls text.clean removes: tested first so clean text (nearly all) costs one scan.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(slots=True)
class RawCue:
    # 1-based lines: where the cue starts (its number or identifier, else its timing) and where
    # its timing is; None for a cue only a library found.
    line: int | None
    timing_line: int | None
    start_ms: int
    end_ms: int
    text: str = ""  # as written, tags included; lines joined by "\n" (one string, not a list)
    label: str | None = None  # SRT number or WebVTT identifier
    flagged: bool = False  # the scan already warned about this cue's shape
    # A timing line whose start cannot be read: what it says, so the warning can quote it.
    unreadable: str | None = None
    library_times: tuple[int, int] | None = None  # a library's reading of an unreadable timing
    end_unknown: bool = False  # no readable end: it ends where the next cue begins
    timing_text: str | None = None  # the timing line, kept only when part of it is unreadable
    speaker_hint: str | None = None  # the name a plain-text layout writes beside the time

    @property
    def raw_text(self) -> str:
        return self.text

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n") if self.text else []

    def add_line(self, line: str) -> None:
        self.text = f"{self.text}\n{line}" if self.text else line

    @property
    def timed(self) -> bool:
        return self.unreadable is None


def strip_tags(text: str) -> str:
    """Text without any markup, references decoded: for matching, never for showing."""
    return html.unescape(_TAG.sub("", text))


def shown_text(text: str) -> str:
    """The cue's text as written, minus voice spans and inline timestamps, references decoded,
    control characters removed (a transcript comes from outside)."""
    if "<" in text:
        text = _INLINE_TIMESTAMP.sub("", _VOICE_TAG.sub("", text))
    if "&" in text:
        text = html.unescape(text)
    return safe_text(text)


def safe_text(text: str) -> str:
    """``text`` with control characters and bidi overrides removed (text.clean), cheaply."""
    return clean(text) if _CONTROLS.search(text) else text


def tidy_lines(text: str) -> str:
    """Stripped, non-empty lines: what two readers must agree on, and what a cue shows."""
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
