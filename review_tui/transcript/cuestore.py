"""The cues as read from a file, before speakers are found: stored by column, in file order.

A 100,000-cue transcript read into one object per cue (with its numbers and its text) holds
several times the file's text. Here each field is a column: times and line numbers in arrays
of machine integers, a cue's text as the span of the file's own text it was read from. What
few cues need (a warning's quote, a library's guess, text that is not one span of the file)
sits in small dictionaries by position. No stage of loading makes an object per cue; the text
of one cue is sliced from the file when it is asked for.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

NO_LINE = -1  # in ``lines`` and ``timing_lines``: a cue only a library found has no line


def iter_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time (each line starts one past the end of the one
    before): a list of every line of a long transcript (or a StringIO, which copies the text
    at four bytes a character) holds more than the text itself."""
    start = 0
    find = text.find
    while True:
        end = find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


class RawCues:
    """Cues in file order; position ``i`` is the ``i``-th cue read.

    A cue's raw text is as written, tags included, its lines joined by "\\n" and stripped as
    the reader chose: while a cue's lines are adjacent in the file it is one span of ``text``
    (``text_from``/``text_to``); once a line breaks that (a blank line inside the cue, a line
    stripped at its start), its text is written out in ``written``.
    """

    __slots__ = (
        "end_unknown",
        "ends",
        "flagged",
        "hints",
        "library_times",
        "lines",
        "starts",
        "text",
        "text_from",
        "text_to",
        "timing_lines",
        "timing_text",
        "unreadable",
        "written",
    )

    def __init__(self, text: str) -> None:
        self.text: str | None = text  # the decoded file; let go once every text is made
        # Offsets and line numbers fit 32 bits unless the text is longer than any file read.
        offset = "i" if len(text) < 2**31 else "q"
        self.starts = array("q")
        self.ends = array("q")
        # 1-based: where the cue starts (its number or identifier, else its timing line) and
        # where its timing is; NO_LINE where there is none.
        self.lines = array(offset)
        self.timing_lines = array(offset)
        self.text_from = array(offset)
        self.text_to = array(offset)
        self.flagged = bytearray()  # 1: the scan already warned about this cue's shape
        self.end_unknown = bytearray()  # 1: no readable end, it ends where the next begins
        self.written: dict[int, str] = {}
        # A timing line whose start cannot be read: what it says, for the warning to quote.
        # Such a cue is untimed until a library's reading of it is taken.
        self.unreadable: dict[int, str] = {}
        self.library_times: dict[int, tuple[int, int]] = {}  # a library's reading of those
        self.timing_text: dict[int, str] = {}  # the timing line where only its end is unreadable
        self.hints: list[str | None] | None = None  # names a plain-text layout writes by the time

    def __len__(self) -> int:
        return len(self.starts)

    def add(
        self,
        line: int | None,
        timing_line: int | None,
        start_ms: int,
        end_ms: int,
        *,
        flagged: bool = False,
        end_unknown: bool = False,
        hint: str | None = None,
    ) -> int:
        """A new cue with no text yet; its position."""
        position = len(self.starts)
        self.starts.append(start_ms)
        self.ends.append(end_ms)
        self.lines.append(NO_LINE if line is None else line)
        self.timing_lines.append(NO_LINE if timing_line is None else timing_line)
        self.text_from.append(0)
        self.text_to.append(0)
        self.flagged.append(flagged)
        self.end_unknown.append(end_unknown)
        if self.hints is not None:
            self.hints.append(hint)
        elif hint is not None:
            self.hints = [None] * position
            self.hints.append(hint)
        return position

    def add_text(self, position: int, offset: int, line: str) -> None:
        """Add ``line``, which stands at ``offset`` in ``text``, as the cue's next line."""
        end = self.text_to[position]
        if position in self.written:
            self.written[position] += "\n" + line
        elif end == self.text_from[position]:  # its first line
            self.text_from[position] = offset
            self.text_to[position] = offset + len(line)
        elif offset == end + 1 and self.text[end] == "\n":  # the line right after the last
            self.text_to[position] = offset + len(line)
        else:
            self.written[position] = self.raw_text(position) + "\n" + line

    def set_text(self, position: int, text: str) -> None:
        """Give the cue ``text`` that is not a span of the file (a library's reading)."""
        if text:
            self.written[position] = text

    def raw_text(self, position: int) -> str:
        if self.written and position in self.written:
            return self.written[position]
        return self.text[self.text_from[position] : self.text_to[position]]

    def has_text(self, position: int) -> bool:
        return position in self.written or self.text_to[position] > self.text_from[position]

    def line(self, position: int) -> int | None:
        line = self.lines[position]
        return None if line == NO_LINE else line

    def timing_line(self, position: int) -> int | None:
        line = self.timing_lines[position]
        return None if line == NO_LINE else line

    def timed(self, position: int) -> bool:
        return position not in self.unreadable

    def hint(self, position: int) -> str | None:
        return self.hints[position] if self.hints is not None else None

    def drop_text(self) -> None:
        """Let go of the file's text once every cue's text has been made from it."""
        self.text = None
