"""For recordings without a picture: the recent audio level as a scrolling, mirrored wave."""

from __future__ import annotations

from collections import deque

from rich.segment import Segment
from rich.style import Style
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

RISING = " ▁▂▃▄▅▆▇█"  # eighths of a cell, filled from the bottom
HISTORY = 512
REVERSE = Style(reverse=True)


class LevelMeter(Widget):
    DEFAULT_CSS = """
    LevelMeter {
        width: 1fr;
        height: 1fr;
        color: $accent;
    }
    """

    level: reactive[float] = reactive(0.0, repaint=False, always_update=True)
    playing: reactive[bool] = reactive(False, repaint=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history: deque[float] = deque([0.0] * HISTORY, maxlen=HISTORY)

    def watch_level(self, level: float) -> None:
        if self.playing:
            self.history.append(max(0.0, min(1.0, level)))
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width, height = self.content_size
        half = max(1, height // 2)
        levels = list(self.history)[-width:] if width > 0 else []
        levels = [0.0] * (width - len(levels)) + levels
        upper = y < half
        # How many eighths of this row each bar covers, counting outward from the centre line.
        distance = (half - 1 - y) if upper else (y - half)
        fills = [max(0, min(8, round(level * half * 8) - distance * 8)) for level in levels]
        if upper:
            return Strip([Segment("".join(RISING[fill] for fill in fills), self.rich_style)], width)
        # Below the centre the wave hangs down: a block filled k eighths from the bottom, in
        # reverse video, is one filled 8-k eighths from the top.
        text = "".join(RISING[8 - fill] for fill in fills)
        return Strip([Segment(text, self.rich_style + REVERSE)], width)
