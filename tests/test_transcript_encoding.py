"""Transcripts in every encoding exporting tools write, decoded to the same text."""

from __future__ import annotations

import codecs

import pytest

from review_tui.transcript import decode_text, load_transcript

# Curly quotes, an apostrophe and an accented letter: all differ between the encodings below.
SPOKEN = "I’m “fine”, said the café owner."
SRT = (
    f"1\n00:00:01,000 --> 00:00:03,000\nPt: {SPOKEN}\n\n"
    "2\n00:00:04,000 --> 00:00:05,500\nTh: Go on.\n"
)

ENCODED = [
    ("utf-8", SRT.encode("utf-8")),
    ("utf-8-sig", codecs.BOM_UTF8 + SRT.encode("utf-8")),
    ("cp1252", SRT.encode("cp1252")),
    ("utf-16-le", codecs.BOM_UTF16_LE + SRT.encode("utf-16-le")),
    ("utf-16-be", codecs.BOM_UTF16_BE + SRT.encode("utf-16-be")),
    ("utf-16-le", SRT.encode("utf-16-le")),  # no byte-order mark
    ("utf-16-be", SRT.encode("utf-16-be")),  # no byte-order mark
    ("utf-32-le", codecs.BOM_UTF32_LE + SRT.encode("utf-32-le")),
    ("utf-32-be", codecs.BOM_UTF32_BE + SRT.encode("utf-32-be")),
]


@pytest.mark.parametrize(
    ("encoding", "data"), ENCODED, ids=[f"{e}-{i}" for i, (e, _) in enumerate(ENCODED)]
)
def test_each_encoding_loads_the_same_cues(tmp_path, encoding, data):
    path = tmp_path / "session.srt"
    path.write_bytes(data)

    transcript = load_transcript(path)

    assert transcript.encoding == encoding
    assert [cue.text for cue in transcript.cues] == [SPOKEN, "Go on."]
    assert [cue.speaker for cue in transcript.cues] == ["patient", "therapist"]
    assert [(cue.start_ms, cue.end_ms) for cue in transcript.cues] == [(1000, 3000), (4000, 5500)]
    assert transcript.warnings == []


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_unmarked_utf16_with_few_ascii_words(tmp_path, encoding):
    words = ["治疗师：你今天感觉怎么样？", "我不知道，有点紧张。", "紧张在身体哪里？"]
    blocks = [
        f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\n{text}\n" for n, text in enumerate(words, 1)
    ]
    path = tmp_path / "chinese.srt"
    path.write_bytes("\n".join(blocks).encode(encoding))

    transcript = load_transcript(path)

    assert transcript.encoding == encoding
    assert [cue.text for cue in transcript.cues] == words


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_newlines_keep_line_numbers(newline):
    text, encoding = decode_text(SRT.replace("\n", newline).encode("utf-8"))

    assert encoding == "utf-8"
    assert text == SRT


def test_crlf_file_reports_problems_on_the_right_line(tmp_path):
    path = tmp_path / "crlf.srt"
    path.write_bytes(
        b"1\r\n00:00:01,000 --> 00:00:02,000\r\nHello\r\n\r\n"
        b"2\r\n00:00:03 --> 00:00:04,000\r\nAgain\r\n"
    )

    transcript = load_transcript(path)

    assert [problem.line for problem in transcript.warnings] == [6]
    assert [cue.text for cue in transcript.cues] == ["Hello", "Again"]


def test_unicode_line_separator_does_not_shift_lines(tmp_path):
    # pysrt splits lines on U+2028 too; the decoder turns it into a space so lines stay put.
    text, _ = decode_text("1\n00:00:01,000 --> 00:00:02,000\nsaid\u2028softly\n".encode("utf-8"))

    assert text.split("\n")[2] == "said softly"


def test_utf16_needs_its_pattern_not_just_a_stray_nul():
    data = "plain text".encode("ascii") + b"\x00" + "more".encode("ascii")

    with pytest.raises(ValueError):
        decode_text(data)


def test_cp1252_with_bytes_it_lacks_still_decodes():
    # 0x81 has no cp1252 character; one such byte should not reject a whole file.
    text, encoding = decode_text("caf\xe9 \x93ok\x94 ".encode("latin-1") + b"\x81")

    assert encoding == "cp1252"
    assert text.startswith("café “ok” ")


def test_binary_data_is_not_text():
    with pytest.raises(ValueError, match="binary"):
        decode_text(bytes(range(256)) * 4)
