"""Where times and counts become words, so the app, the dialogs and the report say the same
thing the same way ("4 min 05 s", "1 repair", "2 repairs")."""

from __future__ import annotations

# Plurals that do not just add an "s".
IRREGULAR = {"reply": "replies", "episode": "episodes", "match": "matches", "this": "these"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """"1 cue", "3 cues", "0 cues"; ``many`` for a word whose plural is not word + s."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or IRREGULAR.get(word, word + 's')}"


def duration(ms: int) -> str:
    """A length of time as people say it: "48.2 s", "4 min 05 s", "1 h 02 min"."""
    seconds = max(0, ms) / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s"


def whole_seconds(ms: int) -> str:
    """A short length in whole seconds where tenths would be noise: "41 s", "4 min 05 s"."""
    total = round(max(0, ms) / 1000)
    if total < 60:
        return f"{total} s"
    return duration(total * 1000)
