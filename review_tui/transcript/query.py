"""Finding cues by speaker, and text search that also matches who is speaking."""

from __future__ import annotations

from review_tui.model import Cue, Transcript


def cues_by_speaker(transcript: Transcript, speaker_id: str | None) -> list[Cue]:
    """The cues of one speaker (None: the cues without one), in time order."""
    return [cue for cue in transcript.cues if cue.speaker == speaker_id]


def search_cues(transcript: Transcript, text: str, speaker_id: str | None = None) -> list[Cue]:
    """Cues whose text or speaker label contains ``text`` (case-insensitive), in time order.

    With ``speaker_id``, only that speaker's cues; an empty ``text`` then gives all of them.
    """
    needle = text.casefold().strip()
    if not needle and speaker_id is None:
        return []
    labels = {key: speaker.label.casefold() for key, speaker in transcript.speakers.items()}
    return [
        cue
        for cue in transcript.cues
        if (speaker_id is None or cue.speaker == speaker_id)
        and (needle in cue.text.casefold() or needle in labels.get(cue.speaker, ""))
    ]
