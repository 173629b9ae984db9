"""Timing checks across cues: backwards times, order, overlaps and long silences."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import islice

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
    starts, ends = cues.starts, cues.ends
    problems: list[Problem] = []
    for number, position in enumerate(timed, start=1):
        if ends[position] < starts[position]:
            problems.append(
                Problem(
                    source,
                    f"cue {number} ends ({format_ms(ends[position])}) before it starts "
                    f"({format_ms(starts[position])}); kept it with no duration",
                    cues.timing_line(position),
                )
            )
            ends[position] = starts[position]
    in_order = True
    for number in range(1, len(timed)):
        earlier, later = timed[number - 1], timed[number]
        if starts[later] < starts[earlier]:
            problems.append(
                Problem(
                    source,
                    f"{_name(cues, number + 1, later)} starts at {format_ms(starts[later])}, "
                    f"before {_name(cues, number, earlier)} ({format_ms(starts[earlier])}); "
                    "sorted by time",
                    cues.line(later),
                )
            )
        if (starts[later], ends[later]) < (starts[earlier], ends[earlier]):
            in_order = False
    # Nearly every file is in order already: then no sorted copy (and no sort keys) is made.
    # The 0-based number of each timed cue, in time order.
    numbers: Sequence[int] = range(len(timed))
    if not in_order:
        numbers = sort_by_time(numbers, lambda number: timed[number], cues)
    # Compare each cue with the earlier cue that reaches furthest, so that a long cue
    # spanning several short ones is caught against each of them.
    reach_number = numbers[0]
    reach = timed[reach_number]
    for number in islice(numbers, 1, None):
        position = timed[number]
        if starts[position] < ends[reach]:
            overlap_ms = min(ends[reach], ends[position]) - starts[position]
            problems.append(
                Problem(
                    source,
                    f"{_name(cues, number + 1, position)} overlaps "
                    f"{_name(cues, reach_number + 1, reach)} by {format_ms(overlap_ms)}",
                    cues.line(position),
                )
            )
        elif starts[position] - ends[reach] > LONG_GAP_MS:
            silence = format_ms(starts[position] - ends[reach], millis=False)
            problems.append(
                Problem(
                    source,
                    f"{silence} without speech between {_name(cues, reach_number + 1, reach)} "
                    f"and {_name(cues, number + 1, position)}",
                    cues.line(position),
                )
            )
        if ends[position] > ends[reach]:
            reach_number, reach = number, position
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
