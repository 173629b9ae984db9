"""Side by side on wide terminals, stacked on narrow ones; audio-only and transcript-only."""

from __future__ import annotations

from review_tui.tui.widgets.level_meter import LevelMeter
from review_tui.tui.widgets.transcript import TranscriptView
from review_tui.tui.widgets.video import VideoView
from tests.tui.conftest import wait_for


async def test_wide_is_side_by_side_and_narrow_is_stacked(clip, open_app):
    app = open_app(clip)
    async with app.run_test(size=(160, 48)) as pilot:
        media, transcript = app.query_one("#media").region, app.query_one(TranscriptView).region
        assert media.right <= transcript.x and media.y == transcript.y
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        media, transcript = app.query_one("#media").region, app.query_one(TranscriptView).region
        assert media.bottom <= transcript.y and media.x == transcript.x
        assert transcript.width > 90
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        media, transcript = app.query_one("#media").region, app.query_one(TranscriptView).region
        assert media.right <= transcript.x


async def test_audio_only_shows_a_level_meter_that_moves_while_playing(talk, open_app):
    app = open_app(talk)
    async with app.run_test(size=(160, 48)) as pilot:
        assert not app.query(VideoView)
        meter = app.query_one(LevelMeter)
        assert "audio only" in app.query_one("#media").border_title
        await pilot.press("space")
        await wait_for(pilot, lambda: max(list(meter.history)[-20:]) > 0.05, what="the level to rise")
        drawn = "".join(meter.render_line(y).text for y in range(meter.content_size.height))
        assert any(block in drawn for block in "▁▂▃▄▅▆▇█")


async def test_transcript_only_sessions_give_the_transcript_the_whole_width(transcript_only, open_app):
    app = open_app(transcript_only)
    async with app.run_test(size=(160, 48)) as pilot:
        assert not app.query("#media")
        assert app.query_one(TranscriptView).region.width == 160
        await pilot.press("space")
        await wait_for(pilot, lambda: app.position_ms > 300, what="the clock to run without media")
