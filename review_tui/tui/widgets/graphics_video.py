"""The picture drawn by the terminal itself (kitty graphics or sixel), letterboxed in the pane.

A drop-in for VideoView (a subclass: the same `frame` reactive, SizeWanted message and CSS),
so the app composes one or the other by config. The pixels travel in-band as a zero-width control
segment at the end of the picture's last row, after that row's own cells, so they reach the
terminal through Textual's writer in the same update and cannot interleave with its output.
The cells under the picture are skipped with a cursor move rather than written, because a
space written over a sixel (or over a kitty image in some terminals) erases its pixels.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual import events
from textual.geometry import Region
from textual.strip import Strip

from review_tui.tui.graphics import (
    cell_pixel_size,
    kitty_delete,
    kitty_escape,
    sixel_escape,
)
from review_tui.tui.widgets.video import VideoView

if TYPE_CHECKING:
    from review_tui.media.video import Frame

# Frames bigger than this cost more to send (kitty: ~1.3 bytes a pixel as base64) or encode
# (sixel, in Python) than 30 frames a second allow; kitty scales a smaller frame up to the
# pane, sixel shows it 1:1 in the middle of the pane.
MAX_FRAME_PIXELS = {"kitty": 640 * 360, "sixel": 320 * 180}


class GraphicsVideoView(VideoView):
    """Shows whatever Frame it is given with a terminal graphics protocol.

    A VideoView by kind, so the app's CSS, queries and @on(VideoView.SizeWanted) serve both;
    it keeps the resize settling, the line filters and the blank cells, and draws differently.
    """

    def __init__(self, *, id: str | None = None, protocol: str = "kitty", cell_px: tuple[int, int] | None = None) -> None:
        super().__init__(id=id)
        if protocol not in MAX_FRAME_PIXELS:
            raise ValueError(f"unknown graphics protocol {protocol!r}")
        self.protocol = protocol
        self._cell_px_given = cell_px
        self.cell_px = cell_px or cell_pixel_size()
        self.footprint = Region(0, 0, 0, 0)  # cells the current frame covers, in content space
        self.escape = ""  # the current frame, encoded for the terminal

    def watch_frame(self, frame: Frame | None) -> None:
        previous = self.footprint
        if frame is None:
            self.footprint, self.escape = Region(0, 0, 0, 0), ""
            self.refresh()
            return
        picture = self.footprint = self._footprint(frame)
        if not picture.area:
            self.escape = ""
        elif self.protocol == "kitty":
            self.escape = kitty_escape(frame.rgb, frame.width, frame.height, picture.width, picture.height)
        else:
            self.escape = sixel_escape(frame.rgb, frame.width, frame.height)
        if picture == previous and picture.area:
            # Same place: redrawing the last row re-sends the pixels and touches nothing else.
            self.refresh(Region(0, picture.bottom - 1, self._box.width, 1))
        else:
            self.refresh()

    def _footprint(self, frame: Frame) -> Region:
        """The cells the frame is shown in, centred in the pane."""
        cols, rows = self._box
        cell_w, cell_h = self.cell_px
        if self.protocol == "sixel":
            # Sixel pixels are drawn 1:1, so a frame still sized for a bigger pane is not shown.
            width, height = math.ceil(frame.width / cell_w), math.ceil(frame.height / cell_h)
            if width > cols or height > rows:
                return Region(0, 0, 0, 0)
        elif frame.width * rows * cell_h >= frame.height * cols * cell_w:  # wider than the pane
            width, height = cols, max(1, round(cols * cell_w * frame.height / frame.width / cell_h))
        else:
            width, height = max(1, round(rows * cell_h * frame.width / frame.height / cell_w)), rows
        width, height = min(width, cols), min(height, rows)
        return Region((cols - width) // 2, (rows - height) // 2, width, height)

    def on_resize(self, event: events.Resize) -> None:
        self.cell_px = self._cell_px_given or cell_pixel_size()  # a zoomed font changes it
        super().on_resize()
        # Textual would run VideoView's handler too, after this one: it has just been run.
        event.prevent_default()
        if self.frame is not None:
            self.watch_frame(self.frame)  # the same frame, placed in the new pane

    def _ask_for_size(self) -> None:
        self._settle_timer = None
        cols, rows = self._box
        width, height = cols * self.cell_px[0], rows * self.cell_px[1]
        shrink = min(1.0, math.sqrt(MAX_FRAME_PIXELS[self.protocol] / max(1, width * height)))
        size = (int(width * shrink), int(height * shrink))
        if size != self.wanted_size and min(size) > 0:
            self.wanted_size = size
            self.post_message(self.SizeWanted(*size))

    def render_line(self, y: int) -> Strip:
        width = self._box.width
        picture = self.footprint
        if not picture.area or not picture.y <= y < picture.bottom:
            return self._blank(width)
        if not self.screen.is_active:
            # Under a modal the picture would float above the dialog: take it away and let the
            # plain cells show until the screen is active and repainted again.
            strip = self._blank(width)
            if self.protocol == "kitty" and y == picture.y:
                strip = Strip([Segment(kitty_delete()), *strip], width)
            return strip
        left = self._blank(picture.x)
        right = self._blank(width - picture.right)
        segments = [*left, Segment(f"\x1b[{picture.width}C"), *right]
        if y == picture.bottom - 1 and self.escape:
            segments.append(Segment(self._draw_from_top_left(y)))
        return Strip(segments, width)

    def _draw_from_top_left(self, y: int) -> str:
        """Move to the picture's first cell, draw, and come back to where this row ended."""
        origin = self.content_region.offset
        top_row, left_col = origin.y + self.footprint.y + 1, origin.x + self.footprint.x + 1
        end_row, end_col = origin.y + y + 1, origin.x + self._box.width + 1
        return f"\x1b[{top_row};{left_col}H{self.escape}\x1b[{end_row};{end_col}H"
