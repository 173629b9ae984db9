"""The bundled ffmpeg is checked once and remembered: later starts neither import
imageio-ffmpeg nor run `ffmpeg -version`, until the binary or the install changes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import imageio_ffmpeg
import pytest

from review_tui.media import ffmpeg_memo

FIND = """
import json, sys
from review_tui.media.ffmpeg import find_ffmpeg
binary = find_ffmpeg()
print(json.dumps({"path": binary.path, "source": binary.source,
                  "imported_imageio": "imageio_ffmpeg" in sys.modules}))
"""


def find_in_fresh_process(state_dir) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("REVIEW_TUI_FFMPEG", "IMAGEIO_FFMPEG_EXE")}
    env["REVIEW_TUI_STATE_DIR"] = str(state_dir)
    result = subprocess.run([sys.executable, "-c", FIND], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def remembered_binary(folder):
    """A stand-in executable, remembered as if it had answered `-version`."""
    binary = folder / "ffmpeg-copy"
    binary.write_bytes(b"#!/bin/sh\n")
    binary.chmod(0o700)
    ffmpeg_memo.remember(str(binary))
    return binary


@pytest.fixture
def state(tmp_path, monkeypatch):
    folder = tmp_path / "state"
    monkeypatch.setenv("REVIEW_TUI_STATE_DIR", str(folder))
    return folder


def test_the_first_start_asks_imageio_and_the_next_one_remembers(state):
    first = find_in_fresh_process(state)
    assert first["source"] == "imageio-ffmpeg"
    assert first["path"] == imageio_ffmpeg.get_ffmpeg_exe()
    assert first["imported_imageio"] is True
    memo = state / ffmpeg_memo.MEMO_NAME
    assert stat.S_IMODE(memo.stat().st_mode) == 0o600
    assert json.loads(memo.read_text())["path"] == first["path"]

    second = find_in_fresh_process(state)
    assert second == {**first, "imported_imageio": False}


def test_a_replaced_binary_is_checked_again(state, tmp_path):
    binary = remembered_binary(tmp_path)
    assert ffmpeg_memo.recall() == str(binary)

    binary.write_bytes(b"#!/bin/sh\necho another build\n")  # size and time change
    assert ffmpeg_memo.recall() is None


def test_a_deleted_or_no_longer_executable_binary_is_not_recalled(state, tmp_path):
    binary = remembered_binary(tmp_path)
    binary.chmod(0o600)
    assert ffmpeg_memo.recall() is None
    binary.unlink()
    assert ffmpeg_memo.recall() is None


def test_a_memo_from_another_install_is_not_recalled(state, tmp_path):
    binary = remembered_binary(tmp_path)
    memo = json.loads(ffmpeg_memo.memo_path().read_text())
    memo["package"] = str(tmp_path / "other-site-packages" / "imageio_ffmpeg")
    ffmpeg_memo.memo_path().write_text(json.dumps(memo))
    assert ffmpeg_memo.recall() is None


@pytest.mark.parametrize("content", ["", "{", "[]", '{"path": 3}', '{"path": "/x", "size": 1}'])
def test_a_damaged_memo_means_asking_again(state, content):
    state.mkdir(parents=True)
    ffmpeg_memo.memo_path().write_text(content)
    assert ffmpeg_memo.recall() is None
    found = find_in_fresh_process(state)
    assert found["imported_imageio"] is True and found["path"] == imageio_ffmpeg.get_ffmpeg_exe()


def test_an_unwritable_state_folder_only_means_checking_every_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder would be")
    monkeypatch.setenv("REVIEW_TUI_STATE_DIR", str(blocker / "state"))
    ffmpeg_memo.remember(imageio_ffmpeg.get_ffmpeg_exe())  # no exception
    assert ffmpeg_memo.recall() is None
    assert find_in_fresh_process(blocker / "state")["path"] == imageio_ffmpeg.get_ffmpeg_exe()
