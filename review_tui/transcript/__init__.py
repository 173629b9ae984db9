"""Transcripts: SRT (pysrt), WebVTT (webvtt-py) and services' timestamped text, read from
bytes we decode ourselves and told apart by their content.

Every fault worked around becomes a Problem with its line; speakers are found from voice
spans and prefixes; cues come out in time order for Transcript's bisect index.
"""

from __future__ import annotations

import importlib

# Where each public name lives. Imported when first asked for (PEP 562), so that importing one
# submodule (the renames, the search) does not load every reader and parser: the session
# imports only what its transcript, or its lack of one, needs.
_HOME = {
    "LONG_GAP_MS": "validate",
    "SpeakerTalk": "summary",
    "TranscriptSummary": "summary",
    "cues_by_speaker": "query",
    "decode_text": "decode",
    "is_transcript_file": "detect",
    "load_transcript": "loader",
    "search_cues": "query",
    "summarise": "summary",
}


def __getattr__(name: str):
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # the next lookup is a plain module attribute
    return value


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
