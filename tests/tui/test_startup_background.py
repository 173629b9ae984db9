"""The player's background decoding (keyframe pictures, prefetch) waits for the first screen:
the app releases it once it has painted, not before."""

from __future__ import annotations

from tests.tui.conftest import wait_for


async def test_the_app_releases_the_background_decoding_once_painted(quick_app):
    app = quick_app()
    assert app.player.background_released is False
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.player.background_released, what="the release after the first refresh")
