"""What the app keeps and says: the resume point, start-up warnings, failed background jobs."""

from __future__ import annotations

import pytest
from textual.worker import WorkerFailed

from review_tui.codebook import load_codebook
from review_tui.store import ReviewStore
from review_tui.tui.features import playback as playback_module
from tests.tui.conftest import notices, wait_for, write_srt


@pytest.mark.parametrize("quit_key", ["q", "ctrl+q"])
async def test_reopening_resumes_where_the_last_session_stopped(clip, clock_app, tmp_path, quit_key):
    review = tmp_path / "clip.review.sqlite"
    first = clock_app(clip, review=review)
    async with first.run_test() as pilot:
        await pilot.press("g", *"7.2", "enter")
        await pilot.press(quit_key)
    assert first.store.get_state("position_ms") == "7200"
    second = clock_app(clip, review=review)
    async with second.run_test() as pilot:
        await wait_for(pilot, lambda: any("Resumed at 00:07" in text for text in notices(second)), what="the resume notice")
        assert second.player.position_ms() == 7200 and second.position_ms == 7200


async def test_the_position_is_saved_every_few_seconds(clip, clock_app, monkeypatch):
    monkeypatch.setattr(playback_module, "SAVE_EVERY_S", 0.2)
    app = clock_app(clip)
    async with app.run_test() as pilot:
        await pilot.press("space")
        await wait_for(pilot, lambda: int(app.store.get_state("position_ms") or 0) > 0, what="a saved position")
        await pilot.press("space", "g", *"9", "enter")
        await wait_for(pilot, lambda: app.store.get_state("position_ms") == "9000", what="the new position saved")


async def test_a_bookmark_beyond_the_recording_is_ignored(clip, clock_app, tmp_path):
    review = tmp_path / "clip.review.sqlite"
    with ReviewStore.open(review, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook()) as store:
        store.set_state("position_ms", "999999")
    app = clock_app(clip, review=review)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.position_ms == 0


async def test_session_warnings_are_shown_once_on_start(tmp_path, clock_app):
    broken = tmp_path / "broken.srt"
    write_srt(broken, [(0, 1000, "Th: fine"), (2000, 3000, "Pt: also fine")])
    broken.write_text(broken.read_text() + "\n3\n00:00:05,000 --> nonsense\nlost line\n", encoding="utf-8")
    app = clock_app(broken)
    warnings = [str(problem) for problem in app.session.warnings]
    assert warnings  # the transcript reader noticed the broken cue
    async with app.run_test() as pilot:
        await pilot.press("right", "left")
        shown = [text for text in notices(app) if "warning" in text]
        assert len(shown) == 1
        assert warnings[0] in shown[0]


async def test_a_failed_background_job_becomes_one_notification(clip, clock_app):
    app = clock_app(clip)

    def export() -> None:
        raise OSError("disk full")

    async with app.run_test() as pilot:
        worker = app.run_worker(export, name="export", thread=True, exit_on_error=False)
        with pytest.raises(WorkerFailed):
            await worker.wait()
        await pilot.pause()
        assert app.is_running
        assert any("export failed: OSError: disk full" in text for text in notices(app))
