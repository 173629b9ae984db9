"""Cues whose times the file does not give: decide what each gets, with one warning each.

A cue with no readable start keeps its text but no time: it is never placed on the timeline
by a guess, and talk time never counts it. Its warning is written here, after the readings
are compared, because a library may have read the times after all (pysrt guesses): those
are used only when they fit between the cues around it. A cue with no readable end (and
every cue of a plain-text layout, which gives starts only) ends where the next one begins.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from review_tui.model import Problem, format_ms
from review_tui.transcript.cuestore import RawCues

# Without a recording to end it, the last cue of a start-only layout lasts as long as its
# words take to say at a slow pace, and never less than this.
_LAST_CUE_MIN_MS = 2_000
_MS_PER_WORD = 400


def settle_times(
    cues: RawCues,
    source: str,
    library: str | None,
    media_end_ms: int | None,
    *,
    warn_ends: bool = True,
) -> list[Problem]:
    """The problems found giving each timed cue without an end one (``cues`` changed in place).

    Cues still without a time keep their ``unreadable`` entry, for the loader to place.
    """
    problems: list[Problem] = []
    starts, ends = cues.starts, cues.ends
    for position in sorted(cues.unreadable):
        quoted = cues.unreadable[position]
        guess = cues.library_times.get(position)
        if guess is not None and _fits(
            guess, _neighbour(cues, position, -1), _neighbour(cues, position, 1), cues
        ):
            starts[position], ends[position] = guess
            problems.append(
                Problem(
                    source,
                    f"cannot read the times in {quoted!r}; used {library}'s reading "
                    f"({format_ms(guess[0])}–{format_ms(guess[1])}), which fits between the "
                    "cues around it",
                    cues.timing_line(position),
                )
            )
            del cues.unreadable[position]
            continue
        problems.append(
            Problem(
                source,
                f"cannot read the times in {quoted!r}; kept its text "
                "without a time (not counted in talk time)",
                cues.timing_line(position),
            )
        )
    if 1 not in cues.end_unknown:
        return problems
    untimed, count = cues.unreadable, len(cues)
    for position, (end_unknown, start_ms) in enumerate(zip(cues.end_unknown, starts)):
        if not end_unknown or position in untimed:
            continue
        after = position + 1  # the next timed cue
        while after < count and after in untimed:
            after += 1
        following = starts[after] if after < count else None
        guess = cues.library_times.get(position)
        if guess is not None and guess[0] == start_ms and guess[1] >= start_ms:
            ends[position] = guess[1]
            where = f"where {library} reads it ({format_ms(guess[1])})"
        elif following is not None and following > start_ms:
            ends[position] = following
            where = "where the next cue begins"
        elif (
            following is None
            and not warn_ends  # a start-only layout; an SRT cue's lost end is not the media's
            and media_end_ms is not None
            and media_end_ms > start_ms
        ):
            ends[position] = media_end_ms
            where = "at the end of the recording"
        elif following is None:
            words = len(cues.raw_text(position).split())
            ends[position] = start_ms + max(_LAST_CUE_MIN_MS, _MS_PER_WORD * words)
            where = "after the time its words take (no recording to end it)"
            if not warn_ends:  # one note for the layout: every other end is exact
                problems.append(
                    Problem(
                        source,
                        f"the last cue ends {where}, at {format_ms(ends[position])}",
                        cues.line(position),
                    )
                )
        else:
            where = "with no duration: the next cue does not start later"
        if warn_ends:
            problems.append(
                Problem(
                    source,
                    f"cannot read the end time in {cues.timing_text.get(position)!r}; "
                    f"the cue ends {where}",
                    cues.timing_line(position),
                )
            )
    return problems


def _neighbour(cues: RawCues, position: int, step: int) -> int | None:
    """The position of the nearest timed cue before (``step`` -1) or after (1) ``position``."""
    position += step
    while 0 <= position < len(cues):
        if cues.timed(position):
            return position
        position += step
    return None


def _fits(times: tuple[int, int], before: int | None, after: int | None, cues: RawCues) -> bool:
    start_ms, end_ms = times
    if start_ms <= 0 or end_ms < start_ms:  # pysrt reads a missing start as 0:00
        return False
    if before is not None and start_ms < cues.starts[before]:
        return False
    return after is None or start_ms <= cues.starts[after]


def place_untimed(cues: RawCues, ordered: Sequence[int]) -> Sequence[int]:
    """The positions of ``ordered`` (the timed cues in time order) with each untimed cue put
    after the cue it follows in the file, at that cue's end and with no duration (its place,
    not a time it is said to have)."""
    if not cues.unreadable:
        return ordered
    untimed_after: dict[int, list[int]] = {}
    leading: list[int] = []
    for position in sorted(cues.unreadable):
        previous = _neighbour(cues, position, -1)
        if previous is None:
            leading.append(position)
        else:
            untimed_after.setdefault(previous, []).append(position)
    starts, ends = cues.starts, cues.ends
    first_start = starts[ordered[0]] if len(ordered) else 0
    placed = array("q")
    for position in leading:
        starts[position] = ends[position] = first_start
        placed.append(position)
    for position in ordered:
        placed.append(position)
        for untimed in untimed_after.get(position, ()):
            starts[untimed] = ends[untimed] = ends[position]
            placed.append(untimed)
    return placed
