"""Read a cue's timing line leniently, naming every way it departs from the format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from review_tui.model import format_ms

# The arrow as people and tools actually type it: "-->", "->", "--->", a dash and ">", "=>".
_ARROW = re.compile(r"\s*(-+>|[\u2013\u2014]+>|=>)\s*")
_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:([,.:])(\d{1,3}))?")
# Some exporters write every separator as a dot: "00.01.500" (min.sec.ms) or "0.00.01.500".
_DOTTED_TIME = re.compile(r"(?:(\d+)\.)?(\d{1,2})\.(\d{1,2})\.(\d{1,3})")
# A word that is trying to be a time: starts with a digit (or a minus), holds ":" or two
# separators. Both sides of an arrow are checked against it, so "A -> B" in text is not timing.
_TIMEISH = r"-?\d[\w:.,]*"
_TIMING_SHAPE = re.compile(
    rf"^\s*(?P<start>{_TIMEISH})?\s*(?:-+>|[\u2013\u2014]+>|=>)\s*(?P<end>{_TIMEISH})?(?:\s.*)?$"
)


# A timing line exactly as the format writes it (SRT readers take a dot as well as a comma).
_STRICT_TIMING = {
    fmt: re.compile(
        rf"([0-9]{{2}}):([0-5][0-9]):([0-5][0-9]){sep}([0-9]{{3}}) --> "
        rf"([0-9]{{2}}):([0-5][0-9]):([0-5][0-9]){sep}([0-9]{{3}})(?:[ \t]|$)"
    )
    for fmt, sep in (("srt", "[,.]"), ("vtt", "[.]"))
}


@dataclass(frozen=True, slots=True)
class Timing:
    """A cue's start and end as read from its timing line, and what could not be read."""

    start_ms: int | None  # None: the start is missing or cannot be read
    end_ms: int | None  # None: the end is missing or cannot be read
    problems: list[str] = field(default_factory=list)


def _time_like(word: str | None) -> bool:
    return bool(word) and (":" in word or sum(word.count(sep) for sep in ".,") >= 2)


def looks_like_timing(line: str) -> bool:
    """True for a line shaped like a timing line, even one too broken to read.

    An arrow with a time-like word on at least one side and nothing but such words (or
    nothing) on the other: `--> 02:00:10,901` is a timing line with its start missing.
    """
    if ">" not in line:  # cheap rejection for almost every text line
        return False
    match = _TIMING_SHAPE.match(line)
    if match is None:
        return False
    start, end = match.group("start"), match.group("end")
    return _time_like(start) or _time_like(end)


def strict_times(line: str, fmt: str) -> tuple[int, int] | None:
    """(start_ms, end_ms) of a timing line written exactly as the format says, else None:
    nearly every line of a long file, so one regex and no questions."""
    strict = _STRICT_TIMING[fmt].match(line)
    if strict is None:
        return None
    h1, m1, s1, f1, h2, m2, s2, f2 = map(int, strict.groups())
    return ((h1 * 60 + m1) * 60 + s1) * 1000 + f1, ((h2 * 60 + m2) * 60 + s2) * 1000 + f2


def read_timing(line: str, fmt: str) -> Timing | None:
    """The times on a cue timing line (``fmt`` is "srt" or "vtt"), or None if it is not one.

    A side that cannot be read comes back as None, for the caller to decide what to do.
    Settings after the end time (WebVTT positions, SRT coordinates) are ignored.
    """
    strict = strict_times(line, fmt)
    if strict is not None:
        return Timing(*strict)
    arrow = _ARROW.search(line)
    if arrow is None:
        return None
    start_text = line[: arrow.start()].strip()
    end_words = line[arrow.end() :].split(maxsplit=1)
    end_text = end_words[0] if end_words else ""
    if not start_text and not end_text:
        return None
    problems: list[str] = []
    if arrow.group(1) != "-->":
        problems.append(f"arrow {arrow.group(1)!r} instead of '-->'")
    start_ms = read_time(start_text, fmt, problems) if start_text else None
    end_ms = read_time(end_text, fmt, problems) if end_text else None
    return Timing(start_ms, end_ms, problems)


def read_time(text: str, fmt: str, problems: list[str]) -> int | None:
    """Milliseconds for one time as written, or None; departures are added to ``problems``."""
    if text.startswith("-"):
        magnitude = read_time(text[1:], fmt, problems)
        if magnitude is None:
            return None
        if magnitude:
            problems.append(f"negative time {text!r} set to {format_ms(0)}")
        return 0
    match = _TIME.fullmatch(text)
    if match is None:
        return _read_dotted(text, problems)
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


def _read_dotted(text: str, problems: list[str]) -> int | None:
    match = _DOTTED_TIME.fullmatch(text)
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    problems.append(f"time {text!r} uses dots for colons")
    millis = int(fraction.ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis
