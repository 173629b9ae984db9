"""probe() against real files made with the bundled ffmpeg, good and broken."""

from __future__ import annotations

import os
import random
import re
from fractions import Fraction
from pathlib import Path

import ffmpeg as ffmpeg_python
import pytest

from review_tui.media import ffmpeg
from review_tui.media.banner import audio_stream_from, parse_banner, video_stream_from
from review_tui.media.probe import probe
from review_tui.model import MediaError, format_ms
from tests.media_factory import make_audio, make_video

MP4_DEMUXER = "mov,mp4,m4a,3gp,3g2,mj2"


def _ffmpeg(stream, *, quiet: bool = True):
    result = ffmpeg.run(stream, quiet=quiet, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result


def _faststart_copy(source: Path, target: Path) -> Path:
    """The same recording with its index (moov atom) moved to the front."""
    _ffmpeg(ffmpeg_python.input(str(source)).output(str(target), c="copy", movflags="+faststart"))
    return target


def _cut(source: Path, target: Path, keep_bytes: int) -> Path:
    target.write_bytes(source.read_bytes()[:keep_bytes])
    return target


def _with_cover_art(audio: Path, target: Path, picture_codec: str) -> Path:
    picture = ffmpeg_python.input("testsrc2=size=64x64:rate=1:duration=1", f="lavfi")
    sound = ffmpeg_python.input(str(audio))
    stream = ffmpeg_python.output(
        sound["a"],
        picture["v"],
        str(target),
        acodec="copy",
        vcodec=picture_codec,
        **{"disposition:v": "attached_pic", "frames:v": 1},
    )
    _ffmpeg(stream)
    return target


def _first_gray_frame(path: Path, *, autorotate: bool) -> bytes:
    options = {} if autorotate else {"noautorotate": None}
    source = ffmpeg_python.input(str(path), **options)
    stream = source.output("-", f="rawvideo", pix_fmt="gray", **{"frames:v": 1})
    return _ffmpeg(stream).stdout


def _turn_clockwise(pixels: bytes, width: int, height: int, degrees: int) -> bytes:
    for _ in range(degrees // 90 % 4):
        rows = [pixels[y * width : (y + 1) * width] for y in range(height)]
        pixels = bytes(
            rows[height - 1 - column][row] for row in range(width) for column in range(height)
        )
        width, height = height, width
    return pixels


def _decoded_end_ms(path: Path) -> int:
    """Where decoding the whole (small) file really stops: the end of the last decoded frame
    of any stream, from a framecrc listing of the decoded frames (its ``#tb`` lines, then
    "stream, dts, pts, duration, ..." per frame). Not ffmpeg's progress line: its last time
    is the end on one ffmpeg version, a frame or more short of it on another."""
    result = ffmpeg.run(ffmpeg_python.input(str(path)).output("-", f="framecrc"), timeout=60)
    timebases, end = {}, Fraction(0)
    for line in result.stdout.decode("ascii").splitlines():
        if found := re.match(r"#tb (\d+): (\d+)/(\d+)", line):
            timebases[found[1]] = Fraction(int(found[2]), int(found[3]))
        elif not line.startswith("#") and line.strip():
            stream, _dts, pts, duration = (column.strip() for column in line.split(",")[:4])
            end = max(end, (int(pts) + int(duration)) * timebases[stream])
    return round(end * 1000)


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("probe")


@pytest.fixture(scope="module")
def session_mp4(media: Path) -> Path:
    return make_video(media / "session.mp4", seconds=3.0)


# --- good files ----------------------------------------------------------------------


def test_mp4_with_audio(session_mp4: Path) -> None:
    info = probe(session_mp4)
    assert info.path == session_mp4
    assert info.container == MP4_DEMUXER
    assert info.duration_ms == 3000
    assert info.video is not None and info.audio is not None
    assert (info.video.codec, info.video.width, info.video.height) == ("h264", 320, 240)
    assert info.video.fps == 25.0
    assert info.video.rotation == 0
    assert info.video.sample_aspect == Fraction(1, 1)
    assert (info.audio.codec, info.audio.sample_rate, info.audio.channels) == ("aac", 48000, 2)
    assert not info.audio_only
    assert info.warnings == ()


def test_frame_rate_is_read_not_assumed(media: Path) -> None:
    info = probe(make_video(media / "thirty.mp4", seconds=1.0, size="64x48", fps=30, audio=False))
    assert info.video is not None and info.video.fps == 30.0
    assert info.duration_ms == 1000


@pytest.mark.parametrize("anticlockwise", [90, 270, 180])
def test_rotation_is_what_ffmpeg_autorotate_does(media: Path, anticlockwise: int) -> None:
    # make_video's rotate is ffmpeg's -display_rotation, which turns anticlockwise.
    path = make_video(
        media / f"rotated{anticlockwise}.mp4", seconds=1.0, size="64x48", rotate=anticlockwise
    )
    info = probe(path)
    assert info.video is not None
    assert info.video.rotation == (360 - anticlockwise) % 360
    assert (info.video.width, info.video.height) == (64, 48)
    expected_display = (48, 64) if anticlockwise % 180 else (64, 48)
    assert info.video.display_size == expected_display
    # The picture ffmpeg shows is the coded picture turned clockwise by our rotation.
    coded = _first_gray_frame(path, autorotate=False)
    shown = _first_gray_frame(path, autorotate=True)
    turned = _turn_clockwise(coded, 64, 48, info.video.rotation)
    assert len(turned) == len(shown)
    mean_difference = sum(abs(a - b) for a, b in zip(turned, shown)) / len(shown)
    assert mean_difference < 1.0


def test_non_square_pixels_and_no_audio(media: Path) -> None:
    info = probe(make_video(media / "anamorphic.mp4", seconds=1.0, sar="4/3", audio=False))
    assert info.video is not None
    assert info.video.sample_aspect == Fraction(4, 3)
    assert info.video.display_size == (427, 240)
    assert info.audio is None
    assert not info.audio_only
    assert info.warnings == ()


@pytest.mark.parametrize(
    ("suffix", "codec", "demuxer"),
    [(".m4a", "aac", MP4_DEMUXER), (".mp3", "mp3", "mp3"), (".wav", "pcm_s16le", "wav")],
)
def test_audio_only_files(media: Path, suffix: str, codec: str, demuxer: str) -> None:
    path = make_audio(media / f"voice{suffix}", seconds=2.0, sample_rate=22050, channels=1)
    info = probe(path)
    assert info.audio_only and info.video is None
    assert info.container == demuxer
    # Every one decodes to exactly 2 s. ffmpeg 7.0's mp3 demuxer declares the encoder's
    # padding too (60 ms here: 9.0 subtracts it as the LAME header says); only the end of the
    # timeline moves, and no truncation is reported.
    assert 0 <= info.duration_ms - 2000 <= (60 if codec == "mp3" else 0)
    assert info.audio is not None
    assert (info.audio.codec, info.audio.sample_rate, info.audio.channels) == (codec, 22050, 1)
    assert info.warnings == ()


@pytest.mark.parametrize("channels", [2, 3, 6, 8])
def test_channel_count_from_layout_name(media: Path, channels: int) -> None:
    # ffmpeg names these stereo, 3.0, 5.1 and 7.1: the count must come out of each name.
    info = probe(make_audio(media / f"channels{channels}.wav", seconds=0.5, channels=channels))
    assert info.audio is not None and info.audio.channels == channels


@pytest.mark.parametrize(("suffix", "picture_codec"), [(".mp3", "mjpeg"), (".m4a", "png")])
def test_cover_art_is_not_video(media: Path, suffix: str, picture_codec: str) -> None:
    plain = make_audio(media / f"plain{suffix}", seconds=1.0)
    path = _with_cover_art(plain, media / f"cover{suffix}", picture_codec)
    picture = _ffmpeg(
        ffmpeg_python.input(str(path)).output("-", f="image2pipe", vcodec="png", **{"frames:v": 1})
    ).stdout
    assert picture.startswith(b"\x89PNG")  # the file really carries a picture stream
    info = probe(path)
    assert info.video is None
    assert info.audio_only
    assert info.audio is not None and info.audio.sample_rate == 44100


def test_raw_stream_has_no_duration(media: Path, session_mp4: Path) -> None:
    raw = media / "camera.h264"
    stream = ffmpeg_python.input(str(session_mp4)).output(
        str(raw), f="h264", vcodec="copy", an=None, **{"bsf:v": "h264_mp4toannexb"}
    )
    _ffmpeg(stream)
    info = probe(raw)
    assert info.duration_ms == 0
    assert info.container == "h264"
    assert info.video is not None and (info.video.width, info.video.height) == (320, 240)
    assert [problem.source for problem in info.warnings] == ["camera.h264"]
    assert "no duration" in info.warnings[0].message


def test_duration_guessed_from_bitrate_is_flagged(media: Path) -> None:
    adts = media / "dictation.aac"
    plain = make_audio(media / "dictation.m4a", seconds=2.0)
    _ffmpeg(ffmpeg_python.input(str(plain)).output(str(adts), acodec="copy", f="adts"))
    info = probe(adts)
    assert info.audio is not None and info.audio.codec == "aac"
    assert 1500 <= info.duration_ms <= 2500
    assert any("estimated from the bitrate" in problem.message for problem in info.warnings)


def test_name_with_a_colon_is_a_file_not_a_protocol(
    session_mp4: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "take:2.mp4").write_bytes(session_mp4.read_bytes())
    monkeypatch.chdir(tmp_path)  # a relative "take:2.mp4" is what ffmpeg would misread
    assert probe(Path("take:2.mp4")).duration_ms == 3000


# --- truncated files -------------------------------------------------------------------


def test_index_at_the_end_cut_away(session_mp4: Path, tmp_path: Path) -> None:
    # ffmpeg writes the moov atom last: half the bytes leaves no index at all.
    half = _cut(session_mp4, tmp_path / "session.mp4", session_mp4.stat().st_size // 2)
    with pytest.raises(MediaError) as error:
        probe(half)
    assert str(error.value) == (
        "session.mp4: file is truncated or unfinished: its mp4 index (moov atom) is missing"
    )


@pytest.mark.parametrize("keep_of_index", [0.0, 0.5, 0.9])
def test_index_at_the_end_partly_cut(
    session_mp4: Path, tmp_path: Path, keep_of_index: float
) -> None:
    data = session_mp4.read_bytes()
    index_start = data.rfind(b"moov") - 4
    keep = index_start + 8 + int((len(data) - index_start - 8) * keep_of_index)
    cut = _cut(session_mp4, tmp_path / "session.mp4", keep)
    try:
        info = probe(cut)
    except MediaError as error:
        message = str(error)
        assert message.startswith("session.mp4: file ")
        assert "truncated" in message and "\n" not in message
    else:
        assert [problem.message for problem in info.warnings if "truncated" in problem.message]


def test_data_cut_after_a_front_index(session_mp4: Path, tmp_path: Path) -> None:
    front = _faststart_copy(session_mp4, tmp_path / "front.mp4")
    half = _cut(front, tmp_path / "session.mp4", front.stat().st_size // 2)
    info = probe(half)
    assert info.video is not None and info.audio is not None
    decoded_ms = _decoded_end_ms(half)
    assert 1000 <= decoded_ms <= 2000
    assert abs(info.duration_ms - decoded_ms) <= 100
    assert [str(problem) for problem in info.warnings] == [
        "session.mp4: file seems truncated: "
        f"data stops at {format_ms(info.duration_ms)} of 00:03.000"
    ]


def test_data_cut_early_in_a_longer_file(media: Path, tmp_path: Path) -> None:
    # Nothing near the end: the probe has to search back for where the data stops.
    longer = make_video(media / "longer.mp4", seconds=8.0, size="64x48")
    front = _faststart_copy(longer, tmp_path / "front.mp4")
    quarter = _cut(front, tmp_path / "session.mp4", front.stat().st_size // 4)
    info = probe(quarter)
    decoded_ms = _decoded_end_ms(quarter)
    assert 1000 <= decoded_ms <= 3000
    assert abs(info.duration_ms - decoded_ms) <= 100
    assert len(info.warnings) == 1 and "of 00:08.000" in info.warnings[0].message


def test_header_without_any_data(session_mp4: Path, tmp_path: Path) -> None:
    front = _faststart_copy(session_mp4, tmp_path / "front.mp4")
    data = front.read_bytes()
    first_media_byte = data.find(b"mdat") + 4
    header_only = _cut(front, tmp_path / "session.mp4", first_media_byte)
    with pytest.raises(MediaError, match=r"^session\.mp4: file is truncated: .*no readable data$"):
        probe(header_only)


# --- inputs that are not media ---------------------------------------------------------


def _expect_error(path: Path, message: str) -> None:
    with pytest.raises(MediaError) as error:
        probe(path)
    assert str(error.value) == message


def test_missing_file(tmp_path: Path) -> None:
    _expect_error(tmp_path / "session.mp4", "session.mp4: no such file")


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "session.mp4").mkdir()
    _expect_error(tmp_path / "session.mp4", "session.mp4: is a folder, not a media file")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "session.mp4").touch()
    _expect_error(tmp_path / "session.mp4", "session.mp4: file is empty")


def test_text_renamed_mp4(tmp_path: Path) -> None:
    path = tmp_path / "session.mp4"
    path.write_text("Notes from supervision.\nTherapist was late; patient left early.\n" * 40)
    _expect_error(path, "session.mp4: not a media file ffmpeg can read")


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "session.mp4"
    path.write_bytes(random.Random(20240611).randbytes(64 * 1024))
    _expect_error(path, "session.mp4: not a media file ffmpeg can read")


def test_transcript_renamed_mp4(tmp_path: Path) -> None:
    path = tmp_path / "session.mp4"
    path.write_text("1\n00:00:01,000 --> 00:00:02,500\nTh: How are you today?\n\n")
    _expect_error(path, "session.mp4: no audio or video in it (ffmpeg reads it as srt)")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(session_mp4: Path, tmp_path: Path) -> None:
    path = tmp_path / "session.mp4"
    path.write_bytes(session_mp4.read_bytes())
    path.chmod(0)
    try:
        _expect_error(path, "session.mp4: cannot read the file (permission denied)")
    finally:
        path.chmod(0o600)


# --- older ffmpeg wording ----------------------------------------------------------------

# How ffmpeg 4 described a phone recording: stream lines indented by four, the rotation as a
# clockwise "rotate" tag plus a lower-case "displaymatrix" angle, no SAR, a 5.1(side) layout.
FFMPEG4_PHONE_BANNER = """\
Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'phone.mov':
  Metadata:
    creation_time   : 2019-05-01T10:00:00.000000Z
  Duration: 00:10:00.50, start: 0.000000, bitrate: 8000 kb/s
    Stream #0:0(und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv, bt709), 1920x1080, \
7800 kb/s, 29.97 fps, 29.97 tbr, 600 tbn, 600 tbc (default)
    Metadata:
      rotate          : 90
      handler_name    : Core Media Video
    Side data:
      displaymatrix: rotation of -90.00 degrees
    Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, 5.1(side), fltp, \
256 kb/s (default)
Stream mapping:
  Stream #0:0 -> #0:0 (hevc (native) -> wrapped_avframe (native))
"""


def test_older_ffmpeg_banner() -> None:
    banner = parse_banner(FFMPEG4_PHONE_BANNER)
    assert banner is not None
    assert (banner.container, banner.duration_s, banner.start_s) == (MP4_DEMUXER, 600.5, 0.0)
    warnings: list = []
    assert banner.video is not None and banner.audio is not None
    video = video_stream_from(banner.video, "phone.mov", warnings)
    audio = audio_stream_from(banner.audio, "phone.mov", warnings)
    assert (video.codec, video.width, video.height, video.fps) == ("hevc", 1920, 1080, 29.97)
    assert video.rotation == 90  # both the tag and the (anticlockwise) matrix say so
    assert video.sample_aspect == Fraction(1, 1)
    assert (audio.codec, audio.sample_rate, audio.channels) == ("aac", 44100, 6)
    assert warnings == []


def test_rotate_tag_alone_is_clockwise() -> None:
    text = FFMPEG4_PHONE_BANNER.replace("displaymatrix: rotation of -90.00 degrees", "")
    banner = parse_banner(text.replace("rotate          : 90", "rotate          : 270"))
    assert banner is not None and banner.video is not None
    assert video_stream_from(banner.video, "phone.mov", []).rotation == 270
