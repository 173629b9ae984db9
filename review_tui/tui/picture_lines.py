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

from review_tui.tui.halfblock import CellCache, HalfBlockPicture, truecolor_sgr

if TYPE_CHECKING:
    from review_tui.media.video import Frame

# Likely seeks at once: the seek keys' three, the lines and tags around (prefetch.py).
PREPARED_PICTURES = 8
# And a bound in bytes (estimated, below): measured at 94x52 cells, a picture of the
# benchmark's camera file keeps ~0.3 MB of segments, styles and escapes, one of pure noise
# (every cell a colour of its own, the worst case) ~1.5 MB.
PREPARED_BYTES = 3 * 1024 * 1024
# The worker's own cells (the UI thread's cache is not shared across threads), at half the
# UI's bound: the cells a kept picture uses stay alive with it anyway.
WORKER_CELLS = 2048
SEGMENT_BYTES = 300  # a Segment, its Style when of its own, and that style's escape codes


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

    def line(self, y: int, *, keep_rows: bool = True) -> Strip:
        """Line ``y``; ``keep_rows`` False: the picture's row is made for this line alone,
        not kept in the picture nor in its row cache (drawing ahead keeps only lines)."""
        if not 0 <= y < len(self._lines):
            return self.pane.blank(self.pane.width)
        strip = self._lines[y]
        if strip is None:
            strip = self._lines[y] = self._build(y, keep_rows)
        return strip

    def _build(self, y: int, keep_rows: bool) -> Strip:
        picture, width = self.picture, self.pane.width
        if picture is None or width <= 0:
            return self.pane.blank(width)
        row = y - (self.pane.height - picture.rows) // 2
        if not 0 <= row < picture.rows:
            return self.pane.blank(width)
        strip = picture.row(row) if keep_rows else Strip(picture.segments(row), picture.width)
        left = (width - picture.width) // 2
        if left < 0:  # a frame decoded for a larger pane, until the new size arrives
            return strip.crop(-left, -left + width)
        return Strip.join([self.pane.blank(left), strip, self.pane.blank(width - left - picture.width)])

    def build_all(self, *, yield_between: bool = False) -> int:
        """Every line, and its escape codes (Strip.render keeps them on the strip); returns
        an estimate of the bytes they hold. ``yield_between``: let other threads run after
        each line (see PreparedPictures._prepare)."""
        console = self.pane.console
        cost = 0
        for y in range(len(self._lines)):
            strip = self.line(y, keep_rows=False)
            cost += len(strip) * SEGMENT_BYTES
            if console is not None:
                cost += 2 * len(strip.render(console))  # "▀" makes the text two bytes a character
            if yield_between:
                time.sleep(0)
        return cost


class PreparedPictures:
    """A few frames' lines, built in a worker thread; ``take`` runs on the UI's thread.

    The player announces a position's likely targets most likely first, so when the bound is
    reached the pictures of earlier positions go first (``moved`` starts a new position),
    and then this position's later, less likely ones are not drawn at all.
    """

    def __init__(self, limit: int = PREPARED_PICTURES, max_bytes: int = PREPARED_BYTES) -> None:
        self.limit = limit
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        # key -> (frame, lines, position number, estimated bytes), oldest first
        self._ready: OrderedDict[tuple[int, int, int], tuple[Frame, PaneLines, int, int]] = OrderedDict()
        self._position = 0
        self._bytes = 0
        self._pane: Pane | None = None  # use_pane
        self._executor: ThreadPoolExecutor | None = None
        self._cells = CellCache(limit=WORKER_CELLS)
        self._closed = False
        self._forgotten = 0  # forget() calls: a picture asked for before one is not kept
        self._held = False  # between forget() and resume(): playing, nothing is drawn ahead
        self.built = 0  # pictures prepared so far (tests, and a measure of the work done)

    def __len__(self) -> int:
        return len(self._ready)

    @property
    def nbytes(self) -> int:
        """Estimated bytes held."""
        return self._bytes

    def moved(self) -> None:
        """Another picture is on screen: what is announced from now on is for a new position."""
        self._position += 1

    def submit(self, frame: Frame, pane: Pane) -> None:
        """Build ``frame``'s lines for ``pane`` soon (any thread)."""
        with self._lock:
            if self._closed or self._held or pane != self._pane or self._has(frame, pane):
                return
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="picture-lines")
            # The generation is the one asked in: a job still queued when forget() comes
            # is dropped when it runs, not kept (seen in CI: a picture came back after play).
            self._executor.submit(self._prepare, frame, pane, self._forgotten)

    def take(self, frame: Frame, pane: Pane | None, rows: LRUCache[bytes, Strip] | None = None, cells: CellCache | None = None) -> PaneLines | None:
        """The lines of ``frame`` (this very frame) for ``pane``, if built; their picture
        uses ``rows`` and ``cells`` (the caller's thread's caches) from now on."""
        with self._lock:
            entry = self._ready.get(_key(frame))
            if entry is None or entry[0] is not frame or entry[1].pane != pane:
                return None
            lines = entry[1]
        if lines.picture is not None and rows is not None and cells is not None:
            lines.picture.adopt(rows, cells)
        return lines

    def _has(self, frame: Frame, pane: Pane) -> bool:
        entry = self._ready.get(_key(frame))
        return entry is not None and entry[0] is frame and entry[1].pane == pane

    def _prepare(self, frame: Frame, pane: Pane, forgotten: int) -> None:
        with self._lock:
            if self._closed or forgotten != self._forgotten or self._has(frame, pane) or self._full_for(self._position):
                return
        # No row cache: only the lines are kept, and the UI gives the picture its own
        # caches when it takes it (``take``), never reaching this worker's.
        self._cells.truecolor_sgr = truecolor_sgr(pane.console)
        picture = HalfBlockPicture(frame.rgb, frame.width, frame.height, _NO_ROWS, self._cells)
        lines = PaneLines(picture, pane)
        position = self._position
        # The player announces the likely targets right after a seek, while the UI paints
        # that seek: pure Python here would hold the GIL for up to its 5 ms switch interval
        # at a time, and the paint waited for it (measured). A line at a time gives way.
        cost = lines.build_all(yield_between=True)
        with self._lock:
            if self._closed or pane != self._pane or forgotten != self._forgotten:
                return  # closed, the pane changed or playback started while this was drawn
            self._drop(_key(frame))
            while self._ready and (len(self._ready) >= self.limit or self._bytes + cost > self.max_bytes):
                key, (_, _, kept_at, _) = next(iter(self._ready.items()))
                if kept_at >= position:
                    return  # only this position's likelier pictures left: keep those
                self._drop(key)
            self._ready[_key(frame)] = (frame, lines, position, cost)
            self._bytes += cost
            self.built += 1

    def _full_for(self, position: int) -> bool:
        """Whether this position's own pictures already fill the bounds."""
        own = [cost for _, _, kept_at, cost in self._ready.values() if kept_at >= position]
        return len(own) >= self.limit or sum(own) >= self.max_bytes

    def _drop(self, key: tuple[int, int, int]) -> None:
        entry = self._ready.pop(key, None)
        if entry is not None:
            self._bytes -= entry[3]

    def use_pane(self, pane: Pane) -> None:
        """The pane changed (size, theme): drop what was drawn for another, and what is
        still being drawn for one."""
        with self._lock:
            self._pane = pane
            self._ready.clear()
            self._bytes = 0

    def forget(self) -> None:
        """Drop every picture drawn ahead and the worker's cells, and draw none until
        :meth:`resume` (playback started: a guess the player was finishing no longer applies;
        paused again, what it announces is drawn anew)."""
        with self._lock:
            self._ready.clear()
            self._bytes = 0
            self._forgotten += 1
            self._held = True
            self._cells = CellCache(limit=WORKER_CELLS)  # one being drawn keeps the old

    def resume(self) -> None:
        """Paused again: what the player announces from now on is drawn ahead."""
        with self._lock:
            self._held = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._ready.clear()
            self._bytes = 0
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


_NO_ROWS: LRUCache[bytes, Strip] = LRUCache(1)  # HalfBlockPicture wants one; segments() never uses it


def _key(frame: Frame) -> tuple[int, int, int]:
    return (frame.pts_ms, frame.width, frame.height)
