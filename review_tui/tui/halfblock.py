"""Turn RGB24 pictures into rows of upper-half-block cells ("▀": fg = top pixel, bg = bottom).

Pure drawing, no widget: the video pane asks for one Strip per cell row. Colours are
quantised so that neighbouring cells share a Style (and merge into one Segment), and a row
whose quantised pixels were seen recently is answered from a bounded cache — a fixed clinic
camera repeats most of its rows from frame to frame.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color, ColorType
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

HALF_BLOCK = "▀"
# 5 bits a channel (the middle of each step of 8): banding is hard to see at cell size, and
# a camera's neighbouring cells then share styles. At 6 bits a 720p camera clip needed 40%
# more distinct cells, which thrash any cache small enough to keep (~500 bytes a cell).
QUANTISE = bytes((value & 0xF8) | 0x04 for value in range(256))


# 2048 colours: with the cell styles no longer kept by Textual (CellCache._segment), this
# cache was most of what kept their colours alive. Measured at 2x on the 720p camera file:
# 8192 held ~1.7 MB more for a hit rate of 96% instead of 85%; a miss costs ~1.3 us.
@lru_cache(maxsize=2048)
def truecolor(red: int, green: int, blue: int) -> Color:
    # Built directly: Color.from_rgb and Style(...) parse and validate, 20x slower per miss.
    return Color(f"#{red:02x}{green:02x}{blue:02x}", ColorType.TRUECOLOR, None, ColorTriplet(red, green, blue))


# The SGR parameters Textual writes for a style of a truecolor foreground and background
# (Strip.render_ansi: rich's Color.get_ansi_codes, joined by ";").
TRUECOLOR_SGR = "38;2;%d;%d;%d;48;2;%d;%d;%d"


def truecolor_sgr(console) -> bool:
    """Whether ``console`` is written in truecolor: as Strip.render reads it, no colour
    system at all counts as truecolor."""
    return console is None or console.color_system in (None, "truecolor")


def cell_style(top_r: int, top_g: int, top_b: int, bottom_r: int, bottom_g: int, bottom_b: int) -> Style:
    return Style.from_color(truecolor(top_r, top_g, top_b), truecolor(bottom_r, bottom_g, bottom_b))


class CellCache:
    """One-cell Segments by their two quantised colours, bounded.

    A plain dict emptied when full: lookups sit in the innermost loop, where even
    functools.lru_cache's call overhead shows; a picture's palette drifts slowly, so an
    occasional refill costs less than bookkeeping recency on every hit.
    """

    # About 2 MB when full. 32768 (16 MB) was a sixth of the app's memory at 2x on a busy
    # picture, 8192 (4 MB) still a good part of what kept the app over 1.2x mpv's memory;
    # on a 720p testsrc2 camera file at 94x52, building rows cost 0.75 ms a frame at 32768
    # and 0.85 ms at 8192 (a camera's palette drifts slowly: most cells hit all the same).
    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self.cells: dict[tuple[int, ...], Segment] = {}
        # Whether each new cell's style carries its escape codes from the start (a truecolor
        # terminal: see truecolor_sgr). Set by the pane, which knows the console.
        self.truecolor_sgr = False

    def row_segments(self, top: bytes, bottom: bytes) -> list[Segment]:
        """Segments for one cell row from two quantised pixel rows of equal length."""
        cells = self.cells
        if len(cells) > self.limit:
            cells.clear()
        segments: list[Segment] = []
        append = segments.append
        pixels = zip(top[0::3], top[1::3], top[2::3], bottom[0::3], bottom[1::3], bottom[2::3])
        run_key: tuple[int, ...] | None = None
        run_length = 0
        for key in pixels:
            if key == run_key:
                run_length += 1
                continue
            if run_key is not None:
                append(self._segment(run_key, run_length))
            run_key, run_length = key, 1
        if run_key is not None:
            append(self._segment(run_key, run_length))
        return segments

    def _segment(self, key: tuple[int, ...], length: int) -> Segment:
        cell = self.cells.get(key)
        if cell is None:
            style = cell_style(*key)
            if self.truecolor_sgr:
                # Textual would otherwise work the codes out in Strip.render_ansi, whose cache
                # (16384 entries) then keeps every cell style a session ever drew alive: at 2x
                # on the 720p camera file it was full within a minute (~7 MB, a tenth of the
                # app). Written here, the codes live and die with the cell.
                style._ansi = TRUECOLOR_SGR % key
            cell = self.cells[key] = Segment(HALF_BLOCK, style)
        return cell if length == 1 else Segment(HALF_BLOCK * length, cell.style)


class HalfBlockPicture:
    """One picture cut into cell rows; rows are built on demand and shared through caches."""

    def __init__(self, rgb: bytes, width: int, height: int, rows: LRUCache[bytes, Strip], cells: CellCache) -> None:
        self.width = width
        self.height = height
        self.rows = height // 2
        stride = width * 3
        # The quantised pixels of each cell row (two pixel rows): what the row looks like,
        # so equal rows are found by comparing bytes.
        self.keys = [rgb[2 * row * stride : 2 * (row + 1) * stride].translate(QUANTISE) for row in range(self.rows)]
        self._row_cache = rows
        self._cells = cells
        self._strips: list[Strip | None] = [None] * self.rows

    def changed_rows(self, previous: HalfBlockPicture | None) -> list[int] | None:
        """Rows that differ from ``previous``, or None when the whole picture must be redrawn."""
        if previous is None or (previous.width, previous.height) != (self.width, self.height):
            return None
        return [row for row, (new, old) in enumerate(zip(self.keys, previous.keys)) if new != old]

    def segments(self, index: int) -> list[Segment]:
        """Row ``index``'s segments, built anew and kept nowhere (drawing ahead, where only
        the pane's lines made of them are kept)."""
        pair = self.keys[index]
        stride = self.width * 3
        return self._cells.row_segments(pair[:stride], pair[stride:])

    def adopt(self, rows: LRUCache[bytes, Strip], cells: CellCache) -> None:
        """Use these caches from now on (a picture drawn in a worker, handed to the UI)."""
        self._row_cache, self._cells = rows, cells

    def row(self, index: int) -> Strip:
        strip = self._strips[index]
        if strip is None:
            pair = self.keys[index]
            strip = self._row_cache.get(pair)
            if strip is None:
                stride = self.width * 3
                strip = Strip(self._cells.row_segments(pair[:stride], pair[stride:]), self.width)
                self._row_cache[pair] = strip
            self._strips[index] = strip
        return strip
