"""Check a library's cues against our scan, so that no cue is lost without a warning."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Hashable

from review_tui.model import Problem, format_ms
from review_tui.transcript.rawcue import RawCue, tidy_lines
from review_tui.transcript.scan import ScanResult
from review_tui.transcript.timing import looks_like_timing

LibraryCue = tuple[int, int, str]  # start_ms, end_ms, text as the library read it


def checked_reading(
    library: str,
    read: Callable[[], list[LibraryCue]],
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
    if not scan.problems and not any(cue.flagged for cue in scan.cues):
        return scan
    try:
        library_cues = read()
    except failures as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        fallback = Problem(
            source, f"{library} could not read this file ({reason}); read it line by line"
        )
        return ScanResult(scan.cues, [fallback, *scan.problems], scan.timing_lines)
    cues, problems = reconcile(library, library_cues, scan.cues, source, text)
    return ScanResult(cues, scan.problems + problems, scan.timing_lines)


def reconcile(
    library: str,
    library_cues: list[LibraryCue],
    scanned: list[RawCue],
    source: str,
    text: str = "",
) -> tuple[list[RawCue], list[Problem]]:
    """The cues of both readings, and a warning for each disagreement the scan did not explain.

    Where the readings differ, the scan's wins, since it follows the file line by line. A cue
    only the library found is kept too when it holds words the scan has nowhere, so nothing is
    lost; one made of lines the scan already placed (a library gluing or repeating cues) is
    the same text again and is dropped, so no cue is counted twice.
    """
    # A library cue is the same cue as a scanned one read alike; failing that, a cue the scan
    # flagged may have the same times (pysrt merged or cut its text) or the same text (the
    # library misread the times, or read times the scan could not).
    exact = _positions(scanned, lambda cue: (cue.start_ms, cue.end_ms, tidy_lines(cue.raw_text)))
    flagged = [cue for cue in scanned if cue.flagged]
    same_times = _positions(
        [cue for cue in flagged if cue.timed], lambda cue: (cue.start_ms, cue.end_ms)
    )
    same_text = _positions(flagged, lambda cue: tidy_lines(cue.raw_text))
    matched: set[int] = set()
    kept = list(scanned)
    problems: list[Problem] = []
    placed_lines: set[str] | None = None
    for start_ms, end_ms, library_text in library_cues:
        cue_text = tidy_lines(library_text)
        if _claim(exact, (start_ms, end_ms, cue_text), matched):
            continue
        if _claim(same_times, (start_ms, end_ms), matched):
            continue
        cue = _claim(same_text, cue_text, matched)
        if cue is not None:
            if not cue.timed or cue.end_unknown:
                cue.library_times = (start_ms, end_ms)
            continue
        if placed_lines is None:
            placed_lines = {line.strip() for cue in scanned for line in cue.lines}
            placed_lines.update(cue.unreadable for cue in scanned if cue.unreadable)
        if all(line in placed_lines or looks_like_timing(line) for line in cue_text.split("\n")):
            continue
        line = _line_of(text, cue_text.split("\n")[0])
        kept.append(RawCue(line, None, start_ms, end_ms, cue_text, flagged=True))
        problems.append(
            Problem(
                source,
                f"only {library} could read a cue ({cue_text.split(chr(10))[0][:40]!r}); "
                f"kept it at {format_ms(start_ms)}",
                line,
            )
        )
    for cue in scanned:
        if id(cue) not in matched and not cue.flagged:
            problems.append(
                Problem(
                    source, f"{library} misread or skipped this cue; kept it as written", cue.line
                )
            )
    return kept, problems


def _positions(
    cues: list[RawCue], key: Callable[[RawCue], Hashable]
) -> dict[Hashable, deque[RawCue]]:
    index: dict[Hashable, deque[RawCue]] = defaultdict(deque)
    for cue in cues:
        index[key(cue)].append(cue)
    return index


def _claim(
    index: dict[Hashable, deque[RawCue]], key: Hashable, matched: set[int]
) -> RawCue | None:
    """The first scanned cue under ``key`` that no library cue has matched yet, now matched."""
    waiting = index.get(key)
    while waiting:
        cue = waiting.popleft()
        if id(cue) not in matched:
            matched.add(id(cue))
            return cue
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
