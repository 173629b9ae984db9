"""Still frames, a contact sheet of them, and re-encoded clips, cut with the bundled ffmpeg.

Everything here writes either bytes to the caller (a still, small enough to embed in a page)
or one file named by the caller; making those files atomic and private is the caller's job
(report/clips.py), so this module only knows ffmpeg.

Seeking: the input ``-ss`` jumps to the keyframe before T and, because the output is
re-encoded, ffmpeg decodes forward and drops what comes before T, so the cut is exact and
the output's timestamps start at zero (subtitle times are relative to the cut's start).
"""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import ffmpeg as ffmpeg_python

from review_tui.media import ffmpeg
from review_tui.model import MediaError, MediaInfo

STILL_WIDTH = 320  # pixels across: enough to recognise a face and a posture, ~15 kB a JPEG
STILL_QUALITY = 6  # mjpeg qscale, 2 (best) .. 31: small files that still look clean
CLIP_MAX_WIDTH = 1280  # larger recordings are scaled down: a practice clip needs no 4K
CLIP_PRESET = "veryfast"  # two shared cores: a quick preset beats a few percent of size
CLIP_CRF = 23
AUDIO_ONLY_SIZE = (640, 360)  # the black picture under an audio recording's subtitles
CUT_TIMEOUT_S = 600.0
STILL_TIMEOUT_S = 60.0
# How often a running cut checks whether the user cancelled.
CANCEL_POLL_S = 0.1


class CutCancelled(Exception):
    """The caller's cancel event was set while ffmpeg was running; ffmpeg was stopped."""


@dataclass(frozen=True, slots=True)
class ClipPlan:
    """One clip to cut: the span of the source, the subtitles to burn in, where to write."""

    start_ms: int
    end_ms: int
    subtitles: Path  # an ASS file with times relative to start_ms
    output: Path


def still_size(info: MediaInfo, width: int = STILL_WIDTH) -> tuple[int, int]:
    """The pixel size of :func:`still_jpeg`'s picture of a video (``scale=width:-2``)."""
    assert info.video is not None, "a still needs a picture"
    display_width, display_height = info.video.display_size
    height = round(width * display_height / max(1, display_width) / 2) * 2
    return width, max(2, height)


def even_size(info: MediaInfo, max_width: int) -> tuple[int, int]:
    """The display size scaled down to ``max_width`` at most, both sides even (H.264 4:2:0
    needs that)."""
    if info.video is None:
        return AUDIO_ONLY_SIZE
    width, height = info.video.display_size
    if width > max_width:
        height = round(height * max_width / width)
        width = max_width
    return max(2, width - width % 2), max(2, height - height % 2)


def still_jpeg(
    media: Path,
    at_ms: int,
    *,
    width: int = STILL_WIDTH,
    subtitles: Path | None = None,
    fonts_dir: Path | None = None,
) -> bytes:
    """The picture on screen at ``at_ms`` as a JPEG ``width`` pixels across.

    With ``subtitles`` (an ASS file, its times from 0 at the still) and ``fonts_dir``, libass
    draws its text over the picture, as it does for clips. libass, not drawtext: the text
    comes from a file and is never part of the filter graph, and the bundled static ffmpeg
    has libass but no drawtext.
    """
    picture = (
        ffmpeg_python.input(ffmpeg.input_url(media), ss=f"{max(0, at_ms) / 1000:.3f}")
        .video.filter("scale", width, -2)
        .filter("setsar", 1)
    )
    if subtitles is not None and fonts_dir is not None:
        picture = picture.filter("subtitles", str(subtitles), fontsdir=str(fonts_dir))
    stream = picture.output("pipe:", format="image2pipe", vcodec="mjpeg", vframes=1, **{"q:v": STILL_QUALITY})
    result = ffmpeg.run(stream, timeout=STILL_TIMEOUT_S)
    if result.returncode != 0 or not result.stdout.startswith(b"\xff\xd8"):
        reason = _last_line(result.stderr) if result.returncode != 0 else "no picture there"
        raise MediaError(f"{Path(media).name}: no still at {at_ms} ms: {reason}")
    return result.stdout


def contact_sheet(stills: list[bytes], output: Path, *, columns: int = 4) -> None:
    """Tile JPEG stills of one size into one JPEG at ``output`` (JPEG whatever its name)."""
    if not stills:
        raise MediaError("a contact sheet needs at least one still")
    columns = max(1, min(columns, len(stills)))
    rows = -(-len(stills) // columns)
    stream = (
        ffmpeg_python.input("pipe:", format="image2pipe", vcodec="mjpeg")
        .filter("tile", f"{columns}x{rows}", padding=4, margin=4, color="white")
        .output(ffmpeg.input_url(output), format="image2", vcodec="mjpeg", vframes=1, update=1, **{"q:v": 4})
    )
    result = subprocess.run(
        ffmpeg.compile_args(stream), input=b"".join(stills), capture_output=True, timeout=STILL_TIMEOUT_S
    )
    if result.returncode != 0:
        raise MediaError(f"{output.name}: ffmpeg could not make the contact sheet: {_last_line(result.stderr)}")


def cut_clip(
    media: Path,
    info: MediaInfo,
    plan: ClipPlan,
    fonts_dir: Path,
    *,
    cancel: threading.Event | None = None,
) -> None:
    """Re-encode ``plan``'s span as H.264 + AAC MP4 with its subtitles burned in.

    An audio recording gets a black picture to carry the subtitles; a silent one gets a
    silent AAC track, so that every clip has the same two streams and any player opens it.
    """
    seconds = max(0.04, (plan.end_ms - plan.start_ms) / 1000)
    start = f"{plan.start_ms / 1000:.3f}"
    source = ffmpeg_python.input(ffmpeg.input_url(media), ss=start, t=f"{seconds:.3f}")
    width, height = even_size(info, CLIP_MAX_WIDTH)
    if info.video is not None:
        picture = source.video.filter("scale", width, height).filter("setsar", 1)
    else:
        picture = ffmpeg_python.input(f"color=c=black:s={width}x{height}:r=25:d={seconds:.3f}", f="lavfi")
    picture = picture.filter("subtitles", str(plan.subtitles), fontsdir=str(fonts_dir))
    if info.audio is not None:
        sound = source.audio
    else:
        sound = ffmpeg_python.input(f"anullsrc=r=48000:cl=stereo:d={seconds:.3f}", f="lavfi")
    stream = ffmpeg_python.output(
        picture,
        sound,
        ffmpeg.input_url(plan.output),
        format="mp4",
        vcodec="libx264",
        preset=CLIP_PRESET,
        crf=CLIP_CRF,
        pix_fmt="yuv420p",
        acodec="aac",
        audio_bitrate="128k",
        ac=2,
        t=f"{seconds:.3f}",
        movflags="+faststart",
    )
    _run_cancellable(stream, plan.output, cancel)


def _run_cancellable(stream, output: Path, cancel: threading.Event | None) -> None:
    process = subprocess.Popen(
        ffmpeg.compile_args(stream),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # stderr is drained on a thread: a chatty failure must not fill the pipe and stall ffmpeg.
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.append(process.stderr.read()), daemon=True)
    reader.start()
    deadline = time.monotonic() + CUT_TIMEOUT_S
    try:
        while True:
            try:
                process.wait(CANCEL_POLL_S)
                break
            except subprocess.TimeoutExpired:
                pass
            if cancel is not None and cancel.is_set():
                raise CutCancelled()
            if time.monotonic() > deadline:
                raise MediaError(f"{output.name}: ffmpeg took longer than {CUT_TIMEOUT_S:.0f} s to cut it")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=5)
    if process.returncode != 0:
        raise MediaError(f"{output.name}: ffmpeg could not cut the clip: {_last_line(b''.join(errors))}")


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "no message"
