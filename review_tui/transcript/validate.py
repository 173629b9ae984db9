"""Timing checks across cues: backwards times, order, overlaps and long silences."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import islice, pairwise

from review_tui.model import Problem, format_ms
from review_tui.transcript.cuestore import RawCues

# A silence this long is worth a note: a pause in the session, or a gap in the transcript.
LONG_GAP_MS = 30_000


def timed_positions(cues: RawCues) -> Sequence[int]:
    """The positions of the cues that have a time, in file order."""
    if not cues.unreadable:
        return range(len(cues))
    return array("q", (position for position in range(len(cues)) if cues.timed(position)))


def check_timing(cues: RawCues, source: str) -> tuple[Sequence[int], list[Problem]]:
    """The timed cues' positions in time order (by start, then end; stable), with a Problem
    for each timing fault. Cues are numbered in the warnings as the n-th timed cue of the file.

    A cue whose end comes before its start keeps its start and gets no duration: the start
    still places it in the session, while no duration can be trusted.
    """
    timed = timed_positions(cues)
    if not timed:
        return timed, []
    # The timed cues' times, by their number: the columns themselves when every cue is timed.
    # Read by zip, each once: indexing an array makes a new int object every time.
    if isinstance(timed, range):
        starts, ends = cues.starts, cues.ends
    else:
        starts = array("q", (cues.starts[position] for position in timed))
        ends = array("q", (cues.ends[position] for position in timed))
    problems: list[Problem] = []
    for number, (start_ms, end_ms) in enumerate(zip(starts, ends), start=1):
        if end_ms < start_ms:
            position = timed[number - 1]
            problems.append(
                Problem(
                    source,
                    f"cue {number} ends ({format_ms(end_ms)}) before it starts "
                    f"({format_ms(start_ms)}); kept it with no duration",
                    cues.timing_line(position),
                )
            )
            ends[number - 1] = cues.ends[position] = start_ms
    in_order = True
    times = zip(starts, ends)
    for number, ((earlier_start, earlier_end), (start_ms, end_ms)) in enumerate(
        pairwise(times), start=1
    ):
        if start_ms < earlier_start:
            earlier, later = timed[number - 1], timed[number]
            problems.append(
                Problem(
                    source,
                    f"{_name(cues, number + 1, later)} starts at {format_ms(start_ms)}, "
                    f"before {_name(cues, number, earlier)} ({format_ms(earlier_start)}); "
                    "sorted by time",
                    cues.line(later),
                )
            )
            in_order = False
        elif start_ms == earlier_start and end_ms < earlier_end:
            in_order = False
    # Nearly every file is in order already: then no sorted copy (and no sort keys) is made.
    # The 0-based number of each timed cue, in time order.
    numbers: Sequence[int] = range(len(timed))
    if not in_order:
        numbers = sorted(numbers, key=ends.__getitem__)
        numbers.sort(key=starts.__getitem__)  # stable: by start, then end
    # Compare each cue with the earlier cue that reaches furthest, so that a long cue
    # spanning several short ones is caught against each of them.
    reach_number = numbers[0]
    reach_end = ends[reach_number]
    ordered_times = (
        zip(numbers, starts, ends)
        if in_order
        else ((number, starts[number], ends[number]) for number in numbers)
    )
    for number, start_ms, end_ms in islice(ordered_times, 1, None):
        if start_ms < reach_end:
            overlap_ms = min(reach_end, end_ms) - start_ms
            position = timed[number]
            problems.append(
                Problem(
                    source,
                    f"{_name(cues, number + 1, position)} overlaps "
                    f"{_name(cues, reach_number + 1, timed[reach_number])} by "
                    f"{format_ms(overlap_ms)}",
                    cues.line(position),
                )
            )
        elif start_ms - reach_end > LONG_GAP_MS:
            silence = format_ms(start_ms - reach_end, millis=False)
            position = timed[number]
            problems.append(
                Problem(
                    source,
                    f"{silence} without speech between "
                    f"{_name(cues, reach_number + 1, timed[reach_number])} "
                    f"and {_name(cues, number + 1, position)}",
                    cues.line(position),
                )
            )
        if end_ms > reach_end:
            reach_number, reach_end = number, end_ms
    if in_order:
        return timed, problems
    return array("q", (timed[number] for number in numbers)), problems


def sort_by_time(items: Sequence[int], position_of, cues: RawCues) -> list[int]:
    """``items`` sorted stably by their cues' (start, end): by end, then stably by start, so
    that no key tuple is made for every cue at once."""
    starts, ends = cues.starts, cues.ends
    ordered = sorted(items, key=lambda item: ends[position_of(item)])
    ordered.sort(key=lambda item: starts[position_of(item)])
    return ordered


def _name(cues: RawCues, number: int, position: int) -> str:
    line = cues.line(position)
    return f"cue {number} (line {line})" if line is not None else f"cue {number}"
