"""Load a transcript file: read bytes, decode, pick the format, read cues, check, find speakers."""

from __future__ import annotations

from pathlib import Path

from review_tui.model import Cue, Problem, Transcript, TranscriptError
from review_tui.transcript.decode import decode_text
from review_tui.transcript.readers import read_srt, read_vtt
from review_tui.transcript.speakers import attribute_speakers
from review_tui.transcript.timing import read_timing
from review_tui.transcript.validate import check_timing


def load_transcript(path: Path) -> Transcript:
    """The transcript in an SRT or WebVTT file, with a warning for every fault worked around.

    Raises TranscriptError (one line naming the file) only when nothing usable can be read.
    """
    path = Path(path)
    source = path.name
    text, encoding = _decode(path, _read_bytes(path))
    fmt, problems = _choose_format(text, path)
    reading = read_vtt(text, source) if fmt == "vtt" else read_srt(text, source)
    if not reading.cues:
        if reading.timing_lines:
            located = [problem for problem in reading.problems if problem.line is not None]
            reason = f"line {located[0].line}: {located[0].message}" if located else "see the file"
            raise TranscriptError(f"{path}: no readable cue ({reason})")
        raise TranscriptError(f"{path}: not a transcript (no SRT or WebVTT cue in it)")
    ordered, timing_problems = check_timing(reading.cues, source)
    attributed, speakers, speaker_problems = attribute_speakers(ordered, source)
    cues = [
        Cue(index, raw.start_ms, raw.end_ms, text, speaker, raw.line)
        for index, (raw, (speaker, text)) in enumerate(zip(ordered, attributed, strict=True))
    ]
    warnings = [*problems, *reading.problems, *timing_problems, *speaker_problems]
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


def _choose_format(text: str, path: Path) -> tuple[str, list[Problem]]:
    """The format and any warning: the WEBVTT header decides, else a .vtt name with dotted times."""
    suffix = path.suffix.lower()
    if text.lstrip().startswith("WEBVTT"):
        if suffix == ".srt":
            return "vtt", [Problem(path.name, "named .srt but holds WebVTT; read as WebVTT", 1)]
        return "vtt", []
    if suffix == ".vtt":
        if _first_timing_uses_dots(text):
            return "vtt", [Problem(path.name, "no WEBVTT header on the first line", 1)]
        return "srt", [
            Problem(path.name, "named .vtt but holds SRT (no WEBVTT header); read as SRT", 1)
        ]
    return "srt", []


def _first_timing_uses_dots(text: str) -> bool:
    for line in text.split("\n"):
        if read_timing(line.strip(), "vtt") is not None:
            return "," not in line
    return False
