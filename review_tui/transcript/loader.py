"""Load a transcript file: read bytes, decode, pick the format by content, read cues, check
their times, find speakers."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from review_tui.model import Problem, Transcript, TranscriptError
from review_tui.transcript.cuelist import CueList
from review_tui.transcript.decode import decode_text
from review_tui.transcript.detect import choose_format
from review_tui.transcript.plain import read_plain
from review_tui.transcript.readers import read_srt, read_vtt
from review_tui.transcript.scan import ScanResult
from review_tui.transcript.speakers import attribute_speakers
from review_tui.transcript.untimed import place_untimed, settle_times
from review_tui.transcript.validate import check_timing

_LIBRARIES = {"srt": "pysrt", "vtt": "webvtt-py", "text": None}


def load_transcript(path: Path, *, media_end_ms: int | None = None) -> Transcript:
    """The transcript in an SRT, WebVTT or timestamped-text file, with a warning for every
    fault worked around. ``media_end_ms`` ends the last turn of a layout that gives starts only.

    Raises TranscriptError (one line naming the file) only when nothing usable can be read.
    """
    path = Path(path)
    # Read in a call of its own, so the file's whole text is let go before the cues are built.
    encoding, found = _read_file(path)
    return _build(path, encoding, *found, media_end_ms=media_end_ms)


def parse_transcript(
    text: str, path: Path, encoding: str = "utf-8", *, media_end_ms: int | None = None
) -> Transcript:
    """The transcript in already decoded ``text``; ``path`` names it (and breaks format ties)."""
    return _build(path, encoding, *_read_text(text, path), media_end_ms=media_end_ms)


def _read_file(path: Path) -> tuple[str, tuple[str, ScanResult, list[Problem]]]:
    text, encoding = _decode(path, _read_bytes(path))
    return encoding, _read_text(text, path)


def _read_text(text: str, path: Path) -> tuple[str, ScanResult, list[Problem]]:
    """(format, the cues as read, warnings about the format) of decoded ``text``."""
    source = path.name
    fmt, layout, problems = choose_format(text, path)
    if fmt is None:
        raise TranscriptError(
            f"{path}: not a transcript (no SRT, WebVTT or timestamped text cue in it)"
        )
    if fmt == "text":
        assert layout is not None
        return fmt, read_plain(text, source, layout), problems
    reading = read_vtt(text, source) if fmt == "vtt" else read_srt(text, source)
    return fmt, reading, problems


def _build(
    path: Path,
    encoding: str,
    fmt: str,
    reading: ScanResult,
    problems: list[Problem],
    *,
    media_end_ms: int | None,
) -> Transcript:
    source = path.name
    settled, settle_problems = settle_times(
        reading.cues, source, _LIBRARIES[fmt], media_end_ms, warn_ends=fmt != "text"
    )
    timed = [cue for cue in settled if cue.timed]
    if not timed:
        located = [p for p in [*reading.problems, *settle_problems] if p.line is not None]
        if reading.timing_lines or located:
            reason = f"line {located[0].line}: {located[0].message}" if located else "see the file"
            raise TranscriptError(f"{path}: no readable cue ({reason})")
        raise TranscriptError(f"{path}: not a transcript (no SRT or WebVTT cue in it)")
    ordered, timing_problems = check_timing(timed, source)
    placed = place_untimed(ordered, settled)
    # Only ``placed`` holds the cues from here on, so nothing else keeps them alive.
    del settled, timed, ordered
    reading.cues.clear()
    # The order Transcript keeps (by start, then end; stable), so each cue's index is its place.
    if any(
        (later.start_ms, later.end_ms) < (cue.start_ms, cue.end_ms)
        for cue, later in pairwise(placed)
    ):
        placed.sort(key=lambda cue: (cue.start_ms, cue.end_ms))
    speaker_ids, texts, speakers, speaker_problems = attribute_speakers(placed, source)
    cues = CueList(
        [raw.start_ms for raw in placed],
        [raw.end_ms for raw in placed],
        texts,
        speaker_ids,
        [raw.line for raw in placed],
        frozenset(index for index, raw in enumerate(placed) if not raw.timed),
    )
    warnings = [*problems, *reading.problems, *settle_problems, *timing_problems, *speaker_problems]
    # Stable: problems on one line keep the order they were found in; file-wide ones go last.
    warnings.sort(key=lambda problem: (problem.line is None, problem.line or 0))
    return Transcript(path, fmt, encoding, cues, speakers, warnings)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TranscriptError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TranscriptError(f"{path}: is a folder, not a transcript file") from None
    except OSError as error:
        raise TranscriptError(f"{path}: cannot read ({error.strerror or error})") from None


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise TranscriptError(f"{path}: empty file")
    try:
        text, encoding = decode_text(data)
    except ValueError:
        raise TranscriptError(f"{path}: binary data, not a transcript") from None
    if not text.strip():
        raise TranscriptError(f"{path}: empty file")
    return text, encoding
