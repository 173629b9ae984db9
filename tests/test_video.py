"""Video frames from ffmpeg: the right picture at a seek point, the right size, bounded memory."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path

import ffmpeg as ffmpeg_python
import pytest

from review_tui.media import ffmpeg
from review_tui.media.probe import probe
from review_tui.media.video import (
    QUEUE_FRAMES,
    Frame,
    FrameGrid,
    VideoDecoder,
    fit_size,
)
from review_tui.model import MediaInfo, VideoStream
from tests.media_factory import make_hd_video, make_video

FPS = 25
SECONDS = 4


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> MediaInfo:
    folder = tmp_path_factory.mktemp("video")
    return probe(make_video(folder / "clip.mp4", seconds=SECONDS, size="160x120", fps=FPS))


@pytest.fixture(scope="module")
def every_frame(clip: MediaInfo) -> list[bytes]:
    """Every frame of the clip, decoded from the start with a plain ffmpeg command (no seek,
    no fps filter), at the size the decoder is asked for below."""
    command = (
        ffmpeg_python.input(str(clip.path))
        .video.filter("scale", 160, 120, flags="fast_bilinear")
        .filter("setsar", 1)
        .output("pipe:", format="rawvideo", pix_fmt="rgb24")
    )
    data = ffmpeg.run(command, timeout=60).stdout
    size = 160 * 120 * 3
    return [data[start : start + size] for start in range(0, len(data), size)]


def first_frame(media: MediaInfo, start_ms: int, size: tuple[int, int], **options) -> Frame:
    decoder = VideoDecoder(media, start_ms=start_ms, size=size, **options)
    try:
        return decoder.pop(timeout=10)
    finally:
        decoder.close()


def test_the_clip_has_one_distinct_picture_per_frame(every_frame: list[bytes]) -> None:
    # The frame comparisons below mean something only if no two frames look alike.
    assert len(every_frame) == SECONDS * FPS
    assert len(set(every_frame)) == len(every_frame)


@pytest.mark.parametrize("seek_ms", [0, 40, 1010, 1999, 2000, 2345, 3960])
def test_a_seek_gives_the_frame_on_screen_at_that_time(
    clip: MediaInfo, every_frame: list[bytes], seek_ms: int
) -> None:
    decoder = VideoDecoder(clip, start_ms=seek_ms, size=(160, 120))
    try:
        first = decoder.pop(timeout=10)
        second = decoder.pop(timeout=10)
    finally:
        decoder.close()
    index = seek_ms * FPS // 1000
    assert first.pts_ms == index * 40 <= seek_ms
    assert every_frame.index(first.rgb) == index
    if index + 1 < len(every_frame):
        assert second.pts_ms == (index + 1) * 40
        assert every_frame.index(second.rgb) == index + 1
    else:
        assert second is None and decoder.ended


def test_decoding_on_reaches_the_end_with_consecutive_frames(
    clip: MediaInfo, every_frame: list[bytes]
) -> None:
    decoder = VideoDecoder(clip, start_ms=3000, size=(160, 120))
    try:
        frames = []
        while (frame := decoder.pop(timeout=10)) is not None:
            frames.append(frame)
    finally:
        decoder.close()
    assert [frame.pts_ms for frame in frames] == list(range(3000, 4000, 40))
    assert [frame.rgb for frame in frames] == every_frame[75:]


def test_keyframes_only_shows_the_last_keyframe(clip: MediaInfo, every_frame: list[bytes]) -> None:
    # The clip has a keyframe every second (every 25 frames).
    frame = first_frame(clip, 1500, (160, 120), keyframes_only=True)
    assert frame.pts_ms == 1480
    assert every_frame.index(frame.rgb) == 25


def test_frames_have_the_requested_size(clip: MediaInfo) -> None:
    size = fit_size(clip.video, 100, 100)
    assert size == (100, 74)  # 4:3 inside a square, height even for half-block rows
    frame = first_frame(clip, 500, size)
    assert (frame.width, frame.height) == (100, 74)
    assert len(frame.rgb) == 100 * 74 * 3


def _stream(width: int, height: int, rotation: int = 0, sar: Fraction = Fraction(1)) -> VideoStream:
    return VideoStream("h264", width, height, 25.0, rotation=rotation, sample_aspect=sar)


@pytest.mark.parametrize(
    ("stream", "box", "expected"),
    [
        (_stream(1280, 720), (160, 90), (160, 90)),
        (_stream(1280, 720), (160, 200), (160, 90)),
        (_stream(640, 480), (160, 90), (120, 90)),
        (_stream(1280, 720, rotation=90), (160, 90), (51, 90)),
        (_stream(720, 576, sar=Fraction(16, 15)), (200, 200), (200, 150)),
    ],
)
def test_fit_size_keeps_the_display_aspect(stream, box, expected) -> None:
    assert fit_size(stream, *box) == expected


def _rotate_clockwise(rgb: bytes, width: int, height: int, degrees: int) -> bytes:
    pixels = [rgb[i : i + 3] for i in range(0, len(rgb), 3)]
    rows = [pixels[row * width : (row + 1) * width] for row in range(height)]
    for _ in range(degrees // 90 % 4):
        rows = [list(column) for column in zip(*rows[::-1])]
    return b"".join(b"".join(row) for row in rows)


def test_a_rotated_recording_gives_upright_portrait_frames(
    tmp_path: Path, every_frame: list[bytes]
) -> None:
    path = make_video(tmp_path / "phone.mp4", seconds=1, size="160x120", fps=FPS, rotate=90)
    media = probe(path)
    size = fit_size(media.video, 160, 160)
    assert size == (120, 160)
    frame = first_frame(media, 0, size)
    assert (frame.width, frame.height) == (120, 160)
    upright = _rotate_clockwise(every_frame[0], 160, 120, media.video.rotation)
    assert frame.rgb == upright


def test_non_square_pixels_are_stretched_to_the_display_aspect(tmp_path: Path) -> None:
    path = make_video(tmp_path / "wide.mp4", seconds=1, size="160x120", sar="4/3", audio=False)
    media = probe(path)
    assert fit_size(media.video, 320, 320) == (320, 180)  # 160*4/3 : 120 = 16:9
    frame = first_frame(media, 0, (320, 180))
    assert len(frame.rgb) == 320 * 180 * 3


def test_decoding_runs_only_a_few_frames_ahead(clip: MediaInfo) -> None:
    decoder = VideoDecoder(clip, start_ms=0, size=(160, 120))
    try:
        decoder.peek(timeout=10)
        time.sleep(0.5)  # time enough to decode the whole clip many times over
        # Nobody takes frames: ffmpeg must be blocked on a full pipe, not done.
        assert decoder.process.poll() is None
        assert decoder._frames.qsize() <= QUEUE_FRAMES
    finally:
        decoder.close()
    assert decoder.process.poll() is not None


def test_grid_maps_times_to_frames_both_ways() -> None:
    ntsc = FrameGrid(30000 / 1001)
    for index in (0, 1, 29, 30, 1799, 107_892):
        start = ntsc.start_ms(index)
        assert ntsc.index_at(start) == index
        assert ntsc.index_at(start - 1) == index - 1 or index == 0
    assert FrameGrid(25).last_index(4000) == 99
    assert FrameGrid(25).last_index(4001) == 100


def test_a_seek_on_720p_video_lands_on_the_exact_frame(tmp_path: Path) -> None:
    # How fast a seek is belongs to benchmarks/bench_seek.py (timed tests flake on busy
    # machines); here: the worst-case seeks still land on the exact frame.
    media = probe(make_hd_video(tmp_path / "camera.mp4", seconds=4))
    # The last frame before each keyframe is the worst case: a whole second to decode.
    for seek_ms in (960, 1960, 2960, 3960, 1500):
        decoder = VideoDecoder(media, start_ms=seek_ms, size=(160, 90))
        frame = decoder.pop(timeout=10)
        decoder.close()
        assert frame.pts_ms == seek_ms // 40 * 40
        assert (frame.width, frame.height) == (160, 90)


@pytest.mark.parametrize("name", ["take:2.mp4", "2024-05-01T10:00.mp4", "subfile:x.mp4"])
def test_a_name_with_a_colon_is_decoded_as_a_file(
    clip: MediaInfo, every_frame: list[bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # Relative, as a user types it: ffmpeg would read "take" or "subfile" as a protocol.
    (tmp_path / name).write_bytes(clip.path.read_bytes())
    monkeypatch.chdir(tmp_path)
    media = probe(Path(name))
    frame = first_frame(media, 1000, (160, 120))
    assert frame is not None and every_frame.index(frame.rgb) == 25
