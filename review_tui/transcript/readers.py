"""SRT through pysrt and WebVTT through webvtt-py, each checked against our own scan."""

from __future__ import annotations

import pysrt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from review_tui.transcript.reconcile import LibraryCue, checked_reading
from review_tui.transcript.scan import ScanResult, scan_cues


def read_srt(text: str, source: str) -> ScanResult:
    """Cues and problems of SubRip text (already decoded)."""

    def read() -> list[LibraryCue]:
        items = pysrt.from_string(text, error_handling=pysrt.SubRipFile.ERROR_PASS)
        return [(item.start.ordinal, item.end.ordinal, item.text) for item in items]

    scan = scan_cues(text, source, "srt")
    failures = (pysrt.Error, ValueError, TypeError)
    return checked_reading("pysrt", read, failures, scan, source, text)


def read_vtt(text: str, source: str) -> ScanResult:
    """Cues and problems of WebVTT text (already decoded); raw cue text keeps <v> spans."""

    def read() -> list[LibraryCue]:
        captions = webvtt.from_string(text).captions
        return [
            (
                caption.start_time.in_milliseconds(),
                caption.end_time.in_milliseconds(),
                caption.raw_text,
            )
            for caption in captions
        ]

    scan = scan_cues(text, source, "vtt")
    failures = (MalformedFileError, MalformedCaptionError, ValueError)
    return checked_reading("webvtt-py", read, failures, scan, source, text)
