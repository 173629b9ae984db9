"""The cues of a loaded transcript, stored by column: a long transcript held compactly.

A list of 100,000 Cue objects holds about four times the text they were read from (each
Cue, and each of its numbers, is an object of its own). Here the times and lines sit in
arrays of machine integers, the texts in one string (TextColumn) and the speaker ids in a
plain list of shared strings; a Cue is made when one is asked for. It behaves as a read-only list of Cue: len, indexing, slicing, iteration,
equality with a list.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from review_tui.model import Cue
from review_tui.transcript.cuestore import NO_LINE as _NO_LINE
from review_tui.transcript.textcolumn import TextColumn


class CueList(Sequence[Cue]):
    __slots__ = ("_ends", "_lines", "_speakers", "_starts", "_texts", "_untimed")

    def __init__(
        self,
        starts: Sequence[int],
        ends: Sequence[int],
        texts: TextColumn | Sequence[str],
        speakers: list[str | None],
        lines: Sequence[int | None],
        untimed: frozenset[int] = frozenset(),
    ) -> None:
        """Columns of cues already in time order (by start, then end). Arrays are taken as
        they are, not copied (lines then hold NO_LINE for a cue without one)."""
        self._starts = starts if isinstance(starts, array) else array("q", starts)
        self._ends = ends if isinstance(ends, array) else array("q", ends)
        self._lines = (
            lines
            if isinstance(lines, array)
            else array("q", (_NO_LINE if line is None else line for line in lines))
        )
        self._texts = texts if isinstance(texts, TextColumn) else TextColumn.of(texts)
        self._speakers = speakers
        self._untimed = untimed
        if not len(self._starts) == len(self._ends) == len(texts) == len(speakers) == len(self._lines):
            raise ValueError("cue columns differ in length")

    def __len__(self) -> int:
        return len(self._texts)

    def _cue(self, index: int) -> Cue:
        line = self._lines[index]
        return Cue(
            index,
            self._starts[index],
            self._ends[index],
            self._texts[index],
            self._speakers[index],
            None if line == _NO_LINE else line,
            index not in self._untimed,
        )

    @overload
    def __getitem__(self, key: int) -> Cue: ...

    @overload
    def __getitem__(self, key: slice) -> list[Cue]: ...

    def __getitem__(self, key: int | slice) -> Cue | list[Cue]:
        if isinstance(key, slice):
            return [self._cue(index) for index in range(*key.indices(len(self)))]
        index = key.__index__()
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("cue index out of range")
        return self._cue(index)

    def __iter__(self) -> Iterator[Cue]:
        untimed = self._untimed
        for index, (start, end, text, speaker, line) in enumerate(
            zip(self._starts, self._ends, self._texts, self._speakers, self._lines, strict=True)
        ):
            yield Cue(
                index, start, end, text, speaker, None if line == _NO_LINE else line,
                index not in untimed,
            )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CueList | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so unhashable like them

    def __repr__(self) -> str:
        return f"CueList({len(self)} cues)"

    def pick(self, positions: Sequence[int]) -> list[Cue]:
        """The cues at ``positions`` (valid, non-negative), made in one pass: for search hits."""
        starts, ends, speakers, lines, untimed = (
            self._starts, self._ends, self._speakers, self._lines, self._untimed
        )
        return [
            Cue(
                index, starts[index], ends[index], text, speakers[index],
                None if lines[index] == _NO_LINE else lines[index], index not in untimed,
            )
            for index, text in zip(positions, self._texts.pick(positions), strict=True)
        ]

    # --- columns, for code that needs every cue's one field without making Cue objects ---

    @property
    def start_times(self) -> Sequence[int]:
        """Every start in time order (bisect works on it)."""
        return self._starts

    @property
    def end_times(self) -> Sequence[int]:
        """Every end, in the order of the starts."""
        return self._ends

    @property
    def texts(self) -> TextColumn:
        """Every text in time order, stored as one string (``texts.joined``)."""
        return self._texts

    @property
    def max_end_ms(self) -> int:
        return max(self._ends, default=0)
