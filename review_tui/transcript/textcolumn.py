"""Every cue's text in one string, a NUL between cues, with where each begins.

A list of 100,000 short strings costs about as much again in string headers as in text; one
string and an array of offsets costs the text alone. Cleaned text never holds a NUL (it is a
control character), so the NUL both parts cues and lets search run over them in one pass.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import overload

SEPARATOR = "\x00"
# Texts joined at a time while building: few enough that the pieces waiting are small, many
# enough that the joined pieces are few.
_CHUNK = 1024


class TextColumn(Sequence[str]):
    """A read-only sequence of texts stored as one string."""

    __slots__ = ("_offsets", "joined")

    def __init__(self, joined: str, offsets: array) -> None:
        """``joined``: the texts with SEPARATOR after each; ``offsets``: where each text
        begins, and one more entry for the end of ``joined``."""
        self.joined = joined
        self._offsets = offsets

    @classmethod
    def of(cls, texts: Sequence[str]) -> TextColumn:
        builder = TextColumnBuilder()
        for text in texts:
            builder.append(text)
        return builder.finish()

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, key: int) -> str: ...

    @overload
    def __getitem__(self, key: slice) -> list[str]: ...

    def __getitem__(self, key: int | slice) -> str | list[str]:
        if isinstance(key, slice):
            return [self[index] for index in range(*key.indices(len(self)))]
        index = key.__index__()
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("text index out of range")
        return self.joined[self._offsets[index] : self._offsets[index + 1] - 1]

    def pick(self, indexes: Sequence[int]) -> list[str]:
        """The texts at ``indexes`` (valid, non-negative), sliced in one pass: for search hits."""
        joined, offsets = self.joined, self._offsets
        return [joined[offsets[index] : offsets[index + 1] - 1] for index in indexes]

    def __iter__(self) -> Iterator[str]:
        joined, offsets = self.joined, self._offsets
        for index in range(len(offsets) - 1):
            yield joined[offsets[index] : offsets[index + 1] - 1]


class TextColumnBuilder:
    """Texts appended one at a time (and a few replaced afterwards), joined as they come."""

    def __init__(self) -> None:
        self._chunks: list[str] = []  # each the joined texts of _CHUNK cues, SEPARATOR after each
        self._waiting: list[str] = []
        self._replaced: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._chunks) * _CHUNK + len(self._waiting)

    def append(self, text: str) -> None:
        waiting = self._waiting
        waiting.append(text)
        if len(waiting) == _CHUNK:
            self._flush()

    def replace(self, index: int, text: str) -> None:
        """Make the ``index``-th text ``text`` instead (applied when finished)."""
        if not 0 <= index < len(self):
            raise IndexError("text index out of range")
        _check(text)
        self._replaced[index] = text

    def _flush(self) -> None:
        if self._waiting:
            self._waiting.append("")  # so the last text gets its separator too
            chunk = SEPARATOR.join(self._waiting)
            if chunk.count(SEPARATOR) != len(self._waiting) - 1:
                for text in self._waiting:
                    _check(text)
            self._chunks.append(chunk)
            self._waiting = []

    def finish(self) -> TextColumn:
        self._flush()
        for index, text in self._replaced.items():
            chunk, within = divmod(index, _CHUNK)
            texts = self._chunks[chunk].split(SEPARATOR)
            texts[within] = text
            self._chunks[chunk] = SEPARATOR.join(texts)
        joined = "".join(self._chunks)
        self._chunks = []
        offsets = array("q", [0])
        position = joined.find(SEPARATOR)
        while position >= 0:
            offsets.append(position + 1)
            position = joined.find(SEPARATOR, position + 1)
        return TextColumn(joined, offsets)


def _check(text: str) -> None:
    if SEPARATOR in text:
        raise ValueError("a cue text holds the separator (NUL); clean it first")
