"""Untrusted text: no control character or bidi override survives clean(); visible() shows them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review_tui.text import clean, has_controls, one_line, visible


@pytest.mark.parametrize(
    ("hostile", "safe"),
    [
        ("\x1b]0;pwned\x07Hello", "Hello"),
        ("before\x1b[2Jafter", "beforeafter"),
        ("red \x1b[31mtext\x1b[0m", "red text"),
        ("csi \x9b2J here", "csi  here"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("osc8 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "osc8 link"),
        ("right\u202eto left", "rightto left"),
        ("isolate\u2066x\u2069", "isolatex"),
        ("reset\x1bc done", "reset done"),
    ],
)
def test_clean_removes_escapes_whole(hostile, safe):
    assert clean(hostile) == safe
    assert not has_controls(clean(hostile))


def test_clean_keeps_lines_and_tabs_unless_asked():
    assert clean("one\r\ntwo\tthree\rfour") == "one\ntwo\tthree\nfour"
    assert one_line("one\r\ntwo\t three") == "one two three"


def test_clean_keeps_ordinary_unicode():
    text = "Farías — «ça va?» 日本語 \u00a0"
    assert clean(text) == text


def test_visible_shows_what_was_there():
    assert visible("take\x1b[2J.mp4") == "take\u241b[2J.mp4"
    assert visible("a\x9bb\u202ec") == "a\\x9bb\\u202ec"
    assert visible("plain.mp4") == "plain.mp4"


@given(st.text())
def test_no_control_survives(text):
    for result in (clean(text), one_line(text), visible(text)):
        assert not has_controls(result.replace("\n", "").replace("\t", ""))
    assert "\n" not in one_line(text)
