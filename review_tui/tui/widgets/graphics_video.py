"""The picture drawn by the terminal itself (kitty graphics or sixel), letterboxed in the pane.

A drop-in for VideoView (a subclass: the same `frame` reactive, SizeWanted message and CSS),
so the app composes one or the other by config. The pixels travel in-band as a zero-width control
segment at the end of the picture's last row, after that row's own cells, so they reach the
terminal through Textual's writer in the same update and cannot interleave with its output.

Every escape is a *control* segment: Textual counts it as no cells, so when the compositor
crops a row around a dialog or a notification it keeps or drops the escape whole, never cuts
it in half or shifts the cells after it. The cells under the picture are written as real
blanks (the picture is drawn over them afterwards), so what a dialog leaves there is always
painted away. While any other screen is on top, the pane draws no picture at all (kitty's,
which floats above the cells, is deleted) and draws it again, whole, when the pane's screen
is back on top.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.control import ControlType
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
# What marks a segment as control (zero cells wide) for Textual; the code itself is not used.
_CONTROL = ((ControlType.CURSOR_MOVE_TO, 0, 0),)


def control_segment(escape: str) -> Segment:
    """An escape sequence that takes no cells in Textual's layout and is never split."""
    return Segment(escape, None, _CONTROL)


class GraphicsVideoView(VideoView):
    """Shows whatever Frame it is given with a terminal graphics protocol.

    A VideoView by kind, so the app's CSS, queries and @on(VideoView.SizeWanted) serve both;
    it keeps the resize settling, the line filters and the blank cells, and draws differently.
    """

    DRAWS_HALF_BLOCKS = False  # its own render_line, through Textual's render_lines

    def __init__(self, *, id: str | None = None, protocol: str = "kitty", cell_px: tuple[int, int] | None = None) -> None:
        super().__init__(id=id)
        if protocol not in MAX_FRAME_PIXELS:
            raise ValueError(f"unknown graphics protocol {protocol!r}")
        self.protocol = protocol
        self._cell_px_given = cell_px
        self.cell_px = cell_px or cell_pixel_size()
        self.footprint = Region(0, 0, 0, 0)  # cells the current frame covers, in content space
        self.escape = ""  # the current frame, encoded for the terminal

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def _screen_changed(self, _screen: object) -> None:
        # A dialog opened or closed: every row changes (picture hidden, or drawn again whole).
        if self.protocol == "kitty" and not self.picture_shown and self.footprint.area:
            self._send_outside_the_layout(kitty_delete())
        self.refresh()

    def _send_outside_the_layout(self, escape: str) -> None:
        """Queue a whole escape for the terminal, in order with the screen updates.

        Rows drawn under another screen go through that screen's compositor, which turns any
        escape in them into text (measured: the kitty delete arrived cut short, as letters
        over the dialog). Textual has no public call for this, so the driver's own write is
        used; it queues the bytes behind the updates already sent.
        """
        driver = getattr(self.app, "_driver", None)
        if driver is not None:
            driver.write(escape)

    @property
    def picture_shown(self) -> bool:
        """Whether the pane's screen is the one on top (nothing may cover the picture)."""
        return self.is_mounted and self.app.screen is self.screen

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
            self.escape = sixel_escape(frame.rgb, frame.width, frame.height, self._sixel_scale(frame))
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
            # Sixel pixels are drawn as scale x scale squares; a frame still sized for a bigger
            # pane (scale 0) is not shown until one of the new size arrives.
            scale = self._sixel_scale(frame)
            if not scale:
                return Region(0, 0, 0, 0)
            width, height = math.ceil(frame.width * scale / cell_w), math.ceil(frame.height * scale / cell_h)
        elif frame.width * rows * cell_h >= frame.height * cols * cell_w:  # wider than the pane
            width, height = cols, max(1, round(cols * cell_w * frame.height / frame.width / cell_h))
        else:
            width, height = max(1, round(rows * cell_h * frame.width / frame.height / cell_w)), rows
        width, height = min(width, cols), min(height, rows)
        return Region((cols - width) // 2, (rows - height) // 2, width, height)

    def _sixel_scale(self, frame: Frame) -> int:
        """The largest whole number of terminal pixels per frame pixel that fits the pane."""
        cols, rows = self._box
        cell_w, cell_h = self.cell_px
        return min(cols * cell_w // max(1, frame.width), rows * cell_h // max(1, frame.height))

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
        budget = MAX_FRAME_PIXELS[self.protocol]
        if self.protocol == "sixel":
            # The terminal cannot scale a sixel: ask for a frame that a whole scale factor
            # brings to the pane's size, so the picture fills it as half-block does.
            scale = max(1, math.ceil(math.sqrt(width * height / budget)))
            size = (width // scale, height // scale)
        else:
            shrink = min(1.0, math.sqrt(budget / max(1, width * height)))
            size = (int(width * shrink), int(height * shrink))
        if size != self.wanted_size and min(size) > 0:
            self.wanted_size = size
            self.post_message(self.SizeWanted(*size))

    def render_line(self, y: int) -> Strip:
        width = self._box.width
        picture = self.footprint
        blank = self._blank(width)
        if not picture.area or not picture.y <= y < picture.bottom:
            return blank
        if not self.picture_shown:
            # Under another screen the picture would float above it (kitty: deleted when the
            # screen changed) or be cut by it (sixel: these blanks paint it away).
            return blank
        if y == picture.bottom - 1 and self.escape:
            return Strip([*blank, control_segment(self._draw_from_top_left(y))], width)
        return blank

    def _draw_from_top_left(self, y: int) -> str:
        """Move to the picture's first cell, draw, and come back to where this row ended."""
        origin = self.content_region.offset
        top_row, left_col = origin.y + self.footprint.y + 1, origin.x + self.footprint.x + 1
        end_row, end_col = origin.y + y + 1, origin.x + self._box.width + 1
        return f"\x1b[{top_row};{left_col}H{self.escape}\x1b[{end_row};{end_col}H"
