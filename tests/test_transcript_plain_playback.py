"""The three plain-text layouts open beside a video and follow its playback (Textual Pilot,
a real clip, the real Player on the NULL audio device, a real review file)."""

from __future__ import annotations

import pytest

from review_tui.codebook import load_codebook
from review_tui.config import Config
from review_tui.media.player import Player
from review_tui.session import load_session
from review_tui.store import ReviewStore
from review_tui.tui.app import ReviewApp
from review_tui.tui.widgets.transcript import TranscriptView
from tests.media_factory import make_video
from tests.tui.conftest import wait_for

SECONDS = 6
LAYOUTS = {
    "inline": "Speaker 1 (00:00:00): Shall we start?\nSpeaker 2 (00:00:01): Yes.\n"
    "Speaker 1 (00:00:02): What is on your <b>mind</b>?\n",
    "header": "Dr. Amy Chen  0:00\nShall we start?\n\nJo Park  0:01\nYes.\n\n"
    "Dr. Amy Chen  0:02\nWhat is on your <b>mind</b>?\n",
    "bracket": "[00:00:00] Therapist: Shall we start?\n[00:00:01] Patient: Yes.\n"
    "[00:00:02] Therapist: What is on your <b>mind</b>?\n",
}


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("plain") / "clip.mp4", seconds=SECONDS, size="160x120")


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
async def test_plain_transcript_plays_beside_the_video(tmp_path, video, layout):
    recording = tmp_path / "session.mp4"
    recording.symlink_to(video)
    (tmp_path / "session.txt").write_text(LAYOUTS[layout], encoding="utf-8")
    session = load_session(recording)
    assert session.transcript is not None and session.transcript.format == "text"
    # The last turn runs to the end of the recording.
    assert session.transcript.cues[-1].end_ms == session.media.duration_ms
    store = ReviewStore.open(
        tmp_path / "review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    )
    player = Player(session.media, duration_ms=session.duration_ms, audio="null")
    try:
        app = ReviewApp(session, store, player, store.codebook, None, Config(audio="null"))
        async with app.run_test(size=(120, 36)) as pilot:
            view = app.query_one(TranscriptView)
            assert view.current == 0
            await pilot.press("space")
            await wait_for(pilot, lambda: view.current == 2, what="the third turn to light up")
            assert app.position_ms >= 2000
            shown = [view.render_line(y).text for y in range(view.scrollable_content_region.height)]
            lit = [line for line in shown if line.lstrip().startswith("▶")]
            # Shown as written: the markup is literal text, never interpreted.
            assert len(lit) == 1 and "What is on your" in lit[0]
            assert any("<b>mind</b>?" in line for line in shown)
    finally:
        player.close()
        store.close()
