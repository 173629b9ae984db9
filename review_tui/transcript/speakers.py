"""Who speaks in each cue: voice spans, role prefixes (Th:, PATIENT:), Dr titles, Zoom names,
diarised labels (SPEAKER_00) and the names plain-text layouts write beside the time.

A speaker is only taken from the start of a cue; a cue without a mark keeps no speaker, since
guessing "the same person goes on" would put words in the wrong mouth.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from review_tui.model import Problem, Speaker
from review_tui.text import one_line
from review_tui.transcript.credits import is_credit_label
from review_tui.transcript.cuestore import NO_LINE, RawCues
from review_tui.transcript.rawcue import shown_text, tidy_lines, unescape
from review_tui.transcript.textcolumn import TextColumnBuilder

_VOICE = re.compile(r"<v(?:\.[\w-]+)*[ \t]+([^>]+?)\s*>")
# A prefix may sit inside the cue's leading markup ("<i>Th: ...</i>"): the markup stays.
_PREFIX = re.compile(r"((?:<[^>\n]*>)*)([^:\n<]{1,40}):(?:[ \t]+|$)")
_WORD = r"[^\W\d_][\w'\u2019.-]*"
_DOCTOR = re.compile(rf"(?:Dr\.?|Doctor)\s+({_WORD}(?:\s+{_WORD})?)")
_PLAIN_NAME = re.compile(rf"{_WORD}(?:\s+{_WORD})?")
# Speech recognition's diarised labels: "[SPEAKER_00]", "SPEAKER_01", "Speaker 1", "spk_2".
_DIARISED = re.compile(r"\[?((?:speaker|spk)[ _-]?\d{1,3})\]?", re.IGNORECASE)

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


_Key = tuple[str, str | None]  # a speaker's folded name and role


@dataclass(frozen=True, slots=True)
class _Mark:
    """A speaker named at the start of a cue, and the text after the name."""

    label: str  # as written (whitespace folded): "Dr. Amy Chen", "SPEAKER_00"
    role: str | None
    trusted: bool  # a voice span, role word, title or layout's name: enough on one cue
    text: str  # the cue's text without the mark
    # What two spellings of one speaker share: "Dr. Rivera" and "Dr Rivera" are one.
    key: tuple[str, str | None] = ("", None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", _key(self.label, self.role))


# A long file repeats a handful of names thousands of times: one key object for each.
@functools.lru_cache(maxsize=1024)
def _key(label: str, role: str | None) -> tuple[str, str | None]:
    return " ".join(label.replace(".", " ").casefold().split()), role


def attribute_speakers(
    cues: RawCues, order: Sequence[int], source: str
) -> tuple[list[str | None], TextColumnBuilder, dict[str, Speaker], list[Problem]]:
    """For the cues at ``order``'s positions, in that order: each cue's speaker id (or None)
    and text as shown (to be finished into a TextColumn); the speakers by id, and problems.

    Each cue's raw text is sliced from the file when its turn comes and let go once its shown
    text is made, so a long transcript is never held twice over. The texts are finished by
    the caller once the file's text is let go: joining them holds them twice for a moment.
    """
    problems: list[Problem] = []
    texts = TextColumnBuilder()  # shown text, without the speaker prefix where a mark was found
    # Each cue's mark as (key, spelling): one shared pair for each, so a list slot per cue.
    marks: list[tuple[_Key, str] | None] = []
    pairs: dict[tuple[_Key, str], tuple[_Key, str]] = {}
    tentative = bytearray(len(order))  # 1: a plain-name mark that may yet be refused
    raw_text, hints, lines = cues.raw_text, cues.hints, cues.lines
    for number, position in enumerate(order):
        raw = raw_text(position)
        shown = tidy_lines(shown_text(raw))
        line = lines[position]
        mark = _mark(
            raw,
            hints[position] if hints is not None else None,
            None if line == NO_LINE else line,
            shown,
            source,
            problems,
        )
        if mark is None:
            texts.append(shown)
            marks.append(None)
            continue
        texts.append(mark.text)
        pair = (mark.key, mark.label)
        marks.append(pairs.setdefault(pair, pair))
        if not mark.trusted:
            tentative[number] = True
    for number in _refused(marks, tentative):
        # A refused prefix goes back into the text; a voice or layout name never left it.
        if tentative[number]:
            texts.replace(number, tidy_lines(shown_text(cues.raw_text(order[number]))))
        marks[number] = None
    first_labels: dict[_Key, str] = {}
    for mark in marks:
        if mark is not None and mark[0] not in first_labels:
            first_labels[mark[0]] = mark[1]
    ids = _speaker_ids(first_labels)
    speakers = {
        speaker_id: Speaker(speaker_id, first_labels[key], key[1]) for key, speaker_id in ids.items()
    }
    speaker_ids: list = marks  # turned into ids in place: no second list as long
    for number, mark in enumerate(marks):
        if mark is not None:
            speaker_ids[number] = ids[mark[0]]
    return speaker_ids, texts, speakers, problems


def _mark(
    raw_text: str,
    hint: str | None,
    line: int | None,
    text: str,
    source: str,
    problems: list[Problem],
) -> _Mark | None:
    if hint is not None:
        name = one_line(hint)
        if name:
            role, label = _classify(name) or (None, name)
            return _Mark(label, role, True, text)
    voices = list(dict.fromkeys(_voice_names(raw_text)))
    if voices:
        if len(voices) > 1:
            problems.append(
                Problem(
                    source,
                    f"cue has several voices ({', '.join(voices)}); shown as {voices[0]}",
                    line,
                )
            )
        role, label = _classify(voices[0]) or (None, voices[0])
        return _Mark(label, role, True, text)
    prefix = _PREFIX.match(text)
    if prefix is None:
        return None
    name = prefix.group(2).strip()
    rest = (prefix.group(1) + text[prefix.end() :]).strip()
    known = _classify(name)
    if known is not None:
        return _Mark(sys.intern(known[1]), known[0], True, rest)
    if (
        _PLAIN_NAME.fullmatch(name)
        and _capitalised(name)
        and name.split()[0].casefold() not in _NOT_NAMES
    ):
        return _Mark(sys.intern(" ".join(name.split())), None, False, rest)
    return None


def _voice_names(raw_text: str) -> list[str]:
    if "<v" not in raw_text:
        return []
    names = (one_line(unescape(name)) for name in _VOICE.findall(raw_text))
    return [name for name in names if name]


def _classify(name: str) -> tuple[str | None, str] | None:
    """(role, label) for a role word, a doctor's title or a diarised label, else None.

    A name keeps its spelling ("Dr. Amy Chen" stays so); only role words get their label.
    """
    if name in _ROLE_LETTERS:
        return _ROLE_LETTERS[name]
    word = name.rstrip(".").casefold()
    if word in _ROLE_WORDS:
        return _ROLE_WORDS[word]
    doctor = _DOCTOR.fullmatch(name)
    if doctor and _capitalised(doctor.group(1)):
        return "therapist", " ".join(name.split())
    diarised = _DIARISED.fullmatch(name)
    if diarised:
        return None, diarised.group(1)
    return None


def _capitalised(name: str) -> bool:
    return all(word[0].isupper() for word in name.split())


def _refused(marks: list[tuple[_Key, str] | None], tentative: bytearray) -> set[int]:
    """Numbers of marks not taken as speakers: a plain name counts only when it recurs or
    the file names its speakers; a credit ("Subtitles: @someone") seen only in the first or
    last cue never does, whatever kind of mark it came from."""
    named = len(marks) - marks.count(None)
    named_style = bool(marks) and named / len(marks) > _NAMED_STYLE_SHARE
    refused: set[int] = set()
    if not named_style and 1 in tentative:
        plain_counts = Counter(mark[0] for mark, plain in zip(marks, tentative) if plain)
        refused = {
            number
            for number, (mark, plain) in enumerate(zip(marks, tentative))
            if plain and plain_counts[mark[0]] < 2
        }
    ends = {0, len(marks) - 1}
    keys = {mark[0] for mark in marks if mark is not None}
    credit_keys = {key for key in keys if key[1] is None and is_credit_label(key[0])}
    for key in credit_keys:
        seen = {number for number, mark in enumerate(marks) if mark is not None and mark[0] == key}
        if seen <= ends:
            refused |= seen
    return refused


def _speaker_ids(first_labels: dict[_Key, str]) -> dict[_Key, str]:
    """Ids for each speaker key: the role itself when one speaker holds it, else a slug of
    the label first seen."""
    holders = Counter(role for _, role in first_labels if role is not None)
    ids: dict[_Key, str] = {}
    taken: set[str] = set()
    for key, label in first_labels.items():
        role = key[1]
        base = role if role is not None and holders[role] == 1 else _slug(label) or "speaker"
        speaker_id, suffix = base, 2
        while speaker_id in taken:
            speaker_id, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(speaker_id)
        ids[key] = speaker_id
    return ids


def _slug(label: str) -> str:
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_label.lower()).strip("-")
