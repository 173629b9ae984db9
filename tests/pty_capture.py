"""Run a command on a real pseudo-terminal and keep every byte it writes to it.

A terminal obeys whatever escape sequences reach it, so the only honest test that hostile text
never reaches the user's terminal records the bytes at the terminal end of a pty.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import termios
import time
from collections.abc import Sequence
from pathlib import Path

# Markers carried by hostile inputs; a sequence is dangerous where it sits right next to one.
TITLE_MARKER = "PWNED"
CLEAR_MARKER = "WIPED"
COLOUR_MARKER = "BACKDROP"
HOSTILE = f"\x1b]0;{TITLE_MARKER}\x07 \x1b[2J{CLEAR_MARKER} \x1b[41m{COLOUR_MARKER} \x9b31mRED \u202eEVIL"


def dangerous_sequences(output: bytes) -> list[str]:
    """What of ``HOSTILE`` reached the terminal as control bytes (empty: nothing did)."""
    found = []
    checks = {
        "OSC title": b"\x1b]0;" + TITLE_MARKER.encode(),
        "BEL after title": TITLE_MARKER.encode() + b"\x07",
        "clear screen": b"\x1b[2J" + CLEAR_MARKER.encode(),
        "colour": b"\x1b[41m" + COLOUR_MARKER.encode(),
        "8-bit CSI": "\x9b".encode("utf-8"),
        "raw 8-bit CSI": b"\x9b31m",
        "right-to-left override": "\u202e".encode("utf-8"),
    }
    for name, needle in checks.items():
        if needle in output:
            found.append(name)
    return found


def isolated_env(tmp_path: Path, config_name: str = "config.toml") -> dict[str, str]:
    """The environment of an app run by a test: a named reviewer (so no prompt takes the keys),
    no sound card, and config, data and state folders of its own under ``tmp_path``."""
    return dict(
        os.environ,
        TERM="xterm-256color",
        REVIEW_TUI_REVIEWER="Ann Lee:supervisor",
        REVIEW_TUI_CONFIG=str(tmp_path / config_name),
        REVIEW_TUI_DATA_DIR=str(tmp_path / "data"),
        REVIEW_TUI_STATE_DIR=str(tmp_path / "state"),
        REVIEW_TUI_AUDIO="null",
    )


KEY_SETTLE_S = 0.5  # after the awaited bytes are drawn, for the app to be ready for keys


def run_on_pty(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    keys: Sequence[tuple[float | bytes, bytes]] = (),
    timeout: float = 60.0,
    columns: int = 160,
    rows: int = 48,
) -> tuple[int, bytes]:
    """Run ``argv`` on a fresh pty of ``columns`` x ``rows``; send each (delay, bytes) of
    ``keys`` after its delay. A delay given as bytes waits instead until those bytes have been
    drawn (then a short settle), so a loaded machine's slow start cannot make a key arrive
    before the screen it is meant for. Returns (exit status, everything written to the terminal)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin, stdout and stderr are the pty
        try:
            # The pty's own size must win: Textual takes COLUMNS and LINES over it, and some
            # runners (pytest-xdist's workers) set them to 80x24.
            child_env = {key: value for key, value in (env if env is not None else os.environ).items() if key not in ("COLUMNS", "LINES")}
            os.execvpe(argv[0], list(argv), child_env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    output = bytearray()
    pending = list(keys)
    started = time.monotonic()

    def when_due(wait: float | bytes, since: int) -> float | None:
        """The time the next key is due; None while it waits for bytes not drawn yet."""
        if isinstance(wait, bytes):
            return time.monotonic() + KEY_SETTLE_S if wait in output[since:] else None
        return time.monotonic() + wait

    drawn_before_key = 0
    next_key_at = when_due(pending[0][0], 0) if pending else None
    status = None
    try:
        while time.monotonic() - started < timeout:
            if pending and next_key_at is None:
                next_key_at = when_due(pending[0][0], drawn_before_key)
            if pending and next_key_at is not None and time.monotonic() >= next_key_at:
                os.write(fd, pending.pop(0)[1])
                drawn_before_key = len(output)
                next_key_at = when_due(pending[0][0], drawn_before_key) if pending else None
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                if not chunk:
                    break
                output += chunk
            finished, code = os.waitpid(pid, os.WNOHANG)
            if finished:
                status = code
                # Drain what is still buffered in the pty.
                while select.select([fd], [], [], 0.1)[0]:
                    try:
                        chunk = os.read(fd, 65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    output += chunk
                break
    finally:
        if status is None:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
            _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), bytes(output)
