"""The picture pane: half-block cells in the frame's colours, centred, sized to the pane."""

from __future__ import annotations

from textual.filter import ANSIToTruecolor
from textual.strip import Strip

from review_tui.tui.halfblock import HALF_BLOCK, QUANTISE
from review_tui.tui.widgets.video import VideoView
from tests.tui.conftest import wait_for


def picture_lines(view: VideoView) -> list[tuple[int, str]]:
    """(row, text) of every drawn row holding picture cells."""
    lines = [(y, view.render_line(y).text) for y in range(view.content_size.height)]
    return [(y, text) for y, text in lines if HALF_BLOCK in text]


def fits(frame, view: VideoView) -> bool:
    """Inside the pane's pixel box (cols x 2*rows) and touching two of its sides."""
    cols, rows = view.content_size
    inside = frame.width <= cols and frame.height <= 2 * rows
    return inside and (frame.width == cols or frame.height >= 2 * rows - 1)


async def test_frames_fit_the_pane_and_are_drawn_centred(clip, open_app):
    app = open_app(clip)
    async with app.run_test(size=(160, 48)) as pilot:
        view = app.query_one(VideoView)
        cols, rows = view.content_size
        await wait_for(pilot, lambda: app.frame is not None and fits(app.frame, view), what="a frame sized for the pane")
        frame = app.frame
        assert abs(frame.width / frame.height - 4 / 3) < 0.03  # the clip is 160x120
        drawn = picture_lines(view)
        assert len(drawn) == frame.height // 2
        top = (rows - frame.height // 2) // 2
        assert drawn[0][0] == top
        row_text = drawn[0][1]
        left = row_text.index(HALF_BLOCK)
        assert row_text.count(HALF_BLOCK) == frame.width
        assert left == (cols - frame.width) // 2


async def test_cells_carry_the_frame_colours(clip, open_app):
    app = open_app(clip)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("g", *"3", "enter")
        await wait_for(pilot, lambda: app.frame is not None and app.frame.pts_ms == 3000, what="the frame at 3 s")
        view = app.query_one(VideoView)
        frame = app.frame
        y, text = picture_lines(view)[len(picture_lines(view)) // 2]
        row = y - (view.content_size.height - frame.height // 2) // 2
        left = text.index(HALF_BLOCK)
        stride = frame.width * 3
        cells = [(segment.style, ch) for segment in view.render_line(y) for ch in segment.text]
        for x in (0, frame.width // 3, frame.width - 1):
            style, char = cells[left + x]
            assert char == HALF_BLOCK
            top = frame.rgb[2 * row * stride + 3 * x : 2 * row * stride + 3 * x + 3]
            bottom = frame.rgb[(2 * row + 1) * stride + 3 * x : (2 * row + 1) * stride + 3 * x + 3]
            assert tuple(style.color.triplet) == tuple(top.translate(QUANTISE))
            assert tuple(style.bgcolor.triplet) == tuple(bottom.translate(QUANTISE))


async def test_picture_cells_come_with_their_escape_codes_on_a_truecolor_terminal(clip, open_app, monkeypatch):
    # Else Textual's escape cache (Strip.render_ansi, 16384 entries) keeps every cell style
    # ever drawn alive: ~7 MB after a minute of playing a camera file.
    monkeypatch.setenv("COLORTERM", "truecolor")
    app = open_app(clip)
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.console.color_system == "truecolor"
        Strip.render_ansi.cache_clear()
        for seconds in "3579":
            await pilot.press("g", seconds, "enter")
            await wait_for(pilot, lambda: app.frame is not None and app.frame.pts_ms == int(seconds) * 1000, what=f"the frame at {seconds} s")
            await pilot.pause()
        view = app.query_one(VideoView)
        y, _ = picture_lines(view)[0]
        picture_styles = {segment.style for segment in view.render_line(y) if HALF_BLOCK in segment.text}
        assert picture_styles and all(style._ansi for style in picture_styles)
        # What is left in the cache is the rest of the screen's few styles, not the picture's.
        assert Strip.render_ansi.cache_info().currsize < 100


async def test_a_resize_asks_for_frames_of_the_new_size(clip, open_app):
    app = open_app(clip)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.frame is not None, what="a first frame")
        first = (app.frame.width, app.frame.height)
        await pilot.resize_terminal(100, 30)
        view = app.query_one(VideoView)
        await wait_for(pilot, lambda: fits(app.frame, view), what="a frame at the new size")
        assert (app.frame.width, app.frame.height) != first


async def test_the_ansi_truecolor_filter_is_skipped_only_for_the_picture(clip, open_app):
    app = open_app(clip)
    async with app.run_test():
        assert any(isinstance(line_filter, ANSIToTruecolor) for line_filter in app.get_line_filters())
        assert not any(isinstance(line_filter, ANSIToTruecolor) for line_filter in app.query_one(VideoView).get_line_filters())
