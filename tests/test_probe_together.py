"""The probe's two ffmpeg runs (open, read the end) run at the same time, give what the
serial reading gave, and never leave an ffmpeg behind."""

from __future__ import annotations

import glob
import os
from pathlib import Path

import ffmpeg as ffmpeg_python
import pytest

from review_tui.media import ffmpeg, probe as probe_module
from review_tui.media.banner import parse_banner
from review_tui.media.probe import probe
from review_tui.model import MediaError
from tests.media_factory import make_audio, make_video


def running_children() -> set[int]:
    """Our process's live child processes (every thread's), from /proc."""
    found: set[int] = set()
    for listing in glob.glob(f"/proc/{os.getpid()}/task/*/children"):
        with open(listing) as handle:
            found.update(int(pid) for pid in handle.read().split())
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("probe_together")


@pytest.fixture(scope="module")
def recording(folder: Path) -> Path:
    return make_video(folder / "session.mp4", seconds=4.0, size="64x48")


def declared_s(path: Path) -> float:
    stderr = ffmpeg.run(ffmpeg_python.input(ffmpeg.input_url(path)).output("-", f="null", t=0), quiet=False)
    return parse_banner(stderr.stderr.decode("utf-8", "replace")).duration_s


def serial_end_s(path: Path) -> float | None:
    """The end as the probe read it before: our streams alone, from 2 s before the end."""
    stderr = ffmpeg.run(ffmpeg_python.input(ffmpeg.input_url(path)).output("-", f="null", t=0), quiet=False)
    banner = parse_banner(stderr.stderr.decode("utf-8", "replace"))
    streams = [stream.index for stream in (banner.video, banner.audio) if stream is not None]
    return probe_module._packets_end(path, streams, max(0.0, banner.duration_s - 2.0))


def test_the_end_is_read_while_the_file_opens(recording: Path, monkeypatch) -> None:
    events: list[str] = []
    real_popen, real_run = ffmpeg.popen_capturing, ffmpeg.run

    def popen_capturing(stream):
        events.append("end reading started")
        return real_popen(stream)

    def run(stream, **options):
        events.append("run started")
        result = real_run(stream, **options)
        events.append("run finished")
        return result

    monkeypatch.setattr(ffmpeg, "popen_capturing", popen_capturing)
    monkeypatch.setattr(ffmpeg, "run", run)
    info = probe(recording)
    assert info.duration_ms == 4000 and info.warnings == ()
    # One run besides the end reading, started after it: no serial reading of the end.
    assert events == ["end reading started", "run started", "run finished"]


def test_a_file_with_subtitles_beside_its_streams_keeps_its_duration(recording: Path, folder: Path) -> None:
    captions = folder / "captions.srt"
    captions.write_text("1\n00:00:00,500 --> 00:00:01,500\nhello\n", encoding="utf-8")
    with_subtitles = folder / "with_subtitles.mp4"
    video, subtitles = ffmpeg_python.input(str(recording)), ffmpeg_python.input(str(captions))
    command = ffmpeg_python.output(
        video["v"], video["a"], subtitles["s"], str(with_subtitles), c="copy", **{"c:s": "mov_text"}
    )
    assert ffmpeg.run(command).returncode == 0
    info = probe(with_subtitles)
    assert info.duration_ms == 4000 and info.warnings == ()
    assert serial_end_s(with_subtitles) is not None


@pytest.mark.parametrize("picture_codec", ["mjpeg", "png"])
def test_cover_art_does_not_count_as_the_end_of_the_sound(folder: Path, picture_codec: str) -> None:
    sound = make_audio(folder / f"talk_{picture_codec}.wav", seconds=3.0)
    target = folder / f"talk_{picture_codec}.{'mp3' if picture_codec == 'mjpeg' else 'm4a'}"
    picture = ffmpeg_python.input("testsrc2=size=64x64:rate=1", f="lavfi")  # one frame taken
    source = ffmpeg_python.input(str(sound))
    command = ffmpeg_python.output(
        source["a"], picture["v"], str(target), vcodec=picture_codec,
        **{"disposition:v": "attached_pic", "frames:v": 1},
    )
    assert ffmpeg.run(command).returncode == 0
    info = probe(target)
    assert info.video is None and info.audio is not None
    # Not called truncated: the whole declared duration is playable.
    assert info.duration_ms == round(declared_s(target) * 1000) and info.warnings == ()


def test_no_ffmpeg_is_left_behind(recording: Path, folder: Path) -> None:
    raw = folder / "raw.h264"  # no duration: the end reading is not needed
    assert ffmpeg.run(ffmpeg_python.input(str(recording)).output(str(raw), c="copy", an=None, f="h264")).returncode == 0
    not_media = folder / "notes.mp4"
    not_media.write_text("these are notes, not a recording\n" * 50, encoding="utf-8")
    before = running_children()
    probe(recording)
    probe(raw)
    with pytest.raises(MediaError):
        probe(not_media)
    assert running_children() - before == set()
