"""The picture: decoded frames drawn as half-block cells, letterboxed in the pane.

The pane's lines for a picture are built once (tui/picture_lines.py) and handed to the
screen as they are: ``render_lines`` is overridden, as Textual's own OptionList does, so the
lines skip the styles pass that would copy every one of them at each repaint (the pane has
no border, padding, tint or opacity for it to apply). Frames the player has ready for a
likely seek are drawn ahead in a worker thread (``prepare_soon``).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from textual.cache import LRUCache
from textual.filter import ANSIToTruecolor, LineFilter
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from review_tui.tui.halfblock import CellCache, HalfBlockPicture, truecolor_sgr
from review_tui.tui.picture_lines import Pane, PaneLines, PreparedPictures

if TYPE_CHECKING:
    from review_tui.media.player import Frame

RESIZE_SETTLE_S = 0.2  # a dragged terminal edge sends many resizes; decode anew once it rests


class VideoView(Widget):
    """Shows whatever Frame it is given; asks (by message) for frames that fit its size."""

    DEFAULT_CSS = """
    VideoView {
        background: black;
        width: 1fr;
        height: 1fr;
    }
    """

    frame: reactive[Frame | None] = reactive(None, always_update=True, repaint=False)
    # Playing, no seek lands on a picture drawn ahead (those are for paused seeks): they
    # and their cells go, ~3-5 MB at the peak of a session (watch_playing).
    playing: reactive[bool] = reactive(False, repaint=False)
    # Subclasses drawing something else than half blocks (graphics_video.py) set this False
    # and get Textual's own render_lines, around their render_line.
    DRAWS_HALF_BLOCKS = True

    class SizeWanted(Message):
        """The pane changed size: frames should now fit inside width_px x height_px.

        A cell is about twice as tall as wide and holds two pixels, one above the other, so
        the pane's pixels are close to square: cols x 2*rows, and the picture keeps its
        display aspect by fitting inside that box (the player does the fitting).
        """

        def __init__(self, width_px: int, height_px: int) -> None:
            super().__init__()
            self.width_px = width_px
            self.height_px = height_px

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.picture: HalfBlockPicture | None = None
        self.wanted_size: tuple[int, int] | None = None
        # The last picture or two's rows (each Strip keeps its rendered text too, ~10 KB a
        # row at 94 cells): rows that repeat from one frame to the next are found (512 cost
        # no less time to draw than 128, measured; 64 still holds a whole 52-row picture).
        self._rows: LRUCache[bytes, Strip] = LRUCache(64)
        self._cells = CellCache()
        self._blank_cache: dict[int, Strip] = {}
        self._settle_timer: Timer | None = None
        self._box = Size(0, 0)  # content size, kept: render_line runs per row per frame
        self._pane: Pane | None = None  # what the lines are built for (read by the worker too)
        self._lines: PaneLines | None = None  # the current picture's lines
        self.prepared = PreparedPictures()
        self.lines_handed_over = 0  # pictures shown from lines prepared ahead (tests)
        self._shown_pts: int | None = None

    # --- frames --------------------------------------------------------------------

    def prepare_soon(self, frame: Frame) -> None:
        """Draw ``frame``'s lines ahead, in a worker: the player has it ready for a likely
        seek. Any thread (the player calls this from its own)."""
        pane = self._pane
        if pane is not None and self.DRAWS_HALF_BLOCKS and pane.width > 0:
            self.prepared.submit(frame, pane)

    def on_unmount(self) -> None:
        self.prepared.close()

    def watch_playing(self, playing: bool) -> None:
        if playing:
            self.prepared.forget()
        else:
            self.prepared.resume()

    def watch_frame(self, frame: Frame | None) -> None:
        previous = self.picture
        if frame is None:
            self.picture = None
            self._lines = None
            self.refresh()
            return
        if frame.pts_ms != self._shown_pts:
            self.prepared.moved()
        self._shown_pts = frame.pts_ms
        ready = self.prepared.take(frame, self._pane, self._rows, self._cells)
        if ready is not None:
            self.lines_handed_over += 1
            picture = self.picture = ready.picture
            self._lines = ready
        else:
            picture = self.picture = HalfBlockPicture(frame.rgb, frame.width, frame.height, self._rows, self._cells)
            self._lines = None  # built when first drawn
        changed = picture.changed_rows(previous)
        if changed is None:
            self.refresh()
            return
        # Only the rows that changed: a still camera repeats most of its picture.
        top = (self._box.height - picture.rows) // 2
        width = self._box.width
        for _step, run in groupby(enumerate(changed), key=lambda pair: pair[1] - pair[0]):
            rows = [row for _, row in run]
            self.refresh(Region(0, top + rows[0], width, len(rows)))

    def on_resize(self) -> None:
        if self._box != self.content_size and self.picture is not None:
            # A frame that came before the first layout was drawn into a box of no size.
            self.refresh()
        self._box = self.content_size
        self._new_pane()
        if self._settle_timer is not None:
            self._settle_timer.stop()
        if self.wanted_size is None:
            self._ask_for_size()  # the first size is wanted at once, not after a pause
        else:
            self._settle_timer = self.set_timer(RESIZE_SETTLE_S, self._ask_for_size)

    def _ask_for_size(self) -> None:
        self._settle_timer = None
        size = (self._box.width, 2 * self._box.height)
        if size != self.wanted_size and min(size) > 0:
            self.wanted_size = size
            self.post_message(self.SizeWanted(*size))

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Every colour here is already truecolor, so the ANSI-to-truecolor filter would only
        # re-examine each of thousands of styles per frame (3-5x the cost of drawing them).
        return [line_filter for line_filter in super().get_line_filters() if not isinstance(line_filter, ANSIToTruecolor)]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._blank_cache.clear()
        if self.is_mounted:
            self._new_pane()

    def _new_pane(self) -> None:
        """The pane's size or style changed: lines built for the old one are not used."""
        pane = Pane(self._box.width, self._box.height, self.rich_style, self.app.console)
        self._cells.truecolor_sgr = truecolor_sgr(pane.console)
        if pane != self._pane:
            self._pane = pane
            self.prepared.use_pane(pane)

    def _blank(self, width: int) -> Strip:
        strip = self._blank_cache.get(width)
        if strip is None:
            strip = self._blank_cache[width] = Strip.blank(width, self.rich_style)
        return strip

    def _current_lines(self) -> PaneLines | None:
        if self._box.width <= 0 < self.content_size.width:
            # Drawn before on_resize ran: the first frame can be decoded before the first layout.
            self._box = self.content_size
            self._new_pane()
        pane = self._pane
        if pane is None:
            return None
        lines = self._lines
        if lines is None or lines.pane != pane or lines.picture is not self.picture:
            lines = self._lines = PaneLines(self.picture, pane)
        return lines

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self.DRAWS_HALF_BLOCKS:
            return super().render_lines(crop)
        lines = self._current_lines()
        if lines is None:
            return [Strip.blank(crop.width, self.rich_style)] * crop.height
        strips = [lines.line(y) for y in crop.line_range]
        x1, x2 = crop.column_span
        if (x1, x2) != (0, self._box.width):
            strips = [strip.crop(x1, x2) for strip in strips]
        filters = self.get_line_filters()
        if filters:
            background = self.background_colors[1]
            for line_filter in filters:
                strips = [strip.apply_filter(line_filter, background) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        lines = self._current_lines()
        return lines.line(y) if lines is not None else self._blank(self._box.width)
