"""The player's background decoding (keyframe pictures, prefetch) waits for the first screen:
the app releases it once it has painted, not before."""

from __future__ import annotations


async def test_the_app_releases_the_background_decoding_once_painted(quick_app):
    app = quick_app()
    assert app.player.background_released is False
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.player.background_released is True
