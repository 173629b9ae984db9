"""The frame ring and the keyframe strip: bounded, exact about which frame is which."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_tui.media.frame_ring import DEFAULT_RING_MB, DEFAULT_RING_S, FrameRing
from review_tui.media.pictures import SeekPictures
from review_tui.media.keyframes import KeyframeStrip, list_keyframes_ms
from review_tui.media.probe import probe
from review_tui.media.video import Frame, VideoDecoder
from review_tui.model import MediaInfo
from tests.media_factory import make_video
from tests.player_support import decode_every_frame

FPS = 25
SIZE = (80, 60)
FRAME_BYTES = 80 * 60 * 3


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> MediaInfo:
    folder = tmp_path_factory.mktemp("ring")
    # A keyframe every 40 frames (1.6 s), as a camera with a fixed GOP writes them.
    return probe(make_video(folder / "gop.mp4", seconds=4, size="160x120", fps=FPS, keyint=40))


@pytest.fixture(scope="module")
def frames(clip: MediaInfo) -> list[Frame]:
    found = decode_every_frame(clip, SIZE)
    assert len(found) == 100 and len({frame.rgb for frame in found}) == 100
    return found


def test_the_ring_never_holds_more_than_its_bound(frames: list[Frame]) -> None:
    ring = FrameRing(10 * FRAME_BYTES + FRAME_BYTES // 2)
    for index, frame in enumerate(frames):
        ring.put(index, frame)
        assert ring.nbytes <= ring.max_bytes
    # The ten stored last stay; everything before them left, oldest first.
    assert ring.indexes() == list(range(90, 100))
    assert ring.get(95, SIZE) is frames[95]
    assert ring.get(89, SIZE) is None
    assert ring.nbytes == 10 * FRAME_BYTES


def test_the_default_bound_is_seconds_of_frames_as_well_as_bytes(clip: MediaInfo, frames: list[Frame]) -> None:
    ring = SeekPictures(clip, ring_mb=None, keyframes_mb=0).ring
    assert ring.max_frames == DEFAULT_RING_S * FPS and ring.max_bytes == DEFAULT_RING_MB * 1024 * 1024
    few = FrameRing(100 * FRAME_BYTES, max_frames=30)  # the frame count binds first here
    for index, frame in enumerate(frames):
        few.put(index, frame)
    assert few.indexes() == list(range(70, 100)) and few.nbytes == 30 * FRAME_BYTES
    # A bound the user set is in bytes only.
    assert SeekPictures(clip, ring_mb=64, keyframes_mb=0).ring.max_frames is None


def test_a_ring_of_no_bytes_keeps_nothing(frames: list[Frame]) -> None:
    ring = FrameRing(0)
    ring.put(0, frames[0])
    assert len(ring) == 0 and ring.get(0, SIZE) is None


def test_a_new_picture_size_empties_the_ring(clip: MediaInfo, frames: list[Frame]) -> None:
    ring = FrameRing(50 * FRAME_BYTES)
    for index in range(5):
        ring.put(index, frames[index])
    smaller = VideoDecoder(clip, start_ms=0, size=(40, 30))
    other = smaller.pop(timeout=10)
    smaller.close()
    ring.put(0, other)
    assert ring.indexes() == [0]
    assert ring.get(0, SIZE) is None and ring.get(0, (40, 30)) is other


def test_runs_and_the_nearest_frame(frames: list[Frame]) -> None:
    ring = FrameRing(50 * FRAME_BYTES)
    for index in (3, 4, 5, 9):
        ring.put(index, frames[index])
    assert ring.run_end(3, SIZE) == 5  # decoding must resume at 6
    assert ring.run_end(6, SIZE) == 5  # 6 itself is missing
    assert ring.nearest(6, SIZE)[0] == 5
    assert ring.nearest(8, SIZE)[0] == 9  # after the target when that is closer
    assert ring.nearest(7, SIZE)[0] == 5  # as close both ways: the earlier
    assert ring.nearest(9, SIZE)[1] is frames[9]
    assert ring.nearest(0, SIZE)[0] == 3
    assert ring.nearest(9, (1, 1)) is None


def test_keyframes_are_listed_at_their_times(clip: MediaInfo) -> None:
    # x264 may close the last, shorter GOP a frame or two early; the first two are fixed.
    times = list_keyframes_ms(clip)
    assert len(times) == 3 and times[:2] == [0, 1600] and 3000 <= times[2] <= 3200


def test_the_strip_holds_each_keyframes_own_picture(clip: MediaInfo, frames: list[Frame]) -> None:
    strip = KeyframeStrip(clip, SIZE, 10 * FRAME_BYTES)
    try:
        assert strip.done.wait(30) and strip.error is None
        last = strip.keyframe_indexes[2]
        assert strip.keyframe_indexes == [0, 40, last]
        for target, keyframe in ((0, 0), (19, 0), (21, 40), (40, 40), (last - 1, last), (99, last)):
            index, picture = strip.nearest(target)
            assert index == keyframe
            # The picture is that frame's own, as a plain decode from the start gives it.
            assert picture.rgb == frames[keyframe].rgb
            assert picture.pts_ms == frames[keyframe].pts_ms
    finally:
        strip.close()
    assert strip.process.poll() is not None


def test_the_strip_keeps_within_its_bound(clip: MediaInfo) -> None:
    strip = KeyframeStrip(clip, SIZE, 2 * FRAME_BYTES)  # room for two of the three
    try:
        assert strip.done.wait(30) and strip.error is None
        assert len(strip) == 2 and strip.nbytes <= 2 * FRAME_BYTES
        kept = strip.keyframe_indexes[::2]  # every other keyframe
        assert [strip.nearest(index)[0] for index in strip.keyframe_indexes] == [0, 0, kept[-1]]
    finally:
        strip.close()


def test_a_name_with_a_colon_is_listed_and_decoded(clip: MediaInfo, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "take:2.mp4").write_bytes(clip.path.read_bytes())
    monkeypatch.chdir(tmp_path)
    media = probe(Path("take:2.mp4"))
    strip = KeyframeStrip(media, SIZE, 10 * FRAME_BYTES)
    try:
        assert strip.done.wait(30) and strip.error is None and len(strip) == 3
    finally:
        strip.close()
