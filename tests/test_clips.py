"""Clips for deliberate practice, cut with the real bundled ffmpeg: decodable H.264 + AAC of
the right length, the transcript and a title burned in (even with no system fonts), a
contact sheet, private and atomic files (a kill -9 mid-export leaves no half clip)."""

from __future__ import annotations

import datetime
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import ffmpeg as ffmpeg_python
import pytest

from review_tui.codebook import load_codebook
from review_tui.media import ffmpeg
from review_tui.media.probe import probe
from review_tui.media.stills import ClipPlan, cut_clip, still_jpeg, still_size
from review_tui.report import build_report
from review_tui.report.clips import (
    CONTACT_SHEET,
    FONTS_DIR,
    ass_document,
    ass_text,
    clip_span,
    label_document,
    write_clips,
)
from review_tui.report.progress import ExportCancelled
from review_tui.report.writer import ReportError
from review_tui.session import load_session
from review_tui.store import ReviewStore
from tests.media_factory import make_audio, make_video

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
SIZE = (320, 240)
TRANSCRIPT = """\
1
00:00:01,000 --> 00:00:04,000
Th: What happens inside when you say that?

2
00:00:04,500 --> 00:00:07,500
Pt: I {don't} know \\N it's just a wall.
"""


def build(tmp_path: Path, media: Path, tags: list[tuple[str, int, int | None]], srt: str | None = TRANSCRIPT):
    if srt is not None:
        media.with_suffix(".srt").write_text(srt, encoding="utf-8")
    session = load_session(media)
    store = ReviewStore.open(
        tmp_path / f"{media.stem}.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    )
    author = store.reviewer("Dr Okafor", "supervisor")
    for code_id, start_ms, end_ms in tags:
        store.add_tag(start_ms=start_ms, end_ms=end_ms, code_id=code_id, rating=None, note="", author=author)
    report = build_report(store, session, date=datetime.date(2025, 3, 1))
    store.close()
    return report


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("src") / "session.mp4", seconds=10.0, size="320x240")


@pytest.fixture
def media(tmp_path, source):
    target = tmp_path / "session.mp4"
    target.write_bytes(source.read_bytes())
    return target


def frame(path: Path, at_s: float) -> bytes:
    """The picture at ``at_s`` as raw RGB at SIZE."""
    stream = (
        ffmpeg_python.input(str(path), ss=f"{at_s:.3f}")
        .video.filter("scale", *SIZE)
        .output("pipe:", format="rawvideo", pix_fmt="rgb24", vframes=1)
    )
    result = ffmpeg.run(stream, timeout=60)
    assert result.returncode == 0 and len(result.stdout) == SIZE[0] * SIZE[1] * 3, result.stderr
    return result.stdout


def band_difference(a: bytes, b: bytes, top: int, bottom: int) -> float:
    """Mean absolute difference per channel over rows [top, bottom)."""
    row = SIZE[0] * 3
    part_a, part_b = a[top * row : bottom * row], b[top * row : bottom * row]
    return sum(abs(x - y) for x, y in zip(part_a, part_b, strict=True)) / len(part_a)


def jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from a JPEG's start-of-frame segment."""
    assert data.startswith(b"\xff\xd8")
    position = 2
    while position < len(data):
        marker, length = data[position + 1], int.from_bytes(data[position + 2 : position + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            height = int.from_bytes(data[position + 5 : position + 7], "big")
            return int.from_bytes(data[position + 7 : position + 9], "big"), height
        position += 2 + length
    raise AssertionError("no start-of-frame segment")


def decodes_cleanly(path: Path) -> bool:
    stream = ffmpeg_python.input(str(path)).output("-", format="null")
    result = ffmpeg.run(stream, timeout=120)
    return result.returncode == 0 and not result.stderr.strip()


def test_default_clip_is_h264_aac_of_the_span_with_subtitles_and_title_burned_in(tmp_path, media):
    report = build(tmp_path, media, [("supervision.practice_clip", 5_000, None), ("defense.tactical", 2_000, None)])
    out = tmp_path / "clips"
    written = write_clips(report, out, media_path=media, before_ms=3000, after_ms=2000)
    assert [p.name for p in written] == ["clip-01-00m05s-supervision.practice_clip.mp4", CONTACT_SHEET]
    clip = written[0]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    info = probe(clip)
    assert info.video.codec == "h264" and info.audio.codec == "aac"
    assert abs(info.duration_ms - 5_000) <= 80  # 2.0 s .. 7.0 s
    assert decodes_cleanly(clip)
    # 3.5 s into the clip is 5.5 s in the session: cue 2 is on screen. The subtitle band at
    # the bottom and the title at the top differ from the source; the middle does not.
    ours, theirs = frame(clip, 3.5), frame(media, 5.5)
    assert band_difference(ours, theirs, 200, 240) > 25
    assert band_difference(ours, theirs, 0, 24) > 25
    assert band_difference(ours, theirs, 90, 150) < 6
    # At 4.2 s in the session, between the two cues, the bottom band is the picture itself.
    assert band_difference(frame(clip, 2.2), frame(media, 4.2), 200, 240) < 6
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_subtitles_need_no_system_font(tmp_path, media, monkeypatch):
    """With fontconfig pointed at an empty configuration, the bundled font still draws the
    words; with an empty fonts folder instead, nothing is drawn: the bundled font is what
    makes the difference."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>',
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    monkeypatch.setenv("FONTCONFIG_PATH", str(tmp_path))
    report = build(tmp_path, media, [("supervision.practice_clip", 5_000, None)])
    moment = report.moments[0]
    subtitles = tmp_path / "clip.ass"
    subtitles.write_text(ass_document(moment, list(report.transcript), 2_000, 7_000, SIZE), encoding="utf-8")
    info = probe(media)
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    bottoms = {}
    for name, fonts in (("bundled", FONTS_DIR), ("none", empty)):
        clip = tmp_path / f"{name}.mp4"
        cut_clip(media, info, ClipPlan(2_000, 7_000, subtitles, clip), fonts)
        bottoms[name] = band_difference(frame(clip, 3.5), frame(media, 5.5), 200, 240)
    assert bottoms["bundled"] > 25
    assert bottoms["none"] < 6


def test_ass_text_keeps_braces_backslashes_and_drops_controls():
    text = ass_text("I {\\b1}don't\\N know\x1b[2J \u202e{x}")
    assert "{" not in text.replace("\\{", "") and "}" not in text.replace("\\}", "")
    assert "\\N" not in text and "\\b1" not in text
    assert "\x1b" not in text and "\u202e" not in text and "\n" not in text
    assert text.replace("\\{", "{").replace("\\}", "}").replace("\u200b", "") == "I {\\b1}don't\\N know {x}"


def test_span_clamps_to_the_session_and_ranges_extend_from_their_end(tmp_path, media):
    report = build(tmp_path, media, [("phase.pressure", 1_000, 4_000), ("defense.tactical", 9_500, None)], srt=None)
    ranged, late = report.moments
    assert clip_span(ranged, 3000, 3000, report.duration_ms) == (0, 7_000)
    assert clip_span(late, 1000, 3000, report.duration_ms) == (8_500, 10_000)


def test_chosen_tags_give_a_clip_each_and_a_contact_sheet_of_all(tmp_path, media):
    report = build(tmp_path, media, [("defense.tactical", 2_000, None), ("phase.pressure", 6_000, 7_000),
                                     ("supervision.practice_clip", 8_000, None)])
    chosen = [moment.tag.id for moment in report.moments[:2]]
    calls = []
    written = write_clips(report, tmp_path / "out", media_path=media, tags=chosen, before_ms=1000,
                          after_ms=1000, progress=lambda *a: calls.append(a))
    assert [p.suffix for p in written] == [".mp4", ".mp4", ".jpg"]
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert abs(probe(written[1]).duration_ms - 3_000) <= 80
    assert jpeg_size(written[2].read_bytes()) == (2 * 4 + 2 * 320 + 4, 2 * 4 + 240)  # margins, padding


def test_a_contact_sheet_still_carries_its_label_along_the_bottom(tmp_path, media):
    # libass draws the label (the bundled ffmpeg has no drawtext): a dark box with the
    # time and code in its bottom rows; the rest of the picture is the frame itself.
    label = tmp_path / "label.ass"
    label.write_text(label_document("00:02.000 Defense {\\b1}tactical", still_size(probe(media))), encoding="utf-8")
    def pixels(jpeg: bytes) -> bytes:
        decode = ffmpeg_python.input("pipe:", format="image2pipe", vcodec="mjpeg").filter("scale", *SIZE)
        result = subprocess.run(ffmpeg.compile_args(decode.output("pipe:", format="rawvideo", pix_fmt="rgb24")),
                                input=jpeg, capture_output=True, timeout=60)
        assert len(result.stdout) == SIZE[0] * SIZE[1] * 3, result.stderr
        return result.stdout

    ours = pixels(still_jpeg(media, 2_000, subtitles=label, fonts_dir=FONTS_DIR))
    theirs = pixels(still_jpeg(media, 2_000))
    assert band_difference(ours, theirs, 215, 235) > 25
    assert band_difference(ours, theirs, 0, 150) < 4


def test_no_practice_clip_tag_is_one_clear_line(tmp_path, media):
    report = build(tmp_path, media, [("defense.tactical", 2_000, None)])
    with pytest.raises(ReportError) as caught:
        write_clips(report, tmp_path / "out", media_path=media)
    assert "clip for deliberate practice" in str(caught.value) and "\n" not in str(caught.value)


def test_audio_recording_gets_clips_on_a_black_picture(tmp_path):
    media = make_audio(tmp_path / "voice.m4a", seconds=6.0)
    report = build(tmp_path, media, [("supervision.practice_clip", 3_000, None)])
    written = write_clips(report, tmp_path / "out", media_path=media, before_ms=1000, after_ms=1000)
    assert len(written) == 1  # no pictures, so no contact sheet
    info = probe(written[0])
    assert info.video.codec == "h264" and info.audio.codec == "aac"
    assert decodes_cleanly(written[0])


def test_cancel_stops_ffmpeg_and_leaves_no_partial_clip(tmp_path, media):
    clips = [("supervision.practice_clip", 2_000, None), ("supervision.practice_clip", 6_000, None)]
    report = build(tmp_path, media, clips)
    cancel = threading.Event()
    out = tmp_path / "out"
    timer = threading.Timer(0.05, cancel.set)
    timer.start()
    with pytest.raises(ExportCancelled):
        write_clips(report, out, media_path=media, cancel=cancel)
    timer.cancel()
    # Whatever finished is whole; nothing half-written is there, under any name.
    for path in out.iterdir():
        assert not path.name.startswith("."), path
        assert decodes_cleanly(path)


KILLED_EXPORT = textwrap.dedent(
    """
    import pickle, sys
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from review_tui.report.clips import write_clips
    report = pickle.loads(Path({report!r}).read_bytes())
    write_clips(report, Path({out!r}), media_path=Path({media!r}), before_ms=4000, after_ms=4000)
    """
)


def test_kill_9_mid_export_leaves_no_half_written_clip(tmp_path, monkeypatch):
    import pickle

    # The killed export's working files (its subtitles quote the transcript) stay private.
    scratch_root = tmp_path / "state" / "scratch"
    monkeypatch.setenv("REVIEW_TUI_STATE_DIR", str(tmp_path / "state"))

    media = make_video(tmp_path / "long.mp4", seconds=40.0, size="320x240")
    report = build(tmp_path, media, [("supervision.practice_clip", ms, None) for ms in (5_000, 15_000, 25_000, 35_000)],
                   srt=None)
    (tmp_path / "report.pickle").write_bytes(pickle.dumps(report))
    out = tmp_path / "out"
    script = KILLED_EXPORT.format(
        repo=str(REPO), report=str(tmp_path / "report.pickle"), out=str(out), media=str(media)
    )
    process = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        # Kill while the second clip is being written: the first is done, the second is not.
        while time.monotonic() < deadline:
            names = [p.name for p in out.iterdir()] if out.is_dir() else []
            if any(n.endswith(".mp4") for n in names) and any(n.endswith(".tmp") for n in names):
                break
            time.sleep(0.02)
        else:
            pytest.fail("the export never reached its second clip")
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    finals = sorted(p for p in out.iterdir() if not p.name.startswith("."))
    assert finals and len(finals) < 5
    for clip in finals:
        assert decodes_cleanly(clip) and abs(probe(clip).duration_ms - 8_000) <= 80
    assert any(p.name.startswith(".") and p.name.endswith(".tmp") for p in out.iterdir())
    [left] = [folder for folder in scratch_root.iterdir() if folder.name.startswith(f"clips-{process.pid}-")]
    assert oct(scratch_root.stat().st_mode & 0o777) == "0o700" and list(left.glob("*.ass"))
    # The next export sweeps what the killed one left and writes everything whole.
    written = write_clips(report, out, media_path=media, tags=[report.moments[0].tag.id])
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert list(scratch_root.iterdir()) == []  # its own working folder went too
    assert written[0] == finals[0]
