"""Finding cues by speaker, and text search that also matches who is speaking."""

from __future__ import annotations

from review_tui.model import Cue, Transcript
from review_tui.transcript.search import query_pattern, searchable, starts_a_word


def cues_by_speaker(transcript: Transcript, speaker_id: str | None) -> list[Cue]:
    """The cues of one speaker (None: the cues without one), in time order."""
    return [cue for cue in transcript.cues if cue.speaker == speaker_id]


def search_cues(
    transcript: Transcript,
    text: str,
    speaker_id: str | None = None,
    *,
    whole_words: bool = True,
) -> list[Cue]:
    """Cues whose text or speaker label holds ``text`` (case-insensitive), in time order.

    Whole words by default; ``whole_words=False`` also matches inside words. With
    ``speaker_id``, only that speaker's cues; an empty ``text`` then gives all of them.
    """
    pattern = query_pattern(text, whole_words=whole_words)
    if pattern is None:
        return [] if speaker_id is None else cues_by_speaker(transcript, speaker_id)
    labelled = {
        key
        for key, speaker in transcript.speakers.items()
        if _label_matches(pattern, searchable(speaker.label), text, whole_words)
    }
    by_text = transcript.search(text, whole_words=whole_words)
    if labelled:
        hits = {cue.index for cue in by_text}
        by_text = [cue for cue in transcript.cues if cue.index in hits or cue.speaker in labelled]
    return [cue for cue in by_text if speaker_id is None or cue.speaker == speaker_id]


def _label_matches(pattern, label: str, query: str, whole_words: bool) -> bool:
    return any(
        not whole_words or starts_a_word(label, match.start(), query.casefold())
        for match in pattern.finditer(label)
    )
