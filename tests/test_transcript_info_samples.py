"""`review-tui info` on every sample transcript: its cue count, speakers and talk time.

The expected figures are worked out by hand from each file's times (see the comments), not
taken from the program's output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from review_tui import cli
from review_tui.model import format_ms
from tests.media_factory import make_video

DATA = Path(__file__).parent / "data" / "transcripts"

# sample -> (cue count, {speaker label: (cues, talk ms)}); "(no speaker)" for unattributed cues.
EXPECTED = {
    # Th 3.5 + 2.4 + 1.9 s; Pt 4.25 + 5.4 + 3.6 s
    "session.srt": (6, {"Patient": (3, 13_250), "Therapist": (3, 7_800)}),
    # Rivera 3.6 + 3.1 + 2.3; Kim 4.3 + 4.75
    "teams.vtt": (5, {"Alex Kim": (2, 9_050), "Dr Rivera": (3, 9_000)}),
    # Rivera 3.4 + 3.3 + 3.5; Kim 3.8 + 4.4; Lee 2.2
    "zoom.vtt": (6, {"Dr. Rivera": (3, 10_200), "Alex Kim": (2, 8_200), "Sam Lee": (1, 2_200)}),
    # the untimed patient cue counts as a cue but adds no talk
    "missing_start.srt": (4, {"Therapist": (2, 6_000), "Patient": (2, 3_500)}),
    "arrow_identifier.srt": (2, {"Patient": (1, 2_500), "Therapist": (1, 2_000)}),
    "apple.webvtt": (3, {"Dr. Amy Chen": (2, 5_000), "Jo Park": (1, 3_000)}),
    "dotted_times.srt": (2, {"Therapist": (1, 2_500), "Patient": (1, 2_000)}),
    # clamped to 0:00, not pysrt's +4.567 s
    "negative_time.srt": (2, {"Patient": (1, 2_500), "Therapist": (1, 2_000)}),
    # the two credits are nobody's talk: 2.0 + 1.5 s
    "credits.vtt": (
        5,
        {"Maria Lopez": (2, 5_000), "Sam Okafor": (1, 3_500), "(no speaker)": (2, 3_500)},
    ),
    "teams_entities.vtt": (2, {"Farías, Lucía": (1, 3_000), "Nguyễn Lan": (1, 2_500)}),
    # 2.5 + 1.7; 2.8 + 3.6
    "diarised.srt": (4, {"SPEAKER_01": (2, 6_400), "SPEAKER_00": (2, 4_200)}),
    # turns end where the next begins; the last (no recording) lasts 2 s, the least given
    "inline_layout.txt": (4, {"Speaker 2": (2, 7_000), "Speaker 1": (2, 6_000)}),
    "header_layout.txt": (3, {"Dr. Amy Chen": (2, 6_000), "Jo Park": (1, 6_000)}),
    "bracket_layout.txt": (4, {"Patient": (2, 6_000), "Therapist": (2, 6_000)}),
}


def info(capsys, *args: str) -> str:
    code = cli.main(["info", *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def speaker_line(label: str, cues: int, talk_ms: int, total_ms: int) -> str:
    return (
        f"  {label:<22} {cues:>4} cues, {format_ms(talk_ms, millis=False)} talk "
        f"({talk_ms / total_ms:.0%})"
    )


def test_every_sample_is_listed():
    assert sorted(EXPECTED) == sorted(path.name for path in DATA.iterdir())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_info_gives_cue_count_speakers_and_talk_time(capsys, tmp_path, name):
    cue_count, speakers = EXPECTED[name]

    out = info(capsys, str(DATA / name), "--review", str(tmp_path / "r.sqlite"))

    assert f"{name} (" in out and f"), {cue_count} cues, " in out
    lines = out.splitlines()
    total_ms = sum(talk for _, talk in speakers.values())
    for label, (cues, talk_ms) in speakers.items():
        assert speaker_line(label, cues, talk_ms, total_ms) in lines, out
    listed = [line for line in lines if line.startswith("  ") and " cues, " in line]
    assert len(listed) == len(speakers), out


def test_a_plain_transcript_beside_a_video_ends_at_the_recording(capsys, tmp_path):
    video = make_video(tmp_path / "session.mp4", seconds=20)
    shutil.copy(DATA / "bracket_layout.txt", tmp_path / "session.txt")

    out = info(capsys, str(video), "--review", str(tmp_path / "r.sqlite"))

    # The last patient turn runs from 0:11 to the recording's end (20 s), not 2 s.
    assert "session.txt (TEXT, utf-8), 4 cues, 00:01.000–00:20.000" in out
    assert speaker_line("Patient", 2, 4_000 + 9_000, 6_000 + 13_000) in out.splitlines()
