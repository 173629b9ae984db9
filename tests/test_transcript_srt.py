"""SRT faults that pysrt hides: each is reported on its line, and no cue is lost."""

from __future__ import annotations

from pathlib import Path

import pysrt

from review_tui.transcript import load_transcript

DATA = Path(__file__).parent / "data" / "transcripts"


def load(tmp_path, text: str, name: str = "session.srt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_transcript(path)


def warned(transcript, line: int, fragment: str) -> bool:
    return any(p.line == line and fragment in p.message for p in transcript.warnings)


def cue_times(transcript) -> list[tuple[int, int, str]]:
    return [(cue.start_ms, cue.end_ms, cue.text) for cue in transcript.cues]


def test_clean_file_has_no_warnings():
    transcript = load_transcript(DATA / "session.srt")

    assert transcript.format == "srt"
    assert len(transcript.cues) == 6
    assert transcript.warnings == []
    assert transcript.cues[3].text == "I think it's probably a waste of time.\nBut I'm here."
    assert [cue.line for cue in transcript.cues] == [1, 5, 9, 13, 18, 22]


def test_short_arrow_is_recovered(tmp_path):
    text = "1\n00:00:01,000 -> 00:00:02,500\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n"
    assert len(pysrt.from_string(text)) == 1  # the library drops the first cue

    transcript = load(tmp_path, text)

    assert warned(transcript, 2, "arrow '->'")
    assert cue_times(transcript) == [(1000, 2500, "Hello"), (3000, 4000, "World")]


def test_times_without_milliseconds_are_recovered(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\nFirst\n\n2\n00:01:02 --> 00:01:04\nSecond\n"

    transcript = load(tmp_path, text)

    assert warned(transcript, 6, "'00:01:02' has no milliseconds")
    assert warned(transcript, 6, "'00:01:04' has no milliseconds")
    assert (62_000, 64_000, "Second") in cue_times(transcript)


def test_missing_blank_line_splits_merged_cues(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\nHello\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n"
    assert len(pysrt.from_string(text)) == 1  # the library merges them

    transcript = load(tmp_path, text)

    assert warned(transcript, 4, "no blank line between this cue and the cue at line 1")
    assert cue_times(transcript) == [(1000, 2000, "Hello"), (3000, 4000, "World")]
    assert transcript.cues[1].line == 4


def test_missing_blank_line_and_number(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\nHello\n00:00:03,000 --> 00:00:04,000\nWorld\n"

    transcript = load(tmp_path, text)

    assert warned(transcript, 4, "no blank line between")
    assert warned(transcript, 4, "cue has no number")
    assert cue_times(transcript) == [(1000, 2000, "Hello"), (3000, 4000, "World")]


def test_blank_line_inside_a_cue_keeps_its_tail(tmp_path):
    text = (
        "1\n00:00:01,000 --> 00:00:05,000\nI wanted to say\n\nthat it hurt.\n\n"
        "2\n00:00:06,000 --> 00:00:07,000\nOkay.\n"
    )
    assert pysrt.from_string(text)[0].text == "I wanted to say"  # the library loses the tail

    transcript = load(tmp_path, text)

    assert warned(transcript, 4, "blank line inside the cue at line 1; the text after it (line 5)")
    assert cue_times(transcript) == [
        (1000, 5000, "I wanted to say\nthat it hurt."),
        (6000, 7000, "Okay."),
    ]


def test_missing_cue_number(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n00:00:03,000 --> 00:00:04,000\nWorld\n"

    transcript = load(tmp_path, text)

    assert warned(transcript, 5, "cue has no number")
    assert cue_times(transcript) == [(1000, 2000, "Hello"), (3000, 4000, "World")]


def test_numbers_out_of_sequence(tmp_path):
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n3\n00:00:03,000 --> 00:00:04,000\nTwo\n\n"
        "4\n00:00:05,000 --> 00:00:06,000\nThree\n\n2\n00:00:07,000 --> 00:00:08,000\nFour\n"
    )

    transcript = load(tmp_path, text)

    assert warned(transcript, 5, "cue number 3 out of sequence (previous was 1)")
    assert warned(transcript, 13, "cue number 2 out of sequence (previous was 4)")
    assert not any(p.line == 9 for p in transcript.warnings)  # 4 follows 3
    assert [cue.text for cue in transcript.cues] == ["One", "Two", "Three", "Four"]


def test_number_that_is_not_a_number(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2a\n00:00:03,000 --> 00:00:04,000\nWorld\n"

    transcript = load(tmp_path, text)

    assert warned(transcript, 5, "expected a cue number, found '2a'")
    assert (3000, 4000, "World") in cue_times(transcript)


def test_end_before_start_keeps_the_cue(tmp_path):
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nBefore\n\n2\n00:00:09,000 --> 00:00:04,000\nBackwards\n"
    )

    transcript = load(tmp_path, text)

    assert warned(transcript, 6, "cue 2 ends (00:04.000) before it starts (00:09.000)")
    backwards = transcript.cues[1]
    assert (backwards.start_ms, backwards.text) == (9000, "Backwards")
    assert backwards.end_ms == backwards.start_ms


def test_end_only_pysrt_can_read_is_taken_from_it_with_one_warning(tmp_path):
    # Four digits of milliseconds: the scan cannot read the end, pysrt can.
    text = "1\n00:00:01,000 --> 00:00:02,0000\nLoose\n\n2\n00:00:03,000 --> 00:00:04,000\nTight\n"

    transcript = load(tmp_path, text)

    assert [str(p) for p in transcript.warnings] == [
        "session.srt:2: cannot read the end time in '00:00:01,000 --> 00:00:02,0000'; "
        "the cue ends where pysrt reads it (00:02.000)"
    ]
    assert cue_times(transcript) == [(1000, 2000, "Loose"), (3000, 4000, "Tight")]


def test_unreadable_times_keep_the_text_without_a_time(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\nKept\n\n2\n1:2:3:4:5 --> 00:00:04,000\nStill here\n"

    transcript = load(tmp_path, text)

    assert [str(p) for p in transcript.warnings] == [
        "session.srt:6: cannot read the times in '1:2:3:4:5 --> 00:00:04,000'; kept its text "
        "without a time (not counted in talk time)"
    ]
    kept, untimed = transcript.cues
    assert (kept.text, kept.timed) == ("Kept", True)
    assert (untimed.text, untimed.timed, untimed.line) == ("Still here", False, 5)
    assert untimed.start_ms == untimed.end_ms == kept.end_ms  # placed after it, no duration


def test_times_pysrt_reads_are_used_when_they_fit_the_neighbours(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\nKept\n\n2\n00:0x:03,000 --> 00:00:04,000\nGuessed\n"

    transcript = load(tmp_path, text)

    assert [str(p) for p in transcript.warnings] == [
        "session.srt:6: cannot read the times in '00:0x:03,000 --> 00:00:04,000'; used pysrt's "
        "reading (00:03.000–00:04.000), which fits between the cues around it"
    ]
    assert cue_times(transcript) == [(1000, 2000, "Kept"), (3000, 4000, "Guessed")]


def test_text_outside_any_cue(tmp_path):
    text = "Transcript of session 4\nexported 2024\n\n1\n00:00:01,000 --> 00:00:02,000\nHello\n"

    transcript = load(tmp_path, text)

    assert warned(transcript, 1, "text outside any cue is ignored: 'Transcript of session 4'")
    assert len([p for p in transcript.warnings if "outside" in p.message]) == 1
    assert cue_times(transcript) == [(1000, 2000, "Hello")]


def test_cue_without_text(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nWords\n"

    transcript = load(tmp_path, text)

    assert warned(transcript, 1, "cue has no text")
    assert cue_times(transcript) == [(1000, 2000, ""), (3000, 4000, "Words")]


def test_short_fraction_is_read_as_decimal(tmp_path):
    transcript = load(tmp_path, "1\n00:00:01,5 --> 00:00:02,25\nHalf\n")

    assert warned(transcript, 2, "'00:00:01,5' has 1 digit(s) after the seconds")
    assert cue_times(transcript) == [(1500, 2250, "Half")]


def test_markup_is_kept_as_written_and_references_decoded(tmp_path):
    # A quote is exact: the markup the file carries stays, shown literally by the panes.
    transcript = load(
        tmp_path,
        '1\n00:00:01,000 --> 00:00:02,000\n<i>Quietly</i> <font color="red">no</font> &amp; yes\n',
    )

    assert transcript.cues[0].text == '<i>Quietly</i> <font color="red">no</font> & yes'
    assert [cue.index for cue in transcript.search("quietly no")] == [0]  # markup never hides it
