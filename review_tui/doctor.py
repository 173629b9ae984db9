"""`review-tui doctor`: the ffmpeg in use, the audio output found, the terminal's colours."""

from __future__ import annotations

import os
import sys

from review_tui.model import ReviewTuiError


def colour_depth(env: dict[str, str] | None = None, is_tty: bool | None = None) -> str:
    """The terminal's colour depth as the app will see it (COLORTERM, then TERM)."""
    env = dict(os.environ) if env is None else env
    is_tty = sys.stdout.isatty() if is_tty is None else is_tty
    colorterm = env.get("COLORTERM", "").lower()
    term = env.get("TERM", "").lower()
    if colorterm in ("truecolor", "24bit"):
        depth = "24-bit (truecolor)"
    elif "256" in term:
        depth = "256 colours"
    elif term in ("", "dumb"):
        depth = "no colour (TERM is unset or dumb)"
    else:
        depth = "16 colours"
    where = f"TERM={term or '-'} COLORTERM={colorterm or '-'}"
    return f"{depth}; {where}" + ("" if is_tty else "; stdout is not a terminal")


def report() -> str:
    from review_tui.media.ffmpeg import find_ffmpeg

    lines = []
    try:
        binary = find_ffmpeg()
        version = binary.version.split(" Copyright")[0]
        lines.append(f"ffmpeg:   {version}")
        lines.append(f"          {binary.path} (from {binary.source})")
    except ReviewTuiError as error:
        lines.append(f"ffmpeg:   MISSING: {error}")
    lines.append(f"audio:    {audio_output()}")
    lines.append(f"terminal: {colour_depth()}")
    return "\n".join(lines)


def audio_output() -> str:
    try:
        from review_tui.media.audio import describe_output
    except ImportError:
        return "unknown (audio module unavailable)"
    return describe_output()
