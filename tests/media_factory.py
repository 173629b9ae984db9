"""Make small real media files with the bundled ffmpeg, for tests (never made by hand)."""

from __future__ import annotations

from pathlib import Path

import ffmpeg as ffmpeg_python

from review_tui.media import ffmpeg


def _run(stream, path: Path) -> Path:
    result = ffmpeg.run(stream, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"ffmpeg failed making {path}: {result.stderr.decode(errors='replace')}")
    return path


def make_video(
    path: Path,
    *,
    seconds: float = 3.0,
    size: str = "320x240",
    fps: int = 25,
    audio: bool = True,
    rotate: int | None = None,
    sar: str | None = None,
    keyint: int | None = None,
    preset: str = "veryfast",
) -> Path:
    """An h264 (+aac) file with a moving test pattern and a 440 Hz tone.

    ``rotate`` writes display-matrix rotation metadata, as phones do; ``sar`` sets a
    non-square sample aspect ratio such as "4/3"; ``keyint`` puts a keyframe every that many
    frames exactly (a camera's fixed GOP; default: one a second, encoder's choice between).
    ``preset``: x264's speed preset; veryfast takes half the encoding time of x264's default
    (medium) and still makes B-frames and scene cuts, what a decoder and a seek have to cope
    with in camera files.
    """
    picture = ffmpeg_python.input(f"testsrc2=size={size}:rate={fps}:duration={seconds}", f="lavfi")
    if sar:
        picture = picture.filter("setsar", sar)
    inputs = [picture]
    if audio:
        inputs.append(
            ffmpeg_python.input(f"sine=frequency=440:sample_rate=48000:duration={seconds}", f="lavfi")
        )
    output_args: dict = {"vcodec": "libx264", "pix_fmt": "yuv420p", "g": fps, "preset": preset}
    if keyint is not None:
        output_args.update(g=keyint, **{"x264-params": f"keyint={keyint}:min-keyint={keyint}:scenecut=0"})
    if audio:
        output_args.update(acodec="aac", ac=2)
    input_args: dict = {}
    stream = ffmpeg_python.output(*inputs, str(path), **output_args)
    _run(stream, path)
    if rotate is not None:
        # Rotation is container metadata: remux with a display matrix instead of re-encoding.
        rotated = path.with_name(path.stem + ".rot" + path.suffix)
        stream = ffmpeg_python.output(
            ffmpeg_python.input(ffmpeg.input_url(path), display_rotation=rotate, **input_args),
            str(rotated),
            c="copy",
        )
        _run(stream, rotated)
        rotated.replace(path)
    return path


def make_audio(path: Path, *, seconds: float = 3.0, sample_rate: int = 44100, channels: int = 1) -> Path:
    """An audio-only file; the codec follows the suffix (.wav, .mp3, .m4a)."""
    codec = {".wav": "pcm_s16le", ".mp3": "libmp3lame", ".m4a": "aac"}[path.suffix]
    tone = ffmpeg_python.input(
        f"sine=frequency=330:sample_rate={sample_rate}:duration={seconds}", f="lavfi"
    )
    return _run(ffmpeg_python.output(tone, str(path), acodec=codec, ac=channels), path)


def make_hd_video(path: Path, *, seconds: float = 4.0, fps: int = 25) -> Path:
    """A silent 1280x720 h264 file with a keyframe every second, encoded fast: for timing
    how quickly a seek shows its frame on camera-sized video."""
    picture = ffmpeg_python.input(f"testsrc2=size=1280x720:rate={fps}:duration={seconds}", f="lavfi")
    stream = ffmpeg_python.output(
        picture, str(path), vcodec="libx264", pix_fmt="yuv420p", g=fps, preset="ultrafast"
    )
    return _run(stream, path)
