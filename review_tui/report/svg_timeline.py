"""The geometry of the HTML report's timeline: one lane per code group, tags as marks,
rupture-repair episodes as bands across every lane.

Only numbers and the Report's own strings come out of here; the template draws them as
inline SVG (so jinja's autoescape covers every label) and no script is needed to read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from review_tui.model import format_ms
from review_tui.report.build import Moment, Report
from review_tui.report.markdown import span

WIDTH = 1000  # the viewBox's width; the page scales it to the text column
LABEL_WIDTH = 190  # left column with the group names
RIGHT_PAD = 40  # room for the count at the end of each lane
LANE_HEIGHT = 26
MARK_HEIGHT = 16
AXIS_HEIGHT = 26
TOP_PAD = 18  # room for the episode numbers above the lanes
POINT_WIDTH = 2.5  # a point tag's mark, wide enough to see once printed
# Colour-blind-safe hues (Okabe and Ito), one per group, repeated past eight groups.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c6d00", "#000000")
BAND_COLOUR = "#f0e442"
# Axis steps to choose from: round seconds, minutes and hours.
TICK_STEPS_MS = (1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000)


@dataclass(frozen=True, slots=True)
class Mark:
    x: float
    width: float
    tag_id: int
    title: str  # the tooltip: time and code


@dataclass(frozen=True, slots=True)
class Lane:
    label: str
    count: int
    y: float
    colour: str
    marks: tuple[Mark, ...]


@dataclass(frozen=True, slots=True)
class Band:
    number: int
    x: float
    width: float
    title: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: float
    plot_left: float
    plot_right: float
    lanes_top: float
    lanes_bottom: float
    lane_height: float
    mark_height: float
    lanes: tuple[Lane, ...]
    bands: tuple[Band, ...]
    ticks: tuple[Tick, ...]
    band_colour: str


def layout(report: Report) -> Timeline:
    duration = max(1, report.duration_ms)
    left, right = LABEL_WIDTH, WIDTH - RIGHT_PAD
    scale = (right - left) / duration

    def x_of(ms: int) -> float:
        return round(left + min(max(ms, 0), duration) * scale, 2)

    def mark(moment: Moment) -> Mark:
        tag = moment.tag
        start = x_of(tag.start_ms)
        end = x_of(tag.end_ms) if tag.is_range and tag.end_ms is not None else start
        return Mark(start, max(POINT_WIDTH, round(end - start, 2)), tag.id, f"{span(moment)} {moment.code_label}")

    lanes = []
    for position, row in enumerate(report.timeline):
        marks = tuple(mark(moment) for moment in report.moments if moment.group_id == row.group_id)
        y = TOP_PAD + position * LANE_HEIGHT
        lanes.append(Lane(row.label, row.count, y, PALETTE[position % len(PALETTE)], marks))
    lanes_bottom = TOP_PAD + len(lanes) * LANE_HEIGHT

    bands = []
    for number, episode in enumerate(report.episodes, start=1):
        ends = [moment.tag.end_ms or moment.tag.start_ms for moment in (episode.rupture, *episode.repairs)]
        start = x_of(episode.rupture.tag.start_ms)
        end = x_of(max(ends))
        state = "repaired" if episode.repairs else "not repaired"
        title = f"Episode {number}: {span(episode.rupture)} {episode.rupture.code_label}, {state}"
        bands.append(Band(number, start, max(POINT_WIDTH * 2, round(end - start, 2)), title))

    return Timeline(
        width=WIDTH,
        height=lanes_bottom + AXIS_HEIGHT,
        plot_left=left,
        plot_right=right,
        lanes_top=TOP_PAD,
        lanes_bottom=lanes_bottom,
        lane_height=LANE_HEIGHT,
        mark_height=MARK_HEIGHT,
        lanes=tuple(lanes),
        bands=tuple(bands),
        ticks=tuple(Tick(x_of(ms), format_ms(ms, millis=False)) for ms in _tick_times(duration)),
        band_colour=BAND_COLOUR,
    )


def _tick_times(duration_ms: int) -> list[int]:
    """Round minutes (or seconds for a short file), about six across the axis."""
    for step in TICK_STEPS_MS:
        if duration_ms / step <= 8:
            break
    return list(range(0, duration_ms + 1, step))

