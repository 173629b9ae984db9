"""SRT through pysrt and WebVTT through webvtt-py, each checked against our own scan."""

from __future__ import annotations

import re

from review_tui.transcript.reconcile import LibraryCues, checked_reading
from review_tui.transcript.scan import ScanResult, scan_cues

# Where str.splitlines breaks a line, which pysrt.from_string reads the text by.
_SPLITLINES_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def read_srt(text: str, source: str) -> ScanResult:
    """Cues and problems of SubRip text (already decoded)."""
    import pysrt  # here, not at the top: a session has one transcript format, or none

    def read() -> LibraryCues:
        # pysrt's stream, fed one line at a time, is what from_string does without holding
        # every line and every item of a long file at once.
        items = pysrt.SubRipFile.stream(
            _lines_with_breaks(text), error_handling=pysrt.SubRipFile.ERROR_PASS
        )
        cues = LibraryCues()
        for item in items:
            cues.append(item.start.ordinal, item.end.ordinal, item.text)
        return cues

    scan = scan_cues(text, source, "srt")
    failures = (pysrt.Error, ValueError, TypeError)
    return checked_reading("pysrt", read, failures, scan, source, text)


def _lines_with_breaks(text: str):
    """``text.splitlines(keepends=True)``, one line at a time."""
    start = 0
    for match in _SPLITLINES_BREAK.finditer(text):
        yield text[start : match.end()]
        start = match.end()
    if start < len(text):
        yield text[start:]


def read_vtt(text: str, source: str) -> ScanResult:
    """Cues and problems of WebVTT text (already decoded); raw cue text keeps <v> spans."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    def read() -> LibraryCues:
        captions = webvtt.from_string(text).captions
        cues = LibraryCues()
        for caption in captions:
            cues.append(
                caption.start_time.in_milliseconds(),
                caption.end_time.in_milliseconds(),
                caption.raw_text,
            )
        return cues

    scan = scan_cues(text, source, "vtt")
    failures = (MalformedFileError, MalformedCaptionError, ValueError)
    return checked_reading("webvtt-py", read, failures, scan, source, text)
