"""WebVTT from Teams (<v> voice spans) and Zoom (Name: text), and what webvtt-py cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest
import webvtt

from review_tui.transcript import load_transcript

DATA = Path(__file__).parent / "data" / "transcripts"


def load(tmp_path, text: str, name: str = "meeting.vtt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_transcript(path)


def warned(transcript, line: int | None, fragment: str) -> bool:
    return any(p.line == line and fragment in p.message for p in transcript.warnings)


@pytest.fixture(scope="module")
def teams():
    return load_transcript(DATA / "teams.vtt")


@pytest.fixture(scope="module")
def zoom():
    return load_transcript(DATA / "zoom.vtt")


def test_teams_voice_spans_name_the_speakers(teams):
    assert teams.format == "vtt"
    assert teams.warnings == []
    assert [cue.speaker for cue in teams.cues] == [
        "therapist",
        "alex-kim",
        "therapist",
        "alex-kim",
        "therapist",
    ]
    rivera, alex = teams.speakers["therapist"], teams.speakers["alex-kim"]
    assert (rivera.label, rivera.role) == ("Dr Rivera", "therapist")
    assert (alex.label, alex.role) == ("Alex Kim", None)


def test_teams_voice_spans_go_and_inline_markup_stays(teams):
    assert (
        teams.cues[1].text
        == "Sure. I guess it's for your supervisor,\nso <i>they</i> can check on you."
    )
    # A voice with a class (<v.loud ...>), a <c> span and cue settings after the times.
    assert teams.cues[2].text == "It is. How does it feel to be <c.yellow>watched</c>?"
    assert (teams.cues[2].start_ms, teams.cues[2].end_ms) == (9900, 13000)
    assert teams.cues[2].line == 14


def test_zoom_names_become_speakers(zoom):
    assert zoom.warnings == []
    assert [cue.speaker for cue in zoom.cues] == [
        "therapist",
        "alex-kim",
        "therapist",
        "alex-kim",
        "sam-lee",
        "therapist",
    ]
    assert zoom.speakers["therapist"].label == "Dr. Rivera"  # the name as the file writes it
    assert (
        zoom.speakers["sam-lee"].label == "Sam Lee"
    )  # said one thing, in a file that names everyone


def test_zoom_text_keeps_colons_that_are_not_speakers(zoom):
    assert zoom.cues[0].text == "Last week you mentioned the meeting at 10:30 with your manager."
    assert zoom.cues[1].text == "Yes. Note: I didn't actually go."


def test_comma_times_dropped_by_webvtt_are_recovered(tmp_path):
    text = (
        "WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nSRT habits\n\n"
        "00:00:03.000 --> 00:00:04.000\nFine\n"
    )
    assert len(webvtt.from_string(text).captions) == 1  # the library drops the first cue

    transcript = load(tmp_path, text)

    assert warned(transcript, 3, "time '00:00:01,000' uses ','")
    assert [(c.start_ms, c.end_ms, c.text) for c in transcript.cues] == [
        (1000, 2000, "SRT habits"),
        (3000, 4000, "Fine"),
    ]


def test_short_arrow_in_webvtt_is_recovered(tmp_path):
    transcript = load(tmp_path, "WEBVTT\n\n1\n00:01.000 -> 00:02.500\nShort arrow\n")

    assert warned(transcript, 4, "arrow '->'")
    assert [(c.start_ms, c.end_ms, c.text) for c in transcript.cues] == [
        (1000, 2500, "Short arrow")
    ]


def test_header_not_on_first_line_falls_back_to_the_scan(tmp_path):
    text = "\n\nWEBVTT\n\n00:01.000 --> 00:02.000\nStill here\n"
    with pytest.raises(webvtt.errors.MalformedFileError):
        webvtt.from_string(text)

    transcript = load(tmp_path, text)

    assert warned(transcript, 3, "the WEBVTT header is on line 3, not the first line")
    assert warned(transcript, None, "webvtt-py could not read this file")
    assert [(c.start_ms, c.text, c.line) for c in transcript.cues] == [(1000, "Still here", 5)]


def test_missing_header_in_a_vtt_file(tmp_path):
    transcript = load(tmp_path, "1\n00:00:01.000 --> 00:00:02.000\nNo header\n")

    assert transcript.format == "vtt"
    assert warned(transcript, 1, "no WEBVTT header")
    assert [c.text for c in transcript.cues] == ["No header"]


def test_srt_content_named_vtt_is_read_as_srt(tmp_path):
    transcript = load(tmp_path, "1\n00:00:01,000 --> 00:00:02,000\nReally SRT\n")

    assert transcript.format == "srt"
    assert warned(transcript, 1, "named .vtt but holds SRT")
    assert [c.text for c in transcript.cues] == ["Really SRT"]


def test_webvtt_content_named_srt_is_read_as_webvtt(tmp_path):
    transcript = load(
        tmp_path, "WEBVTT\n\nNOTE a comment\n\n00:01.000 --> 00:02.000\nReally VTT\n", "x.srt"
    )

    assert transcript.format == "vtt"
    assert warned(transcript, 1, "named .srt but holds WebVTT")
    assert [c.text for c in transcript.cues] == ["Really VTT"]


def test_no_blank_line_after_header(tmp_path):
    transcript = load(tmp_path, "WEBVTT\n00:01.000 --> 00:02.000\nCramped\n")

    assert warned(transcript, 2, "no blank line before this cue")
    assert [c.text for c in transcript.cues] == ["Cramped"]


def test_cue_with_two_voices_is_noted(tmp_path):
    transcript = load(
        tmp_path, "WEBVTT\n\nx-1\n00:01.000 --> 00:03.000\n<v Ann>Hi.</v> <v Bob>Hello.</v>\n"
    )

    assert warned(transcript, 3, "several voices (Ann, Bob); shown as Ann")
    assert (transcript.cues[0].speaker, transcript.cues[0].text) == ("ann", "Hi. Hello.")


def test_blank_line_inside_a_webvtt_cue_keeps_its_tail(tmp_path):
    text = "WEBVTT\n\nc1\n00:01.000 --> 00:05.000\n<v Therapist>What do you\n\nnotice now?</v>\n"
    assert webvtt.from_string(text).captions[0].text == "What do you"  # the tail is dropped

    transcript = load(tmp_path, text)

    assert warned(transcript, 6, "blank line inside the cue at line 3; the text after it (line 7)")
    cue = transcript.cues[0]
    assert (cue.speaker, cue.text) == ("therapist", "What do you\nnotice now?")
    assert transcript.speakers["therapist"].label == "Therapist"


def test_inline_timestamps_and_entities_are_stripped(tmp_path):
    transcript = load(
        tmp_path, "WEBVTT\n\n00:01.000 --> 00:04.000\nWell<00:02.000> I &lt;think&gt; so\n"
    )

    assert transcript.cues[0].text == "Well I <think> so"
