"""Our own line-by-line reading of SRT and WebVTT, which notices what the libraries hide.

pysrt and webvtt-py drop or merge malformed cues without a word. This scanner reads the
same text one line at a time, keeps every cue it can make sense of, and says what was wrong
and on which line. readers.py compares it with the library's result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from review_tui.model import Problem
from review_tui.transcript.cuestore import RawCues, iter_lines
from review_tui.transcript.timing import looks_like_timing, read_timing, strict_times

_VTT_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass(slots=True)
class ScanResult:
    """A transcript's raw cues as one pass over the file found them."""

    cues: RawCues
    problems: list[Problem] = field(default_factory=list)
    timing_lines: int = 0  # lines shaped like timings, readable or not


def scan_cues(text: str, source: str, fmt: str) -> ScanResult:
    """Every cue in ``text`` ("srt" or "vtt"), with a Problem for each departure from the format."""
    return _Scanner(text, source, fmt).run()


class _Scanner:
    def __init__(self, text: str, source: str, fmt: str) -> None:
        self.text = text
        self.source = source
        self.fmt = fmt
        self.cues = RawCues(text)
        self.result = ScanResult(self.cues)
        self.cue: int | None = None  # position of the cue that text lines belong to
        self.block: str | None = None  # "cue", "skip" (header, NOTE, unreadable cue) or None
        self.last_blank: int | None = None
        self.label: tuple[int, str] | None = None  # number or identifier waiting for its timing
        self.last_number: int | None = None

    def warn(self, line: int | None, message: str, cue: int | None = None) -> None:
        self.result.problems.append(Problem(self.source, message, line))
        if cue is not None:
            self.cues.flagged[cue] = True

    def run(self) -> ScanResult:
        lines = iter_lines(self.text)
        line = next(lines, None)
        stripped = line.strip() if line is not None else ""
        is_timing = looks_like_timing(stripped)
        number = 0
        offset = 0  # where ``line`` starts in the text
        while line is not None:
            number += 1
            following_offset = offset + len(line) + 1
            following = next(lines, None)
            following_stripped = following.strip() if following is not None else ""
            following_is_timing = bool(following_stripped) and looks_like_timing(following_stripped)
            if not stripped:
                self.last_blank = number
                self.block = None
            elif is_timing:
                self.timing(number, stripped)
            else:
                self.text_line(number, offset, line, stripped, following_is_timing)
            offset, line, stripped, is_timing = (
                following_offset, following, following_stripped, following_is_timing
            )
        cues = self.cues
        for position in range(len(cues)):
            if not cues.has_text(position):
                self.warn(cues.line(position), "cue has no text", position)
        return self.result

    def timing(self, number: int, stripped: str) -> None:
        self.result.timing_lines += 1
        label_line, label = self.label if self.label else (number, None)
        self.label = None
        cues = self.cues
        strict = strict_times(stripped, self.fmt)
        timing = read_timing(stripped, self.fmt) if strict is None else None
        if strict is not None:
            cue = cues.add(label_line, number, *strict)
        elif timing is None or timing.start_ms is None:
            # Kept as text without a time; its one warning is written once the readings are
            # compared (a library may have read the times), see untimed.py.
            cue = cues.add(label_line, number, 0, 0, flagged=True)
            cues.unreadable[cue] = stripped
        elif timing.end_ms is None:
            cue = cues.add(
                label_line, number, timing.start_ms, timing.start_ms, flagged=True, end_unknown=True
            )
            cues.timing_text[cue] = stripped
        else:
            cue = cues.add(label_line, number, timing.start_ms, timing.end_ms)
        if self.block == "cue" and self.cue is not None:
            cues.flagged[self.cue] = True  # a library may read both cues as this one
            self.warn(
                label_line,
                f"no blank line between this cue and the cue at line {cues.line(self.cue)}",
                cue,
            )
        elif self.block == "skip":
            self.warn(label_line, "no blank line before this cue", cue)
        if timing is not None and timing.start_ms is not None and timing.problems:
            self.warn(number, "; ".join(timing.problems), cue)  # one warning for one line
        if self.fmt == "srt":
            self.check_number(cue, label_line, label)
        self.cue, self.block = cue, "cue"

    def check_number(self, cue: int, line: int, label: str | None) -> None:
        if label is None:
            self.warn(line, "cue has no number", cue)
            return
        if not label.isdigit():
            self.warn(line, f"expected a cue number, found {label!r}", cue)
            return
        number = int(label)
        if self.last_number is not None and number != self.last_number + 1:
            self.warn(
                line,
                f"cue number {number} out of sequence (previous was {self.last_number})",
                cue,
            )
        self.last_number = number

    def text_line(
        self, number: int, offset: int, line: str, stripped: str, before_timing: bool
    ) -> None:
        if (
            self.block is None
            and self.fmt == "vtt"
            and not len(self.cues)
            and stripped.startswith("WEBVTT")
        ):
            if number != 1:  # players that follow the standard refuse the file
                self.warn(number, f"the WEBVTT header is on line {number}, not the first line")
            self.block = "skip"
        elif before_timing and (self.block is None or stripped.isdigit()):
            self.label = (number, stripped)
        elif self.block == "skip":
            pass
        elif (
            self.block is None and self.fmt == "vtt" and stripped.split()[0] in _VTT_SKIPPED_BLOCKS
        ):
            self.block = "skip"
        elif self.block == "cue" and self.cue is not None:
            self.cues.add_text(self.cue, offset, line.rstrip())
        elif self.cue is not None:
            self.warn(
                self.last_blank or number,
                f"blank line inside the cue at line {self.cues.line(self.cue)}; "
                f"the text after it (line {number}) is kept with that cue",
                self.cue,
            )
            self.cues.add_text(self.cue, offset, line.rstrip())
            self.block = "cue"
        else:
            self.warn(number, f"text outside any cue is ignored: {stripped[:40]!r}")
            self.block = "skip"
