"""The demo in a real terminal: tmux 160x48, keys sent, the screen read back as text."""

from __future__ import annotations

import os
import re
import shutil
import shlex
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from review_tui.model import format_ms

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "formulaic"
CLOCK = re.compile(r"(Paused|Playing)\s+(\d+):(\d\d)(?:\.\d{3})? / \d+:\d\d")
LIT_CUE = re.compile(r"▶\s+(\d+:\d\d)\s")


def missing_piece() -> str | None:
    if shutil.which("tmux") is None:
        return "tmux is not installed"
    if not (ROOT / "review_tui" / "__main__.py").is_file() or not (ROOT / "review_tui" / "cli.py").is_file():
        return "the command line (review_tui/cli.py, __main__.py) is not there yet"
    if not (DEMO / "formulaic.mp4").is_file() or not (DEMO / "formulaic.srt").is_file():
        return "the demo session (examples/formulaic) has not been generated yet"
    return None


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.name, *args], capture_output=True, text=True, timeout=10)
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def wait_for(self, pattern: re.Pattern[str], timeout: float = 30.0, *, until=lambda found: True) -> re.Match[str]:
        """The first match of ``pattern`` on the screen for which ``until(match)`` holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = pattern.search(self.screen())
            if found and until(found):
                return found
            time.sleep(0.05)
        raise AssertionError(f"{pattern.pattern!r} never appeared; the screen was:\n{self.screen()}")


@pytest.fixture
def terminal(tmp_path):
    reason = missing_piece()
    if reason:
        pytest.skip(reason)
    name = f"review-tui-{uuid.uuid4().hex[:8]}"
    env = {
        "REVIEW_TUI_AUDIO": "null",
        "REVIEW_TUI_REVIEWER": "E2E Tester:supervisor",  # no reviewer prompt in the way
        "REVIEW_TUI_DATA_DIR": str(tmp_path / "data"),
        "REVIEW_TUI_CONFIG": str(tmp_path / "config.toml"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
    exports = " ".join(shlex.quote(f"{key}={value}") for key, value in env.items())
    review = tmp_path / "demo.review.sqlite"
    # Unset: the pane's size must win over COLUMNS/LINES inherited from a pytest-xdist worker.
    command = f"cd {ROOT} && env -u COLUMNS -u LINES {exports} {sys.executable} -m review_tui demo --review {review}"
    subprocess.run(
        # Its own tmux server (-L): a shared one may be exiting as another test ends its last session.
        ["tmux", "-L", name, "new-session", "-d", "-s", name, "-x", "160", "-y", "48", command],
        check=True,
        timeout=10,
        env={**os.environ, "TMUX": ""},
    )
    terminal = Terminal(name)
    socket = terminal.tmux("display-message", "-p", "#{socket_path}").strip()
    yield terminal
    subprocess.run(["tmux", "-L", name, "kill-session", "-t", name], capture_output=True, timeout=10)
    if socket:  # the server ends with its only session but leaves its socket file
        Path(socket).unlink(missing_ok=True)


def clock_ms(found: re.Match[str]) -> int:
    return (int(found.group(2)) * 60 + int(found.group(3))) * 1000


def test_the_demo_plays_with_picture_and_transcript_in_step(terminal):
    from review_tui.transcript import load_transcript

    start = terminal.wait_for(re.compile(r"Paused\s+\d+:\d\d\.\d{3} / "))
    assert start, "a session opens paused"
    opened = clock_ms(terminal.wait_for(CLOCK))
    terminal.send("Space")
    # Playing until the clock has moved two seconds on (not a fixed sleep: a loaded machine
    # starts playing later, an idle one sooner).
    playing = terminal.wait_for(CLOCK, until=lambda found: found.group(1) == "Playing" and clock_ms(found) - opened >= 2000)
    assert playing.group(1) == "Playing"
    terminal.send("Space")
    paused = terminal.wait_for(re.compile(CLOCK.pattern.replace("(Paused|Playing)", "(Paused)")))
    position = clock_ms(paused)
    assert position - opened >= 2000, "two seconds of play moved the clock"
    screen = terminal.screen()

    transcript = load_transcript(DEMO / "formulaic.srt")
    # The clock shows whole seconds: the true position is somewhere in the next 1000 ms.
    expected = {
        format_ms(transcript.cues[index].start_ms, millis=False)
        for ms in range(position, position + 1000, 50)
        if (index := transcript.index_at(ms)) is not None
    }
    lit = LIT_CUE.findall(screen)
    assert len(lit) == 1 and lit[0] in expected, screen
    assert screen.count("▀") > 1000, "the picture is drawn in half blocks"
    lines = screen.splitlines()
    assert "formulaic.mp4" in lines[0] and "Transcript" in lines[0], "nothing printed over the top"
    assert "Traceback" not in screen and "ALSA" not in screen

    terminal.send("q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "Paused" in terminal.screen():
        time.sleep(0.05)
    assert "Paused" not in terminal.screen(), "q quits"
