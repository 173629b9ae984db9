"""A one-line bar of the whole session: played part, playhead, A–B loop; a click seeks."""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class SeekBar(Widget):
    DEFAULT_CSS = """
    SeekBar {
        height: 1;
        width: 1fr;
    }
    """

    position_ms: reactive[int] = reactive(0, repaint=False)
    loop: reactive[tuple[int, int | None] | None] = reactive(None)

    class SeekRequested(Message):
        def __init__(self, position_ms: int) -> None:
            super().__init__()
            self.position_ms = position_ms

    def __init__(self, duration_ms: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.duration_ms = duration_ms
        self._drawn_column = -1

    def column_of(self, ms: int) -> int:
        width = self.content_size.width
        if width <= 1 or self.duration_ms <= 0:
            return 0
        return max(0, min(width - 1, round(ms / self.duration_ms * (width - 1))))

    def ms_at(self, column: int) -> int:
        width = self.content_size.width
        if width <= 1:
            return 0
        return max(0, min(self.duration_ms, round(column / (width - 1) * self.duration_ms)))

    def watch_position_ms(self, position_ms: int) -> None:
        # Thirty updates a second, but the picture only changes when the playhead moves a cell.
        if self.column_of(position_ms) != self._drawn_column:
            self.refresh()

    def render(self) -> Content:
        head = self._drawn_column = self.column_of(self.position_ms)
        loop_start, loop_end = self._loop_columns()

        def cell(column: int) -> tuple[str, str]:
            if column == head:
                return "●", "bold $accent"
            if loop_start is not None and loop_start <= column <= loop_end:
                return "━", "$warning"
            return ("━", "$accent") if column < head else ("─", "$foreground-muted")

        cells = [cell(column) for column in range(self.content_size.width)]
        # One span per run of equal style, not one per cell: this redraws several times a second.
        return Content.assemble(
            *(("".join(glyph for glyph, _ in run), style) for style, run in groupby(cells, key=itemgetter(1)))
        )

    def _loop_columns(self) -> tuple[int | None, int]:
        if not self.loop:
            return None, -1
        start, end = self.loop
        start_column = self.column_of(start)
        return start_column, self.column_of(end) if end is not None else start_column

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.post_message(self.SeekRequested(self.ms_at(offset.x)))
