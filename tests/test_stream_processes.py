"""The long-lived ffmpeg processes (video decoder, sound) run with glibc's malloc set up for
them: one arena, not one per ffmpeg thread (video.STREAM_MALLOC_ENV)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from review_tui.media.audio import PcmStream
from review_tui.media.probe import probe
from review_tui.media.video import STREAM_MALLOC_ENV, VideoDecoder
from review_tui.model import MediaInfo
from tests.media_factory import make_video

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

# glibc reserves every thread arena as one 64 MiB-aligned region (HEAP_MAX_SIZE on 64-bit):
# the part in use, then the rest of the 64 MiB mapped without access.
ARENA_BYTES = 64 << 20


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> MediaInfo:
    folder = tmp_path_factory.mktemp("streams")
    return probe(make_video(folder / "clip.mp4", seconds=3, size="640x360", fps=25))


def environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(entry.decode("utf-8", "replace").split("=", 1) for entry in raw if b"=" in entry)


def thread_arenas(pid: int) -> int:
    """How many glibc thread arenas the process has mapped."""
    maps = [line.split() for line in Path(f"/proc/{pid}/maps").read_text().splitlines()]
    found = 0
    for line, following in zip(maps, maps[1:]):
        start, end = (int(part, 16) for part in line[0].split("-"))
        after_start, after_end = (int(part, 16) for part in following[0].split("-"))
        if (
            start % ARENA_BYTES == 0
            and len(line) == 5  # anonymous
            and following[1] == "---p"
            and after_start == end
            and after_end == start + ARENA_BYTES
        ):
            found += 1
    return found


def test_the_settings_are_glibcs_arena_and_mmap_threshold() -> None:
    assert STREAM_MALLOC_ENV == {"MALLOC_ARENA_MAX": "1", "MALLOC_MMAP_THRESHOLD_": "131072"}


def test_the_video_decoder_runs_with_one_malloc_arena(clip: MediaInfo) -> None:
    decoder = VideoDecoder(clip, start_ms=1000, size=(94, 52))
    try:
        for _ in range(10):  # every ffmpeg thread has run and allocated by now
            assert decoder.pop(timeout=10) is not None
        pid = decoder.process.pid
        assert {key: environment(pid).get(key) for key in STREAM_MALLOC_ENV} == STREAM_MALLOC_ENV
        assert thread_arenas(pid) == 0
    finally:
        decoder.close()


def test_the_sound_process_runs_with_one_malloc_arena(clip: MediaInfo) -> None:
    stream = PcmStream(clip.path, 500, 1.5)
    try:
        data = b""
        for _ in range(200):
            chunk, ended = stream.take(4800)
            data += chunk
            if len(data) >= 4 * 4800 or ended:
                break
            time.sleep(0.01)
        assert data, "the sound process gave nothing"
        pid = stream.process.pid
        assert {key: environment(pid).get(key) for key in STREAM_MALLOC_ENV} == STREAM_MALLOC_ENV
        assert thread_arenas(pid) == 0
    finally:
        stream.close()


def test_without_the_settings_ffmpeg_would_map_thread_arenas(clip: MediaInfo, monkeypatch) -> None:
    # The check above means something only if glibc does make arenas for ffmpeg's threads.
    monkeypatch.setattr("review_tui.media.video.STREAM_MALLOC_ENV", {})
    decoder = VideoDecoder(clip, start_ms=1000, size=(94, 52))
    try:
        for _ in range(10):
            assert decoder.pop(timeout=10) is not None
        assert thread_arenas(decoder.process.pid) >= 2
    finally:
        decoder.close()
