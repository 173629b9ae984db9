"""Timing checks across cues: backwards times, order, overlaps and long silences."""

from __future__ import annotations

from itertools import pairwise

from review_tui.model import Problem, format_ms
from review_tui.transcript.rawcue import RawCue

# A silence this long is worth a note: a pause in the session, or a gap in the transcript.
LONG_GAP_MS = 30_000


def check_timing(cues: list[RawCue], source: str) -> tuple[list[RawCue], list[Problem]]:
    """The cues in time order, with a Problem for each timing fault (file order in, sorted out).

    A cue whose end comes before its start keeps its start and gets no duration: the start
    still places it in the session, while no duration can be trusted.
    """
    if not cues:
        return [], []
    problems: list[Problem] = []
    for number, cue in enumerate(cues, start=1):
        if cue.end_ms < cue.start_ms:
            problems.append(
                Problem(
                    source,
                    f"cue {number} ends ({format_ms(cue.end_ms)}) before it starts "
                    f"({format_ms(cue.start_ms)}); kept it with no duration",
                    cue.timing_line,
                )
            )
            cue.end_ms = cue.start_ms
    in_order = True
    for earlier_number, (earlier, cue) in enumerate(pairwise(cues), start=1):
        if cue.start_ms < earlier.start_ms:
            problems.append(
                Problem(
                    source,
                    f"{_name(earlier_number + 1, cue)} starts at {format_ms(cue.start_ms)}, before "
                    f"{_name(earlier_number, earlier)} ({format_ms(earlier.start_ms)}); "
                    "sorted by time",
                    cue.line,
                )
            )
        if (cue.start_ms, cue.end_ms) < (earlier.start_ms, earlier.end_ms):
            in_order = False
    # Nearly every file is in order already: then no sorted copy (and no sort keys) is made.
    numbered = enumerate(cues, start=1)
    ordered = (
        iter(numbered)
        if in_order
        else iter(sorted(numbered, key=lambda item: (item[1].start_ms, item[1].end_ms)))
    )
    # Compare each cue with the earlier cue that reaches furthest, so that a long cue
    # spanning several short ones is caught against each of them.
    reach_number, reach = next(ordered)
    result = [reach]
    for number, cue in ordered:
        result.append(cue)
        if cue.start_ms < reach.end_ms:
            overlap_ms = min(reach.end_ms, cue.end_ms) - cue.start_ms
            problems.append(
                Problem(
                    source,
                    f"{_name(number, cue)} overlaps {_name(reach_number, reach)} "
                    f"by {format_ms(overlap_ms)}",
                    cue.line,
                )
            )
        elif cue.start_ms - reach.end_ms > LONG_GAP_MS:
            silence = format_ms(cue.start_ms - reach.end_ms, millis=False)
            problems.append(
                Problem(
                    source,
                    f"{silence} without speech between {_name(reach_number, reach)} "
                    f"and {_name(number, cue)}",
                    cue.line,
                )
            )
        if cue.end_ms > reach.end_ms:
            reach_number, reach = number, cue
    return result, problems


def _name(number: int, cue: RawCue) -> str:
    return f"cue {number} (line {cue.line})" if cue.line is not None else f"cue {number}"
