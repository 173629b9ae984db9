"""Seeks answered at once from memory, then exact: real ffmpeg, real threads, NULL audio."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from review_tui.media.player import Player
from review_tui.media.probe import probe
from review_tui.media.video_engine import DECODER_LEAD_S
from review_tui.model import MediaInfo
from tests.media_factory import make_video
from tests.player_support import decode_every_frame, player_at, wait_for, wait_for_frame

FPS = 25
SIZE = (80, 60)


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> MediaInfo:
    folder = tmp_path_factory.mktemp("seek")
    # A keyframe every 50 frames (2 s): a seek to 1.96 s costs 49 decoded frames.
    return probe(make_video(folder / "gop.mp4", seconds=4, size="160x120", fps=FPS, keyint=50))


@pytest.fixture(scope="module")
def reference(clip: MediaInfo) -> list[bytes]:
    frames = [frame.rgb for frame in decode_every_frame(clip, SIZE)]
    assert len(frames) == 100 and len(set(frames)) == 100
    return frames


@pytest.fixture
def player(clip: MediaInfo) -> Iterator[Player]:
    yield from player_at(clip, SIZE)


def keyframes_ready(player: Player) -> None:
    wait_for(lambda: player._pictures.strip is not None and player._pictures.strip.done.is_set(), 15)


def test_a_far_seek_shows_the_keyframe_at_once_then_the_exact_frame(
    clip: MediaInfo, reference: list[bytes]
) -> None:
    # No prefetch: what the ring holds is then only what these seeks decoded.
    player = Player(clip, duration_ms=clip.duration_ms, audio="null", prefetch=False)
    player.set_video_size(*SIZE)
    try:
        far_seeks(player, reference)
    finally:
        player.close()


def far_seeks(player: Player, reference: list[bytes]) -> None:
    wait_for_frame(player, 0)
    keyframes_ready(player)
    player.seek(2960)  # frame 74; the closest keyframe is frame 50
    # Before seek() returned: the keyframe as a stand-in, and the clock already exact.
    assert player.latest_frame().rgb == reference[50]
    assert not player.picture_is_exact()
    assert player.position_ms() == 2960
    assert wait_for_frame(player, 2960) == reference[74]
    player.seek(1760)  # frame 44: the keyframe after it (50) is closer than any before
    assert player.latest_frame().rgb == reference[50]
    assert wait_for_frame(player, 1760) == reference[44]
    player.seek(3960)  # frame 99: the closest picture held is frame 74, from the first seek
    assert player.latest_frame().rgb == reference[74]
    assert not player.picture_is_exact()
    assert player.position_ms() == 3960
    assert wait_for_frame(player, 3960) == reference[99]
    assert player.picture_is_exact()
    time.sleep(0.3)  # nothing may put the stand-in back
    assert player.latest_frame().rgb == reference[99] and player.position_ms() == 3960


def test_a_seek_into_what_was_played_is_exact_from_memory(
    player: Player, reference: list[bytes]
) -> None:
    wait_for_frame(player, 0)
    for _ in range(3):
        before = player.stats["video_starts"]
        player.play()
        wait_for(lambda: player.position_ms() > 1500)
        player.pause()
        if player.stats["video_starts"] == before:
            break
        # A decoder fallen 2 s behind on a starved machine (seen: four test workers and a
        # soak on two cores) is started again where the clock is, and the frames it skipped
        # were never decoded: play the first 1.5 s again.
        player.seek(0)
        wait_for_frame(player, 0)
    starts = player.stats["video_starts"]
    for target_ms, index in ((1000, 25), (520, 13), (1240, 31)):
        player.seek(target_ms)
        # Exact the moment seek() returned: the ring held it, no ffmpeg was asked.
        frame = player.latest_frame()
        assert frame.pts_ms == index * 40 and frame.rgb == reference[index]
        assert player.picture_is_exact()
    time.sleep(0.2)
    assert player.stats["video_starts"] == starts
    assert player.stats["answered_exact"] >= 3


def test_frame_back_after_a_paused_seek_needs_no_decode(player: Player, reference: list[bytes]) -> None:
    wait_for_frame(player, 0)
    player.seek(1800)
    assert wait_for_frame(player, 1800) == reference[45]
    starts = player.stats["video_starts"]
    for index in (44, 43, 42):
        player.step_frame(-1)
        assert player.latest_frame().rgb == reference[index]  # at once, from the ring
    time.sleep(0.2)
    assert player.stats["video_starts"] == starts


def test_replay_plays_on_from_memory_into_new_frames(player: Player, reference: list[bytes]) -> None:
    wait_for_frame(player, 0)
    player.play()
    wait_for(lambda: player.position_ms() > 2000)
    player.replay(1500)
    # The first picture of the replay is on screen before the call returns.
    at = player.latest_frame()
    assert at is not None and reference.index(at.rgb) == at.pts_ms // 40
    seen: dict[int, bytes] = {}
    deadline = time.monotonic() + 6
    while player.playing and time.monotonic() < deadline:
        frame = player.latest_frame()
        seen[frame.pts_ms] = frame.rgb
        time.sleep(0.005)
    # Behind schedule at the end, playback stops first and then shows the last frame.
    seen[3960] = wait_for_frame(player, 3960)
    # Each frame shown, from the ring or the decoder, is the frame at its time, up to the end.
    assert max(seen) == 3960
    assert all(rgb == reference[pts // 40] for pts, rgb in seen.items())
    assert player.stats["frames_dropped"] <= 10


def test_the_frame_ring_stays_within_its_bound(clip: MediaInfo) -> None:
    frame_bytes = SIZE[0] * SIZE[1] * 3
    bound_mb = 20 * frame_bytes / (1024 * 1024)
    player = Player(clip, duration_ms=clip.duration_ms, audio="null", ring_mb=bound_mb, keyframes_mb=0)
    try:
        player.set_video_size(*SIZE)
        player.play()
        wait_for(lambda: not player.playing, 10)  # to the end
        assert player.memory_bytes() <= 20 * frame_bytes
        assert len(player._pictures.ring) == 20
        player.seek(3000)  # 24 frames back: out of the ring, decoded again
        wait_for_frame(player, 3000)
        assert player.picture_is_exact()
    finally:
        player.close()


def test_a_video_ffmpeg_cannot_read_is_reported_not_left_blank(tmp_path) -> None:
    media = probe(make_video(tmp_path / "gone.mp4", seconds=1, size="160x120"))
    media.path.unlink()  # probed, then removed (an unplugged drive): ffmpeg gives nothing
    player = Player(media, duration_ms=media.duration_ms, audio="off")
    try:
        wait_for(lambda: player.error is not None)
        assert player.error == "gone.mp4: ffmpeg gave no picture at 00:00.000"
        assert player.latest_frame() is None
    finally:
        player.close()


def test_without_a_ring_playback_runs_on_one_decoder(clip: MediaInfo, reference: list[bytes]) -> None:
    player = Player(clip, duration_ms=clip.duration_ms, audio="null", ring_mb=0, keyframes_mb=0)
    try:
        player.set_video_size(*SIZE)
        wait_for_frame(player, 0)
        player.play()
        wait_for(lambda: not player.playing, 10)
        assert player.memory_bytes() == 0
        # Never restarted for want of a kept frame: the paused first picture's decoder plays
        # on, and at most one more fetches the very last picture at the end.
        assert player.stats["video_starts"] <= 2
        assert player.stats["frames_shown"] >= 90
        assert player.latest_frame().rgb == reference[99]
    finally:
        player.close()


def test_paused_the_likely_next_seeks_are_fetched_ahead(player: Player, reference: list[bytes]) -> None:
    wait_for_frame(player, 0)
    player.seek(1000)
    assert wait_for_frame(player, 1000) == reference[25]
    wait_for(lambda: not player._prefetcher.pending, 15)
    starts = player.stats["video_starts"]
    player.seek_relative(5000)  # past the end: the last frame, fetched while paused
    assert player.latest_frame().rgb == reference[99] and player.picture_is_exact()
    player.seek(1000)
    wait_for_frame(player, 1000)
    player.seek_relative(-5000)  # clamped to the start: fetched too
    assert player.latest_frame().rgb == reference[0] and player.picture_is_exact()
    time.sleep(0.2)
    assert player.stats["video_starts"] == starts  # none of these needed a decoder of its own


def test_paused_a_while_no_ffmpeg_stays_and_the_next_steps_come_from_memory(
    clip: MediaInfo, reference: list[bytes], monkeypatch
) -> None:
    # Long enough for the kept decoder to decode past the target on a loaded machine.
    monkeypatch.setattr("review_tui.media.player.KEEP_WARM_S", 1.0)
    player = Player(clip, duration_ms=clip.duration_ms, audio="null", prefetch=False)
    player.set_video_size(*SIZE)
    try:
        wait_for_frame(player, 0)
        keyframes_ready(player)
        player.seek(1000)
        assert wait_for_frame(player, 1000) == reference[25]
        # What is tested is that the frames it decoded past the target are kept when it goes.
        wait_for(lambda: {26, 27, 28} <= set(player._pictures.ring.indexes()), 5)
        wait_for(lambda: player.live_processes() == [], 5)  # the kept decoder let go
        starts = player.stats["video_starts"]
        for index in (26, 27, 28):  # what it had decoded ahead went into the ring
            player.step_frame(+1)
            assert player.picture_is_exact() and player.latest_frame().rgb == reference[index]
        assert player.stats["video_starts"] == starts
        player.play()  # and playback starts a decoder again
        wait_for(lambda: player.position_ms() > 1600, 5)
        assert player.stats["video_starts"] == starts + 1
    finally:
        player.close()


def test_play_after_a_jump_answered_from_memory_does_not_decode_its_way_there(
    player: Player, reference: list[bytes]
) -> None:
    wait_for_frame(player, 0)
    player.seek(200)
    wait_for_frame(player, 200)  # the decoder is now a few frames past 0.2 s
    player.set_likely_targets([3200])
    wait_for(lambda: player._pictures.exact(80, SIZE) is not None and not player._prefetcher.pending, 15)
    player.seek(3200)
    assert player.picture_is_exact() and player.latest_frame().rgb == reference[80]
    time.sleep(0.3)  # the engine has taken the paused seek in (the old decoder stays)
    starts, dropped = player.stats["video_starts"], player.stats["frames_dropped"]
    player.play()
    wait_for(lambda: player.position_ms() >= 3600, 5)
    player.pause()
    # A decoder of its own from 3.2 s, not the old one decoding (and dropping) 3 s of frames.
    assert player.stats["video_starts"] == starts + 1
    assert player.stats["frames_dropped"] - dropped < 10


@pytest.fixture(scope="module")
def longer_clip(tmp_path_factory) -> MediaInfo:
    folder = tmp_path_factory.mktemp("replay")
    return probe(make_video(folder / "ten.mp4", seconds=10, size="160x120", fps=FPS, keyint=50))


def test_a_replay_from_the_ring_starts_its_decoder_only_near_the_ring_s_end(longer_clip: MediaInfo) -> None:
    reference = [frame.rgb for frame in decode_every_frame(longer_clip, SIZE)]
    for player in player_at(longer_clip, SIZE):
        wait_for_frame(player, 0)
        player.play()
        wait_for(lambda: player.position_ms() >= 4000, 10)
        player.pause()
        # Paused a while, the decoder is closed: the one that would have gone on from 4 s.
        wait_for(lambda: player._decoder is None, 10)
        starts = player.stats["video_starts"]
        player.replay(4000)  # 0-4 s are all in the ring
        assert player.latest_frame().rgb == reference[0]
        wait_for(lambda: player.position_ms() >= 200)
        alive = player._decoder is not None
        at_ms = player.position_ms()  # read after: a decoder seen alive was started before it
        # Nothing decodes while more than DECODER_LEAD_S of frames are held ahead.
        lead_ms = 4000 - 1000 * DECODER_LEAD_S
        assert not alive or at_ms >= lead_ms - 200
        assert player.stats["video_starts"] == starts or at_ms >= lead_ms - 200
        # It started in time: playback runs on past the ring's end with the right frames.
        seen: dict[int, bytes] = {}
        while player.position_ms() < 6000:
            frame = player.latest_frame()
            seen[frame.pts_ms] = frame.rgb
            time.sleep(0.005)
        assert player.stats["video_starts"] == starts + 1
        assert max(seen) >= 5600
        assert all(rgb == reference[pts // 40] for pts, rgb in seen.items())
        assert player.stats["frames_dropped"] <= 10
