"""The words the suggestion rules listen for, and the small text tests they are built from.

All matching runs on "plain" text: lower case, straight quotes, bracketed annotations such as
"[laughs]" removed, whitespace collapsed. Lexicons are short and specific on purpose: a
missed moment costs a reviewer nothing, a false one costs their trust in every suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from review_tui.analysis.stats import Turn
from review_tui.model import Cue

_ANNOTATION = re.compile(r"\[[^\]]*\]|\((?:[a-z ]+)\)", re.IGNORECASE)
_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "…": "..."})
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_SENTENCE_END = re.compile(r"[.!?;]+")
_NEGATION = re.compile(r"\b(?:not|never|no|hardly)\b|n't\b")

FIRST_PERSON = frozenset({"i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself"})


def _listed(text: str, separator: str | None = None) -> frozenset[str]:
    """A lexicon written as running text, one entry per separator (whitespace by default)."""
    return frozenset(" ".join(entry.split()) for entry in text.split(separator) if entry.strip())


def plain(text: str) -> str:
    return " ".join(_ANNOTATION.sub(" ", text.translate(_TYPOGRAPHIC)).lower().split())


def words(said: str) -> list[str]:
    return _WORD.findall(said)


def _sentences(said: str) -> list[str]:
    return [" ".join(words(part)) for part in _SENTENCE_END.split(said) if words(part)]


def _alternatives(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


# --- minimal answers ---------------------------------------------------------------------

# 3RS minimal response: "a word or two"; three words still say next to nothing ("Not much, no").
MINIMAL_WORDS = 3
# Phrases that answer without answering: the heart of 3RS "minimal response" and "denial".
EVASIVE = _listed(
    """i don't know|don't know|i dunno|dunno|not sure|i'm not sure|maybe|perhaps|
    i guess|guess so|i suppose|suppose so|not really|nothing|nothing much|not much|whatever|
    fine|it's fine|i'm fine|it was fine|if you like|if you want|i don't mind|hard to say|
    same as usual|no idea|can't say|kind of|sort of""",
    "|",
)
# Tokens of listening ("I'm with you"), not answers, when no question was asked.
BACKCHANNEL = _listed(
    "yeah|yes|yep|yup|right|ok|okay|mm|mhm|mm-hm|uh-huh|hmm|sure|alright|all right|true|i see", "|"
)
# A short answer naming a feeling or a body sensation reports an experience, the opposite of
# withdrawing: "Anger." or "My chest." is never minimal.
EXPERIENCE = _listed(
    """angry anger furious rage mad annoyed irritated sad sadness hurt scared afraid fear
    frightened anxious nervous ashamed shame embarrassed guilty guilt grief lonely love miss
    happy glad relieved excited upset frustrated tense tight chest stomach hands shoulders
    throat heart breath breathing tears crying shaking heavy hot numb better good great
    lovely wonderful thanks thank"""
)
_OPEN_QUESTION = re.compile(
    r"(?:^|[.?!]\s+|\band\s+)(?:what|how|why|where|who|which|tell me|say more|describe)\b"
)


def is_evasive(said: str) -> bool:
    """Every sentence of the answer is an evasive phrase ("I don't know. Maybe.")."""
    parts = _sentences(said)
    return bool(parts) and all(part in EVASIVE for part in parts)


def opens_evasively(said: str) -> bool:
    parts = _sentences(said)
    return bool(parts) and parts[0] in EVASIVE


def is_backchannel(said: str) -> bool:
    parts = _sentences(said)
    return bool(parts) and all(part in BACKCHANNEL for part in parts)


def is_minimal(said: str) -> bool:
    """One to three words, or only evasive phrases, or an evasive phrase and three words more
    ("Fine. I went home."). "I don't know what I'd do without my sister" is none of these."""
    parts = _sentences(said)
    if not parts or any(word in EXPERIENCE for word in words(said)):
        return False
    total = sum(len(part.split()) for part in parts)
    if total <= MINIMAL_WORDS or is_evasive(said):
        return True
    rest = sum(len(part.split()) for part in parts[1:])
    return parts[0] in EVASIVE and rest <= MINIMAL_WORDS


def asks_openly(text: str) -> bool:
    """An open question invites elaboration, so a word or two in reply holds back."""
    return bool(_OPEN_QUESTION.search(plain(text)))


# --- pressure toward feeling and topic shifts ---------------------------------------------

_PRESSURE = _alternatives(
    r"feel", r"feeling", r"feelings", r"felt", r"experience", r"experiencing", r"emotion",
    r"emotions", r"in your body", r"inside you", r"towards? (?:him|her|them|me|your \w+)",
)
_SHIFT_OPENERS = (
    "anyway", "anyhow", "by the way", "speaking of", "that reminds me", "on another note",
    "changing the subject", "enough about", "before i forget",
)
# Words said before the opener that do not change it: "Oh, anyway", "But by the way".
_FILLERS = ("oh", "um", "uh", "so", "well", "but", "and")
_RELATIONS = (
    "sister|brother|mother|mum|mom|dad|father|friend|boss|colleague|neighbour|neighbor|wife|"
    "husband|partner|son|daughter|aunt|uncle|cousin|grandmother|grandfather|gran|flatmate"
)
_OTHER_STORY = re.compile(
    rf"^(?:(?:so|well|oh|um|you know)[,\s]+)*(?:my|our) (?:{_RELATIONS})\b"
    r"|^(?:(?:so|well)[,\s]+)?there(?:'s| is| was) this (?:guy|man|woman|girl|friend|colleague)\b"
)
_OTHER_STORY_MIN_WORDS = 12
# Function words and fillers: sharing them says nothing about sharing a topic.
_STOPWORDS = _listed(
    """a an the and or but so if then than that this these those there here it its it's is
    are was were be been being am do does did done have has had having i i'm i've i'd me my
    you you're your yours he him his she her they them their we us our what when where why
    how who which to of in on at for with about from by as into up out down over just really
    very quite some any not no yes yeah oh um uh well like can could would should will shall
    may might must let's let get got go going know think mean say said tell right now one
    anyway way speaking moment"""
)


def presses_toward_feeling(text: str) -> bool:
    return bool(_PRESSURE.search(plain(text)))


def shift_opener(said: str) -> str | None:
    """The topic-changing phrase the answer opens with, if any."""
    opening = words(said)[:8]
    while opening and opening[0] in _FILLERS:
        opening = opening[1:]
    start = " ".join(opening) + " "
    return next((phrase for phrase in _SHIFT_OPENERS if start.startswith(phrase + " ")), None)


def tells_other_story(said: str) -> bool:
    return len(words(said)) >= _OTHER_STORY_MIN_WORDS and bool(_OTHER_STORY.search(said))


def _stem(word: str) -> str:
    word = word.removesuffix("'s")
    for suffix in ("ings", "ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _content(text: str) -> set[str]:
    return {_stem(word) for word in words(plain(text)) if word not in _STOPWORDS}


def shares_content(first: str, second: str) -> bool:
    return bool(_content(first) & _content(second))


# --- abstract talk ---------------------------------------------------------------------

_ABSTRACT = _alternatives(
    r"generally", r"in general", r"in theory", r"theoretically", r"in principle",
    r"as a rule", r"people (?:tend|usually|often|always|generally|just|are|do)",
    r"everyone (?:does|knows|feels|is|has)", r"(?:anyone|anybody) would", r"human nature",
    r"statistically", r"stud(?:y|ies)", r"research", r"if you think about it", r"structural",
    r"systemic", r"society", r"organi[sz]ations?", r"objectively", r"logically",
    r"rationally", r"the way (?:things|it|the world) (?:are|is|work|works)",
    r"how (?:these|such) things go", r"that's just how", r"one (?:could|might|would) (?:say|argue)",
    r"psychologically", r"in the abstract", r"on some level",
)


def abstract_markers(said: str) -> list[str]:
    """Distinct generalising phrases in the text, in order of appearance."""
    return list(dict.fromkeys(match.group(0) for match in _ABSTRACT.finditer(said)))


# --- confrontation -------------------------------------------------------------------------

CONFRONTATION_LABELS = {
    "confrontation.criticises_therapist": "criticises the therapist",
    "confrontation.rejects_intervention": "rejects the intervention",
    "confrontation.objects_to_tasks": "objects to the task",
    "confrontation.therapy_not_working": "says therapy is not helping",
}


@dataclass(frozen=True, slots=True)
class _Lexicon:
    code_id: str
    weight: float  # how surely the phrase alone marks the code
    pattern: re.Pattern[str]
    needs_reply: bool = False  # only right after the therapist spoke (sarcasm answers someone)
    warm_veto: bool = False  # not when warm words share the sentence ("you always make me feel heard")
    negatable: bool = False  # "not formulaic" is not a criticism


_CRITICISES = "confrontation.criticises_therapist"
_CONFRONTATION = (
    _Lexicon(_CRITICISES, 0.7, _alternatives(
        r"formulaic", r"textbook", r"scripted", r"clich[eé]d?", r"canned", r"rehearsed",
        r"robotic", r"psychobabble", r"patroni[sz]ing", r"condescending",
    ), negatable=True),
    _Lexicon(_CRITICISES, 0.55, _alternatives(
        r"you don't (?:get it|understand|listen|care)", r"you're not (?:listening|getting it)",
        r"you (?:always|never|keep) (?:ask|say|push|bring|turn|twist|listen|let|answer|come back)\w*",
        r"you sound like a", r"stop analy[sz]ing me",
    ), warm_veto=True),
    _Lexicon(_CRITICISES, 0.6, _alternatives(
        r"oh,? sure", r"oh,? great", r"right,? because", r"yeah,? right",
        r"i'm sure (?:it is|it does|you do|you are|you have|you did)",
        r"how (?:original|insightful)", r"thanks a lot",
    ), needs_reply=True, warm_veto=True),
    _Lexicon("confrontation.rejects_intervention", 0.55, _alternatives(
        r"that's not what i (?:said|meant|mean)", r"that's not it", r"no,? that's not",
        r"what does that have to do with", r"i don't see (?:how|what|why) that",
        r"(?:here|come here) for a lecture", r"lecturing me", r"that's a stretch",
        r"don't (?:tell|analy[sz]e) me",
    ), needs_reply=True),
    _Lexicon("confrontation.objects_to_tasks", 0.6, _alternatives(
        r"why do you keep asking", r"stop asking me",
        r"i don't want to talk about (?:feelings|my feelings|this)",
        r"(?:this|all this|all the) (?:feelings?|body) (?:stuff|thing|business)",
        r"why does it matter (?:what|how) i feel",
    )),
    _Lexicon("confrontation.therapy_not_working", 0.65, _alternatives(
        r"(?:this|therapy|it) (?:isn't|is not|isnt) (?:helping|working)",
        r"(?:this|therapy|these sessions|coming here|all this)(?: is|'s| feels| seems) "
        r"(?:pointless|useless|a waste)",
        r"waste of (?:time|money)", r"not getting anywhere", r"going (?:a)?round in circles",
        r"what's the point of (?:this|coming|therapy|talking)",
    )),
)
_WARM = _alternatives(
    r"love", r"lovely", r"glad", r"happy", r"thanks?", r"appreciate", r"helpful", r"helped",
    r"kindly", r"wonderful", r"safe", r"heard", r"understood", r"good", r"great", r"possible",
)
_SELF = _alternatives(r"i", r"i'm", r"my", r"myself")
_OTHER = _alternatives(r"you", r"your", r"you're")


def confrontation_codes() -> frozenset[str]:
    return frozenset(lexicon.code_id for lexicon in _CONFRONTATION)


@dataclass(frozen=True, slots=True)
class Hit:
    code_id: str
    weight: float
    words: str  # what matched, in plain text
    cue: Cue  # the cue the match starts in


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    marks = [match.start() for match in re.finditer('"', text)]
    return list(zip(marks[::2], marks[1::2]))


def confrontation_hits(turn: Turn, *, replying: bool) -> list[Hit]:
    """Confrontation phrases the patient says in their own voice, in this turn.

    Matching runs over the whole turn (a phrase or a quotation may cross cue boundaries)
    and each hit is placed in the cue it starts in.
    """
    pieces = [plain(cue.text) for cue in turn.cues]
    starts, offset = [], 0
    for piece in pieces:
        starts.append(offset)
        offset += len(piece) + 1
    text = " ".join(pieces)
    quoted = _quoted_spans(text)
    hits = []
    for lexicon in _CONFRONTATION:
        if lexicon.needs_reply and not replying:
            continue
        for match in lexicon.pattern.finditer(text):
            at = match.start()
            if any(start < at < end for start, end in quoted):
                continue  # the patient quotes someone (or themselves earlier)
            left, right = _sentence_bounds(text, at, match.end())
            if lexicon.negatable and _aimed_elsewhere(text[max(0, at - 24) : at], text[left:at]):
                continue
            if lexicon.warm_veto and _WARM.search(f"{text[left:at]} {text[match.end() : right]}"):
                continue
            cue = turn.cues[max(i for i, start in enumerate(starts) if start <= at)]
            hits.append(Hit(lexicon.code_id, lexicon.weight, match.group(0), cue))
    return hits


def _aimed_elsewhere(before: str, sentence_so_far: str) -> bool:
    """A fault-finding word that is negated ("not formulaic") or said of oneself ("I sound
    formulaic") does not criticise the therapist."""
    if _NEGATION.search(" ".join(before.split()[-3:])):
        return True
    return bool(_SELF.search(sentence_so_far)) and not _OTHER.search(sentence_so_far)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence holding text[start:end] begins and ends."""
    left = max(text.rfind(mark, 0, start) for mark in ".!?") + 1
    rights = [pos for pos in (text.find(mark, end) for mark in ".!?") if pos != -1]
    return left, min(rights) if rights else len(text)
