"""Opening a session with no resume point writes no bookmark before the reviewer moves: the
first screen waits on no write to the review file."""

from __future__ import annotations

from review_tui.tui.features import playback as playback_module


async def test_no_bookmark_is_written_until_the_position_moves(clip, clock_app, monkeypatch):
    monkeypatch.setattr(playback_module, "SAVE_EVERY_S", 0.0)  # any tick may save
    app = clock_app(clip)
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        assert app.store.get_state("position_ms") is None
        await pilot.press("g", *"4", "enter")
        await pilot.pause(0.1)
        assert app.store.get_state("position_ms") == "4000"
