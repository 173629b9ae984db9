"""The layout as a user sees it, wide and narrow, on a paused (so deterministic) picture.

Update after a deliberate change with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from tests.tui.conftest import wait_for


def paused_at(app, typed_time: str, *, frame_ms: int | None):
    async def run_before(pilot) -> None:
        await pilot.press("g", *typed_time, "enter")
        if frame_ms is not None:
            video = app.query_one("#video")

            def settled() -> bool:
                frame = app.frame
                cols, rows = video.content_size
                return (
                    frame is not None
                    and frame.pts_ms == frame_ms
                    and (frame.width == cols or frame.height >= 2 * rows - 1)
                )

            await wait_for(pilot, settled, what="the paused frame at the pane's size")
        await pilot.pause()

    return run_before


def test_wide_side_by_side(snap_compare, clip, open_app):
    app = open_app(clip)
    assert snap_compare(app, terminal_size=(160, 48), run_before=paused_at(app, "2", frame_ms=2000))


def test_narrow_stacked(snap_compare, clip, open_app):
    app = open_app(clip)
    assert snap_compare(app, terminal_size=(100, 40), run_before=paused_at(app, "6.2", frame_ms=6200))


def test_transcript_only(snap_compare, transcript_only, open_app):
    app = open_app(transcript_only)
    assert snap_compare(app, terminal_size=(100, 30), run_before=paused_at(app, "4.6", frame_ms=None))
