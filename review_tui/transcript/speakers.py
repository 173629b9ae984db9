"""Who speaks in each cue: voice spans, role prefixes (Th:, PATIENT:), Dr titles, Zoom names.

A speaker is only taken from the start of a cue; a cue without a mark keeps no speaker, since
guessing "the same person goes on" would put words in the wrong mouth.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from review_tui.model import Problem, Speaker
from review_tui.transcript.rawcue import RawCue, strip_tags, tidy_lines

_VOICE = re.compile(r"<v(?:\.[\w-]+)*[ \t]+([^>]+?)\s*>")
_PREFIX = re.compile(r"([^:\n]{1,40}):(?:[ \t]+|$)")
_WORD = r"[^\W\d_][\w'\u2019.-]*"
_DOCTOR = re.compile(rf"(?:Dr\.?|Doctor)\s+({_WORD}(?:\s+{_WORD})?)")
_PLAIN_NAME = re.compile(rf"{_WORD}(?:\s+{_WORD})?")

# Role words as transcription services write them, and the label each is shown with.
_ROLE_WORDS = {
    "th": ("therapist", "Therapist"),
    "therapist": ("therapist", "Therapist"),
    "counsellor": ("therapist", "Counsellor"),
    "counselor": ("therapist", "Counselor"),
    "pt": ("patient", "Patient"),
    "patient": ("patient", "Patient"),
    "client": ("patient", "Client"),
}
# Single letters are roles only in capitals: "T:" and "P:".
_ROLE_LETTERS = {"T": ("therapist", "Therapist"), "P": ("patient", "Patient")}

# Capitalised words that start a sentence with a colon and are not people.
_NOT_NAMES = frozenset(
    """note notes nb ps fyi re example question answer warning caution important reminder
    remember tip summary update subject topic agenda context background translation step
    time date location okay ok yes no well so look listen see anyway also actually first
    second third finally then now today here there sorry please thanks hint result
    inaudible crosstalk music laughter silence""".split()
)

# Above this share of cues carrying a name, the file names its speakers (Zoom style), so a
# name seen only once is a speaker too.
_NAMED_STYLE_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class _Mark:
    label: str
    role: str | None
    trusted: bool  # a voice span, role word or title: enough on one cue
    text: str  # the cue's text without the mark


def attribute_speakers(
    cues: list[RawCue], source: str
) -> tuple[list[tuple[str | None, str]], dict[str, Speaker], list[Problem]]:
    """Each cue's (speaker id or None, clean text), the speakers by id, and any problems."""
    problems: list[Problem] = []
    plain_texts = [tidy_lines(strip_tags(cue.raw_text)) for cue in cues]
    marks = [
        _mark(cue, text, source, problems) for cue, text in zip(cues, plain_texts, strict=True)
    ]
    accepted = _accepted_marks(marks)
    ids = _speaker_ids([(mark.label, mark.role) for mark in accepted if mark is not None])
    speakers = {ids[label, role]: Speaker(ids[label, role], label, role) for label, role in ids}
    attributed = [
        (ids[mark.label, mark.role], mark.text) if mark is not None else (None, text)
        for mark, text in zip(accepted, plain_texts, strict=True)
    ]
    return attributed, speakers, problems


def _mark(cue: RawCue, text: str, source: str, problems: list[Problem]) -> _Mark | None:
    voices = list(dict.fromkeys(name.strip() for name in _VOICE.findall(cue.raw_text)))
    if voices:
        if len(voices) > 1:
            problems.append(
                Problem(
                    source,
                    f"cue has several voices ({', '.join(voices)}); shown as {voices[0]}",
                    cue.line,
                )
            )
        role, label = _classify(voices[0]) or (None, voices[0])
        return _Mark(label, role, True, text)
    prefix = _PREFIX.match(text)
    if prefix is None:
        return None
    name = prefix.group(1).strip()
    rest = text[prefix.end() :].strip()
    known = _classify(name)
    if known is not None:
        return _Mark(known[1], known[0], True, rest)
    if (
        _PLAIN_NAME.fullmatch(name)
        and _capitalised(name)
        and name.split()[0].casefold() not in _NOT_NAMES
    ):
        return _Mark(" ".join(name.split()), None, False, rest)
    return None


def _classify(name: str) -> tuple[str | None, str] | None:
    """(role, label) for a role word or a doctor's title, else None."""
    if name in _ROLE_LETTERS:
        return _ROLE_LETTERS[name]
    word = name.rstrip(".").casefold()
    if word in _ROLE_WORDS:
        return _ROLE_WORDS[word]
    doctor = _DOCTOR.fullmatch(name)
    if doctor and _capitalised(doctor.group(1)):
        return "therapist", "Dr " + " ".join(doctor.group(1).split())
    return None


def _capitalised(name: str) -> bool:
    return all(word[0].isupper() for word in name.split())


def _accepted_marks(marks: list[_Mark | None]) -> list[_Mark | None]:
    """Marks, keeping plain names only when the name recurs or the file names its speakers."""
    named = sum(1 for mark in marks if mark is not None)
    named_style = bool(marks) and named / len(marks) > _NAMED_STYLE_SHARE
    plain_counts = Counter(mark.label for mark in marks if mark is not None and not mark.trusted)
    return [
        mark
        if mark is None or mark.trusted or named_style or plain_counts[mark.label] >= 2
        else None
        for mark in marks
    ]


def _speaker_ids(found: list[tuple[str, str | None]]) -> dict[tuple[str, str | None], str]:
    """Ids for (label, role) pairs: the role itself when one speaker holds it, else a slug."""
    distinct = list(dict.fromkeys(found))
    holders = Counter(role for _, role in distinct if role is not None)
    ids: dict[tuple[str, str | None], str] = {}
    taken: set[str] = set()
    for label, role in distinct:
        base = role if role is not None and holders[role] == 1 else _slug(label) or "speaker"
        speaker_id, suffix = base, 2
        while speaker_id in taken:
            speaker_id, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(speaker_id)
        ids[label, role] = speaker_id
    return ids


def _slug(label: str) -> str:
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_label.lower()).strip("-")
