"""Issue 9's dialects, each from a sample file in tests/data/transcripts that showed it."""

from __future__ import annotations

import shutil
from pathlib import Path

from review_tui.session import resolve_paths
from review_tui.transcript import load_transcript, summarise
from tests.media_factory import make_video

DATA = Path(__file__).parent / "data" / "transcripts"


def messages(transcript) -> list[str]:
    return [str(problem) for problem in transcript.warnings]


def test_cue_without_a_start_is_kept_as_text_and_never_timed():
    transcript = load_transcript(DATA / "missing_start.srt")

    texts = [(cue.text, cue.timed) for cue in transcript.cues]
    assert texts == [
        ("What would you like to start with?", True),
        ("I nearly did not come.", False),
        ("What made you come anyway?", True),
        ("I promised I would.", True),
    ]
    # Not glued into the cue before, and not given pysrt's 0:00 -> 2:00:10 span.
    assert transcript.cues[0].text.count("\n") == 0
    assert transcript.span_ms == (1000, 12000)
    assert transcript.talk_time_ms() == {"therapist": 6000, "patient": 3500}
    assert messages(transcript) == [
        "missing_start.srt:6: cannot read the times in '--> 02:00:10,901'; kept its text "
        "without a time (not counted in talk time)"
    ]


def test_talk_time_summary_never_counts_an_untimed_cue():
    summary = summarise(load_transcript(DATA / "missing_start.srt"))

    patient = next(entry for entry in summary.speakers if entry.id == "patient")
    assert (patient.cue_count, patient.talk_ms) == (2, 3500)


def test_arrow_identifier_is_one_cue_and_one_warning():
    transcript = load_transcript(DATA / "arrow_identifier.srt")

    assert [(cue.start_ms, cue.text) for cue in transcript.cues] == [
        (1000, "Take your time."),
        (3500, "I am trying."),
    ]
    assert messages(transcript) == ["arrow_identifier.srt:1: expected a cue number, found '-->'"]


def test_arrow_identifier_in_webvtt_is_one_cue(tmp_path):
    path = tmp_path / "arrows.vtt"
    path.write_text(
        "WEBVTT\n\n- - > -- > - -> -- <--\n00:00:01.000 --> 00:00:02.000\nOne cue.\n", "utf-8"
    )

    transcript = load_transcript(path)

    assert [cue.text for cue in transcript.cues] == ["One cue."]
    assert transcript.warnings == []


def test_unreadable_timing_is_not_called_a_blank_line(tmp_path):
    path = tmp_path / "session.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n--> 00:00:04,000\nLater\n", "utf-8"
    )

    transcript = load_transcript(path)

    assert len(transcript.warnings) == 1
    assert "blank line" not in transcript.warnings[0].message
    assert "kept its text without a time" in transcript.warnings[0].message
    assert transcript.warnings[0].line == 6


def test_webvtt_extension_is_read_and_paired_with_its_recording(tmp_path):
    transcript = load_transcript(DATA / "apple.webvtt")
    assert transcript.format == "vtt"
    assert [cue.speaker for cue in transcript.cues] == ["therapist", "jo-park", "therapist"]

    video = make_video(tmp_path / "session.mp4", seconds=1)
    shutil.copy(DATA / "apple.webvtt", tmp_path / "session.webvtt")
    assert resolve_paths(tmp_path / "session.webvtt") == (video, tmp_path / "session.webvtt")
    assert resolve_paths(video) == (video, tmp_path / "session.webvtt")


def test_transcript_with_an_odd_name_is_told_by_its_content(tmp_path):
    odd = tmp_path / "session.captions"
    shutil.copy(DATA / "session.srt", odd)

    assert resolve_paths(odd) == (None, odd)
    assert load_transcript(odd).format == "srt"


def test_notes_named_txt_beside_a_recording_are_not_taken_for_a_transcript(tmp_path):
    video = make_video(tmp_path / "session.mp4", seconds=1)
    (tmp_path / "session.txt").write_text("Notes for supervision: ask about 10:30.\n", "utf-8")

    assert resolve_paths(video) == (video, None)


def test_dots_for_colons_are_read_with_a_warning():
    transcript = load_transcript(DATA / "dotted_times.srt")

    assert [(cue.start_ms, cue.end_ms) for cue in transcript.cues] == [(1000, 3500), (4000, 6000)]
    assert messages(transcript) == [  # one warning per line, naming both times
        "dotted_times.srt:2: time '00.01.000' uses dots for colons; "
        "time '00.03.500' uses dots for colons",
        "dotted_times.srt:6: time '00.04.000' uses dots for colons; "
        "time '00.06.000' uses dots for colons",
    ]


def test_negative_time_is_clamped_to_zero_not_mirrored():
    transcript = load_transcript(DATA / "negative_time.srt")

    first = transcript.cues[0]
    assert (first.start_ms, first.end_ms) == (0, 2000)  # pysrt alone says 4567
    assert messages(transcript) == [
        "negative_time.srt:2: negative time '-00:00:04,567' set to 00:00.000"
    ]


def test_credit_lines_are_not_speakers():
    transcript = load_transcript(DATA / "credits.vtt")

    assert sorted(transcript.speakers) == ["maria-lopez", "sam-okafor"]
    assert transcript.cues[0].speaker is None
    assert transcript.cues[0].text == "Subtitles: @quickcaptions"
    assert transcript.cues[-1].text == "Transcribed: Acme Transcripts Ltd"


def test_a_credit_word_inside_the_session_is_still_a_speaker(tmp_path):
    path = tmp_path / "named.srt"
    blocks = ["Edited: one", "Ann: two", "Edited: three", "Ann: four"]
    path.write_text(
        "\n".join(
            f"{n}\n00:00:0{n},000 --> 00:00:0{n},500\n{text}\n" for n, text in enumerate(blocks, 1)
        ),
        "utf-8",
    )

    assert sorted(load_transcript(path).speakers) == ["ann", "edited"]


def test_character_references_are_decoded_in_voices_and_text():
    transcript = load_transcript(DATA / "teams_entities.vtt")

    labels = [transcript.speakers[cue.speaker].label for cue in transcript.cues]
    assert labels == ["Farías, Lucía", "Nguyễn Lan"]
    assert transcript.cues[0].text == "Tom & I went to the café."


def test_diarised_labels_are_speakers():
    transcript = load_transcript(DATA / "diarised.srt")

    assert [cue.speaker for cue in transcript.cues] == [
        "speaker-00",
        "speaker-01",
        "speaker-00",
        "speaker-01",
    ]
    assert transcript.speakers["speaker-00"].label == "SPEAKER_00"
    assert transcript.cues[0].text == "Thanks for coming in today."


def test_speaker_n_is_a_diarised_speaker_even_once(tmp_path):
    path = tmp_path / "asr.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nSpeaker 1: Hello.\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nno label here\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nand none here\n",
        "utf-8",
    )

    transcript = load_transcript(path)

    assert transcript.cues[0].speaker == "speaker-1"
    assert transcript.speakers["speaker-1"].label == "Speaker 1"


def test_a_lost_end_time_is_guessed_from_the_next_cue_and_said_so(tmp_path):
    path = tmp_path / "session.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:0x,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n"
        "\n3\n00:00:05,000 -->\nLast words here\n",
        "utf-8",
    )

    transcript = load_transcript(path, media_end_ms=3_600_000)

    assert [(cue.start_ms, cue.end_ms) for cue in transcript.cues] == [
        (1000, 3000),  # where the next cue begins
        (3000, 4000),
        (5000, 7000),  # its words' time, not the hour-long recording's end
    ]
    assert [problem.line for problem in transcript.warnings] == [2, 10]
    assert "ends where the next cue begins" in transcript.warnings[0].message
