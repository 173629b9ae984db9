"""console.say: every line the CLI prints, with its control characters made visible."""

from __future__ import annotations

import contextlib
import io
import os

import pytest

from review_tui.console import BrokenPipe, say, safe_for_terminal
from review_tui.text import visible


def test_lines_and_tabs_stay_every_other_control_is_shown():
    shown = safe_for_terminal("name\tof \x1b]0;x\x07file\nsecond\r line \x9b2J \u202e")
    assert shown == "name\tof ␛]0;x␇file\nsecond␍ line \\x9b2J \\u202e"
    assert visible("a\nb") == "a␊b"  # without keep_lines a newline is shown too (file names)


def test_say_writes_a_safe_line():
    out = io.StringIO()
    say("Book \x1b[2Jcleared", file=out)
    assert out.getvalue() == "Book ␛[2Jcleared\n"


def test_say_to_a_closed_pipe_raises_broken_pipe():
    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = os.fdopen(write_end, "w")
    with pytest.raises(BrokenPipe):
        say("x" * 10, file=stream)
    with contextlib.suppress(BrokenPipeError):  # what is still buffered cannot go anywhere
        stream.close()


def test_nothing_but_console_prints():
    """Every line for the terminal goes through console.say (safe text, quiet broken pipes):
    a bare print() anywhere else could send a file's escape sequences straight through."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "review_tui"
    printing = []
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        printing += [
            f"{source.relative_to(package)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
        ]
    assert printing == []
