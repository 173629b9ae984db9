"""Half-block drawing: each cell's fg is the top pixel and bg the bottom one, runs merge."""

from __future__ import annotations

import random

from rich.console import Console
from rich.segment import Segment
from textual.cache import LRUCache
from textual.strip import Strip

from review_tui.tui.halfblock import HALF_BLOCK, QUANTISE, CellCache, HalfBlockPicture, truecolor_sgr


def picture_bytes(rows: list[list[tuple[int, int, int]]]) -> bytes:
    return bytes(channel for row in rows for pixel in row for channel in pixel)


def cells(segments: list[Segment]) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """(top colour, bottom colour) for every cell the segments draw."""
    found = []
    for segment in segments:
        assert set(segment.text) == {HALF_BLOCK}
        top = segment.style.color.triplet
        bottom = segment.style.bgcolor.triplet
        found.extend([(tuple(top), tuple(bottom))] * len(segment.text))
    return found


def quantised(pixel: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(QUANTISE[channel] for channel in pixel)


def test_top_pixel_is_foreground_and_bottom_pixel_background():
    red, blue, green, white = (250, 10, 10), (10, 10, 250), (10, 250, 10), (255, 255, 255)
    top = [red, green, white]
    bottom = [blue, blue, red]
    rgb = picture_bytes([top, bottom])
    picture = HalfBlockPicture(rgb, 3, 2, LRUCache(8), CellCache())
    drawn = cells(list(picture.row(0)))
    assert drawn == [(quantised(t), quantised(b)) for t, b in zip(top, bottom)]


def test_quantisation_keeps_colours_within_half_a_step():
    for value in (0, 1, 127, 128, 200, 255):
        assert abs(QUANTISE[value] - value) <= 4


def test_equal_neighbours_merge_into_one_segment():
    grey, black = (128, 128, 128), (0, 0, 0)
    top = [grey] * 5 + [black] * 3
    bottom = [black] * 8
    segments = CellCache().row_segments(
        picture_bytes([top]).translate(QUANTISE), picture_bytes([bottom]).translate(QUANTISE)
    )
    assert [len(segment.text) for segment in segments] == [5, 3]


def test_nearly_equal_colours_share_a_style_object():
    cache = CellCache()
    first = cache.row_segments(bytes([100, 100, 100]).translate(QUANTISE), bytes([0, 0, 0]).translate(QUANTISE))
    second = cache.row_segments(bytes([101, 101, 101]).translate(QUANTISE), bytes([1, 1, 1]).translate(QUANTISE))
    assert first[0].style is second[0].style
    assert len(cache.cells) == 1


def test_cell_cache_is_bounded():
    cache = CellCache(limit=50)
    for value in range(0, 256, 2):
        cache.row_segments(bytes([value, 0, 0]).translate(QUANTISE), bytes([0, value, 0]).translate(QUANTISE))
    assert len(cache.cells) <= 51


def test_identical_rows_come_from_the_row_cache():
    row_cache: LRUCache = LRUCache(8)
    stripes = picture_bytes([[(200, 0, 0)] * 4, [(0, 0, 200)] * 4] * 2)  # two identical cell rows
    picture = HalfBlockPicture(stripes, 4, 4, row_cache, CellCache())
    assert picture.rows == 2
    assert picture.row(0) is picture.row(1)
    later = HalfBlockPicture(stripes, 4, 4, row_cache, CellCache())
    assert later.row(0) is picture.row(0)


def test_changed_rows_names_only_rows_whose_quantised_pixels_differ():
    still = [[(100, 100, 100)] * 4 for _ in range(6)]
    moved = [row[:] for row in still]
    moved[3][2] = (200, 0, 0)  # pixel row 3 is in cell row 1
    moved[5][0] = (102, 101, 99)  # within one quantisation step: not a change
    caches = (LRUCache(8), CellCache())
    before = HalfBlockPicture(picture_bytes(still), 4, 6, *caches)
    after = HalfBlockPicture(picture_bytes(moved), 4, 6, *caches)
    assert after.changed_rows(before) == [1]
    assert after.changed_rows(None) is None
    assert HalfBlockPicture(picture_bytes(still[:4]), 4, 4, *caches).changed_rows(before) is None


def random_rows(seed: int, width: int) -> tuple[bytes, bytes]:
    """Two quantised pixel rows of random colours."""
    chance = random.Random(seed)
    top, bottom = (bytes(chance.randrange(256) for _ in range(3 * width)).translate(QUANTISE) for _ in range(2))
    return top, bottom


def test_cells_written_with_their_codes_render_as_textual_would_write_them():
    console = Console(color_system="truecolor", force_terminal=True)
    top, bottom = random_rows(1, 200)
    plain = Strip(CellCache().row_segments(top, bottom)).render(console)
    coded_cache = CellCache()
    coded_cache.truecolor_sgr = True
    coded = coded_cache.row_segments(top, bottom)
    assert all(segment.style._ansi for segment in coded)  # the codes came with the cells
    assert Strip(coded).render(console) == plain


def test_cells_with_their_codes_are_not_kept_by_textuals_escape_cache():
    console = Console(color_system="truecolor", force_terminal=True)
    Strip.render_ansi.cache_clear()
    cache = CellCache()
    cache.truecolor_sgr = True
    for seed in range(5):
        Strip(cache.row_segments(*random_rows(seed, 100))).render(console)
    # Every one of those ~500 cell styles would otherwise stay alive in that cache.
    assert Strip.render_ansi.cache_info().currsize == 0


def test_only_a_truecolor_console_gets_the_codes_up_front():
    assert truecolor_sgr(Console(color_system="truecolor", force_terminal=True))
    assert truecolor_sgr(None)  # no console at all: Strip.render writes truecolor then
    assert not truecolor_sgr(Console(color_system="256", force_terminal=True))
    assert not truecolor_sgr(Console(color_system="standard", force_terminal=True))
    # A 256-colour terminal: the codes are left to Textual, which turns each colour down.
    console = Console(color_system="256", force_terminal=True)
    cache = CellCache()
    cache.truecolor_sgr = truecolor_sgr(console)
    segments = cache.row_segments(*random_rows(7, 20))
    assert all(segment.style._ansi is None for segment in segments)
    assert "38;5;" in Strip(segments).render(console)
