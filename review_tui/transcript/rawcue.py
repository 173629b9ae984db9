"""A cue as read from the file, before speakers are found and cues are sorted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<[^>\n]*>")
# Entities that subtitle tools write; anything rarer stays as written.
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)))


@dataclass(slots=True)
class RawCue:
    # 1-based lines: where the cue starts (its number or identifier, else its timing) and where
    # its timing is; None for a cue only a library found.
    line: int | None
    timing_line: int | None
    start_ms: int
    end_ms: int
    lines: list[str] = field(default_factory=list)  # text as written, tags included
    label: str | None = None  # SRT number or WebVTT identifier
    flagged: bool = False  # the scan already warned about this cue's shape

    @property
    def raw_text(self) -> str:
        return "\n".join(self.lines)


def strip_tags(text: str) -> str:
    """Text without markup (<i>, <c.x>, <v Name>, inline timestamps), entities resolved."""
    return _ENTITY.sub(lambda match: _ENTITIES[match.group(0)], _TAG.sub("", text))


def tidy_lines(text: str) -> str:
    """Stripped, non-empty lines: what two readers must agree on, and what a cue shows."""
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
