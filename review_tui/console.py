"""What the command line prints, and the one way it prints it.

Every line the CLI writes may quote outside text (a speaker's name, a codebook label, a file
name in an error), so all of it goes through ``say``: control characters and bidi overrides
are shown as visible stand-ins, never sent to the terminal as the bytes a terminal obeys.

A reader that goes away early (``review-tui codebook | head``) is not an error of ours:
``BrokenPipe`` carries it out of the command, and ``quiet_broken_pipe`` ends the process
without the traceback Python would otherwise print while flushing.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from review_tui.text import visible

# A shell reports a process ended by SIGPIPE as 128 + 13; ours ends the same way, by choice.
BROKEN_PIPE_STATUS = 141


class BrokenPipe(Exception):
    """The reader of our output closed it; nothing more can be said to it."""


def safe_for_terminal(text: str) -> str:
    """``text`` as it may reach a terminal: its lines and tabs, every other control made visible."""
    return visible(text, keep_lines=True)


def say(text: str = "", *, file: TextIO | None = None) -> None:
    """Print ``text`` (and a newline) to stdout, or ``file``, made safe for a terminal."""
    stream = sys.stdout if file is None else file
    try:
        stream.write(safe_for_terminal(text) + "\n")
        stream.flush()
    except BrokenPipeError:
        raise BrokenPipe from None


def warn(text: str) -> None:
    """One line for the user on stderr."""
    say(text, file=sys.stderr)


def quiet_broken_pipe() -> int:
    """After a reader closed stdout: point stdout at /dev/null so the interpreter's final flush
    has nowhere to fail, and return the status a pipe's writer ends with."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # stdout is not a real file (captured in a test): nothing will flush to it
    return BROKEN_PIPE_STATUS
