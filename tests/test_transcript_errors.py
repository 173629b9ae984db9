"""Files with nothing usable in them: one line naming the file, never a traceback."""

from __future__ import annotations

import codecs
import json

import pytest

from review_tui.model import ReviewTuiError, TranscriptError
from review_tui.transcript import load_transcript

UNUSABLE = {
    "empty": b"",
    "blank-lines": b"\n\n  \n",
    "utf16-blank": codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"),
    "binary": bytes(range(256)) * 16,
    "png-header": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
    "prose": b"Dear colleague,\nhere are my notes: see you at 10:30.\n",
    "json": json.dumps({"cues": [{"start": 1, "text": "hi"}]}).encode(),
    "vtt-header-only": b"WEBVTT\n\nNOTE nothing else\n",
    "unreadable-times": b"1\n1:2:3:4:5 --> 00:00:02,000\nHello\n",
}


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_unusable_files_raise_one_line(tmp_path, name):
    path = tmp_path / f"{name}.srt"
    path.write_bytes(UNUSABLE[name])

    with pytest.raises(TranscriptError) as caught:
        load_transcript(path)

    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert isinstance(caught.value, ReviewTuiError)


def test_messages_say_what_is_wrong(tmp_path):
    cases = {"empty": "empty file", "binary": "binary data", "prose": "not a transcript"}
    for name, expected in cases.items():
        path = tmp_path / f"{name}.srt"
        path.write_bytes(UNUSABLE[name])
        with pytest.raises(TranscriptError, match=expected):
            load_transcript(path)


def test_unreadable_times_are_named(tmp_path):
    path = tmp_path / "times.srt"
    path.write_bytes(UNUSABLE["unreadable-times"])

    with pytest.raises(
        TranscriptError, match=r"no readable cue \(line 2: cannot read the times in '1:2:3:4:5"
    ):
        load_transcript(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(TranscriptError, match="no such file"):
        load_transcript(tmp_path / "absent.vtt")
    with pytest.raises(TranscriptError, match="is a folder"):
        load_transcript(tmp_path)
