"""Check a library's cues against our scan, so that no cue is lost without a warning."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator

from review_tui.model import Problem, format_ms
from review_tui.transcript.cuestore import RawCues
from review_tui.transcript.rawcue import tidy_lines
from review_tui.transcript.scan import ScanResult
from review_tui.transcript.timing import looks_like_timing


class LibraryCues:
    """A library's reading: times in arrays, texts as the library gave them, in its order."""

    __slots__ = ("ends", "starts", "texts")

    def __init__(self) -> None:
        self.starts = array("q")
        self.ends = array("q")
        self.texts: list[str] = []

    def append(self, start_ms: int, end_ms: int, text: str) -> None:
        self.starts.append(start_ms)
        self.ends.append(end_ms)
        self.texts.append(text)

    def __len__(self) -> int:
        return len(self.texts)

    def __iter__(self) -> Iterator[tuple[int, int, str]]:
        """(start_ms, end_ms, text) of each cue."""
        return zip(self.starts, self.ends, self.texts, strict=True)


def checked_reading(
    library: str,
    read: Callable[[], LibraryCues],
    failures: tuple[type[Exception], ...],
    scan: ScanResult,
    source: str,
    text: str = "",
) -> ScanResult:
    """The library's reading checked against the scan; the scan alone if the library gives up.

    A file the scan found nothing wrong in is read alike by both (every line is accounted
    for, every timing line read), so the library is asked only when the scan saw a fault:
    that is where it may recover a cue, and it is half the cost of a long transcript.
    """
    if not scan.problems and 1 not in scan.cues.flagged:
        return scan
    try:
        library_cues = read()
    except failures as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        fallback = Problem(
            source, f"{library} could not read this file ({reason}); read it line by line"
        )
        return ScanResult(scan.cues, [fallback, *scan.problems], scan.timing_lines)
    problems = reconcile(library, library_cues, scan.cues, source, text)
    return ScanResult(scan.cues, scan.problems + problems, scan.timing_lines)


def reconcile(
    library: str,
    library_cues: Iterable[tuple[int, int, str]],
    cues: RawCues,
    source: str,
    text: str = "",
) -> list[Problem]:
    """A warning for each disagreement the scan did not explain; ``cues`` gains what only the
    library found.

    Where the readings differ, the scan's wins, since it follows the file line by line. A cue
    only the library found is kept too when it holds words the scan has nowhere, so nothing is
    lost; one made of lines the scan already placed (a library gluing or repeating cues) is
    the same text again and is dropped, so no cue is counted twice.
    """
    scanned = len(cues)
    starts, ends, flagged = cues.starts, cues.ends, cues.flagged

    def times(position: int) -> tuple[int, int]:
        return starts[position], ends[position]

    def words(position: int) -> str:
        return tidy_lines(cues.raw_text(position))

    # A library cue is the same cue as a scanned one read alike; failing that, a cue the scan
    # flagged may have the same times (pysrt merged or cut its text) or the same text (the
    # library misread the times, or read times the scan could not).
    exact: _Waiting | _WaitingInOrder
    if _in_time_order(starts, ends, scanned):
        exact = _WaitingInOrder(starts, ends, scanned, words)
    else:
        exact = _Waiting(range(scanned), lambda position: (*times(position), words(position)))
    flagged_positions = [position for position in range(scanned) if flagged[position]]
    same_times = _Waiting(
        [position for position in flagged_positions if cues.timed(position)], times
    )
    same_text = _Waiting(flagged_positions, words)
    matched = bytearray(scanned)
    problems: list[Problem] = []
    placed_lines: set[str] | None = None
    for start_ms, end_ms, library_text in library_cues:
        cue_text = tidy_lines(library_text)
        if exact.claim((start_ms, end_ms, cue_text), matched) is not None:
            continue
        if same_times.claim((start_ms, end_ms), matched) is not None:
            continue
        cue = same_text.claim(cue_text, matched)
        if cue is not None:
            if not cues.timed(cue) or cues.end_unknown[cue]:
                cues.library_times[cue] = (start_ms, end_ms)
            continue
        if placed_lines is None:
            placed_lines = _placed_lines(cues, scanned)
        if all(line in placed_lines or looks_like_timing(line) for line in cue_text.split("\n")):
            continue
        line = _line_of(text, cue_text.split("\n")[0])
        cues.set_text(cues.add(line, None, start_ms, end_ms, flagged=True), cue_text)
        problems.append(
            Problem(
                source,
                f"only {library} could read a cue ({cue_text.split(chr(10))[0][:40]!r}); "
                f"kept it at {format_ms(start_ms)}",
                line,
            )
        )
    for position in range(scanned):
        if not matched[position] and not flagged[position]:
            problems.append(
                Problem(
                    source,
                    f"{library} misread or skipped this cue; kept it as written",
                    cues.line(position),
                )
            )
    return problems


def _placed_lines(cues: RawCues, scanned: int) -> set[str]:
    """Every line the first ``scanned`` cues hold (stripped), and their unreadable timings."""
    placed: set[str] = set()
    for position in range(scanned):
        raw = cues.raw_text(position)
        if raw:
            placed.update(line.strip() for line in raw.split("\n"))
    placed.update(cues.unreadable.values())
    return placed


def _in_time_order(starts: array, ends: array, count: int) -> bool:
    return all(
        (starts[position - 1], ends[position - 1]) <= (starts[position], ends[position])
        for position in range(1, count)
    )


class _WaitingInOrder:
    """As _Waiting for the key (start, end, words), over cues already in time order (nearly
    every file): found by bisecting the start times, so no index as long as the file is made.
    Cues sharing a start are next to each other, in file order."""

    def __init__(
        self, starts: array, ends: array, count: int, words: Callable[[int], str]
    ) -> None:
        self._starts, self._ends, self._count, self._words = starts, ends, count, words
        # For cues sharing a start and an end: the first that may still be unmatched, once some
        # were passed over (a long run of equal times is walked once, not once per claim).
        self._first_open: dict[int, int] = {}

    def claim(self, wanted: tuple[int, int, str], matched: bytearray) -> int | None:
        start_ms, end_ms, text = wanted
        starts, ends = self._starts, self._ends
        run_start = bisect.bisect_left(starts, start_ms, 0, self._count)
        run_end = bisect.bisect_right(starts, start_ms, run_start, self._count)
        # Ends rise within a run of one start: the cues with this end are together too.
        first = bisect.bisect_left(ends, end_ms, run_start, run_end)
        position = self._first_open.get(first, first)
        while position < run_end and ends[position] == end_ms and matched[position]:
            position += 1
        if position != first:
            self._first_open[first] = position
        while position < run_end and ends[position] == end_ms:
            if not matched[position] and self._words(position) == text:
                matched[position] = True
                return position
            position += 1
        return None


class _Waiting:
    """Scanned cues by a key, each claimed once, the first in file order first.

    Chained by the key's hash in an array rather than a queue per key: a long file has as
    many keys as cues.
    """

    def __init__(self, positions: Iterable[int], key: Callable[[int], Hashable]) -> None:
        self._key = key
        self._first: dict[int, int] = {}
        self._next: dict[int, int] | array = {}
        if isinstance(positions, range) and positions.start == 0 and positions.step == 1:
            self._next = array("q", [-1]) * len(positions)
        for position in reversed(positions):
            digest = hash(key(position))
            self._next[position] = self._first.get(digest, -1)
            self._first[digest] = position

    def claim(self, wanted: Hashable, matched: bytearray) -> int | None:
        """The first unmatched position whose key is ``wanted``, now matched; or None."""
        digest = hash(wanted)
        position = self._first.get(digest, -1)
        while position != -1 and matched[position]:  # claimed through another index
            position = self._next[position]
            self._first[digest] = position
        while position != -1:
            if not matched[position] and self._key(position) == wanted:
                matched[position] = True
                return position
            position = self._next[position]
        return None


def _line_of(text: str, first_line: str) -> int | None:
    """The 1-based line where ``first_line`` stands alone in ``text``, if it does."""
    if not text or not first_line:
        return None
    position = text.find(first_line)
    while position >= 0:
        end = position + len(first_line)
        starts_line = position == 0 or text[position - 1] == "\n"
        ends_line = end == len(text) or text[end] in "\n \t"
        if starts_line and ends_line:
            return text.count("\n", 0, position) + 1
        position = text.find(first_line, position + 1)
    return None
