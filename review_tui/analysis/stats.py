"""Counting a session: speaker turns and roles, talk time, tags per code group, timeline strips.

Everything here is plain arithmetic on model objects, shared by the suggestion rules and the
report so that both see the same turns and the same therapist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from review_tui.model import Codebook, Cue, Tag, Transcript

# Marks drawn in a timeline strip: a point tag, a stretch covered by a range tag, and a
# cell holding both; "." is a cell where nothing was tagged.
STRIP_EMPTY, STRIP_POINT, STRIP_RANGE, STRIP_BOTH = ".", "|", "=", "#"
# Phrases that invite an answer even without a question mark (ASR transcripts often drop it).
_INVITATION = re.compile(r"\b(?:tell me|say more|help me understand|describe|talk about)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Turn:
    """Consecutive cues of one speaker; a cue without a speaker is a turn of its own."""

    speaker: str | None
    cues: tuple[Cue, ...]

    @property
    def start_ms(self) -> int:
        return self.cues[0].start_ms

    @property
    def end_ms(self) -> int:
        return max(cue.end_ms for cue in self.cues)

    @property
    def text(self) -> str:
        return " ".join(" ".join(cue.text.split()) for cue in self.cues)

    @property
    def cue_indexes(self) -> tuple[int, ...]:
        return tuple(cue.index for cue in self.cues)

    @property
    def asks(self) -> bool:
        """Whether the turn asks or invites the other person to speak."""
        text = self.text
        return "?" in text or bool(_INVITATION.search(text))


def speaker_turns(transcript: Transcript) -> list[Turn]:
    # Cues without a speaker are never joined to a neighbour: the transcript reader refuses
    # to guess that the same person goes on, and so do we.
    turns: list[Turn] = []
    for cue in transcript.cues:
        if turns and cue.speaker is not None and turns[-1].speaker == cue.speaker:
            turns[-1] = Turn(cue.speaker, turns[-1].cues + (cue,))
        else:
            turns.append(Turn(cue.speaker, (cue,)))
    return turns


@dataclass(frozen=True, slots=True)
class Roles:
    """Who in a transcript is the therapist and who the patients, as far as known."""

    therapist: str | None  # Speaker.id
    patients: frozenset[str]

    @property
    def known(self) -> bool:
        return self.therapist is not None and bool(self.patients)


def find_roles(
    transcript: Transcript, turns: list[Turn] | None = None, therapist_id: str | None = None
) -> Roles:
    """Who the therapist is: as given, else the speaker whose role says so, else the speaker
    who asks the most (a therapist asks far more than a patient). Everyone else speaking is
    a patient. With fewer than two speakers, nothing is known."""
    turns = speaker_turns(transcript) if turns is None else turns
    present = list(dict.fromkeys(turn.speaker for turn in turns if turn.speaker is not None))
    if len(present) < 2:
        return Roles(None, frozenset())
    therapist = therapist_id if therapist_id in present else None
    if therapist is None:
        named = [sid for sid in present if _role(transcript, sid) == "therapist"]
        therapist = named[0] if len(named) == 1 else None
    if therapist is None:
        unnamed = [sid for sid in present if _role(transcript, sid) != "patient"]
        if len(unnamed) == 1:  # everyone else is marked as a patient
            therapist = unnamed[0]
    if therapist is None:
        asked = {sid: sum(1 for t in turns if t.speaker == sid and t.asks) for sid in present}
        ranked = sorted(asked.values(), reverse=True)
        if ranked[0] > ranked[1]:  # a tie tells us nothing
            therapist = max(asked, key=asked.__getitem__)
    if therapist is None:
        return Roles(None, frozenset())
    return Roles(therapist, frozenset(sid for sid in present if sid != therapist))


def _role(transcript: Transcript, speaker_id: str) -> str | None:
    speaker = transcript.speakers.get(speaker_id)
    return speaker.role if speaker else None


@dataclass(frozen=True, slots=True)
class TalkShare:
    """How much of the talk one speaker did."""

    speaker: str | None
    label: str
    talk_ms: int
    share: float  # of all talk time, 0..1


def talk_shares(transcript: Transcript) -> list[TalkShare]:
    """Talk time per speaker, most first; cues without a speaker are counted together."""
    totals = transcript.talk_time_ms()
    whole = sum(totals.values()) or 1
    shares = []
    for speaker_id, talk_ms in sorted(totals.items(), key=lambda item: (-item[1], item[0] or "")):
        speaker = transcript.speakers.get(speaker_id) if speaker_id else None
        label = speaker.label if speaker else "(no speaker label)"
        shares.append(TalkShare(speaker_id, label, talk_ms, talk_ms / whole))
    return shares


def group_of(code_id: str, codebook: Codebook | None = None) -> str:
    """The group of a code: from the codebook when it knows the code, else the id's prefix
    (the codebook loader makes every code id start with its group id)."""
    if codebook is not None:
        code = codebook.code(code_id)
        if code is not None:
            return code.group
    return code_id.partition(".")[0]


def counts_by_group(tags: Iterable[Tag], codebook: Codebook | None = None) -> dict[str, int]:
    """Tags per group id: every codebook group in its order (zeros included), then any group
    the tags use that the codebook no longer has."""
    counts = {group.id: 0 for group in codebook.groups} if codebook else {}
    for tag in tags:
        group = group_of(tag.code_id, codebook)
        counts[group] = counts.get(group, 0) + 1
    return counts


def timeline_strip(tags: Iterable[Tag], duration_ms: int, width: int = 60) -> str:
    """``width`` cells across [0, duration_ms]: where point tags fall and range tags run."""
    cells = [STRIP_EMPTY] * width
    span = max(1, duration_ms)

    def cell(ms: int) -> int:
        return min(width - 1, max(0, ms * width // span))

    for tag in tags:
        if tag.is_range:
            assert tag.end_ms is not None
            marks = range(cell(tag.start_ms), cell(max(tag.start_ms, tag.end_ms - 1)) + 1)
            mark = STRIP_RANGE
        else:
            marks = range(cell(tag.start_ms), cell(tag.start_ms) + 1)
            mark = STRIP_POINT
        for position in marks:
            if cells[position] in (STRIP_EMPTY, mark):
                cells[position] = mark
            else:
                cells[position] = STRIP_BOTH
    return "".join(cells)
