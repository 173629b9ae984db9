"""Untrusted text made safe to show or export.

Transcripts, colleagues' review files, codebooks and file names come from outside. Any C0 or
C1 control character in them (ESC, BEL, CSI U+009B, ...) could retitle, recolour or clear the
user's terminal when printed, or replay when an export is `cat`-ed; the bidi overrides and
isolates (U+202A–U+202E, U+2066–U+2069) can make a note read differently from what it says.

Two ways to make text safe, both total functions that never raise:

- ``clean()`` removes them: for text entering the model (cue text, names, notes, labels),
  where an invisible byte carries no meaning a reviewer would want.
- ``visible()`` replaces each by a visible stand-in (``␛``, ``\\x9b``): for file names and
  other identifiers in messages, where the user must see that something odd is there.

Tab and newline are kept where they mean something (``keep_lines=True``); carriage returns
become newlines so a Windows line ending never moves the cursor to the start of a line.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = frozenset(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def _is_control(code: int) -> bool:
    return code < 0x20 or 0x7F <= code <= 0x9F or code in BIDI_CONTROLS


_CONTROL_CLASS = "".join(
    re.escape(chr(code)) for code in [*range(0x00, 0x20), *range(0x7F, 0xA0), *sorted(BIDI_CONTROLS)]
)
_CONTROLS = re.compile(f"[{_CONTROL_CLASS}]")
_CONTROLS_BUT_LINES = re.compile(f"[{_CONTROL_CLASS.replace(re.escape(chr(9)), '').replace(re.escape(chr(10)), '')}]")
# An escape sequence is dropped whole, not just its ESC: "\x1b[2J" must not leave "[2J" behind.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x1b\x9d\x90\x9e\x9f\x98][\]PX^_](?:[^\x07\x1b\x9c]*)(?:\x07|\x1b\\|\x9c)?"  # OSC/DCS/SOS/PM/APC
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit OSC
    r"|\x1b[ -/]*[0-~]"  # two- and three-byte escapes (ESC c, ESC ( B ...)
)


def clean(text: str, *, keep_lines: bool = True) -> str:
    """``text`` without control characters, escape sequences or bidi overrides.

    With ``keep_lines`` tab and newline stay (a note's paragraphs); without, each becomes a
    space (a name, a label, a one-line message).
    """
    if not text:
        return text
    if text.isprintable():  # the common case: nothing to do, and cheap
        return text
    if keep_lines and _CONTROLS_BUT_LINES.search(text) is None:  # a cue of two lines
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    if keep_lines:
        return _CONTROLS_BUT_LINES.sub("", text)
    return _CONTROLS.sub(lambda match: " " if match.group() in "\t\n" else "", text)


def one_line(text: str) -> str:
    """``text`` cleaned and folded to a single line: for names, labels and messages."""
    return " ".join(clean(text, keep_lines=False).split())


def visible(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with every control character shown as a visible stand-in instead of removed.

    C0 controls become their Unicode control pictures (ESC → ␛); DEL, C1 controls and bidi
    overrides become ``\\x..``/``\\u....`` escapes. For file names in messages, where the
    user needs to see what is really in the name. With ``keep_lines`` tab and newline stay as
    they are: for whole messages printed to a terminal, whose lines are meant.
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        code = ord(char)
        if keep_lines and char in "\t\n":
            out.append(char)
        elif code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        elif 0x80 <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif code in BIDI_CONTROLS:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def has_controls(text: str) -> bool:
    """Whether ``text`` holds anything ``clean()`` would remove (tab and newline aside)."""
    return any(_is_control(ord(char)) and char not in "\t\n" for char in text)
