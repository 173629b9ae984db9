"""Read a cue's timing line leniently, naming every way it departs from the format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The arrow as people and tools actually type it: "-->", "->", "--->", a dash and ">", "=>".
_ARROW = re.compile(r"\s*(-+>|[\u2013\u2014]+>|=>)\s*")
_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:([,.:])(\d{1,3}))?")
# Enough to tell a broken timing line from cue text: a time-like word, an arrow, a digit.
_TIMING_SHAPE = re.compile(r"^\s*\d[\w.,]*:[\w:.,]*\s*(-+>|[\u2013\u2014]+>|=>)\s*\d")


@dataclass(frozen=True, slots=True)
class Timing:
    start_ms: int
    end_ms: int
    problems: list[str] = field(default_factory=list)


def looks_like_timing(line: str) -> bool:
    """True for a line shaped like a timing line, even one too broken to read."""
    return bool(_TIMING_SHAPE.match(line))


def read_timing(line: str, fmt: str) -> Timing | None:
    """The times on a cue timing line (``fmt`` is "srt" or "vtt"), or None if it is not one.

    Settings after the end time (WebVTT positions, SRT coordinates) are ignored.
    """
    arrow = _ARROW.search(line)
    if arrow is None:
        return None
    start_text = line[: arrow.start()].strip()
    end_text = line[arrow.end() :].split(maxsplit=1)
    if not start_text or not end_text:
        return None
    problems: list[str] = []
    if arrow.group(1) != "-->":
        problems.append(f"arrow {arrow.group(1)!r} instead of '-->'")
    start_ms = _read_time(start_text, fmt, problems)
    end_ms = _read_time(end_text[0], fmt, problems)
    if start_ms is None or end_ms is None:
        return None
    return Timing(start_ms, end_ms, problems)


def _read_time(text: str, fmt: str, problems: list[str]) -> int | None:
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    hours, minutes, seconds, separator, fraction = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    millis = 0
    if fraction is None:
        problems.append(f"time {text!r} has no milliseconds")
    else:
        millis = int(fraction.ljust(3, "0"))
        if len(fraction) != 3:
            problems.append(f"time {text!r} has {len(fraction)} digit(s) after the seconds")
        expected = "," if fmt == "srt" else "."
        # SRT readers accept a dot; a comma makes WebVTT readers drop the cue.
        if separator != expected and not (fmt == "srt" and separator == "."):
            problems.append(f"time {text!r} uses {separator!r} before the milliseconds")
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis
