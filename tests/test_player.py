"""The player end to end: real ffmpeg, real miniaudio on its NULL backend, real threads."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from review_tui.media.player import Player
from review_tui.media.probe import probe
from review_tui.model import MediaInfo
from tests.media_factory import make_audio, make_video
from tests.player_support import decode_every_frame, wait_for, wait_for_frame

FPS = 25
PERIOD_MS = 1000 // FPS


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> MediaInfo:
    folder = tmp_path_factory.mktemp("player")
    return probe(make_video(folder / "session.mp4", seconds=4, size="160x120", fps=FPS))


@pytest.fixture(scope="module")
def reference(clip: MediaInfo) -> list[bytes]:
    """Every frame at the player's default picture size, decoded straight from the start."""
    frames = [frame.rgb for frame in decode_every_frame(clip, (120, 90))]
    assert len(frames) == 100 and len(set(frames)) == 100
    return frames


@pytest.fixture
def player(clip: MediaInfo) -> Iterator[Player]:
    player = Player(clip, duration_ms=clip.duration_ms, audio="null")
    yield player
    player.close()


def measure_rate(player: Player, seconds: float = 1.0) -> tuple[int, float]:
    """Media ms and wall ms that pass over ``seconds`` once playback has got going."""
    start_ms = player.position_ms()
    wait_for(lambda: player.position_ms() > start_ms)
    first_ms, first_wall = player.position_ms(), time.monotonic()
    time.sleep(seconds)
    return player.position_ms() - first_ms, (time.monotonic() - first_wall) * 1000


def test_opens_paused_on_the_first_frame(player: Player, reference: list[bytes]) -> None:
    assert wait_for_frame(player, 0) == reference[0]
    assert not player.playing
    assert player.audio_status == "no audio device"
    assert player.video_size == (120, 90)


def test_paused_seek_shows_the_frame_at_that_time(player: Player, reference: list[bytes]) -> None:
    player.seek(2345)
    assert player.position_ms() == 2345  # the clock moves at once; the picture follows
    assert wait_for_frame(player, 2320) == reference[58]
    player.seek(10_000)
    assert player.position_ms() == 4000  # clamped to the end
    assert wait_for_frame(player, 3960) == reference[99]


def test_step_frame_moves_exactly_one_frame(player: Player, reference: list[bytes]) -> None:
    player.seek(1000)
    wait_for_frame(player, 1000)
    player.step_frame(+1)
    assert player.position_ms() == 1000 + PERIOD_MS
    assert wait_for_frame(player, 1040) == reference[26]
    player.step_frame(-1)
    player.step_frame(-1)
    assert player.position_ms() == 1000 - PERIOD_MS
    assert wait_for_frame(player, 960) == reference[24]
    assert player.frame_period_ms == PERIOD_MS


def test_step_frame_pauses_playback(player: Player) -> None:
    player.play()
    player.step_frame(+1)
    assert not player.playing


def test_play_advances_with_the_wall_clock_and_shows_the_frames(player: Player) -> None:
    player.play()
    moved_ms, wall_ms = measure_rate(player, 1.5)
    # Within 10 %: the clock follows the sound sink's thread, which a starved machine delays
    # by a few tens of ms; a clock at a wrong rate or stuck is far outside.
    assert abs(moved_ms / wall_ms - 1) < 0.1
    frame = player.latest_frame()
    position = player.position_ms()
    assert frame.pts_ms <= position < frame.pts_ms + 150
    assert player.stats["frames_shown"] >= 20
    assert player.level() > 0.05


def test_pause_holds_position_and_picture(player: Player) -> None:
    player.play()
    wait_for(lambda: player.position_ms() > 300)
    player.pause()
    held, serial = player.position_ms(), player.frame_serial
    time.sleep(0.3)
    assert player.position_ms() == held
    assert player.frame_serial == serial
    assert player.level() == 0.0


def test_double_speed_advances_twice_as_fast(player: Player) -> None:
    player.set_speed(2.0)
    assert player.speed == 2.0
    player.play()
    moved_ms, wall_ms = measure_rate(player, 1.0)
    assert abs(moved_ms / (2 * wall_ms) - 1) < 0.1
    player.set_speed(9.0)
    assert player.speed == 2.0  # clamped


def test_a_b_loop_wraps_back_to_a(player: Player) -> None:
    player.seek(1000)
    assert player.cycle_loop() == (1000, None)
    player.seek(1400)
    assert player.cycle_loop() == (1000, 1400)
    player.seek(1000)
    player.play()
    seen = []
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        seen.append(player.position_ms())
        time.sleep(0.005)
    assert player.playing
    assert min(seen) >= 1000 and max(seen) <= 1400 + 50
    wraps = sum(1 for before, after in itertools.pairwise(seen) if after < before)
    assert wraps >= 2
    assert player.cycle_loop() is None


def test_playback_stops_at_the_end(player: Player, reference: list[bytes]) -> None:
    player.seek(3700)
    player.play()
    wait_for(lambda: not player.playing, timeout=3.0)
    assert player.position_ms() == 4000
    assert wait_for_frame(player, 3960) == reference[99]
    player.play()  # playing again at the end starts over
    assert player.position_ms() < 100


def test_replay_jumps_back_and_plays(player: Player) -> None:
    player.seek(3000)
    player.replay(1000)
    assert player.playing
    assert 2000 <= player.position_ms() < 2200
    player.replay()  # five seconds back from ~2 s: the start
    assert player.position_ms() < 200


def test_resize_decodes_again_at_the_new_size(player: Player) -> None:
    player.seek(1200)
    wait_for_frame(player, 1200)
    serial = player.frame_serial
    player.set_video_size(80, 80)
    assert player.video_size == (80, 60)
    wait_for(lambda: player.frame_serial > serial)
    frame = player.latest_frame()
    assert (frame.width, frame.height, frame.pts_ms) == (80, 60, 1200)
    assert len(frame.rgb) == 80 * 60 * 3


def test_close_leaves_no_ffmpeg_behind(clip: MediaInfo) -> None:
    player = Player(clip, duration_ms=clip.duration_ms, audio="null")
    player.play()
    wait_for(lambda: len(player.live_processes()) == 2)  # one for video, one for sound
    processes = player.live_processes()
    assert all(process.poll() is None for process in processes)
    player.close()
    assert all(process.poll() is not None for process in processes)
    assert player.live_processes() == []
    player.close()  # idempotent


def test_rotated_video_plays_in_portrait(tmp_path: Path) -> None:
    media = probe(make_video(tmp_path / "phone.mp4", seconds=1, size="160x120", rotate=90))
    player = Player(media, duration_ms=media.duration_ms, audio="off")
    try:
        player.set_video_size(100, 100)
        wait_for(lambda: (frame := player.latest_frame()) is not None and frame.width == 75)
        frame = player.latest_frame()
        assert (frame.width, frame.height) == (75, 100)
        assert player.audio_status == "audio off"
    finally:
        player.close()


def test_audio_only_session_has_a_level_and_no_frames(tmp_path: Path) -> None:
    media = probe(make_audio(tmp_path / "session.m4a", seconds=2))
    player = Player(media, duration_ms=media.duration_ms, audio="null")
    try:
        player.play()
        wait_for(lambda: player.level() > 0.05)
        assert player.latest_frame() is None
        assert player.video_size == (0, 0)
        player.step_frame(-1)
        held = player.position_ms()
        player.step_frame(+1)
        assert player.position_ms() == held + 40
    finally:
        player.close()


def test_transcript_only_session_keeps_time_without_media() -> None:
    player = Player(None, duration_ms=60_000, start_ms=1000)
    try:
        assert player.audio_status == "no audio stream"
        assert player.position_ms() == 1000
        player.play()
        moved_ms, wall_ms = measure_rate(player, 0.5)
        assert abs(moved_ms - wall_ms) < 40
        assert player.latest_frame() is None
        assert player.level() == 0.0
    finally:
        player.close()


def test_a_player_waiting_for_its_size_decodes_only_at_that_size(clip: MediaInfo) -> None:
    player = Player(clip, duration_ms=clip.duration_ms, audio="off", wait_for_size=True)
    try:
        time.sleep(0.3)  # time enough for a default-size decode, were one started
        assert player.latest_frame() is None
        assert player.stats["video_starts"] == 0
        player.set_video_size(80, 60)
        wait_for(lambda: player.latest_frame() is not None)
        frame = player.latest_frame()
        assert (frame.width, frame.height) == player.video_size
        assert frame.width <= 80 and frame.height <= 60
        assert player.stats["video_starts"] == 1
    finally:
        player.close()


def test_a_name_with_a_colon_plays_with_picture_and_sound(
    clip: MediaInfo, reference: list[bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "2024-05-01T10:00.mp4").write_bytes(clip.path.read_bytes())
    monkeypatch.chdir(tmp_path)  # relative, as typed: ffmpeg would read a protocol name
    media = probe(Path("2024-05-01T10:00.mp4"))
    player = Player(media, duration_ms=media.duration_ms, audio="null")
    try:
        assert wait_for_frame(player, 0) == reference[0]
        player.seek(2000)
        assert wait_for_frame(player, 2000) == reference[50]
        player.play()
        wait_for(lambda: player.level() > 0.05)  # sound reached the device
        wait_for(lambda: (frame := player.latest_frame()) is not None and frame.pts_ms > 2200)
        assert player.error is None
    finally:
        player.close()
