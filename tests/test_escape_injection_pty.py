"""Hostile text never reaches the user's terminal as control bytes (issue 7, item 1).

Each surface is run for real on a pseudo-terminal and every byte written to it is recorded:
`review-tui info`, `review-tui codebook`, an error message, and the app itself. The inputs
carry an OSC title change, a clear-screen, an 8-bit CSI and a right-to-left override next to
marker words; the markers must reach the screen as text, the sequences beside them never.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from review_tui.codebook import load_codebook
from review_tui.codebook.loader import codebook_to_dict
from review_tui.session import load_session
from review_tui.store import ReviewStore
from tests.media_factory import make_video
from tests.pty_capture import CLEAR_MARKER, HOSTILE, TITLE_MARKER, dangerous_sequences, isolated_env, run_on_pty

# A file name can hold every byte but "/" and NUL: this one holds the whole attack.
HOSTILE_NAME = f"take {HOSTILE}"
REVIEW_TUI = [sys.executable, "-m", "review_tui"]


def terminal_env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path, "no-config.toml")


def hostile_vtt(path: Path, cues: int = 40) -> Path:
    """A long ordinary transcript with a hostile cue and a hostile voice name among its lines
    (few enough controls that it is read as text, as a real service's file would be)."""
    blocks = ["WEBVTT\n"]
    for number in range(cues):
        text = f"<v Therapist>An ordinary line of the session, number {number}, said slowly."
        if number == 1:
            text = f"<v Therapist>{HOSTILE} in a cue"
        if number == 2:
            text = f"<v Dr {HOSTILE}>hello there"
        start = number * 250
        blocks.append(f"00:00:{start // 1000:02d}.{start % 1000:03d} --> 00:00:{(start + 240) // 1000:02d}.{(start + 240) % 1000:03d}\n{text}\n")
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def hostile_codebook_dict() -> dict:
    data = codebook_to_dict(load_codebook())
    data["label"] = f"Book {HOSTILE}"
    data["groups"][0]["label"] = f"Group {HOSTILE}"
    data["groups"][0]["codes"][0]["label"] = f"Code {HOSTILE}"
    data["groups"][0]["codes"][0]["meaning"] = f"Meaning {HOSTILE}"
    return data


def plant_hostile_review(anchor: Path) -> Path:
    """A colleague's review file, its rows written directly with sqlite3 as a hostile tool
    would: reviewer names, a note, the codebook snapshot and an undo step all carry escapes."""
    session = load_session(anchor)
    media_fingerprint, transcript_fingerprint = session.fingerprints()
    review = anchor.with_name(anchor.stem + ".review.sqlite")
    store = ReviewStore.open(
        review,
        media_fingerprint=media_fingerprint,
        transcript_fingerprint=transcript_fingerprint,
        codebook=load_codebook(),
    )
    colleague = store.reviewer("Colleague", "rater")
    user = store.reviewer("Ann Lee", "supervisor")  # who runs the app (REVIEW_TUI_REVIEWER)
    first_code = load_codebook().groups[0].codes[0].id
    store.add_tag(start_ms=300, end_ms=None, code_id=first_code, note="plain", author=colleague)
    store.close()
    db = sqlite3.connect(review)
    with db:
        db.execute("UPDATE reviewers SET name = ? WHERE id = ?", (f"Colleague {HOSTILE}", colleague.id))
        db.execute("UPDATE tags SET note = ?", (f"Note {HOSTILE}",))
        db.execute("UPDATE codebook SET snapshot = ?", (json.dumps(hostile_codebook_dict()),))
        # The user's own newest undo step, so ctrl+z in the app shows its description.
        db.execute(
            "INSERT INTO undo_log (description, changes, author_id) VALUES (?, '[]', ?)", (f"step {HOSTILE}", user.id)
        )
    db.close()
    return review


@pytest.fixture(scope="module")
def hostile_session(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    video = make_video(folder / f"{HOSTILE_NAME}.mp4", seconds=10, size="160x120", fps=10)
    hostile_vtt(video.with_suffix(".vtt"))
    plant_hostile_review(video)
    return video


def assert_nothing_dangerous(output: bytes, *, shown: tuple[str, ...] = (CLEAR_MARKER,)) -> None:
    assert dangerous_sequences(output) == [], output.decode("utf-8", "replace")[-3000:]
    # The hostile text did reach the screen, as harmless text (an OSC is dropped whole, payload
    # and all, so the clear-screen marker is the one that always shows).
    for marker in shown:
        assert marker.encode() in output, f"{marker} never shown: the surface was not exercised"


def test_info_on_a_hostile_session_prints_no_control_bytes(hostile_session, tmp_path):
    status, output = run_on_pty([*REVIEW_TUI, "info", str(hostile_session)], env=terminal_env(tmp_path))
    assert status == 0, output
    assert_nothing_dangerous(output)
    assert b"Colleague" in output and b"Book" in output  # the review's names and codebook were read


def test_codebook_command_prints_no_control_bytes(tmp_path):
    book = tmp_path / "hostile.toml"
    lines = [
        f'id = "hostile"\nversion = "1"\nlabel = "Book {HOSTILE}"\n',
        f'[[groups]]\nid = "one"\nkey = "w"\nlabel = "Group {HOSTILE}"\n',
        f'[[groups.codes]]\nid = "first"\nlabel = "Code {HOSTILE}"\nmeaning = "Meaning {HOSTILE}"\n',
    ]
    # TOML basic strings cannot hold raw controls, so they come in as \u escapes, as a crafted file would.
    escaped = "".join(lines).translate({code: f"\\u{code:04X}" for code in (0x1B, 0x07, 0x9B, 0x202E)})
    book.write_text(escaped, encoding="utf-8")
    status, output = run_on_pty([*REVIEW_TUI, "codebook", str(book)], env=terminal_env(tmp_path))
    assert status == 0, output
    assert_nothing_dangerous(output)


def test_an_error_naming_a_hostile_file_prints_no_control_bytes(tmp_path):
    missing = tmp_path / f"{HOSTILE_NAME}.mp4"
    status, output = run_on_pty([*REVIEW_TUI, "info", str(missing)], env=terminal_env(tmp_path))
    assert status == 2
    assert b"no such file" in output
    assert_nothing_dangerous(output)
    assert "␛".encode() in output and TITLE_MARKER.encode() in output  # the name, its escapes made visible


def test_the_app_on_a_hostile_session_leaves_the_terminal_alone(hostile_session, tmp_path):
    # Once the transcript is drawn: next tag, ctrl+z (a hostile step), then quit once it answered.
    keys = [(b"in a cue", b"j"), (1.0, b"\x1a"), (b"Undone", b"q")]
    status, output = run_on_pty(
        [*REVIEW_TUI, str(hostile_session)], env=terminal_env(tmp_path), keys=keys, timeout=90
    )
    assert status == 0, output.decode("utf-8", "replace")[-2000:]
    assert_nothing_dangerous(output)
    for shown in (b"Note", b"Dr", b"in a cue", b"Undone"):
        assert shown in output, f"{shown!r} never drawn"


def test_in_tmux_the_pane_title_and_screen_survive_a_hostile_session(hostile_session, tmp_path):
    """The done-when of issue 7 item 1, in a real terminal emulator: tmux takes an OSC 0 as
    the pane's title and ESC[2J as a clear, so either reaching it would show."""
    import re
    import shlex
    import shutil
    import subprocess
    import time
    import uuid

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    name = f"safety-{uuid.uuid4().hex[:8]}"
    env = terminal_env(tmp_path)
    exports = " ".join(
        shlex.quote(f"{key}={env[key]}")
        for key in ("REVIEW_TUI_REVIEWER", "REVIEW_TUI_CONFIG", "REVIEW_TUI_DATA_DIR", "REVIEW_TUI_STATE_DIR", "REVIEW_TUI_AUDIO")
    )
    # COLUMNS/LINES unset: the pane's size must win over a pytest-xdist worker's 80x24.
    command = f"env -u COLUMNS -u LINES {exports} TERM=tmux-256color {shlex.join(REVIEW_TUI)} {shlex.quote(str(hostile_session))}"

    def tmux(*args: str) -> str:
        # Its own tmux server (-L): a shared one may be exiting as another test ends its last session.
        return subprocess.run(["tmux", "-L", name, *args], capture_output=True, text=True, timeout=10, env={**os.environ, "TMUX": ""}).stdout

    tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "48", command)
    socket = tmux("display-message", "-p", "#{socket_path}").strip()
    try:
        tmux("set-option", "-t", name, "remain-on-exit", "on")
        deadline = time.monotonic() + 30
        while "in a cue" not in (screen := tmux("capture-pane", "-p", "-t", name)) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert "in a cue" in screen, screen
        time.sleep(1.0)  # let every pane draw
        assert TITLE_MARKER not in tmux("display-message", "-p", "-t", name, "#{pane_title}")
        screen = tmux("capture-pane", "-p", "-t", name)
        assert re.search(r"Paused\s+\d+:\d\d", screen), screen  # the status row was not wiped
        assert "Transcript" in screen
    finally:
        tmux("kill-session", "-t", name)
        if socket:  # the server ends with its only session but leaves its socket file
            Path(socket).unlink(missing_ok=True)
