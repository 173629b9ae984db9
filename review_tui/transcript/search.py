"""Text search over a transcript: whole words by default, markup ignored, fast on long files.

All cue texts are folded into one string once (casefolded, markup removed, cues apart by a
NUL that no cleaned text holds), so a query is one regular-expression pass in C rather than
a Python loop over every cue: a 20,000-cue transcript answers in a few milliseconds.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Sequence

from review_tui.transcript.textcolumn import SEPARATOR

# Markup as subtitle files write it (<b>, </i>, <c.yellow>, <font color=...>): a letter or a
# slash after "<", so "a < b" in speech is left alone.
_MARKUP = re.compile(r"</?[A-Za-z][^<>\n\x00]*>")
_SEPARATOR = SEPARATOR
_SEPARATORS = re.compile(_SEPARATOR)


def searchable(text: str) -> str:
    """``text`` as search sees it: markup removed, casefolded."""
    if "<" in text:
        text = _MARKUP.sub("", text)
    return text.casefold()


def query_pattern(query: str, *, whole_words: bool = True) -> re.Pattern[str] | None:
    """The pattern for ``query`` (None for an empty one): its words in order, any run of
    spaces or line breaks between them, and at word boundaries when ``whole_words``.

    The boundary before the first word is left to ``starts_a_word``: a look-behind at the
    front of a pattern stops the regex engine from skipping ahead to the query's first letter,
    and makes a search over a long transcript ten times slower.
    """
    words = query.casefold().split()
    if not words:
        return None
    body = r"\s+".join(map(re.escape, words))
    # Only where the query itself ends with a word character, so "o'clock?" finds what it says.
    if whole_words and re.search(r"\w$", words[-1]):
        body += r"(?!\w)"
    return re.compile(body)


def starts_a_word(text: str, start: int, query: str) -> bool:
    """Whether a match of ``query`` at ``start`` in ``text`` begins at a word boundary."""
    if start == 0 or not re.match(r"\w", query.lstrip()[:1]):
        return True
    before = text[start - 1]
    return not (before.isalnum() or before == "_")


def _matches(pattern: re.Pattern[str], text: str, query: str, whole_words: bool):
    """Start offsets of the matches of ``pattern`` in ``text`` that are whole words."""
    check = whole_words and bool(re.match(r"\w", query.lstrip()[:1]))
    search = pattern.search
    position = 0
    while (match := search(text, position)) is not None:
        start = match.start()
        before = text[start - 1] if start else " "
        if check and (before.isalnum() or before == "_"):
            position = start + 1  # a later match may overlap this one
            continue
        yield start
        position = max(match.end(), start + 1)


class SearchIndex:
    """Every cue's searchable text in one string, with where each cue begins in it."""

    def __init__(self, cues: Sequence) -> None:  # of Cue (not imported: the model imports this)
        self.cues = cues
        # A CueList's texts are already one string, a separator after each: no Cue is made.
        joined = getattr(getattr(cues, "texts", None), "joined", None)
        # Folded as one string, in C: markup cannot reach past a cue (the separator stops it),
        # and where each cue begins is found after folding, which may change lengths (ß → ss).
        haystack = joined if joined is not None else _SEPARATOR.join([cue.text for cue in cues])
        if "<" in haystack:
            haystack = _MARKUP.sub("", haystack)
        self._haystack = haystack.casefold()
        self._starts = array("q", [0])
        self._starts.extend(match.end() for match in _SEPARATORS.finditer(self._haystack))
        if joined is not None and len(self._starts) > 1:
            self._starts.pop()  # the separator after the last cue starts no cue

    def find(self, query: str, *, whole_words: bool = True) -> list[int]:
        """Positions (in ``cues``) of the cues matching ``query``, in order, each once."""
        pattern = query_pattern(query, whole_words=whole_words)
        if pattern is None:
            return []
        found: list[int] = []
        last = -1
        starts = self._starts
        next_start = 0  # where the cue after the last one found begins: hits before it repeat
        for offset in _matches(pattern, self._haystack, query.casefold(), whole_words):
            if last >= 0 and offset < next_start:
                continue
            position = bisect.bisect_right(starts, offset) - 1
            if position != last:
                found.append(position)
                last = position
                next_start = starts[position + 1] if position + 1 < len(starts) else len(self._haystack) + 1
        return found
