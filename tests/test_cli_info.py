"""`review-tui info`, `doctor`, `codebook` and the demo helpers, run as a user runs them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from review_tui import cli, locations
from tests.media_factory import make_audio, make_video

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "formulaic"


def run_cli(*args: str) -> tuple[int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "review_tui", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "REVIEW_TUI_CONFIG": "/nonexistent/config.toml"},
        timeout=60,
    )
    return result.returncode, result.stdout, result.stderr


def assert_one_line_error(code: int, out: str, err: str, *needles: str) -> None:
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("review-tui: error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0]


def test_info_on_the_demo_names_streams_speakers_and_review(tmp_path):
    code, out, err = run_cli("info", str(DEMO / "formulaic.mp4"), "--review", str(tmp_path / "r.sqlite"))
    assert code == 0, err
    assert "h264 640x360 @ 25 fps" in out
    assert "aac 44100 Hz mono" in out
    assert "formulaic.srt (SRT, utf-8), 131 cues" in out
    assert "Therapist" in out and "Patient" in out
    assert "not created yet" in out
    assert not (tmp_path / "r.sqlite").exists()  # info never creates a review


def test_info_on_an_audio_only_recording(tmp_path):
    audio = make_audio(tmp_path / "call.m4a", seconds=2, channels=2)
    code, out, err = run_cli("info", str(audio))
    assert code == 0, err
    assert "none (audio-only session)" in out
    assert "aac 44100 Hz stereo" in out
    assert "Transcript: none found" in out


def test_info_on_a_rotated_phone_video(tmp_path):
    phone = make_video(tmp_path / "phone.mp4", seconds=1, size="320x180", rotate=90)
    code, out, err = run_cli("info", str(phone))
    assert code == 0, err
    assert "h264 320x180" in out
    assert "rotated 270°" in out and "shown 180x320" in out


def test_info_on_zoom_vtt_and_cp1252_srt(tmp_path):
    media = make_video(tmp_path / "zoom.mp4", seconds=1, audio=False)
    shutil.copy(REPO / "tests" / "data" / "transcripts" / "zoom.vtt", tmp_path / "zoom.vtt")
    code, out, err = run_cli("info", str(media))
    assert code == 0, err
    assert "zoom.vtt (VTT" in out
    srt = tmp_path / "notes.srt"
    srt.write_bytes(
        "1\r\n00:00:01,000 --> 00:00:02,500\r\nTh: What\u2019s happening right now?\r\n\r\n"
        "2\r\n00:00:03,000 --> 00:00:04,000\r\nPt: Je ne sais pas \u2014 caf\u00e9.\r\n".encode("cp1252")
    )
    code, out, err = run_cli("info", str(srt))
    assert code == 0, err
    assert "notes.srt (SRT, cp1252), 2 cues" in out
    assert "Media:      none (transcript only)" in out


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("garbage.mp4", os.urandom(4096), "garbage.mp4"),
        ("empty.mp4", b"", "empty"),
        ("words.srt", b"\x00\x01\x02\xff" * 300, "words.srt"),
    ],
    ids=["random-bytes", "empty", "binary-srt"],  # the same names in every run (random bytes aside)
)
def test_info_on_garbage_is_one_clear_line(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    assert_one_line_error(*run_cli("info", str(path)), needle)


def test_open_of_a_missing_file_is_one_clear_line(tmp_path):
    assert_one_line_error(*run_cli(str(tmp_path / "nope.mp4")), "nope.mp4", "no such file")


def test_doctor_reports_ffmpeg_audio_and_terminal():
    code, out, err = run_cli("doctor")
    assert code == 0, err
    assert "ffmpeg version" in out
    # This machine has no sound card: the silent NULL output must be named as such.
    assert "audio:    no audio device" in out
    assert "terminal:" in out


def test_broken_ffmpeg_override_is_named(tmp_path):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    result = subprocess.run(
        [sys.executable, "-m", "review_tui", "info", str(DEMO / "formulaic.mp4")],
        capture_output=True, text=True, cwd=REPO, timeout=60,
        env={**os.environ, "REVIEW_TUI_FFMPEG": str(fake)},
    )
    assert_one_line_error(result.returncode, result.stdout, result.stderr, str(fake), "does not run")


def test_codebook_command_lists_and_validates(tmp_path):
    code, out, err = run_cli("codebook")
    assert code == 0, err
    assert "[c] Confrontation" in out and "c1" in out
    bad = tmp_path / "bad.toml"
    bad.write_text("[codebook]\nid = 1\n")
    assert_one_line_error(*run_cli("codebook", str(bad)), "bad.toml")


def test_demo_copies_itself_to_the_user_data_folder(tmp_path, monkeypatch):
    bundled = tmp_path / "bundle"
    shutil.copytree(DEMO, bundled / "formulaic")
    monkeypatch.setattr(locations, "bundled_examples_dir", lambda: bundled)
    monkeypatch.setattr(locations, "demo_dir", lambda: tmp_path / "data" / "demo")
    folder = cli.demo_session_dir()  # even though the bundled folder is writable
    assert folder == tmp_path / "data" / "demo" / "formulaic"
    assert (folder / "formulaic.mp4").stat().st_size == (DEMO / "formulaic.mp4").stat().st_size


def test_sample_review_loads_once(tmp_path):
    review = tmp_path / "demo.review.sqlite"
    args = cli.parse_args(["demo", "--review", str(review)])
    cli.load_sample_review(DEMO, DEMO / "formulaic.mp4", args)
    cli.load_sample_review(DEMO, DEMO / "formulaic.mp4", args)  # a second load adds nothing
    code, out, err = run_cli("info", str(DEMO / "formulaic.mp4"), "--review", str(review))
    assert code == 0, err
    # Both sample reviews: the supervisor's 17 tags and the second rater's 13.
    assert "30 tags by 2 reviewer(s): Dr. M. Okafor (supervisor), R. Haddad (rater)" in out
    assert oct(review.stat().st_mode & 0o777) == "0o600"


def test_report_command_writes_the_demo_review_with_exact_quotes(tmp_path):
    review = tmp_path / "demo.review.sqlite"
    cli.load_sample_review(DEMO, DEMO / "formulaic.mp4", cli.parse_args(["demo", "--review", str(review)]))
    output = tmp_path / "out" / "report.md"
    output.parent.mkdir()
    code, out, err = run_cli("report", str(DEMO / "formulaic.mp4"), "--review", str(review), "-o", str(output))
    assert code == 0, err
    assert out.strip() == f"wrote {output}"
    text = output.read_text(encoding="utf-8")
    srt = (DEMO / "formulaic.srt").read_text(encoding="utf-8")
    formulaic_line = next(line for line in srt.splitlines() if "formulaic" in line)
    assert "Criticises" in text
    # The quoted words are the transcript's own (escaping may add backslashes before punctuation).
    quoted = formulaic_line.removeprefix("Pt: ")
    plain = text.replace("\\", "")
    assert quoted in plain
    assert oct(output.stat().st_mode & 0o777) == "0o600"


def test_report_without_a_review_is_one_clear_line(tmp_path):
    code, out, err = run_cli("report", str(DEMO / "formulaic.mp4"), "--review", str(tmp_path / "none.sqlite"))
    assert_one_line_error(code, out, err, "no review yet")
