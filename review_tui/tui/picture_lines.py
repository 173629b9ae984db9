"""The picture pane's lines, ready to hand to the screen, and drawn ahead for likely seeks.

A paused seek's exact frame is usually in memory before the key (the player decodes the
likely targets ahead, media/prefetch.py); what was left was turning it into cells at paint
time: the half-block rows, the letterbox margins, Textual's styles pass over each line, and
the escape codes written for each segment — measured 2-5 ms of a 15-25 ms seek on a 720p
camera file at 160x45, 40 ms when the colours were new to the cell cache.

:class:`PaneLines` holds every line of the pane for one picture, built once, so a repaint
hands over the same Strip objects (and Strip keeps its rendered escapes). The player tells
the pane of each frame it has ready for a likely seek; :class:`PreparedPictures` then builds
that frame's lines in a worker thread of its own, escapes included, and keeps a few, so the
seek that lands on it only hands them over. Lines depend on the pane's size and its blank
style (the theme) as well as the frame: a :class:`Pane` names those, and lines made for
another pane are not used.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

from review_tui.tui.halfblock import CellCache, HalfBlockPicture

if TYPE_CHECKING:
    from review_tui.media.video import Frame

# Likely seeks at once: the seek keys' three, the lines and tags around (prefetch.py), `b`.
# Each is ~50 KB on the benchmark's camera file at 94x52 cells, under 1 MB on busy footage.
PREPARED_PICTURES = 8


@dataclass(frozen=True, slots=True)
class Pane:
    """What a picture's lines depend on besides the picture: cells across and down, the style
    of the cells around the picture, and the console whose colour system the escapes use."""

    width: int
    height: int
    blank_style: Style
    console: Any  # rich Console: Strip.render reads its colour system

    def blank(self, width: int) -> Strip:
        return Strip.blank(width, self.blank_style)  # cached by Strip


class PaneLines:
    """Every line of ``pane`` showing ``picture``, centred, built on first use."""

    def __init__(self, picture: HalfBlockPicture | None, pane: Pane) -> None:
        self.picture = picture
        self.pane = pane
        self._lines: list[Strip | None] = [None] * max(0, pane.height)

    def line(self, y: int) -> Strip:
        if not 0 <= y < len(self._lines):
            return self.pane.blank(self.pane.width)
        strip = self._lines[y]
        if strip is None:
            strip = self._lines[y] = self._build(y)
        return strip

    def _build(self, y: int) -> Strip:
        picture, width = self.picture, self.pane.width
        if picture is None or width <= 0:
            return self.pane.blank(width)
        row = y - (self.pane.height - picture.rows) // 2
        if not 0 <= row < picture.rows:
            return self.pane.blank(width)
        strip = picture.row(row)
        left = (width - picture.width) // 2
        if left < 0:  # a frame decoded for a larger pane, until the new size arrives
            return strip.crop(-left, -left + width)
        return Strip.join([self.pane.blank(left), strip, self.pane.blank(width - left - picture.width)])

    def build_all(self, *, yield_between: bool = False) -> None:
        """Every line, and its escape codes (Strip.render keeps them on the strip).
        ``yield_between``: let other threads run after each line (see _prepare)."""
        console = self.pane.console
        for y in range(len(self._lines)):
            strip = self.line(y)
            if console is not None:
                strip.render(console)
            if yield_between:
                time.sleep(0)


class PreparedPictures:
    """A few frames' lines, built in a worker thread; ``take`` runs on the UI's thread."""

    def __init__(self, limit: int = PREPARED_PICTURES) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._ready: OrderedDict[tuple[int, int, int], tuple[Frame, PaneLines]] = OrderedDict()
        self._executor: ThreadPoolExecutor | None = None
        # The worker's own caches: the UI thread's are not shared across threads.
        self._rows: LRUCache[bytes, Strip] = LRUCache(128)
        self._cells = CellCache()
        self._closed = False
        self.built = 0  # pictures prepared so far (tests, and a measure of the work done)

    def __len__(self) -> int:
        return len(self._ready)

    def submit(self, frame: Frame, pane: Pane) -> None:
        """Build ``frame``'s lines for ``pane`` soon (any thread)."""
        with self._lock:
            if self._closed or self._has(frame, pane):
                return
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="picture-lines")
            self._executor.submit(self._prepare, frame, pane)

    def take(self, frame: Frame, pane: Pane | None) -> PaneLines | None:
        """The lines of ``frame`` (this very frame) for ``pane``, if built."""
        with self._lock:
            entry = self._ready.get(_key(frame))
            if entry is None or entry[0] is not frame or entry[1].pane != pane:
                return None
            return entry[1]

    def _has(self, frame: Frame, pane: Pane) -> bool:
        entry = self._ready.get(_key(frame))
        return entry is not None and entry[0] is frame and entry[1].pane == pane

    def _prepare(self, frame: Frame, pane: Pane) -> None:
        with self._lock:
            if self._closed or self._has(frame, pane):
                return
        picture = HalfBlockPicture(frame.rgb, frame.width, frame.height, self._rows, self._cells)
        lines = PaneLines(picture, pane)
        # The player announces the likely targets right after a seek, while the UI paints
        # that seek: pure Python here would hold the GIL for up to its 5 ms switch interval
        # at a time, and the paint waited for it (measured). A line at a time gives way.
        lines.build_all(yield_between=True)
        with self._lock:
            if self._closed:
                return
            key = _key(frame)
            self._ready.pop(key, None)
            self._ready[key] = (frame, lines)
            while len(self._ready) > self.limit:
                self._ready.popitem(last=False)
            self.built += 1

    def clear(self) -> None:
        with self._lock:
            self._ready.clear()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._ready.clear()
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _key(frame: Frame) -> tuple[int, int, int]:
    return (frame.pts_ms, frame.width, frame.height)
