"""Transcripts: SRT (pysrt), WebVTT (webvtt-py) and services' timestamped text, read from
bytes we decode ourselves and told apart by their content.

Every fault worked around becomes a Problem with its line; speakers are found from voice
spans and prefixes; cues come out in time order for Transcript's bisect index.
"""

from review_tui.transcript.decode import decode_text
from review_tui.transcript.detect import is_transcript_file
from review_tui.transcript.loader import load_transcript
from review_tui.transcript.query import cues_by_speaker, search_cues
from review_tui.transcript.summary import SpeakerTalk, TranscriptSummary, summarise
from review_tui.transcript.validate import LONG_GAP_MS

__all__ = [
    "LONG_GAP_MS",
    "SpeakerTalk",
    "TranscriptSummary",
    "cues_by_speaker",
    "decode_text",
    "is_transcript_file",
    "load_transcript",
    "search_cues",
    "summarise",
]
