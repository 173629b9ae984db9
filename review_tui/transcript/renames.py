"""Naming diarised speakers: SPEAKER_00 becomes "Therapist", kept in the review file.

Speech recognition labels its speakers by number. The reviewer is offered once to say who is
who; the answer is stored in the review (its key-value state), so every later session with
that review shows the names, and the transcript file itself is never changed. Speaker ids stay
as they are, so cues, tags and exports that name a speaker keep pointing at the same person.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Protocol

from review_tui.model import Speaker, Transcript
from review_tui.text import one_line

RENAMES_KEY = "transcript.speaker_names"
OFFERED_KEY = "transcript.rename_offered"
LABEL_MAX = 40

_DIARISED_LABEL = re.compile(r"(?:speaker|spk)[ _-]?\d{1,3}", re.IGNORECASE)
# What a reviewer may type for the two roles the app knows, and the label each gets.
_ROLE_ANSWERS = {
    "therapist": ("therapist", "Therapist"),
    "th": ("therapist", "Therapist"),
    "t": ("therapist", "Therapist"),
    "patient": ("patient", "Patient"),
    "pt": ("patient", "Patient"),
    "p": ("patient", "Patient"),
    "client": ("patient", "Client"),
}


class StateStore(Protocol):
    """The part of ReviewStore used here: its per-file key-value state."""

    def get_state(self, key: str) -> str | None: ...

    def set_state(self, key: str, value: str | None) -> None: ...


@dataclasses.dataclass(frozen=True, slots=True)
class Rename:
    """A speaker label shown under another name, as the reviewer chose it."""

    original: str  # the label as the transcript writes it: "SPEAKER_00"
    label: str  # as shown from now on: "Therapist", "Dr. Amy Chen"
    role: str | None


def diarised_speakers(transcript: Transcript) -> list[Speaker]:
    """The speakers known only by a speech recogniser's number, in order of first speech."""
    order = list(dict.fromkeys(cue.speaker for cue in transcript.cues if cue.speaker))
    return [
        transcript.speakers[speaker_id]
        for speaker_id in order
        if speaker_id in transcript.speakers
        and _DIARISED_LABEL.fullmatch(transcript.speakers[speaker_id].label)
    ]


def rename_from_answer(speaker: Speaker, answer: str) -> Rename | None:
    """The rename a typed answer asks for ("therapist", "pt", a name), or None for no answer."""
    text = one_line(answer)[:LABEL_MAX].strip()
    if not text:
        return None
    role, label = _ROLE_ANSWERS.get(text.casefold(), (None, text))
    return Rename(speaker.label, label, role)


def should_offer(transcript: Transcript, store: StateStore) -> bool:
    """True once per review: diarised labels are present and the offer was never made."""
    return bool(diarised_speakers(transcript)) and store.get_state(OFFERED_KEY) is None


def save_renames(store: StateStore, renames: dict[str, Rename]) -> None:
    """Keep ``renames`` (by speaker id) in the review, and note the offer as made."""
    payload = {
        speaker_id: {"from": rename.original, "label": rename.label, "role": rename.role}
        for speaker_id, rename in renames.items()
    }
    store.set_state(RENAMES_KEY, json.dumps(payload, ensure_ascii=False, sort_keys=True) if payload else None)
    store.set_state(OFFERED_KEY, "1")


def load_renames(store: StateStore) -> dict[str, Rename]:
    """The renames kept in the review; a damaged entry is ignored, never an error."""
    raw = store.get_state(RENAMES_KEY)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    renames: dict[str, Rename] = {}
    for speaker_id, entry in data.items():
        if not isinstance(entry, dict):
            continue
        original, label, role = entry.get("from"), entry.get("label"), entry.get("role")
        if not isinstance(original, str) or not isinstance(label, str) or not one_line(label):
            continue
        role = role if role in ("therapist", "patient") else None
        renames[speaker_id] = Rename(original, one_line(label)[:LABEL_MAX], role)
    return renames


def apply_renames(transcript: Transcript, renames: dict[str, Rename]) -> Transcript:
    """The transcript with its speakers renamed; a rename made for another transcript (the
    id now names a different label) is left out, so no one is given someone else's name."""
    speakers = dict(transcript.speakers)
    changed = False
    for speaker_id, rename in renames.items():
        speaker = speakers.get(speaker_id)
        if speaker is None or speaker.label != rename.original:
            continue
        speakers[speaker_id] = Speaker(speaker_id, rename.label, rename.role)
        changed = True
    if not changed:
        return transcript
    # The cues are shared: they are read-only, and only the speakers' names change.
    return dataclasses.replace(transcript, speakers=speakers)
