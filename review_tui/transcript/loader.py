"""Load a transcript file: read bytes, decode, pick the format by content, read cues, check
their times, find speakers."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

from review_tui.model import Problem, Transcript, TranscriptError
from review_tui.transcript.cuelist import CueList
from review_tui.transcript.cuestore import RawCues
from review_tui.transcript.decode import decode_bytes, normalise_text
from review_tui.transcript.detect import choose_format
from review_tui.transcript.plain import read_plain
from review_tui.transcript.readers import read_srt, read_vtt
from review_tui.transcript.scan import ScanResult
from review_tui.transcript.speakers import attribute_speakers
from review_tui.transcript.textcolumn import TextColumn
from review_tui.transcript.untimed import place_untimed, settle_times
from review_tui.transcript.validate import check_timing, sort_by_time

_LIBRARIES = {"srt": "pysrt", "vtt": "webvtt-py", "text": None}


def load_transcript(path: Path, *, media_end_ms: int | None = None) -> Transcript:
    """The transcript in an SRT, WebVTT or timestamped-text file, with a warning for every
    fault worked around. ``media_end_ms`` ends the last turn of a layout that gives starts only.

    Raises TranscriptError (one line naming the file) only when nothing usable can be read.
    """
    path = Path(path)
    # Read in a call of its own: only the cues (which the file's text is let go from, once
    # their texts are made) outlive it.
    encoding, found = _read_file(path)
    return _build(path, encoding, *found, media_end_ms=media_end_ms)


def parse_transcript(
    text: str, path: Path, encoding: str = "utf-8", *, media_end_ms: int | None = None
) -> Transcript:
    """The transcript in already decoded ``text``; ``path`` names it (and breaks format ties)."""
    return _build(path, encoding, *_read_text(text, path), media_end_ms=media_end_ms)


def _read_file(path: Path) -> tuple[str, tuple[str, ScanResult, list[Problem]]]:
    text, encoding = _decode(path)
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
    raw = reading.cues
    settle_problems = settle_times(
        raw, source, _LIBRARIES[fmt], media_end_ms, warn_ends=fmt != "text"
    )
    if len(raw.unreadable) == len(raw):  # not one cue with a time
        located = [p for p in [*reading.problems, *settle_problems] if p.line is not None]
        if reading.timing_lines or located:
            reason = f"line {located[0].line}: {located[0].message}" if located else "see the file"
            raise TranscriptError(f"{path}: no readable cue ({reason})")
        raise TranscriptError(f"{path}: not a transcript (no SRT or WebVTT cue in it)")
    ordered, timing_problems = check_timing(raw, source)
    order = place_untimed(raw, ordered)
    # The order Transcript keeps (by start, then end; stable), so each cue's index is its place:
    # the timed cues are in it already, the untimed ones put among them may break it.
    starts, ends = raw.starts, raw.ends
    if order is not ordered and any(
        (starts[later], ends[later]) < (starts[cue], ends[cue]) for cue, later in pairwise(order)
    ):
        order = sort_by_time(order, lambda position: position, raw)
    speaker_ids, shown, speakers, speaker_problems = attribute_speakers(raw, order, source)
    raw.drop_text()  # every text is made: the file's own text is let go before they are joined
    cues = _cue_list(raw, order, shown.finish(), speaker_ids)
    warnings = [*problems, *reading.problems, *settle_problems, *timing_problems, *speaker_problems]
    # Stable: problems on one line keep the order they were found in; file-wide ones go last.
    warnings.sort(key=lambda problem: (problem.line is None, problem.line or 0))
    return Transcript(path, fmt, encoding, cues, speakers, warnings)


def _cue_list(
    raw: RawCues, order: Sequence[int], texts: TextColumn, speaker_ids: list[str | None]
) -> CueList:
    """The cues at ``order``'s positions as a CueList; the raw columns are taken, not copied,
    when the order is the file's."""
    untimed: frozenset[int] = frozenset()
    if raw.unreadable:
        untimed = frozenset(
            number for number, position in enumerate(order) if not raw.timed(position)
        )
    if order == range(len(raw)):
        return CueList(raw.starts, raw.ends, texts, speaker_ids, raw.lines, untimed)

    def column(values):
        return array(values.typecode, (values[position] for position in order))

    return CueList(
        column(raw.starts), column(raw.ends), texts, speaker_ids, column(raw.lines), untimed
    )


def _decode(path: Path) -> tuple[str, str]:
    """(text, encoding) of the file; its bytes are let go before the text is normalised."""
    data = _read_bytes(path)
    if not data or data.isspace():
        raise TranscriptError(f"{path}: empty file")
    try:
        text, encoding = decode_bytes(data)
        del data
        text = normalise_text(text)
    except ValueError:
        raise TranscriptError(f"{path}: binary data, not a transcript") from None
    if not text or text.isspace():
        raise TranscriptError(f"{path}: empty file")
    return text, encoding


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TranscriptError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TranscriptError(f"{path}: is a folder, not a transcript file") from None
    except OSError as error:
        raise TranscriptError(f"{path}: cannot read ({error.strerror or error})") from None
