"""Suggested moments: places in a transcript that look like alliance-rupture markers.

These are suggestions for a reviewer to confirm or dismiss, never codes: every rule below
reads only timing and wording, so it sees what the 3RS rater would hear on the recording
(shared/DOMAIN.md, "Alliance rupture") and nothing of tone, face or context. The rules:

(a) silence: the patient takes 2.5 s or more to answer the therapist;
(b) minimal answers: three or more patient answers in a row of one to three words;
(c) criticism: the patient finds fault with the therapist or the therapy;
(d) topic shift: the patient changes the subject just after an invitation to feel;
(e) abstract talk: the patient explains in generalities instead of speaking of themselves.

(b)-(e) need to know who the patient is (stats.find_roles); without speakers only (a) runs.
Each rule returns scored candidates; overlapping ones merge, weak ones are dropped and at
most two are kept in any minute, so a reviewer gets a short list worth checking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import pairwise

from review_tui.analysis import wording
from review_tui.analysis.stats import Roles, Turn, find_roles, speaker_turns
from review_tui.model import Codebook, Transcript, format_ms

MINIMAL_RESPONSE = "withdrawal.minimal_response"
STORYTELLING = "withdrawal.storytelling"
ABSTRACT_TALK = "withdrawal.abstract_talk"
# Every code a rule can suggest; each must exist in the default codebook (a test checks).
SUGGESTED_CODES = frozenset({MINIMAL_RESPONSE, STORYTELLING, ABSTRACT_TALK}) | wording.confrontation_codes()

# Everyday conversation treats about one second of silence as the longest normal gap
# (Jefferson 1989, the "standard maximum"); 2.5 s is well past it while leaving room for a
# patient who thinks before answering.
SILENCE_MS = 2_500
# Each further second of silence makes the withdrawal reading likelier.
SILENCE_SCORE_PER_S = 0.15
# A longer gap is more likely an untranscribed stretch than a silence.
SILENCE_MAX_MS = 60_000
MINIMAL_RUN = 3
# A shift shows in how the answer opens; a long story may share a word by chance later on.
SHIFT_OPENING_WORDS = 25
ABSTRACT_MIN_WORDS = 15
ABSTRACT_MIN_MARKERS = 2
# Share of first-person-singular words below which talk is about "people", not "me".
ABSTRACT_MAX_SELF_SHARE = 0.08
MIN_SCORE = 0.35
MAX_PER_MINUTE = 2
MINUTE_MS = 60_000
# Where a review file remembers the suggestions its reviewer dismissed.
DISMISSED_STATE_KEY = "suggestions.dismissed"


@dataclass(frozen=True, slots=True)
class Suggestion:
    start_ms: int
    end_ms: int
    kind: str  # the rule: silence, minimal_answers, criticism, topic_shift, abstract_talk
    code_id: str  # the code it suggests
    reason: str  # one line a reviewer can check against the recording
    cue_indexes: tuple[int, ...]
    score: float  # 0..1, how strongly the wording and timing point to the code


def suggestion_key(item: Suggestion) -> tuple[int, int, str]:
    """What a dismissal remembers of a suggestion: its span and code."""
    return (item.start_ms, item.end_ms, item.code_id)


def dismissed_from_state(text: str | None) -> set[tuple[int, int, str]]:
    """The dismissed suggestions kept under DISMISSED_STATE_KEY, as JSON
    ``[[start_ms, end_ms, code_id], ...]``. An unreadable value only means they show again."""
    try:
        return {(int(start), int(end), str(code)) for start, end, code in json.loads(text or "[]")}
    except (ValueError, TypeError):
        return set()


def dismissed_to_state(keys: set[tuple[int, int, str]]) -> str:
    """The value to keep under DISMISSED_STATE_KEY; dismissed_from_state reads it back."""
    return json.dumps(sorted(keys))


def suggest_moments(
    transcript: Transcript, *, therapist_id: str | None = None, codebook: Codebook | None = None
) -> list[Suggestion]:
    """Suggested moments in time order. With ``codebook``, codes it lacks are left out."""
    turns = speaker_turns(transcript)
    roles = find_roles(transcript, turns, therapist_id)
    found = _silences(turns, roles)
    if roles.known:
        found += _minimal_runs(turns, roles)
        found += _criticism(turns, roles)
        found += _topic_shifts(turns, roles)
        found += _abstract_talk(turns, roles)
    if codebook is not None:
        found = [item for item in found if codebook.code(item.code_id) is not None]
    # Weak candidates go before merging, so they neither stretch nor boost a strong one.
    return _cap_per_minute(_merge([item for item in found if item.score >= MIN_SCORE]))


def _exchanges(turns: list[Turn], roles: Roles) -> list[tuple[Turn, Turn]]:
    """(therapist turn, the patient turn right after it) pairs."""
    return [
        (before, after)
        for before, after in pairwise(turns)
        if before.speaker == roles.therapist and after.speaker in roles.patients
    ]


# --- (a) silence -------------------------------------------------------------------------


def _silences(turns: list[Turn], roles: Roles) -> list[Suggestion]:
    """3RS counts silence as a minimal response. Only a gap between the therapist's turn and
    the patient's answer is the patient's silence; the therapist pausing before their own
    next turn is not. What follows decides the reading: a full answer after a silence is
    often the quiet before a feeling or memory (ISTDP expects it), so its score is halved;
    a short or hedging answer keeps it. Without speakers, a gap after a question is used."""
    if roles.known:
        pairs = _exchanges(turns, roles)
    else:
        pairs = [(a, b) for a, b in pairwise(turns) if a.text.rstrip().endswith("?")]
    found = []
    for asked, answer in pairs:
        gap = answer.start_ms - asked.end_ms
        if not SILENCE_MS <= gap <= SILENCE_MAX_MS:
            continue
        score = 0.4 + SILENCE_SCORE_PER_S * (gap - SILENCE_MS) / 1000 + 0.1 * asked.asks
        said = wording.plain(answer.text)
        guarded = wording.is_minimal(said) or wording.opens_evasively(said)
        if not guarded:
            score /= 2
        first = answer.cues[0]
        who = "the patient" if roles.known else "the next speaker"
        reply = "a short or hedging answer" if guarded else "an answer"
        found.append(
            Suggestion(
                asked.end_ms,
                first.end_ms,
                "silence",
                MINIMAL_RESPONSE,
                f"{gap / 1000:.1f} s of silence before {who} answers, then {reply}",
                (asked.cues[-1].index, first.index),
                round(min(score, 0.9), 2),
            )
        )
    return found


# --- (b) minimal answers ------------------------------------------------------------------


def _minimal_runs(turns: list[Turn], roles: Roles) -> list[Suggestion]:
    """3RS minimal response: answering in a word or two, leaving the therapist to carry the
    exchange. Counted only as answers to the therapist; "yeah"/"right" after a statement is
    listening (a backchannel), so it neither counts nor breaks a run. Short answers to
    closed questions are normal, so a run must hold an evasive phrase ("I don't know",
    "nothing much") or a short answer to an open question."""
    found: list[Suggestion] = []
    run: list[tuple[Turn, bool]] = []  # (answer, evasive or answering an open question)

    def close() -> None:
        telling = sum(1 for _, is_telling in run if is_telling)
        if len(run) >= MINIMAL_RUN and telling:
            answers = [turn for turn, _ in run]
            quoted = ", ".join(f'"{turn.text}"' for turn in answers[:4])
            found.append(
                Suggestion(
                    answers[0].start_ms,
                    answers[-1].end_ms,
                    "minimal_answers",
                    MINIMAL_RESPONSE,
                    f"{len(answers)} minimal answers in a row: {quoted}",
                    tuple(i for turn in answers for i in turn.cue_indexes),
                    round(min(0.9, 0.45 + 0.1 * (len(answers) - MINIMAL_RUN) + 0.1 * (telling >= 2)), 2),
                )
            )
        run.clear()

    for before, turn in zip([None, *turns], turns):
        if turn.speaker == roles.therapist:
            continue
        said = wording.plain(turn.text)
        after_therapist = before is not None and before.speaker == roles.therapist
        if turn.speaker not in roles.patients or not after_therapist:
            close()
        elif wording.is_backchannel(said) and not before.asks:
            continue
        elif wording.is_minimal(said):
            run.append((turn, wording.is_evasive(said) or wording.asks_openly(before.text)))
        else:
            close()
    close()
    return found


# --- (c) criticism of the therapist or the therapy ---------------------------------------


def _criticism(turns: list[Turn], roles: Roles) -> list[Suggestion]:
    """3RS confrontation markers in the patient's words: criticising the therapist (their
    wording called formulaic, textbook, scripted; "you always..."; sarcasm), rejecting an
    intervention, objecting to the task, saying therapy does not help. Words the patient
    quotes (inside quotation marks) or negates ("not formulaic") are not their criticism."""
    found = []
    for before, turn in zip([None, *turns], turns):
        if turn.speaker not in roles.patients:
            continue
        replying = before is not None and before.speaker == roles.therapist
        hits = wording.confrontation_hits(turn, replying=replying)
        if not hits:
            continue
        by_code: dict[str, list[wording.Hit]] = {}
        for hit in hits:
            by_code.setdefault(hit.code_id, []).append(hit)
        code_id, code_hits = max(by_code.items(), key=lambda item: max(h.weight for h in item[1]))
        cues = sorted({hit.cue for hit in hits}, key=lambda cue: cue.index)
        words = ", ".join(dict.fromkeys(f'"{hit.words}"' for hit in hits))
        score = max(hit.weight for hit in code_hits) + 0.1 * (len(hits) - 1)
        found.append(
            Suggestion(
                cues[0].start_ms,
                max(cue.end_ms for cue in cues),
                "criticism",
                code_id,
                f"the patient {wording.CONFRONTATION_LABELS[code_id]}: {words}",
                tuple(cue.index for cue in cues),
                round(min(0.95, score), 2),
            )
        )
    return found


# --- (d) topic shift after pressure toward feeling ----------------------------------------


def _topic_shifts(turns: list[Turn], roles: Roles) -> list[Suggestion]:
    """3RS storytelling / topic shift: just as the therapist invites a feeling, the patient
    moves to something else, opening with "anyway", "by the way", "speaking of", or with
    another person's story. It counts only when the answer shares no content word with the
    invitation: "My sister... I felt hurt" after "How do you feel toward your sister?" is an
    answer, not a shift."""
    found = []
    for invitation, answer in _exchanges(turns, roles):
        if not (invitation.asks and wording.presses_toward_feeling(invitation.text)):
            continue
        said = wording.plain(answer.text)
        opener = wording.shift_opener(said)
        story = wording.tells_other_story(said)
        opening = " ".join(wording.words(said)[:SHIFT_OPENING_WORDS])
        if not (opener or story) or wording.shares_content(invitation.text, opening):
            continue
        how = f'opens with "{opener}"' if opener else "turns to someone else's story"
        first = answer.cues[0]
        found.append(
            Suggestion(
                first.start_ms,
                first.end_ms,
                "topic_shift",
                STORYTELLING,
                f"after an invitation to feel, the patient {how} with no word in common",
                (first.index,),
                0.65 if opener else 0.5,
            )
        )
    return found


# --- (e) abstract, intellectualising talk ---------------------------------------------


def _abstract_talk(turns: list[Turn], roles: Roles) -> list[Suggestion]:
    """3RS abstract talk (ISTDP: isolation / intellectualisation): generalities and theories
    in place of a felt example. One generalising phrase is ordinary speech, so it takes two
    different ones in a turn of some length, spoken mostly without "I/me/my". Right after an
    invitation to feel it is likelier a defense, so it scores higher there."""
    found = []
    for before, turn in zip([None, *turns], turns):
        if turn.speaker not in roles.patients:
            continue
        said = wording.plain(turn.text)
        words = wording.words(said)
        if len(words) < ABSTRACT_MIN_WORDS:
            continue
        markers = wording.abstract_markers(said)
        self_share = sum(word in wording.FIRST_PERSON for word in words) / len(words)
        if len(markers) < ABSTRACT_MIN_MARKERS or self_share > ABSTRACT_MAX_SELF_SHARE:
            continue
        pressed = (
            before is not None
            and before.speaker == roles.therapist
            and wording.presses_toward_feeling(before.text)
        )
        score = 0.45 + 0.1 * (len(markers) - ABSTRACT_MIN_MARKERS) + 0.15 * pressed
        listed = ", ".join(f'"{marker}"' for marker in markers[:4])
        found.append(
            Suggestion(
                turn.start_ms,
                turn.end_ms,
                "abstract_talk",
                ABSTRACT_TALK,
                f"the patient speaks in generalities ({listed})"
                + (" right after an invitation to feel" if pressed else ""),
                turn.cue_indexes,
                round(min(0.9, score), 2),
            )
        )
    return found


# --- merging and capping ----------------------------------------------------------------


def _merge(found: list[Suggestion]) -> list[Suggestion]:
    """Overlapping suggestions become one: the stronger one's code, both reasons, and a small
    bonus because two rules agreeing on a moment make it likelier."""
    merged: list[Suggestion] = []
    for item in sorted(found, key=lambda s: (s.start_ms, -s.score)):
        if merged and item.start_ms <= merged[-1].end_ms:
            last = merged[-1]
            main, other = (last, item) if last.score >= item.score else (item, last)
            reason = main.reason if other.reason in main.reason else f"{main.reason}; {other.reason}"
            merged[-1] = Suggestion(
                min(last.start_ms, item.start_ms),
                max(last.end_ms, item.end_ms),
                main.kind,
                main.code_id,
                reason,
                tuple(sorted(set(last.cue_indexes) | set(item.cue_indexes))),
                round(min(1.0, main.score + 0.1), 2),
            )
        else:
            merged.append(item)
    return merged


def _cap_per_minute(found: list[Suggestion]) -> list[Suggestion]:
    """The strongest suggestions first, each kept only if no minute of the session would
    then start more than MAX_PER_MINUTE of them; the result is in time order."""
    kept: list[Suggestion] = []
    for item in sorted(found, key=lambda s: (-s.score, s.start_ms)):
        starts = sorted([other.start_ms for other in kept] + [item.start_ms])
        crowded = any(
            later - earlier < MINUTE_MS for earlier, later in zip(starts, starts[MAX_PER_MINUTE:])
        )
        if not crowded:
            kept.append(item)
    return sorted(kept, key=lambda s: (s.start_ms, s.end_ms))


def describe(suggestion: Suggestion) -> str:
    """One line for a list: time range, code and why."""
    span = f"{format_ms(suggestion.start_ms, millis=False)}–{format_ms(suggestion.end_ms, millis=False)}"
    return f"{span} {suggestion.code_id} ({suggestion.score:.2f}): {suggestion.reason}"
