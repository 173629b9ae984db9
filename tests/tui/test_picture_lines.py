"""The picture pane's lines drawn ahead (tui/picture_lines.py): the frames the player holds
ready for a likely seek are drawn in a worker, the seek that lands on one hands its lines
over, and lines made for another pane size or theme are never used."""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from textual.cache import LRUCache

from review_tui.media.video import Frame
from review_tui.tui.halfblock import HALF_BLOCK, CellCache, HalfBlockPicture
from review_tui.tui.picture_lines import Pane, PaneLines, PreparedPictures
from review_tui.tui.widgets.transport import TransportBar
from review_tui.tui.widgets.video import VideoView
from tests.tui.conftest import wait_for

CONSOLE = Console(color_system="truecolor")


def gradient(width: int, height: int, shade: int, pts_ms: int = 0) -> Frame:
    rgb = bytes((x * 7 + shade) % 256 if c == 0 else (y * 11) % 256 if c == 1 else shade for y in range(height) for x in range(width) for c in range(3))
    return Frame(pts_ms, width, height, rgb)


def fresh_lines(frame: Frame, pane: Pane) -> list:
    picture = HalfBlockPicture(frame.rgb, frame.width, frame.height, LRUCache(16), CellCache())
    lines = PaneLines(picture, pane)
    return [list(lines.line(y)) for y in range(pane.height)]


BUILD_ALL = PaneLines.build_all


def slow_drawing(monkeypatch):
    """Make the worker's drawing wait: returns (drawing, finish), events for "a drawing has
    started" and "let it end"."""
    import threading

    drawing, finish = threading.Event(), threading.Event()

    def slow_build_all(self, **options):
        drawing.set()
        finish.wait(5)
        return BUILD_ALL(self, **options)

    monkeypatch.setattr(PaneLines, "build_all", slow_build_all)
    return drawing, finish


def wait_built(prepared: PreparedPictures, count: int) -> None:
    import time

    deadline = time.monotonic() + 5
    while prepared.built < count:
        assert time.monotonic() < deadline, "the worker never built the lines"
        time.sleep(0.01)


def test_prepared_lines_are_the_lines_the_pane_would_draw():
    pane = Pane(30, 12, Style(bgcolor="black"), CONSOLE)
    frame = gradient(20, 16, 40)
    prepared = PreparedPictures()
    prepared.use_pane(pane)
    try:
        prepared.submit(frame, pane)
        wait_built(prepared, 1)
        ready = prepared.take(frame, pane)
        assert ready is not None
        assert [list(ready.line(y)) for y in range(pane.height)] == fresh_lines(frame, pane)
        rows = [ready.line(y).text for y in range(pane.height)]
        assert sum(HALF_BLOCK in row for row in rows) == 8 and all(len(row) == 30 for row in rows)
        assert ready.line(6)._render_cache is not None  # the escapes are written ahead too
    finally:
        prepared.close()


def test_lines_for_another_pane_or_another_frame_are_not_handed_over():
    pane = Pane(30, 12, Style(bgcolor="black"), CONSOLE)
    frame = gradient(20, 16, 40, pts_ms=800)
    prepared = PreparedPictures()
    prepared.use_pane(pane)
    try:
        prepared.submit(frame, pane)
        wait_built(prepared, 1)
        assert prepared.take(frame, Pane(40, 12, pane.blank_style, CONSOLE)) is None  # resized
        assert prepared.take(frame, Pane(30, 12, Style(bgcolor="white"), CONSOLE)) is None  # theme
        assert prepared.take(gradient(20, 16, 90, pts_ms=800), pane) is None  # same time, other picture
        assert prepared.take(frame, pane) is not None
    finally:
        prepared.close()


def test_a_pane_change_drops_what_was_drawn_or_being_drawn_for_the_old_one():
    import time

    pane = Pane(30, 12, Style(bgcolor="black"), CONSOLE)
    resized = Pane(40, 14, pane.blank_style, CONSOLE)
    prepared = PreparedPictures()
    prepared.use_pane(pane)
    try:
        frames = [gradient(20, 16, shade, pts_ms=40 * shade) for shade in range(4)]
        for frame in frames:
            prepared.submit(frame, pane)
        prepared.use_pane(resized)  # while the worker may still be drawing them
        prepared.submit(gradient(20, 16, 99, pts_ms=999), pane)  # announced for the old pane
        time.sleep(0.5)
        assert len(prepared) == 0 and prepared.nbytes == 0
        built = prepared.built
        prepared.submit(frames[0], resized)
        wait_built(prepared, built + 1)
        assert prepared.take(frames[0], resized) is not None
    finally:
        prepared.close()


def test_a_full_store_keeps_this_positions_likeliest_and_drops_earlier_positions_first():
    pane = Pane(24, 10, Style(bgcolor="black"), None)
    prepared = PreparedPictures(limit=3)
    prepared.use_pane(pane)
    try:
        first = [gradient(16, 12, shade, pts_ms=40 * shade) for shade in range(5)]
        for frame in first:  # announced most likely first
            prepared.submit(frame, pane)
        wait_built(prepared, 3)
        assert [prepared.take(frame, pane) is not None for frame in first] == [True, True, True, False, False]
        prepared.moved()  # a seek: the next announcements are for the new position
        second = [gradient(16, 12, shade, pts_ms=40 * shade) for shade in range(10, 12)]
        for frame in second:
            prepared.submit(frame, pane)
        wait_built(prepared, 5)
        assert [prepared.take(frame, pane) is not None for frame in first[:3]] == [False, False, True]
        assert all(prepared.take(frame, pane) is not None for frame in second)
    finally:
        prepared.close()


def test_the_bytes_bound_holds():
    pane = Pane(24, 10, Style(bgcolor="black"), CONSOLE)
    one = PreparedPictures()
    one.use_pane(pane)
    try:
        one.submit(gradient(16, 12, 0), pane)
        wait_built(one, 1)
        size = one.nbytes
        assert size > 0
    finally:
        one.close()
    prepared = PreparedPictures(max_bytes=int(2.5 * size))
    prepared.use_pane(pane)
    try:
        for shade in range(4):
            prepared.submit(gradient(16, 12, shade * 3, pts_ms=40 * shade), pane)
        import time

        time.sleep(0.5)
        assert len(prepared) == 2 and prepared.nbytes <= 2.5 * size
    finally:
        prepared.close()


def sized(frame: Frame | None, view: VideoView) -> bool:
    cols, rows = view.content_size
    if frame is None or frame.width > cols or frame.height > 2 * rows:
        return False
    return frame.width == cols or frame.height >= 2 * rows - 1


def drawn_rows(view: VideoView) -> list[list]:
    return [list(view.render_line(y)) for y in range(view.content_size.height)]


async def test_a_paused_seek_onto_a_prefetched_frame_hands_over_its_lines(clip, open_app):
    app = open_app(clip)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(VideoView)
        await wait_for(pilot, lambda: sized(app.frame, view), what="a frame at the pane's size")
        await pilot.press("g", *"4.2", "enter")
        await wait_for(pilot, lambda: app.frame is not None and app.frame.pts_ms == 4200, what="the frame at 4.2 s")
        # While paused the player fetches +5 s (among others) and the pane draws it ahead.
        await wait_for(pilot, lambda: view.prepared.built >= 1 and len(view.prepared) >= 1, timeout=15, what="lines drawn ahead")
        target = app.player._grid.start_ms(app.player._grid.index_at(9200))
        await wait_for(
            pilot, lambda: any(key[0] == target for key in view.prepared._ready), timeout=15, what="the +5 s frame drawn ahead"
        )
        before = view.lines_handed_over
        await pilot.press("right")
        assert app.frame.pts_ms == target  # the exact frame, at once
        assert view.lines_handed_over > before
        assert view._lines is view.prepared.take(app.frame, view._pane)  # drawn from the lines made ahead
        assert drawn_rows(view) == [list(strip) for strip in fresh_lines(app.frame, view._pane)]
        status = app.query_one(TransportBar)
        assert status.clock().startswith("00:09.200")  # the clock shows the exact time with it


async def test_a_resize_drops_the_lines_drawn_for_the_old_size(clip, open_app):
    app = open_app(clip)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(VideoView)
        await wait_for(pilot, lambda: view.prepared.built >= 1 and len(view.prepared) >= 1, timeout=15, what="lines drawn ahead")
        old_pane = view._pane
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: view._pane != old_pane, what="the new pane")
        assert all(entry[1].pane == view._pane for entry in view.prepared._ready.values())
        frame = app.frame
        await wait_for(pilot, lambda: app.frame is not frame and sized(app.frame, view), what="a frame of the new size")
        assert drawn_rows(view) == [list(strip) for strip in fresh_lines(app.frame, view._pane)]


def test_forget_drops_every_picture_and_one_being_drawn(monkeypatch):
    import threading

    pane = Pane(30, 12, Style(bgcolor="black"), CONSOLE)
    prepared = PreparedPictures()
    prepared.use_pane(pane)
    try:
        prepared.submit(gradient(20, 16, 40, pts_ms=0), pane)
        wait_built(prepared, 1)
        assert len(prepared) == 1 and prepared.nbytes > 0
        prepared.forget()
        assert len(prepared) == 0 and prepared.nbytes == 0
        # A picture whose drawing is under way when forget() comes is not kept when it ends.
        drawing, finish = slow_drawing(monkeypatch)
        frame = gradient(20, 16, 80, pts_ms=40)
        worker = threading.Thread(target=prepared._prepare, args=(frame, pane, prepared._forgotten))
        worker.start()
        assert drawing.wait(5)
        prepared.forget()
        finish.set()
        worker.join(5)
        assert prepared.take(frame, pane) is None and len(prepared) == 0
    finally:
        prepared.close()


def test_a_picture_asked_for_before_forget_is_not_kept_and_none_is_drawn_until_resume(monkeypatch):
    pane = Pane(30, 12, Style(bgcolor="black"), CONSOLE)
    prepared = PreparedPictures()
    prepared.use_pane(pane)
    drawing, finish = slow_drawing(monkeypatch)
    try:
        prepared.submit(gradient(20, 16, 40, pts_ms=0), pane)  # keeps the one worker busy
        assert drawing.wait(5)
        queued = gradient(20, 16, 80, pts_ms=40)
        prepared.submit(queued, pane)  # waits in the queue behind it
        prepared.forget()  # playback starts
        late = gradient(20, 16, 120, pts_ms=80)
        prepared.submit(late, pane)  # a guess the player was finishing when it started
        monkeypatch.setattr(PaneLines, "build_all", BUILD_ALL)
        finish.set()
        prepared.resume()  # paused again
        fresh = gradient(20, 16, 160, pts_ms=120)
        prepared.submit(fresh, pane)
        wait_built(prepared, 1)
        assert prepared.built == 1 and len(prepared) == 1
        assert prepared.take(fresh, pane) is not None
        assert prepared.take(queued, pane) is None and prepared.take(late, pane) is None
    finally:
        finish.set()
        prepared.close()


async def test_playing_drops_the_pictures_drawn_for_paused_seeks(clip, open_app):
    app = open_app(clip)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(VideoView)
        await wait_for(pilot, lambda: view.prepared.built >= 1 and len(view.prepared) >= 1, timeout=15, what="lines drawn ahead")
        await pilot.press("space")
        await wait_for(pilot, lambda: app.playing, what="playback")
        await wait_for(pilot, lambda: len(view.prepared) == 0 and view.prepared.nbytes == 0, what="the pictures dropped")
        built, started_at = view.prepared.built, app.position_ms
        await wait_for(pilot, lambda: app.position_ms > started_at + 1000, what="a second of playback")
        await pilot.press("space")  # paused elsewhere: the likely seeks from here are drawn anew
        await wait_for(pilot, lambda: not app.playing, what="the pause")
        await wait_for(pilot, lambda: view.prepared.built > built and len(view.prepared) >= 1, timeout=15, what="lines drawn again")
