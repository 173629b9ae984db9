"""Tell what a transcript is from what it holds, never from its name alone.

A `.webvtt` file, an SRT named `.txt`, a service's timestamped text: the content decides.
The name only breaks a tie (dotted times in a file named `.vtt` mean WebVTT without its
header) and earns a warning when it says something else than the content.
"""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

from review_tui.model import Problem
from review_tui.transcript.cuestore import iter_lines
from review_tui.transcript.plain import detect_layout
from review_tui.transcript.timing import looks_like_timing, read_timing

VTT_SUFFIXES = (".vtt", ".webvtt")
SRT_SUFFIXES = (".srt",)
# Lines looked at for a timing line before deciding the file has none.
_TIMING_SNIFF_LINES = 2_000
_HEADER = re.compile(r"\s*WEBVTT")


def choose_format(text: str, path: Path) -> tuple[str | None, str | None, list[Problem]]:
    """(format, plain layout, warnings): format "vtt", "srt", "text" or None (not a transcript)."""
    suffix = path.suffix.lower()
    name = path.name
    if _starts_with_header(text):
        if suffix in SRT_SUFFIXES:
            return "vtt", None, [Problem(name, "named .srt but holds WebVTT; read as WebVTT", 1)]
        return "vtt", None, []
    first_timing = _first_timing(text)
    if first_timing is not None:
        if suffix in VTT_SUFFIXES:
            if "," not in first_timing:
                return "vtt", None, [Problem(name, "no WEBVTT header on the first line", 1)]
            message = f"named {suffix} but holds SRT (no WEBVTT header); read as SRT"
            return "srt", None, [Problem(name, message, 1)]
        return "srt", None, []
    layout = detect_layout(text)
    if layout is not None:
        return "text", layout, []
    return None, None, []


def looks_like_transcript(text: str) -> bool:
    """Whether ``text`` holds cues of any format read here (for telling files apart)."""
    return (
        _starts_with_header(text)
        or _first_timing(text) is not None
        or detect_layout(text) is not None
    )


def _starts_with_header(text: str) -> bool:
    """Whether the first thing in ``text`` is "WEBVTT" (text.lstrip() would copy the file)."""
    return _HEADER.match(text) is not None


def _first_timing(text: str) -> str | None:
    # Line by line: split() with a limit would copy all the rest of a long file.
    for line in islice(iter_lines(text), _TIMING_SNIFF_LINES):
        stripped = line.strip()
        if looks_like_timing(stripped) and read_timing(stripped, "srt") is not None:
            return stripped
    return None


# Enough of a file to find its first cues; a transcript is never told apart by more.
_SNIFF_BYTES = 64 * 1024


def is_transcript_file(path: Path) -> bool:
    """Whether the regular file at ``path`` holds a transcript, judged by its first bytes.

    Never raises: a file that cannot be read, or is not a regular file (a FIFO would block),
    is simply not one.
    """
    from review_tui.transcript.decode import decode_text

    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            data = handle.read(_SNIFF_BYTES)
        text, _ = decode_text(data)
    except (OSError, ValueError):
        return False
    return looks_like_transcript(text)
