"""The session at a glance: one row per code group, the suggestions, a time axis, the playhead.

A Line API widget. The rows are laid out once per width (from stats.timeline_strip, the same
cells the report draws); the playhead is a column overlay, so playback at thirty updates a
second redraws the axis line once a second (it shows the time) and two columns whenever the
playhead crosses into another cell. The app hands over the tags it wants drawn: in blind
coding, only the reviewer's own. Both come bound from the app's TagsView (``tags_view``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from review_tui.analysis.stats import (
    STRIP_BOTH,
    STRIP_POINT,
    STRIP_RANGE,
    counts_by_group,
    group_of,
    timeline_strip,
)
from review_tui.model import Codebook, CodeGroup, Tag, format_ms
from review_tui.review.state import TagsView
from review_tui.tui import palette

if TYPE_CHECKING:  # the suggestion finder: imported when suggestions are first asked for
    from review_tui.analysis.suggestions import Suggestion

GLYPHS = {STRIP_POINT: palette.POINT_GLYPH, STRIP_RANGE: palette.RANGE_GLYPH, STRIP_BOTH: palette.BOTH_GLYPH}
TRACK = "─"
NAME_WIDTH = 13  # "Confrontation", the longest default group id
WIDE_FROM = 64  # narrower than this, a row is labelled by its group key alone
# Candidate spacings of the axis labels; the smallest that leaves room between labels wins.
TICK_STEPS_MS = (10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000)
TICK_GAP = 3
SUGGESTED = "suggested"

Cell = tuple[str, Style]


class Timeline(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--track",
        "timeline--label",
        "timeline--count",
        "timeline--axis",
        "timeline--playhead",
        "timeline--suggestion",
    }

    DEFAULT_CSS = """
    Timeline {
        height: auto;
        & > .timeline--track { color: $foreground 20%; }
        & > .timeline--label { color: $text-muted; }
        & > .timeline--count { color: $text-muted; }
        & > .timeline--axis { color: $text-muted; }
        & > .timeline--playhead { background: $accent 40%; color: $accent; }
        & > .timeline--suggestion { color: $text-muted; text-style: italic; }
    }
    """

    position_ms: reactive[int] = reactive(0, repaint=False, init=False)
    tags_view: reactive[TagsView] = reactive(TagsView, repaint=False, init=False, always_update=True)

    @dataclass
    class SeekRequested(Message):
        """A click on the timeline: go to ``position_ms``."""

        position_ms: int

    def __init__(
        self, duration_ms: int, codebook: Codebook | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.duration_ms = duration_ms
        self.tags: list[Tag] = []
        self.suggestions: list[Suggestion] = []
        self.codebook: Codebook | None = None
        self._groups: list[CodeGroup] = []
        self._colours: dict[str, str] = {}
        self._rows: list[list[Cell]] = []  # the laid-out rows, without the playhead
        self._laid_out_for: tuple[int, int] = (-1, -1)  # (width, version)
        self._version = 0
        self._strips: LRUCache[tuple, Strip] = LRUCache(256)
        self._head_column: int | None = None
        self._shown_time = ""
        self._span_ms = max(1, duration_ms)
        if codebook is not None:
            self.codebook = codebook
            self._groups = list(codebook.groups)
            self._colours = palette.group_colours(codebook)

    # --- data in -----------------------------------------------------------------------

    def watch_tags_view(self, view: TagsView) -> None:
        tags = sorted(view.visible, key=lambda tag: (tag.start_ms, tag.id))
        suggestions = sorted(view.suggestions, key=lambda item: (item.start_ms, item.end_ms))
        if tags != self.tags or suggestions != self.suggestions:
            self.tags, self.suggestions = tags, suggestions
            self._changed()

    def set_duration(self, duration_ms: int) -> None:
        self.duration_ms = duration_ms
        self._changed()

    def _changed(self) -> None:
        latest = max((max(tag.start_ms, tag.end_ms or 0) for tag in self.tags), default=0)
        self._span_ms = max(1, self.duration_ms, latest)
        self._version += 1
        self._strips.clear()
        if self.is_mounted:
            # The row count follows the codebook, so the height may change too.
            self.refresh(layout=True)

    # --- geometry ------------------------------------------------------------------------

    @property
    def span_ms(self) -> int:
        """The time the strip spans: the session, or further if a tag lies beyond its end."""
        return self._span_ms

    @property
    def label_width(self) -> int:
        return self._geometry()[0]

    @property
    def cells(self) -> int:
        return self._geometry()[1]

    def _geometry(self, width: int | None = None) -> tuple[int, int]:
        """(label width, strip cells) at ``width`` (default: the widget's). Drawing passes it
        along: Textual works ``size`` out anew at every read, and reading it per cell and tick
        was most of a seek's timeline redraw (measured: ~170 reads, ~1.2 ms at 160x45)."""
        width = self.size.width if width is None else width
        label = 1 + 1 + NAME_WIDTH + 4 if width >= WIDE_FROM else 2  # key, name, count
        return label, max(1, width - label)

    def column_of(self, ms: int, geometry: tuple[int, int] | None = None) -> int:
        """The column (in the widget) of the cell ``ms`` falls in, as timeline_strip places it."""
        label, cells = geometry or self._geometry()
        return label + min(cells - 1, max(0, ms * cells // self.span_ms))

    def ms_at(self, column: int) -> int:
        """The first millisecond of the cell under ``column``."""
        label, cells = self._geometry()
        cell = max(0, min(cells - 1, column - label))
        return -(-cell * self.span_ms // cells)

    def get_content_height(self, container, viewport, width: int) -> int:
        return self.axis_row + 1  # the groups, the suggestions, the axis

    # --- playhead ------------------------------------------------------------------------

    @property
    def axis_row(self) -> int:
        return len(self._groups) + 1

    def watch_position_ms(self, position_ms: int) -> None:
        # The axis shows the time to the second; the rows above change only when the
        # playhead crosses into another cell, and then only in its old and new column.
        size = self.size
        shown = format_ms(position_ms, millis=False)
        if shown != self._shown_time:
            self._shown_time = shown
            self.refresh(Region(0, self.axis_row, size.width, 1))
        column = self.column_of(position_ms, self._geometry(size.width))
        if column == self._head_column:
            return
        previous, self._head_column = self._head_column, column
        height = size.height
        if previous is not None:
            self.refresh(Region(previous, 0, 1, height))
        self.refresh(Region(column, 0, 1, height))

    # --- clicks --------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.x < self.label_width:
            return
        self.post_message(self.SeekRequested(self._seek_target(offset.x, offset.y)))

    def _seek_target(self, column: int, row: int) -> int:
        """A click on a mark goes to the start of the tag drawn there, so a tag is one click
        away; anywhere else goes to the start of the clicked cell."""
        starts: list[int] = []
        if row < len(self._groups):
            group = self._groups[row].id
            starts = [tag.start_ms for tag in self.tags if group_of(tag.code_id, self.codebook) == group]
        elif row == len(self._groups):
            starts = [item.start_ms for item in self.suggestions]
        under = [ms for ms in starts if self.column_of(ms) == column]
        return min(under) if under else self.ms_at(column)

    # --- drawing -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._laid_out_for = (-1, -1)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self._laid_out_for != (width, self._version):
            self._lay_out(width)
        geometry = self._geometry(width)
        head = self.column_of(self.position_ms, geometry)
        self._head_column = head
        key = (y, width, head, self._version, format_ms(self.position_ms, millis=False) if y == self.axis_row else "")
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._draw(y, width, head, geometry)
        return strip

    def _draw(self, y: int, width: int, head: int, geometry: tuple[int, int]) -> Strip:
        if y == len(self._rows):
            return self._strip(self._axis_row(head, geometry), width)
        if y > len(self._rows):
            return Strip.blank(width, self.rich_style)
        # A group's row with the playhead is its row without, with one cell restyled: a
        # seek moves the playhead in every row at once, and re-joining each row's cells
        # cost ~1.5 ms of the seek's screen update (measured at 160x45).
        key = ("row", y, width, self._version)
        row = self._strips.get(key)
        if row is None:
            row = self._strips[key] = self._strip(self._rows[y], width)
        cells = self._rows[y]
        if not 0 <= head < min(len(cells), width):
            return row
        text, style = cells[head]
        playhead = self.get_component_rich_style("timeline--playhead")
        lit = Strip([Segment(text, style + Style(bgcolor=playhead.bgcolor))], 1)
        return Strip.join([row.crop(0, head), lit, row.crop(head + 1, width)])

    def _strip(self, cells: Sequence[Cell], width: int) -> Strip:
        segments = [Segment("".join(text for text, _ in run), style) for style, run in _runs(cells)]
        return Strip(segments).adjust_cell_length(width, self.rich_style)

    def _lay_out(self, width: int) -> None:
        self._laid_out_for = (width, self._version)
        self._strips.clear()
        geometry = self._geometry(width)
        label_width, cells = geometry
        base = self.rich_style
        track = self.get_component_rich_style("timeline--track")
        counts = counts_by_group(self.tags, self.codebook)
        rows: list[list[Cell]] = []
        for group in self._groups:
            colour = Style(color=self._colours.get(group.id, palette.UNKNOWN_COLOUR))
            label = self._label(group.key, group.id.replace("_", " ").capitalize(), counts.get(group.id, 0), base + colour, label_width)
            strip = timeline_strip((t for t in self.tags if group_of(t.code_id, self.codebook) == group.id), self.span_ms, cells)
            marks = [(GLYPHS[mark], base + colour) if mark in GLYPHS else (TRACK, track) for mark in strip]
            rows.append(label + marks)
        rows.append(self._suggestion_row(base, track, geometry))
        self._rows = rows

    def _label(self, key: str, name: str, count: int, key_style: Style, label_width: int) -> list[Cell]:
        label_style = self.get_component_rich_style("timeline--label")
        count_style = self.get_component_rich_style("timeline--count")
        # The space after the key takes the key's style, so the two stay one segment.
        key_cells = _cells(f"{key} ", key_style + Style(bold=True))
        if label_width <= 2:
            return key_cells
        counted = str(count) if count else ""
        return key_cells + _cells(palette.fit(name, NAME_WIDTH), label_style) + _cells(counted.rjust(3) + " ", count_style)

    def _suggestion_row(self, base: Style, track: Style, geometry: tuple[int, int]) -> list[Cell]:
        label_width, cells = geometry
        muted = self.get_component_rich_style("timeline--suggestion")
        if label_width <= 2:
            label = _cells(palette.SUGGESTION_POINT + " ", muted)
        else:
            label = _cells(f"{palette.SUGGESTION_POINT} {palette.fit(SUGGESTED, NAME_WIDTH)}", muted)
            label += _cells(str(len(self.suggestions) or "").rjust(3) + " ", muted)
        marks: list[Cell] = [(TRACK, track)] * cells
        for item in self.suggestions:
            colour = palette.code_colour(item.code_id, self.codebook, self._colours)
            style = muted + Style(color=colour, dim=True)
            first = self.column_of(item.start_ms, geometry)
            last = self.column_of(max(item.start_ms, item.end_ms - 1), geometry)
            for column in range(first, last + 1):
                cell = column - label_width
                glyph = palette.SUGGESTION_POINT if column == first else palette.SUGGESTION_RANGE
                if marks[cell][0] != palette.SUGGESTION_POINT:
                    marks[cell] = (glyph, style)
        return label + marks

    def _axis_row(self, head: int, geometry: tuple[int, int]) -> list[Cell]:
        """Times along the strip, and the playhead's own time at its column ("▲03:26"); the
        ticks it would cover give way to it."""
        label_width, cells = geometry
        axis = self.get_component_rich_style("timeline--axis")
        playhead = self.get_component_rich_style("timeline--playhead")
        row: list[Cell] = [(" ", axis)] * (label_width + cells)
        now = "▲" + format_ms(self.position_ms, millis=False)
        if head + len(now) > len(row):  # at the right edge the time goes before the pointer
            now = now[1:] + "▲"
            now_at = head - len(now) + 1
        else:
            now_at = head
        taken = range(now_at - TICK_GAP, now_at + len(now) + 1)
        widest = len(format_ms(self.span_ms, millis=False))
        step = next(
            (step for step in TICK_STEPS_MS if step * cells // self.span_ms >= widest + TICK_GAP),
            TICK_STEPS_MS[-1],
        )
        for ms in range(0, self.span_ms, step):
            column = self.column_of(ms, geometry)
            text = "╵" + format_ms(ms, millis=False)
            end = column + len(text)
            free = all(cell[0] == " " for cell in row[column : end + 1])
            if end <= len(row) and free and (end <= taken.start or column >= taken.stop):
                row[column:end] = _cells(text, axis)
        row[now_at : now_at + len(now)] = _cells(now, axis + Style(color=playhead.color, bold=True))
        return row


def _cells(text: str, style: Style) -> list[Cell]:
    return [(char, style) for char in text]


def _runs(cells: Sequence[Cell]):
    """Neighbouring cells of one style, so a row becomes a handful of segments."""
    for style, run in groupby(cells, key=lambda cell: cell[1]):
        yield style, list(run)
