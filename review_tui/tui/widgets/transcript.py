"""The transcript pane: every cue with its time and speaker; the spoken one lit and followed.

A Line API widget: the cues are laid out into rows once per width, and only the rows on
screen are drawn (from a cache keyed by their state), so 2,000 cues scroll as fast as 20.
Tagged lines carry their groups' key letters in a narrow column, in the groups' colours;
shift+up/down selects a run of lines, which the next tag covers.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollDown, ScrollTo, ScrollUp
from textual.strip import Strip

from review_tui.model import Codebook, Cue, Transcript, format_ms
from review_tui.review import rules
from review_tui.review.state import TagsView
from review_tui.text import clean, one_line
from review_tui.tui import palette
from review_tui.tui.bindings import TRANSCRIPT_BINDINGS

# Distinct on dark and light themes alike; assigned to speakers in order of appearance.
SPEAKER_COLOURS = ("#5fa8f0", "#f0a050", "#7cc87c", "#d58fd5", "#d8c85a", "#5cc8c0", "#e07878")
SPEAKER_WIDTH_MAX = 14
TEXT_WIDTH_MIN = 12
READING_LINE = 1 / 3  # while following, the spoken cue sits a third of the way down
MARK_WIDTH = 2  # group letters beside a tagged line; more groups than this show a "+"

# (group key letter, colour) for each group tagged on a line
Marks = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One screen row of the transcript: a wrapped line of one cue."""

    cue: int  # index of the cue this row belongs to
    first: bool  # the row that carries the time and the speaker
    text: str


class TranscriptView(ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS = TRANSCRIPT_BINDINGS

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript--time",
        "transcript--current",
        "transcript--cursor",
        "transcript--match",
        "transcript--empty",
        "transcript--selected",
    }

    DEFAULT_CSS = """
    TranscriptView {
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        & > .transcript--time { color: $text-muted; }
        & > .transcript--current { background: $accent 30%; text-style: bold; }
        & > .transcript--cursor { background: $primary 25%; }
        & > .transcript--match { background: $warning 70%; color: $text; }
        & > .transcript--empty { color: $text-muted; text-style: italic; }
        & > .transcript--selected { background: $secondary 35%; }
    }
    """

    position_ms: reactive[int] = reactive(0, repaint=False, init=False)
    following: reactive[bool] = reactive(True, init=False)
    tags_view: reactive[TagsView] = reactive(TagsView, repaint=False, init=False, always_update=True)

    class CueSelected(Message):
        """The user chose a cue (click, or Enter on the cursor): go to it."""

        def __init__(self, cue: Cue) -> None:
            super().__init__()
            self.cue = cue

    class SelectionChanged(Message):
        """Lines selected with shift+up/down (first and last cue index), or None when cleared."""

        def __init__(self, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.selection = selection

    def __init__(
        self, transcript: Transcript | None, codebook: Codebook | None = None, *, hours: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.transcript = transcript
        self.codebook = codebook
        self.whole_words = True
        self.cues: list[Cue] = transcript.cues if transcript else []
        self.current: int | None = None  # the cue last started at the playhead
        self.cursor: int | None = None  # the cue picked with up/down, before Enter
        self.query = ""
        self.hits: frozenset[int] = frozenset()
        self.marks: dict[int, Marks] = {}
        self.anchor: int | None = None  # where a shift+up/down selection started
        self._time_width = 7 if hours else 5
        speakers = transcript.speakers if transcript else {}
        # Outside text: cleaned here too, since Rich passes an ESC in a segment to the terminal.
        self._labels = {key: one_line(speaker.label)[:SPEAKER_WIDTH_MAX] for key, speaker in speakers.items()}
        self._colours = {
            key: Style(color=SPEAKER_COLOURS[number % len(SPEAKER_COLOURS)], bold=True)
            for number, key in enumerate(self._speaker_order())
        }
        # A label is repeated only when the voice changes, so turns of talk stand out.
        self._new_voice = [
            number == 0 or cue.speaker != self.cues[number - 1].speaker for number, cue in enumerate(self.cues)
        ]
        self._speaker_width = max((len(label) for label in self._labels.values()), default=0)
        self.rows: list[Row] = []
        self.first_rows: list[int] = []
        self._layout_width = -1
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)

    def _speaker_order(self) -> list[str]:
        seen: dict[str, None] = {}
        for cue in self.cues:
            if cue.speaker is not None:
                seen.setdefault(cue.speaker, None)
        return list(seen)

    def show_speakers(self, transcript: Transcript) -> None:
        """The same cues with their speakers renamed (ids kept): new labels, laid out again."""
        self.transcript = transcript
        self._labels = {key: speaker.label[:SPEAKER_WIDTH_MAX] for key, speaker in transcript.speakers.items()}
        self._speaker_width = max((len(label) for label in self._labels.values()), default=0)
        self._lay_out(self.scrollable_content_region.width or self._layout_width)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # drawn with the old theme's colours

    # --- layout --------------------------------------------------------------

    @property
    def prefix_width(self) -> int:
        speaker = self._speaker_width + 1 if self._speaker_width else 0
        return 2 + MARK_WIDTH + 1 + self._time_width + 1 + speaker

    def _lay_out(self, width: int) -> None:
        text_width = max(TEXT_WIDTH_MIN, width - self.prefix_width)
        rows: list[Row] = []
        first_rows: list[int] = []
        for cue in self.cues:
            first_rows.append(len(rows))
            # Subtitle line breaks are for a screen's width, not ours: reflow the cue.
            lines = textwrap.wrap(" ".join(clean(cue.text).split()), text_width, break_on_hyphens=False) or [""]
            rows.extend(Row(cue.index, number == 0, line) for number, line in enumerate(lines))
        self.rows, self.first_rows = rows, first_rows
        self._layout_width = width
        self._strips.clear()
        # A layout reactive: the scrollbars are arranged again for the new height.
        self.virtual_size = Size(width, len(rows))

    def on_mount(self) -> None:
        # A first layout at the terminal's width, before the first size is given: the
        # scrollbars are decided with that size, from the rows there are then. The real
        # width follows in on_resize and changes only how the lines wrap.
        self._lay_out(max(TEXT_WIDTH_MIN + self.prefix_width, self.app.size.width))

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._layout_width and width > 0:
            self._lay_out(width)
            if self.following:
                self._scroll_to_cue(self.current)

    def rows_of(self, cue: int) -> range:
        start = self.first_rows[cue]
        end = self.first_rows[cue + 1] if cue + 1 < len(self.first_rows) else len(self.rows)
        return range(start, end)

    # --- state from the app ------------------------------------------------------

    def watch_position_ms(self, position_ms: int) -> None:
        current = self.transcript.index_at(position_ms) if self.transcript else None
        if current == self.current:
            return
        previous, self.current = self.current, current
        self._refresh_cue(previous)
        self._refresh_cue(current)
        if self.following:
            self._scroll_to_cue(current)

    def watch_following(self, following: bool) -> None:
        self.border_subtitle = "" if following else "not following · v to follow"

    def follow_playback(self) -> None:
        """Back to the spoken cue, and keep it in view from now on."""
        self.clear_selection()
        previous, self.cursor = self.cursor, None
        self._refresh_cue(previous)
        self.following = True
        self._scroll_to_cue(self.current)

    def watch_tags_view(self, view: TagsView) -> None:
        if self.codebook is None:
            return
        colours = palette.group_colours(self.codebook)
        keys = {group.id: group.key for group in self.codebook.groups}
        marks = {
            index: tuple((keys.get(group, "?"), colours.get(group, palette.UNKNOWN_COLOUR)) for group in groups)
            for index, groups in rules.transcript_marks(view.visible, self.transcript, self.codebook).items()
        }
        self._show_marks(marks)

    def _show_marks(self, marks: dict[int, Marks]) -> None:
        """The tag marks to draw, by cue index; only lines whose marks changed are redrawn."""
        changed = {cue for cue in marks.keys() | self.marks.keys() if marks.get(cue) != self.marks.get(cue)}
        self.marks = dict(marks)
        for cue in changed:
            if 0 <= cue < len(self.cues):
                self._refresh_cue(cue)

    @property
    def selection(self) -> tuple[int, int] | None:
        """First and last cue of the selected lines, or None."""
        if self.anchor is None or self.cursor is None:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    def clear_selection(self) -> None:
        if self.anchor is None:
            return
        before, self.anchor = self.selection, None
        if before is not None and self.first_rows:
            start = self.first_rows[before[0]]
            self.refresh_lines(start, self.rows_of(before[1]).stop - start)
        self.post_message(self.SelectionChanged(None))

    def show_hits(self, query: str, hits: frozenset[int], *, whole_words: bool = True) -> None:
        self.query, self.hits, self.whole_words = query, hits, whole_words
        self._strips.clear()
        self.refresh()

    # --- the user moving around --------------------------------------------------

    def _stop_following(self) -> None:
        self.following = False

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._stop_following()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._stop_following()

    def on_scroll_to(self, message: ScrollTo) -> None:
        self._stop_following()  # the scrollbar was dragged

    def on_scroll_up(self, message: ScrollUp) -> None:
        self._stop_following()

    def on_scroll_down(self, message: ScrollDown) -> None:
        self._stop_following()

    def _move_cursor(self, cue: int) -> None:
        if not self.cues:
            return
        cue = max(0, min(len(self.cues) - 1, cue))
        previous, self.cursor = self.cursor, cue
        self._refresh_cue(previous)
        self._refresh_cue(cue)
        self._stop_following()
        rows = self.rows_of(cue)
        self.scroll_to_region(Region(0, rows.start, 1, len(rows)), animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self.clear_selection()
        start = self.cursor if self.cursor is not None else self.current
        if start is None:
            self._move_cursor(0)
        else:
            self._move_cursor(start + delta)

    def action_extend(self, delta: int) -> None:
        """Grow or shrink the selection from where it started (the cursor, or the spoken line)."""
        if not self.cues:
            return
        start = self.cursor if self.cursor is not None else self.current if self.current is not None else 0
        if self.anchor is None:
            self.anchor = start
        before = self.selection
        self._move_cursor(start + delta)
        selection = self.selection
        if before is not None and self.first_rows:  # the rows leaving the selection
            first = self.first_rows[before[0]]
            self.refresh_lines(first, self.rows_of(before[1]).stop - first)
        self.post_message(self.SelectionChanged(selection))

    def action_cursor_to(self, cue: int) -> None:
        self._move_cursor(cue if cue >= 0 else len(self.cues) - 1)

    def action_page(self, direction: int) -> None:
        if not self.rows:
            return
        start = self.cursor if self.cursor is not None else self.current or 0
        page = max(1, self.scrollable_content_region.height - 1)
        row = max(0, min(len(self.rows) - 1, self.first_rows[start] + direction * page))
        self.scroll_relative(y=direction * page, animate=False, immediate=True)
        self._move_cursor(self.rows[row].cue)

    def action_select(self) -> None:
        if self.cursor is not None:
            self._jump(self.cues[self.cursor])

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + self.scroll_offset.y
        if 0 <= row < len(self.rows):
            cue = self.rows[row].cue
            previous, self.cursor = self.cursor, cue
            self._refresh_cue(previous)
            self._refresh_cue(cue)
            self._jump(self.cues[cue])

    def _jump(self, cue: Cue) -> None:
        # Only the app handles a jump: sent straight to it, not bubbled up the pane's three
        # containers and the screen, whose queues cost a cue jump ~3 ms before its seek.
        self.app.post_message(self.CueSelected(cue))

    # --- drawing -------------------------------------------------------------

    def _refresh_cue(self, cue: int | None) -> None:
        if cue is not None and self.first_rows:
            rows = self.rows_of(cue)
            self.refresh_lines(rows.start, len(rows))

    def _scroll_to_cue(self, cue: int | None) -> None:
        if cue is None or not self.first_rows:
            return
        reading_line = int(self.scrollable_content_region.height * READING_LINE)
        self.scroll_to(y=max(0, self.first_rows[cue] - reading_line), animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if not self.cues:
            return self._render_empty(y, width)
        index = self.scroll_offset.y + y
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        # The top row names its speaker too, so a voice is never unnamed on screen.
        labelled = row.first and (self._new_voice[row.cue] or row.cue == self.current or y == 0)
        selection = self.selection
        selected = selection is not None and selection[0] <= row.cue <= selection[1]
        state = (row.cue == self.current, row.cue == self.cursor or selected, row.cue in self.hits, labelled)
        marks = self.marks.get(row.cue, ()) if row.first else ()
        key = (index, width, state, self.query if state[2] else "", marks, selected)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._render_row(row, width, *state, marks=marks, selected=selected)
        return strip

    def _render_empty(self, y: int, width: int) -> Strip:
        text = "No transcript for this session" if y == 1 else ""
        style = self.get_component_rich_style("transcript--empty")
        return Strip([Segment(f"  {text}", style)]).adjust_cell_length(width, self.rich_style)

    def _render_row(
        self, row: Row, width: int, current: bool, cursor: bool, hit: bool, labelled: bool, *, marks: Marks, selected: bool
    ) -> Strip:
        base = self.rich_style
        if current:
            base += self.get_component_rich_style("transcript--current")
        elif selected:
            base += self.get_component_rich_style("transcript--selected")
        elif cursor:
            base += self.get_component_rich_style("transcript--cursor")
        cue = self.cues[row.cue]
        segments: list[Segment] = []
        if row.first:
            marker = "▶ " if current else "› " if cursor else "• " if hit else "  "
            segments.append(Segment(marker, base))
            segments.extend(self._mark_segments(marks, base))
            time_style = base + self.get_component_rich_style("transcript--time", partial=True)
            segments.append(Segment(format_ms(cue.start_ms, millis=False).rjust(self._time_width) + " ", time_style))
            if self._speaker_width:
                label = self._labels.get(cue.speaker or "", "") if labelled else ""
                colour = self._colours.get(cue.speaker or "")
                speaker_style = base + colour if colour else base
                segments.append(Segment(label.ljust(self._speaker_width) + " ", speaker_style))
        else:
            segments.append(Segment(" " * self.prefix_width, base))
        segments.extend(self._text_segments(row.text, base, hit))
        return Strip(segments).adjust_cell_length(width, base)

    def _mark_segments(self, marks: Marks, base: Style) -> list[Segment]:
        shown = marks if len(marks) <= MARK_WIDTH else (*marks[: MARK_WIDTH - 1], ("+", ""))
        segments = [Segment(key, base + Style(color=colour or None, bold=True)) for key, colour in shown]
        segments.append(Segment(" " * (MARK_WIDTH + 1 - len(shown)), base))
        return segments

    def _text_segments(self, text: str, base: Style, hit: bool) -> list[Segment]:
        if not (hit and self.query):
            return [Segment(text, base)]
        match_style = base + self.get_component_rich_style("transcript--match", partial=True)
        segments: list[Segment] = []
        start = 0
        for found, end in rules.match_spans(text, self.query, whole_words=self.whole_words):
            segments.append(Segment(text[start:found], base))
            segments.append(Segment(text[found:end], match_style))
            start = end
        segments.append(Segment(text[start:], base))
        return segments
