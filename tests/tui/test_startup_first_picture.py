"""The first picture is decoded before the app's first layout, at the size the pane will ask
for, and it is on the first screen the app draws."""

from __future__ import annotations

import time

import pytest

from review_tui.config import Config
from review_tui.media.player import DEFAULT_BOX, Player
from review_tui.session import load_session
from review_tui.store import ReviewStore
from review_tui.tui.app import ReviewApp
from review_tui.tui.first_picture import ask_for_first_picture, video_box
from review_tui.tui.halfblock import HALF_BLOCK
from review_tui.tui.widgets.video import VideoView
from tests.tui.conftest import wait_for

# Wide and tall, wide and short (no timeline), narrow and tall (stacked), narrow and short,
# and the breakpoints' edges.
TERMINALS = [(160, 45), (300, 80), (133, 37), (121, 35), (120, 36), (119, 40), (100, 40), (80, 24), (60, 14)]


@pytest.mark.parametrize("columns, rows", TERMINALS)
async def test_the_guessed_box_is_the_one_the_pane_asks_for(clip, clock_app, columns, rows):
    app = clock_app(clip)
    async with app.run_test(size=(columns, rows)) as pilot:
        view = app.query_one(VideoView)
        await wait_for(pilot, lambda: view.wanted_size is not None, what="the pane to ask for its size")
        assert view.wanted_size == video_box(columns, rows, len(app.codebook.groups))


def test_no_guess_for_a_terminal_too_small_to_hold_a_picture():
    assert video_box(20, 5, 10) is None


def wait_until(condition, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_player_waiting_for_its_size_decodes_when_asked_for_the_default_box(clip):
    # The box that fits like the default one still counts as the first size asked for.
    session = load_session(clip)
    player = Player(session.media, duration_ms=session.duration_ms, audio="off", wait_for_size=True)
    try:
        player.set_video_size(*DEFAULT_BOX)
        wait_until(lambda: player.latest_frame() is not None)
        assert player.stats["video_starts"] == 1
    finally:
        player.close()


async def test_a_frame_decoded_before_the_app_runs_is_on_its_first_screen(clip, codebook, tmp_path, monkeypatch):
    columns, rows = 160, 45
    monkeypatch.setenv("COLUMNS", str(columns))  # the terminal size the guess reads
    monkeypatch.setenv("LINES", str(rows))
    session = load_session(clip)
    store = ReviewStore.open(tmp_path / "r.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=codebook)
    player = Player(session.media, duration_ms=session.duration_ms, audio="null", wait_for_size=True)
    try:
        box = ask_for_first_picture(player, store.codebook, "halfblock", {})
        assert box == video_box(columns, rows, len(codebook.groups))
        wait_until(lambda: player.latest_frame() is not None)
        app = ReviewApp(session, store, player, store.codebook, None, Config(audio="null"))
        async with app.run_test(size=(columns, rows)) as pilot:
            view = app.query_one(VideoView)
            drawn = [view.render_line(y).text for y in range(view.content_size.height)]
            assert sum(HALF_BLOCK in line for line in drawn) == player.latest_frame().height // 2
            await pilot.pause(0.3)
            # The pane asked for the size already decoded: no second decode for it.
            assert view.wanted_size == box
            assert player.stats["video_starts"] == 1
    finally:
        player.close()
        store.close()


def test_no_guess_for_a_graphics_protocol(clip, codebook):
    session = load_session(clip)
    player = Player(session.media, duration_ms=session.duration_ms, audio="off", wait_for_size=True)
    try:
        assert ask_for_first_picture(player, codebook, "kitty", {"TERM": "xterm-kitty"}) is None
        time.sleep(0.2)
        assert player.stats["video_starts"] == 0
    finally:
        player.close()
