"""The decoder scales each picture before the fps filter picks the picture of each grid slot
(so that filter holds a pane-sized frame back, not a full-size one): the pictures must be
the same as with the fps filter first, on a file whose frame times are irregular too."""

from __future__ import annotations

from pathlib import Path

import ffmpeg as ffmpeg_python
import pytest

from review_tui.media import ffmpeg
from review_tui.media.probe import probe
from review_tui.media.video import VideoDecoder, frame_stream
from review_tui.model import MediaInfo

SIZE = (96, 72)


@pytest.fixture(scope="module")
def irregular_clip(tmp_path_factory) -> MediaInfo:
    """4 s of 25 fps test pattern with frames 30-44 dropped and the rest jittered by up to
    12 ms, written with variable frame timing: the fps filter must repeat and choose."""
    path = tmp_path_factory.mktemp("filters") / "irregular.mp4"
    picture = (
        ffmpeg_python.input("testsrc2=size=320x240:rate=25:duration=4", f="lavfi")
        .filter("select", "not(between(n,30,44))")
        .filter("setpts", "N/25/TB+0.012*mod(N,3)/TB+0.6*gte(N,30)/TB")
    )
    command = ffmpeg_python.output(picture, str(path), vcodec="libx264", preset="veryfast", pix_fmt="yuv420p", fps_mode="vfr", g=25)
    result = ffmpeg.run(command, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return probe(path)


def fps_filter_first(media: MediaInfo, first_index: int):
    """The decoder's command as it was, with the fps filter before the scaler."""
    fps = media.video.fps
    options = {"ss": f"{max(0.0, (first_index - 1.5) / fps):.6f}", "copyts": None, "start_at_zero": None, "threads": 1}
    return (
        ffmpeg_python.input(ffmpeg.input_url(media.path), **options)["v:0"]
        .filter("fps", fps=f"{fps:.6f}", start_time=f"{first_index / fps:.6f}")
        .filter("scale", *SIZE, flags="fast_bilinear")
        .filter("setsar", 1)
        .output("pipe:", format="rawvideo", pix_fmt="rgb24", an=None, sn=None, fps_mode="passthrough")
    )


def test_the_decoder_scales_before_the_fps_filter(irregular_clip: MediaInfo) -> None:
    args = ffmpeg.compile_args(frame_stream(irregular_clip, 20, *SIZE))
    graph = args[args.index("-filter_complex") + 1]
    assert graph.index("scale=") < graph.index("fps=") < graph.index("setsar=")


@pytest.mark.parametrize("start_ms", [0, 1000, 1500])
def test_the_pictures_are_those_of_the_fps_filter_first(irregular_clip: MediaInfo, start_ms: int) -> None:
    decoder = VideoDecoder(irregular_clip, start_ms=start_ms, size=SIZE)
    try:
        first_index = decoder.first_index
        ours = []
        while (frame := decoder.pop(timeout=10)) is not None:
            ours.append(frame.rgb)
    finally:
        decoder.close()
    data = ffmpeg.run(fps_filter_first(irregular_clip, first_index), timeout=60).stdout
    frame_bytes = SIZE[0] * SIZE[1] * 3
    theirs = [data[start : start + frame_bytes] for start in range(0, len(data), frame_bytes)]
    # The gap is in every run: the fps filter repeated a picture to fill its slots.
    assert len(ours) > 40 and len(set(ours)) < len(ours) - 5
    assert ours == theirs
