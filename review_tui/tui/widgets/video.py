"""The picture: decoded frames drawn as half-block cells, letterboxed in the pane."""

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

from review_tui.tui.halfblock import CellCache, HalfBlockPicture

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
        # A few pictures' rows (each Strip keeps its rendered text too): rows that repeat
        # from one frame to the next are found (512 cost no less time to draw, measured).
        self._rows: LRUCache[bytes, Strip] = LRUCache(128)
        self._cells = CellCache()
        self._blank_cache: dict[int, Strip] = {}
        self._settle_timer: Timer | None = None
        self._box = Size(0, 0)  # content size, kept: render_line runs per row per frame

    def watch_frame(self, frame: Frame | None) -> None:
        previous = self.picture
        if frame is None:
            self.picture = None
            self.refresh()
            return
        picture = self.picture = HalfBlockPicture(frame.rgb, frame.width, frame.height, self._rows, self._cells)
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

    def _blank(self, width: int) -> Strip:
        strip = self._blank_cache.get(width)
        if strip is None:
            strip = self._blank_cache[width] = Strip.blank(width, self.rich_style)
        return strip

    def render_line(self, y: int) -> Strip:
        width, height = self._box
        if width <= 0 < self.content_size.width:
            # Drawn before on_resize ran: the first frame can be decoded before the first layout.
            self._box = self.content_size
            width, height = self._box
        picture = self.picture
        if picture is None or width <= 0:
            return self._blank(width)
        row = y - (height - picture.rows) // 2
        if not 0 <= row < picture.rows:
            return self._blank(width)
        strip = picture.row(row)
        left = (width - picture.width) // 2
        if left < 0:  # a frame decoded for a larger pane, until the new size arrives
            return strip.crop(-left, -left + width)
        right = width - left - picture.width
        return Strip.join([self._blank(left), strip, self._blank(right)])
