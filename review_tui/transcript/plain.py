"""Plain-text transcripts as transcription services export them: a start time and a name per
turn, no end times. Three layouts are read:

    inline   Speaker 1 (00:01:02): text            (name, time in brackets, colon, text)
    header   Dr. Amy Chen  1:02                    (name and time alone on a line,
             text on the lines below                 the turn's text on the lines below)
    bracket  [00:01:02] Name: text                 (time in square brackets first)

A turn ends where the next begins (untimed.py gives the last one the recording's end).
"""

from __future__ import annotations

import re
import sys
from itertools import islice

from review_tui.model import Problem
from review_tui.transcript.cuestore import RawCues, iter_lines
from review_tui.transcript.scan import ScanResult

# "1:02", "01:02", "75:30" (minutes), "1:02:03", "00:01:02.5", "00:01:02,500".
_TIME = r"(?:\d{1,2}:\d{2}:\d{2}|\d{1,3}:\d{2})(?:[.,]\d{1,3})?"
# A name as these layouts write it: a few words, no sentence punctuation; SPEAKER_00 too.
_NAME = r"[^\s\d:()\[\]<>?!,;][^\n:()\[\]<>?!;]{0,39}?|\[?[Ss][Pp][Ee][Aa][Kk][Ee][Rr][ _]?\d{1,3}\]?"

_LAYOUTS = {
    "inline": re.compile(rf"(?P<name>{_NAME})\s*\(\s*(?P<time>{_TIME})\s*\)\s*:?\s*(?P<text>.*)"),
    "header": re.compile(rf"(?P<name>{_NAME})[ \t]+(?P<time>{_TIME})\s*"),
    "bracket": re.compile(
        rf"\[\s*(?P<time>{_TIME})\s*\]\s*(?:(?P<name>{_NAME})\s*:(?:\s+|$))?(?P<text>.*)"
    ),
}
LAYOUT_NAMES = tuple(_LAYOUTS)
_MAX_NAME_WORDS = 5
_SNIFF_LINES = 400  # non-blank lines looked at to tell the layout


def _parse_time(text: str) -> int:
    clock, _, fraction = text.replace(",", ".").partition(".")
    parts = [int(part) for part in clock.split(":")]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds * 1000 + (int(fraction.ljust(3, "0")) if fraction else 0)


def _header(layout: str, line: str) -> re.Match[str] | None:
    match = _LAYOUTS[layout].fullmatch(line.strip())
    if match is None:
        return None
    name = match.group("name")
    if name is not None and len(name.split()) > _MAX_NAME_WORDS:
        return None
    return match


def detect_layout(text: str) -> str | None:
    """The plain-text layout ``text`` is written in, or None when it is none of them.

    The layout with most turn lines among the first lines wins; "header" needs two turns,
    each followed by text, since a line ending in a time can be ordinary prose.
    """
    # Line by line: split() with a limit would copy all the rest of a long file.
    lines = [line.strip() for line in islice(iter_lines(text), _SNIFF_LINES * 4)]
    counts = dict.fromkeys(_LAYOUTS, 0)
    seen = 0
    for number, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > _SNIFF_LINES:
            break
        for layout in ("inline", "bracket"):
            if _header(layout, line):
                counts[layout] += 1
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if following and _header("header", line) and not _header("header", following):
            counts["header"] += 1
    best = max(counts, key=lambda layout: counts[layout])
    needed = 2 if best == "header" else 1
    return best if counts[best] >= needed else None


def read_plain(text: str, source: str, layout: str) -> ScanResult:
    """The turns of a plain-text transcript in ``layout``, each with its start only."""
    cues = RawCues(text)
    result = ScanResult(cues)
    cue: int | None = None
    ignored_from: int | None = None
    offset = 0  # where ``line`` starts in ``text``
    for number, line in enumerate(iter_lines(text), start=1):
        line_start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if line[0].isspace():  # where ``stripped`` stands
            line_start += len(line) - len(line.lstrip())
        match = _header(layout, stripped)
        if match is not None:
            result.timing_lines += 1
            name = match.group("name")
            cue = cues.add(
                number, number, _parse_time(match.group("time")), 0, end_unknown=True,
                hint=sys.intern(name.strip().strip("[]")) if name else None,
            )
            first = match.groupdict().get("text")
            if first and first.strip():
                lead = len(first) - len(first.lstrip())
                cues.add_text(cue, line_start + match.start("text") + lead, first.strip())
            ignored_from = None
        elif cue is not None:
            cues.add_text(cue, line_start, stripped)
        elif ignored_from is None:
            ignored_from = number
            result.problems.append(
                Problem(source, f"text before the first turn is ignored: {stripped[:40]!r}", number)
            )
    for position in range(len(cues)):
        if not cues.has_text(position):
            result.problems.append(Problem(source, "turn has no text", cues.line(position)))
    return result
