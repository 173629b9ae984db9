"""Cues whose times the file does not give: decide what each gets, with one warning each.

A cue with no readable start keeps its text but no time: it is never placed on the timeline
by a guess, and talk time never counts it. Its warning is written here, after the readings
are compared, because a library may have read the times after all (pysrt guesses): those
are used only when they fit between the cues around it. A cue with no readable end (and
every cue of a plain-text layout, which gives starts only) ends where the next one begins.
"""

from __future__ import annotations

from review_tui.model import Problem, format_ms
from review_tui.transcript.rawcue import RawCue

# Without a recording to end it, the last cue of a start-only layout lasts as long as its
# words take to say at a slow pace, and never less than this.
_LAST_CUE_MIN_MS = 2_000
_MS_PER_WORD = 400


def settle_times(
    cues: list[RawCue],
    source: str,
    library: str | None,
    media_end_ms: int | None,
    *,
    warn_ends: bool = True,
) -> tuple[list[RawCue], list[Problem]]:
    """``cues`` in file order, each timed one given its missing end; the problems found.

    Cues still without a time come back with ``unreadable`` set, for the loader to place.
    """
    problems: list[Problem] = []
    for position, cue in enumerate(cues):
        if cue.timed:
            continue
        before = _neighbour(cues, position, -1)
        after = _neighbour(cues, position, 1)
        guess = cue.library_times
        if guess is not None and _fits(guess, before, after):
            cue.start_ms, cue.end_ms = guess
            problems.append(
                Problem(
                    source,
                    f"cannot read the times in {cue.unreadable!r}; used {library}'s reading "
                    f"({format_ms(guess[0])}–{format_ms(guess[1])}), which fits between the "
                    "cues around it",
                    cue.timing_line,
                )
            )
            cue.unreadable = None
            continue
        problems.append(
            Problem(
                source,
                f"cannot read the times in {cue.unreadable!r}; kept its text "
                "without a time (not counted in talk time)",
                cue.timing_line,
            )
        )
    timed = [cue for cue in cues if cue.timed]
    for position, cue in enumerate(timed):
        if not cue.end_unknown:
            continue
        following = timed[position + 1].start_ms if position + 1 < len(timed) else None
        guess = cue.library_times
        if guess is not None and guess[0] == cue.start_ms and guess[1] >= cue.start_ms:
            cue.end_ms = guess[1]
            where = f"where {library} reads it ({format_ms(guess[1])})"
        elif following is not None and following > cue.start_ms:
            cue.end_ms = following
            where = "where the next cue begins"
        elif (
            following is None
            and not warn_ends  # a start-only layout; an SRT cue's lost end is not the media's
            and media_end_ms is not None
            and media_end_ms > cue.start_ms
        ):
            cue.end_ms = media_end_ms
            where = "at the end of the recording"
        elif following is None:
            words = len(cue.raw_text.split())
            cue.end_ms = cue.start_ms + max(_LAST_CUE_MIN_MS, _MS_PER_WORD * words)
            where = "after the time its words take (no recording to end it)"
            if not warn_ends:  # one note for the layout: every other end is exact
                problems.append(
                    Problem(
                        source,
                        f"the last cue ends {where}, at {format_ms(cue.end_ms)}",
                        cue.line,
                    )
                )
        else:
            where = "with no duration: the next cue does not start later"
        if warn_ends:
            problems.append(
                Problem(
                    source,
                    f"cannot read the end time in {cue.timing_text!r}; the cue ends {where}",
                    cue.timing_line,
                )
            )
    return cues, problems


def _neighbour(cues: list[RawCue], position: int, step: int) -> RawCue | None:
    position += step
    while 0 <= position < len(cues):
        if cues[position].timed:
            return cues[position]
        position += step
    return None


def _fits(times: tuple[int, int], before: RawCue | None, after: RawCue | None) -> bool:
    start_ms, end_ms = times
    if start_ms <= 0 or end_ms < start_ms:  # pysrt reads a missing start as 0:00
        return False
    if before is not None and start_ms < before.start_ms:
        return False
    return after is None or start_ms <= after.start_ms


def place_untimed(ordered: list[RawCue], file_order: list[RawCue]) -> list[RawCue]:
    """The time-sorted cues with each untimed cue put after the cue it follows in the file,
    at that cue's end and with no duration (its place, not a time it is said to have)."""
    untimed_after: dict[int, list[RawCue]] = {}
    leading: list[RawCue] = []
    previous: RawCue | None = None
    for cue in file_order:
        if cue.timed:
            previous = cue
        elif previous is None:
            leading.append(cue)
        else:
            untimed_after.setdefault(id(previous), []).append(cue)
    if not leading and not untimed_after:
        return ordered
    first_start = ordered[0].start_ms if ordered else 0
    placed: list[RawCue] = []
    for cue in leading:
        cue.start_ms = cue.end_ms = first_start
        placed.append(cue)
    for cue in ordered:
        placed.append(cue)
        for untimed in untimed_after.get(id(cue), ()):
            untimed.start_ms = untimed.end_ms = cue.end_ms
            placed.append(untimed)
    return placed
