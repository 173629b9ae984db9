"""Credit lines that subtitle files carry in their first or last cue: not people speaking."""

from __future__ import annotations

# First words of credit labels ("Subtitles: @someone", "Synced and corrected: ..."),
# casefolded. A label is a credit only when it is one of these and is seen nowhere but in
# the first or last cue, so a person called "Edited" in the middle of a session stays one.
_CREDIT_WORDS = frozenset(
    """subtitles subtitle subs subtitled subtitling captions captioned caption captioning
    transcribed transcript transcription transcriber transcriptionist synced sync syncing
    synchronized synchronised resync resynced translated translation translator corrected
    correction corrections edited editor encoded ripped timing timed credits credit
    downloaded provided""".split()
)


def is_credit_label(label: str) -> bool:
    """Whether a (casefolded) speaker label reads as a credit rather than a person."""
    words = label.split()
    return bool(words) and words[0].strip(".:@") in _CREDIT_WORDS
