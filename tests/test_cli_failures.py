"""What the command line does when things go wrong (issue 7 item 5, issue 8 defect 10): one
line and a non-zero status, never a traceback; an unexpected error leaves its details in a
0600 crash log and not on the terminal; a reader that stops early is not an error."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from review_tui import cli
from review_tui.codebook import load_codebook
from review_tui.store import ReviewStore
from tests.pty_capture import isolated_env, run_on_pty

PYTHON_CLI = [sys.executable, "-m", "review_tui"]
SECRET = "WORDS-A-PATIENT-SAID"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return isolated_env(tmp_path)


def write_transcript(path: Path, cues: int = 20) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(f"{n + 1}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\nTh: line number {n}\n\n" for n in range(cues)),
        encoding="utf-8",
    )
    return path


def crash_logs(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "state" / "crashes").glob("crash-*.log"))


# --- broken pipes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["codebook"], ["doctor"], [], ["info", "{transcript}"]],
    ids=["codebook", "doctor", "no-command-help", "info"],
)
def test_a_reader_that_closed_its_end_gets_no_traceback(argv, env, tmp_path):
    transcript = write_transcript(tmp_path / "notes.srt")
    argv = [part.replace("{transcript}", str(transcript)) for part in argv]
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head` that already has all it wanted: every write fails
    try:
        result = subprocess.run(
            [*PYTHON_CLI, *argv], stdout=write_end, stderr=subprocess.PIPE, env=env, timeout=60
        )
    finally:
        os.close(write_end)
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and "Exception ignored" not in stderr, stderr
    assert result.returncode == 141


def test_codebook_piped_into_head_ends_quietly(env):
    result = subprocess.run(
        f"{' '.join(PYTHON_CLI)} codebook | head -n 2", shell=True, capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.count("\n") == 2
    assert result.stderr == ""


# --- the config ------------------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["reviewer = 5", "codebook = 5"])
def test_a_wrongly_typed_setting_is_one_line_and_status_2(setting, env, tmp_path):
    Path(env["REVIEW_TUI_CONFIG"]).write_text(setting + "\n", encoding="utf-8")
    env.pop("REVIEW_TUI_REVIEWER")
    transcript = write_transcript(tmp_path / "notes.srt")
    result = subprocess.run([*PYTHON_CLI, str(transcript)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "must be a quoted text" in result.stderr, result.stderr
    assert env["REVIEW_TUI_CONFIG"] in result.stderr


def test_a_fifo_as_transcript_is_refused_at_once(env, tmp_path):
    fifo = tmp_path / "notes.srt"
    os.mkfifo(fifo)
    result = subprocess.run([*PYTHON_CLI, "info", str(fifo)], capture_output=True, text=True, env=env, timeout=30)
    assert result.returncode == 2 and "named pipe" in result.stderr


# --- unexpected errors -------------------------------------------------------------------------


def test_an_unexpected_error_before_the_app_goes_to_a_crash_log(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("REVIEW_TUI_STATE_DIR", str(tmp_path / "state"))

    def broken_describe(path, **options):
        clinical = SECRET  # a local variable a traceback with locals would print
        raise RuntimeError(f"bug near {len(clinical)}")

    monkeypatch.setattr("review_tui.info.describe", broken_describe)
    status = cli.main(["info", str(tmp_path / "x.srt")])
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1 and "unexpected error (RuntimeError)" in err
    [log] = crash_logs(tmp_path)
    assert str(log) in err
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: bug near" in text and "broken_describe" in text
    assert SECRET not in text and SECRET not in err


CRASHING_APP = """
import sys
import review_tui.tui.app as app_module

def broken_help(self):
    clinical = {secret!r}  # what Textual would print among the locals
    raise RuntimeError("a bug in help")

app_module.ReviewApp.action_help = broken_help
from review_tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_crash_inside_the_app_exits_non_zero_without_locals_on_the_terminal(env, tmp_path):
    transcript = write_transcript(tmp_path / "notes.srt")
    status, output = run_on_pty(
        [sys.executable, "-c", CRASHING_APP.format(secret=SECRET), str(transcript)],
        env=env,
        keys=[(b"line number", b"?")],  # once the transcript is on screen
        timeout=60,
    )
    shown = output.decode("utf-8", "replace")
    assert status == 1, shown[-2000:]
    assert SECRET not in shown and "Traceback" not in shown
    assert "unexpected error (RuntimeError); details are in" in shown
    [log] = crash_logs(tmp_path)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert "a bug in help" in log.read_text(encoding="utf-8")


# --- notifications are plain text ------------------------------------------------------------


def test_an_error_naming_a_path_with_markup_brackets_is_shown_not_parsed(env, tmp_path):
    """A damaged review file (its state table gone) in a folder named like a markup tag: the
    app's message quotes the path; read as markup, the "[/x]" would end the app."""
    transcript = write_transcript(tmp_path / "take [/x] one" / "notes.srt")
    review = transcript.with_name("notes.review.sqlite")
    ReviewStore.open(review, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook()).close()
    with sqlite3.connect(review) as db:
        db.execute("DROP TABLE state")
    status, output = run_on_pty([*PYTHON_CLI, str(transcript)], env=env, keys=[(b"no such table", b"q")], timeout=60)
    shown = output.decode("utf-8", "replace")
    assert status == 0, shown[-2000:]
    assert "MarkupError" not in shown and "no such table" in shown
