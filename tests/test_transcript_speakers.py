"""Speaker prefixes in their common spellings, and colons that are not speakers."""

from __future__ import annotations

import pytest

from review_tui.transcript import load_transcript


def srt(*texts: str) -> str:
    """An SRT with one two-second cue per text."""
    blocks = [
        f"{n}\n00:00:{2 * n:02d},000 --> 00:00:{2 * n + 1:02d},500\n{text}\n"
        for n, text in enumerate(texts, 1)
    ]
    return "\n".join(blocks)


def load(tmp_path, *texts: str):
    path = tmp_path / "session.srt"
    path.write_text(srt(*texts), encoding="utf-8")
    return load_transcript(path)


@pytest.mark.parametrize(
    ("prefix", "speaker_id", "label"),
    [
        ("Th:", "therapist", "Therapist"),
        ("TH:", "therapist", "Therapist"),
        ("T:", "therapist", "Therapist"),
        ("Therapist:", "therapist", "Therapist"),
        ("THERAPIST:", "therapist", "Therapist"),
        ("Dr Rivera:", "therapist", "Dr Rivera"),
        ("Dr. Rivera:", "therapist", "Dr. Rivera"),
        ("Pt:", "patient", "Patient"),
        ("P:", "patient", "Patient"),
        ("PATIENT:", "patient", "Patient"),
        ("Client:", "patient", "Client"),
        ("CLIENT:", "patient", "Client"),
    ],
)
def test_role_prefixes(tmp_path, prefix, speaker_id, label):
    transcript = load(tmp_path, f"{prefix} I hear you.", "No prefix here.")

    first, second = transcript.cues
    assert (first.speaker, first.text) == (speaker_id, "I hear you.")
    assert transcript.speakers[speaker_id].label == label
    assert transcript.speakers[speaker_id].role == speaker_id
    assert second.speaker is None


def test_two_spellings_of_one_doctor_are_one_speaker(tmp_path):
    transcript = load(tmp_path, "Dr. Rivera: Hello.", "Pt: Hi.", "Dr Rivera: Sit down.")

    assert [cue.speaker for cue in transcript.cues] == ["therapist", "patient", "therapist"]
    assert len(transcript.speakers) == 2
    assert transcript.speakers["therapist"].label == "Dr. Rivera"  # first spelling, as written


def test_two_therapists_are_told_apart_by_name(tmp_path):
    transcript = load(
        tmp_path, "Th: Hello.", "Dr Chen: I'm observing.", "Pt: Okay.", "Dr Chen: Go on."
    )

    assert [cue.speaker for cue in transcript.cues] == [
        "therapist",
        "dr-chen",
        "patient",
        "dr-chen",
    ]
    chen = transcript.speakers["dr-chen"]
    assert (chen.label, chen.role) == ("Dr Chen", "therapist")
    assert transcript.speakers["therapist"].label == "Therapist"


def test_continuation_without_prefix_has_no_speaker(tmp_path):
    transcript = load(tmp_path, "Pt: I keep thinking", "about what she said.", "Th: Which part?")

    assert [cue.speaker for cue in transcript.cues] == ["patient", None, "therapist"]
    assert transcript.cues[1].text == "about what she said."


def test_plain_name_on_two_cues_is_a_speaker(tmp_path):
    transcript = load(tmp_path, "Anna Berg: Hello.", "How are you?", "Anna Berg: Fine.", "Good.")

    assert [cue.speaker for cue in transcript.cues] == ["anna-berg", None, "anna-berg", None]
    assert transcript.speakers["anna-berg"].role is None
    assert transcript.cues[2].text == "Fine."


def test_plain_name_once_in_unnamed_text_is_not_a_speaker(tmp_path):
    transcript = load(tmp_path, "Mum: she always said that.", "And I believed her.", "For years.")

    assert transcript.speakers == {}
    assert transcript.cues[0].text == "Mum: she always said that."


@pytest.mark.parametrize(
    "text",
    [
        "Note: this part was inaudible.",
        "10:30 is when it started.",
        "So what I mean is: nothing.",
        "Mum said: go away.",
        "I said Th: no.",
        "t: lowercase letters are not roles.",
        "Re: the letter you sent.",
        "http://example.org: a link",
    ],
)
def test_colons_that_are_not_speakers(tmp_path, text):
    transcript = load(tmp_path, text, text)  # twice, so a repeated name would count

    assert transcript.speakers == {}
    assert [cue.text for cue in transcript.cues] == [text, text]


def test_prefix_only_cue_keeps_the_speaker_and_empty_text(tmp_path):
    transcript = load(tmp_path, "Th:", "Pt: Yes.")

    assert (transcript.cues[0].speaker, transcript.cues[0].text) == ("therapist", "")


def test_unicode_names_are_slugged(tmp_path):
    transcript = load(tmp_path, "José García: Hola.", "José García: Bien.")

    assert transcript.cues[0].speaker == "jose-garcia"
    assert transcript.speakers["jose-garcia"].label == "José García"
