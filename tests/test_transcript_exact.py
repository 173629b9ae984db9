"""A quote is exact (names and markup as written), search finds whole words, and no control
character or bidi override from a transcript reaches the model."""

from __future__ import annotations

import pytest

from review_tui.text import has_controls
from review_tui.transcript import load_transcript, search_cues

HOSTILE = "\x1b]0;owned\x07Calm\x1b[2J down\x9b31m now\u202eereh"
CLEAN = "Calm down now" + "ereh"


def padded(fmt: str) -> str:
    """Ordinary cues after the hostile ones, as in a real file (a few controls in a short
    file read as binary data and are refused before any cue is made)."""
    if fmt == "txt":
        return "".join(f"[00:01:{n:02d}] Pt: An ordinary line of talk, number {n}.\n" for n in range(30))
    sep = "," if fmt == "srt" else "."
    return "".join(
        f"\n{n + 3}\n00:01:{n:02d}{sep}000 --> 00:01:{n:02d}{sep}500\nPt: An ordinary line, number {n}.\n"
        for n in range(30)
    )


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_names_keep_their_dots_and_one_speaker_is_matched_across_spellings(tmp_path):
    path = write(
        tmp_path,
        "session.srt",
        "1\n00:00:01,000 --> 00:00:02,000\nDr. Amy Chen: Hello.\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nPt: Hi.\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nDr Amy Chen: Sit down.\n",
    )

    transcript = load_transcript(path)

    assert [cue.speaker for cue in transcript.cues] == ["therapist", "patient", "therapist"]
    assert transcript.speakers["therapist"].label == "Dr. Amy Chen"


def test_inline_markup_stays_in_the_quote_after_a_prefix(tmp_path):
    path = write(
        tmp_path, "session.srt", "1\n00:00:01,000 --> 00:00:02,000\n<i>Pt: I was <b>so</b> angry</i>\n"
    )

    cue = load_transcript(path).cues[0]

    assert (cue.speaker, cue.text) == ("patient", "<i>I was <b>so</b> angry</i>")


def test_search_is_whole_words_by_default_and_substring_on_request(tmp_path):
    path = write(
        tmp_path,
        "session.srt",
        "1\n00:00:01,000 --> 00:00:02,000\nIn this voice I speak.\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nHis <b>voice</b> shook.\n",
    )
    transcript = load_transcript(path)

    assert [cue.index for cue in transcript.search("his voice")] == [1]
    assert [cue.index for cue in transcript.search("his voice", whole_words=False)] == [0, 1]
    assert [cue.index for cue in search_cues(transcript, "his voice")] == [1]
    assert [cue.index for cue in search_cues(transcript, "his", whole_words=False)] == [0, 1]
    assert transcript.search("voic") == []


def test_search_does_not_cross_from_one_cue_into_the_next(tmp_path):
    path = write(
        tmp_path,
        "session.srt",
        "1\n00:00:01,000 --> 00:00:02,000\nI felt\n\n2\n00:00:03,000 --> 00:00:04,000\nalone.\n",
    )

    assert load_transcript(path).search("felt alone") == []


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("hostile.srt", f"1\n00:00:01,000 --> 00:00:02,000\nTh: {HOSTILE}\n\n"
         f"2\n00:00:03,000 --> 00:00:04,000\nDr \x1b[31mEvil\u202e: {HOSTILE}\n"),
        ("hostile.vtt", f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Th>{HOSTILE}</v>\n\n"
         f"00:00:03.000 --> 00:00:04.000\n<v Mal\x1b]0;x\x07ory &#27;[2J\u202e>{HOSTILE}</v>\n"),
        ("hostile.txt", f"[00:00:01] Th: {HOSTILE}\n[00:00:03] Mal\x9bory\u202e: {HOSTILE}\n"),
    ],
)
def test_control_characters_never_reach_the_model(tmp_path, name, text):
    text += padded(name.rsplit(".", 1)[1])
    transcript = load_transcript(write(tmp_path, name, text), media_end_ms=200_000)

    assert len(transcript.cues) == 32
    assert [cue.text for cue in transcript.cues[:2]] == [CLEAN, CLEAN]
    hostile_name = transcript.speakers[transcript.cues[1].speaker].label
    assert hostile_name.startswith(("Dr Evil", "Mal")), hostile_name
    for cue in transcript.cues:
        assert not has_controls(cue.text), repr(cue.text)
        assert "\x1b" not in cue.text and "[2J" not in cue.text
    for speaker in transcript.speakers.values():
        assert not has_controls(speaker.label), repr(speaker.label)
        assert not has_controls(speaker.id)
    for problem in transcript.warnings:
        assert not has_controls(problem.message), repr(problem.message)


def test_search_finds_the_right_cue_after_folding_changes_lengths(tmp_path):
    lines = ["Die Straße war leer.", "<i>Große</i> Angst.", "Keine Angst mehr.", "ba a a"]
    path = write(
        tmp_path,
        "session.srt",
        "\n".join(f"{n}\n00:00:0{n},000 --> 00:00:0{n},500\n{text}\n" for n, text in enumerate(lines, 1)),
    )
    transcript = load_transcript(path)

    assert [cue.index for cue in transcript.search("strasse")] == [0]
    assert [cue.index for cue in transcript.search("große angst")] == [1]  # markup ignored
    assert [cue.index for cue in transcript.search("angst mehr")] == [2]
    assert [cue.index for cue in transcript.search("a a")] == [3]  # after a match that fails


def test_kept_markup_reaches_the_reports_as_text_not_markup(tmp_path):
    import datetime

    from review_tui.codebook import load_codebook
    from review_tui.report import build_report, export_markdown
    from review_tui.report.html import render_html
    from review_tui.session import load_session
    from review_tui.store import ReviewStore

    path = write(tmp_path, "s.srt", "1\n00:00:01,000 --> 00:00:04,000\nPt: I was <b>so</b> angry\n")
    session = load_session(path)
    codebook = load_codebook()
    store = ReviewStore.open(
        tmp_path / "s.review.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=codebook
    )
    try:
        author = store.reviewer("A", "supervisor")
        store.add_tag(start_ms=1500, end_ms=None, code_id=codebook.codes[0].id, author=author)
        page = render_html(build_report(store, session, date=datetime.date(2026, 1, 1)))
        export_markdown(store, session, tmp_path / "s.md")
    finally:
        store.close()

    assert "I was &lt;b&gt;so&lt;/b&gt; angry" in page and "<b>so</b>" not in page
    assert "I was \\<b\\>so\\</b\\> angry" in (tmp_path / "s.md").read_text("utf-8")
