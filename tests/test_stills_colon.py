"""Exports read and write files named with a colon as files, never as ffmpeg protocols."""

from pathlib import Path

from review_tui.media.probe import probe
from review_tui.media.stills import ClipPlan, contact_sheet, cut_clip, still_jpeg
from tests.media_factory import make_video


def test_stills_clips_and_sheets_of_a_recording_named_with_a_colon(tmp_path: Path, monkeypatch) -> None:
    make_video(tmp_path / "plain.mp4", seconds=2, size="160x120")
    (tmp_path / "2024-05-01T10:00.mp4").write_bytes((tmp_path / "plain.mp4").read_bytes())
    monkeypatch.chdir(tmp_path)  # relative names, as typed: "2024-05-01T10" would be a protocol
    media = Path("2024-05-01T10:00.mp4")
    still = still_jpeg(media, 1000, width=80)
    assert still.startswith(b"\xff\xd8") and still == still_jpeg(Path("plain.mp4"), 1000, width=80)
    contact_sheet([still, still], Path("take:2 sheet.jpg"), columns=2)
    assert Path("take:2 sheet.jpg").read_bytes().startswith(b"\xff\xd8")
    subtitles = tmp_path / "cue.ass"
    subtitles.write_text(
        "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Text\n", encoding="utf-8"
    )
    cut_clip(media, probe(media), ClipPlan(200, 1200, subtitles, Path("take:2 clip.mp4")), tmp_path)
    clip = probe(Path("take:2 clip.mp4"))
    assert clip.video is not None and 900 <= clip.duration_ms <= 1300
