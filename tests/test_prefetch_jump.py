"""A jump to a line or tag the player was told about while paused is exact at once, with no
decode of its own: real ffmpeg, real threads, NULL audio; then through the app's keys."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from review_tui.codebook import load_codebook
from review_tui.config import Config
from review_tui.media.player import Player
from review_tui.media.probe import probe
from review_tui.media.video import VideoDecoder
from review_tui.model import MediaInfo
from review_tui.session import load_session
from review_tui.store import ReviewStore
from review_tui.tui.app import ReviewApp
from tests.media_factory import make_video
from tests.player_support import player_at, wait_for, wait_for_frame

FPS = 25
SIZE = (80, 60)
# A keyframe every 4 s: the line at 9.32 s is 33 frames into its GOP, far from any seek key's
# target from 5 s (10 s, 0, the end).
LINES = [(4200, 6000, "Th: Where do you feel it?"), (9320, 11000, "Pt: In my chest.")]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("jump")
    make_video(folder / "session.mp4", seconds=12, size="160x120", fps=FPS, keyint=100)
    blocks = [f"{n}\n{srt(start)} --> {srt(end)}\n{text}\n" for n, (start, end, text) in enumerate(LINES, 1)]
    (folder / "session.srt").write_text("\n".join(blocks), encoding="utf-8")
    return folder


def srt(ms: int) -> str:
    return f"00:00:{ms // 1000:02d},{ms % 1000:03d}"


@pytest.fixture(scope="module")
def clip(folder: Path) -> MediaInfo:
    return probe(folder / "session.mp4")


@pytest.fixture
def player(clip: MediaInfo) -> Iterator[Player]:
    yield from player_at(clip, SIZE)


def exact_frame(clip: MediaInfo, ms: int) -> bytes:
    decoder = VideoDecoder(clip, start_ms=ms, size=SIZE)
    try:
        return decoder.pop(timeout=10).rgb
    finally:
        decoder.close()


def test_a_hinted_target_is_fetched_while_paused_and_served_from_memory(player: Player, clip: MediaInfo) -> None:
    wait_for_frame(player, 0)
    player.seek(5000)
    wait_for_frame(player, 5000)
    player.set_likely_targets([9320, 4200])
    wait_for(lambda: not player._prefetcher.pending and player._pictures.exact(233, SIZE) is not None, 15)
    starts, exact = player.stats["video_starts"], player.stats["answered_exact"]
    player.seek(9320)
    # Before seek() returned: the exact frame, from the ring.
    assert player.picture_is_exact()
    assert player.latest_frame().rgb == exact_frame(clip, 9320)
    assert player.stats["answered_exact"] == exact + 1
    time.sleep(0.2)
    assert player.stats["video_starts"] == starts  # no decoder started for it


def test_without_the_hint_the_same_jump_waits_for_a_decode(player: Player) -> None:
    wait_for_frame(player, 0)
    player.seek(5000)
    wait_for_frame(player, 5000)
    wait_for(lambda: not player._prefetcher.pending, 15)
    starts = player.stats["video_starts"]
    player.seek(9320)
    assert not player.picture_is_exact()  # a stand-in first
    wait_for_frame(player, 9320)
    assert player.stats["video_starts"] == starts + 1


def test_an_unchanged_hint_does_not_restart_the_fetch(player: Player) -> None:
    wait_for_frame(player, 0)
    player.seek(5000)
    wait_for_frame(player, 5000)
    player.set_likely_targets([9320])
    wait_for(lambda: player._prefetcher.process is not None or not player._prefetcher.pending, 15)
    request = player._hints_request
    player.set_likely_targets([9320])
    assert player._hints_request == request and player.likely_targets == (9320,)


async def test_the_app_tells_the_paused_player_the_lines_around_it_and_enter_is_exact_at_once(
    folder: Path, tmp_path: Path
) -> None:
    session = load_session(folder / "session.mp4")
    media_fp, transcript_fp = session.fingerprints()
    codebook = load_codebook()
    store = ReviewStore.open(tmp_path / "r.sqlite", media_fingerprint=media_fp, transcript_fingerprint=transcript_fp, codebook=codebook)
    player = Player(session.media, duration_ms=session.duration_ms, audio="null")
    app = ReviewApp(session, store, player, store.codebook, None, Config(audio="null"))
    try:
        async with app.run_test() as pilot:
            await pilot.press("right")  # 5 s, inside the first line
            assert app.position_ms == 5000
            await until(pilot, lambda: player.likely_targets == (9320, 4200))
            await until(pilot, lambda: not player._prefetcher.pending and player._pictures.exact(233, player.video_size) is not None)
            starts, exact = player.stats["video_starts"], player.stats["answered_exact"]
            await pilot.press("down", "enter")  # the next line
            assert player.position_ms() == 9320
            assert player.picture_is_exact() and player.stats["answered_exact"] == exact + 1
            await pilot.pause(0.2)
            assert player.stats["video_starts"] == starts
            # Paused on it: the plan moved on with it (the line before is now the way back).
            await until(pilot, lambda: player.likely_targets == (4200,))
    finally:
        player.close()
        store.close()


async def until(pilot, condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.03)
    await asyncio.sleep(0)


def test_after_a_pause_the_seek_keys_targets_from_there_are_fetched(player: Player, clip: MediaInfo) -> None:
    # No UI hints at all: the pause alone must make the player guess from where it stopped.
    wait_for_frame(player, 0)
    player.play()
    wait_for(lambda: player.position_ms() >= 1000, 10)
    player.pause()
    paused_at = player.position_ms()
    ahead = player._grid.index_at(paused_at + 5000)
    wait_for(lambda: player._pictures.exact(ahead, SIZE) is not None, 15)
    starts = player.stats["video_starts"]
    player.seek(paused_at + 5000)
    assert player.picture_is_exact()  # before seek() returned, from the ring
    assert player.latest_frame().rgb == exact_frame(clip, player._grid.start_ms(ahead))
    time.sleep(0.2)
    assert player.stats["video_starts"] == starts
