"""A new user, a real terminal (tmux, 160x48), keys alone: tag the demo's rupture and its
repair, link them, quit, reopen and find it all, then read it in `review-tui report`."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from review_tui.report.markdown import duration

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "formulaic"
FORMULAIC_MS = 3 * 60_000 + 26_451
REPAIR_MS = 4 * 60_000 + 2_229
# Typed text and the Enter after it must reach the app as separate reads, as a person's keys do:
# in one burst a terminal app may take them for a paste. A tenth of a second is still far
# apart for a program reading its terminal, and tens of times a key's own processing.
KEY_GAP_S = 0.1
POLL_S = 0.05  # between looks at the screen (one tmux capture each)
# A lone Escape is told from the start of an escape sequence only by the quiet after it
# (Textual waits ESCDELAY, 100 ms): a key sent sooner would arrive as Alt+key.
ESCAPE_GAP_S = 0.3
PAUSED = re.compile(r"Paused\s+\d+:\d\d\.\d{3} / ")  # paused, the clock shows milliseconds


def all_of(*texts: str) -> re.Pattern[str]:
    """A pattern found only in a screen that shows every one of ``texts``: what a test then
    asserts of one capture must be waited for together, since a pane, a dialog's parts or a
    notice can reach the screen a capture apart (seen under a loaded CI)."""
    return re.compile("".join(f"(?=.*{re.escape(text)})" for text in texts), re.DOTALL)


class Tmux:
    """One detached tmux session running one command; the screen is read back as text."""

    def __init__(self, command: list[str], env: dict[str, str], *, size: tuple[int, int] = (160, 48)) -> None:
        self.name = f"review-tui-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        # exec: the pane's process is the app itself, so its pid is the app's. The pane's size
        # must win: Textual takes COLUMNS and LINES over it, and pytest-xdist's workers set
        # them to 80x24 (the tmux server may have been started by one and keep them).
        line = f"cd {shlex.quote(str(ROOT))} && exec env -u COLUMNS -u LINES {exports} {shlex.join(command)}"
        # A tmux server of its own (-L): on the shared default server, a session created just as
        # another test (or another user of the machine) closes the last one meets a server on
        # its way out ("server exited unexpectedly").
        subprocess.run(
            ["tmux", "-L", self.name, "new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]), line],
            check=True,
            timeout=10,
            env={**os.environ, "TMUX": ""},
        )
        # Keep the pane after the app ends, so a crash leaves its message readable.
        self.tmux("set-option", "-t", self.name, "remain-on-exit", "on")
        self.socket = self.tmux("display-message", "-p", "#{socket_path}").strip()

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.name, *args], capture_output=True, text=True, timeout=10, check=False).stdout

    @property
    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    @property
    def ended(self) -> bool:
        return self.tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1"

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)
        time.sleep(ESCAPE_GAP_S if keys and keys[-1] in ("Escape", "Esc") else KEY_GAP_S)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)
        time.sleep(KEY_GAP_S)

    def wait_for(self, pattern: str | re.Pattern[str], timeout: float = 30.0) -> str:
        pattern = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if pattern.search(screen):
                return self.settled(screen, pattern)
            time.sleep(POLL_S)
        raise AssertionError(f"{pattern.pattern!r} never appeared; the screen was:\n{self.screen()}")

    def settled(self, screen: str, pattern: re.Pattern[str]) -> str:
        """``screen`` once a second look shows the same: a capture can catch the app halfway
        through drawing a frame, with the awaited text drawn and the rest not yet."""
        for _ in range(20):
            time.sleep(POLL_S)
            again = self.screen()
            if again == screen or not pattern.search(again):
                return screen
            screen = again
        return screen

    def wait_gone(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(POLL_S)
        raise AssertionError(f"{text!r} stayed on the screen:\n{self.screen()}")

    def wait_ended(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.ended:
            time.sleep(POLL_S)
        assert self.ended, f"the app did not end; the screen was:\n{self.screen()}"

    def close(self) -> None:
        # Its server has no other session: it ends with this one, but leaves its socket file.
        subprocess.run(["tmux", "-L", self.name, "kill-session", "-t", self.name], capture_output=True, timeout=10, check=False)
        if self.socket:
            Path(self.socket).unlink(missing_ok=True)


def missing_piece() -> str | None:
    if shutil.which("tmux") is None:
        return "tmux is not installed"
    if not (DEMO / "formulaic.mp4").is_file():
        return "the demo session has not been generated"
    return None


@pytest.fixture
def session_copy(tmp_path) -> Path:
    """The demo recording and transcript in tmp_path, so the review is written beside them."""
    reason = missing_piece()
    if reason:
        pytest.skip(reason)
    for name in ("formulaic.mp4", "formulaic.srt"):
        shutil.copy(DEMO / name, tmp_path / name)
    return tmp_path / "formulaic.mp4"


def app_env(tmp_path: Path) -> dict[str, str]:
    return {
        "REVIEW_TUI_AUDIO": "null",
        "REVIEW_TUI_DATA_DIR": str(tmp_path / "data"),
        "REVIEW_TUI_CONFIG": str(tmp_path / "config.toml"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }


def ask(term: Tmux, key: str, dialog: str, answer: str) -> None:
    """Press ``key``, wait for the prompt titled ``dialog``, type ``answer`` and Enter."""
    term.keys(key)
    term.wait_for(dialog)
    term.type(answer)
    term.keys("Enter")


def pick_code(term: Tmux, group: str, digit: str) -> None:
    """The two keys of a tag; returns once the tag is made (its details dialog is up)."""
    term.keys(group)
    term.wait_for("digit or Enter picks")
    term.keys(digit)
    term.wait_for("New tag at")


def tag_with_keys(term: Tmux, group: str, digit: str, rating: str, note: str) -> None:
    pick_code(term, group, digit)
    term.type(rating)
    term.keys("Enter")
    term.type(note)
    term.keys("Enter")
    term.wait_gone("New tag at")


def test_a_new_user_tags_an_episode_by_keys_and_finds_it_again(session_copy, tmp_path):
    open_demo = [sys.executable, "-m", "review_tui", "open", str(session_copy)]
    term = Tmux(open_demo, app_env(tmp_path))
    try:
        term.wait_for("Who is reviewing?")
        term.type("Dr Okafor")
        term.keys("Enter")
        term.wait_for("Tagging as Dr Okafor (supervisor)")
        ask(term, "/", "Search the transcript", "formulaic")
        term.wait_for(re.compile(r"Paused\s+03:26\.\d{3} / "))
        tag_with_keys(term, "c", "1", "4", "sarcastic: name the barrier instead of debating")
        ask(term, "g", "Go to time", "4:02.3")
        term.wait_for(re.compile(r"Paused\s+04:02\.\d{3} / "))
        tag_with_keys(term, "r", "5", "3", "owns the debate")
        term.keys("L")
        term.wait_for("Space toggles")  # the episode dialog
        term.wait_for(all_of("rupture → first repair 36 s", "Acknowledges own part"))
        term.keys("Enter")
        term.wait_gone("Space toggles")
        term.keys("q")
        term.wait_ended()
    finally:
        term.close()

    again = Tmux(open_demo, app_env(tmp_path))
    try:
        screen = again.wait_for(PAUSED)
        assert "Who is reviewing?" not in screen, "the reviewer was remembered"
        screen = again.wait_for(all_of("Tags 2", "Criticises therapist", "Acknowledges own part"))
        assert "Traceback" not in screen
        again.keys("q")
        again.wait_ended()
    finally:
        again.close()

    report = subprocess.run(
        [sys.executable, "-m", "review_tui", "report", str(session_copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
        env={**os.environ, **app_env(tmp_path)},
    )
    assert report.returncode == 0, report.stderr
    written = session_copy.with_name("formulaic.review.md")
    assert f"wrote {written}" in report.stdout
    text = written.read_text(encoding="utf-8")
    assert "### Episode 1: 03:26.451 Criticises therapist (Confrontation rupture)" in text
    assert "sarcastic: name the barrier instead of debating" in text
    assert "**Patient** (03:26.451): That sounds a bit formulaic, doesn't it? Like something out of a textbook." in text
    assert "**Therapist** (04:02.229): I just started defending my question, and now you and I are having a debate." in text
    assert f"- **Time to repair:** {duration(REPAIR_MS - FORMULAIC_MS)}" in text
    assert "Dr Okafor" in text


def test_c1_sent_in_one_burst_tags_and_one_ctrl_z_takes_it_back(session_copy, tmp_path):
    """All the keys of a tag in one write to the terminal, as fast typing or an SSH link
    delivers them: none is lost, none lands in the wrong dialog, the app stays up."""
    env = {**app_env(tmp_path), "REVIEW_TUI_REVIEWER": "Dr Okafor:supervisor"}
    term = Tmux([sys.executable, "-m", "review_tui", "open", str(session_copy)], env)
    try:
        term.wait_for(PAUSED)
        # Two tags in one burst; a lost digit would file the first code, a stray Enter would
        # leave a dialog open or close one twice.
        term.tmux("send-keys", "-t", term.name, "c", "3", "Enter", "Enter", "c", "1", "Enter", "Enter")
        screen = term.wait_for(all_of("Tags 2", "Objects to tasks", "Criticises therapist"))
        assert "New tag at" not in screen and "digit or Enter picks" not in screen and "Traceback" not in screen
        term.keys("C-z")
        term.wait_for(all_of("Tags 1", "Undone: add Criticises therapist", "Objects to tasks"))
        term.keys("q")
        term.wait_ended()
    finally:
        term.close()
