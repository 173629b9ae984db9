"""How tags look everywhere in the UI: one colour per code group, the glyphs, the stars.

Every tagging widget and dialog takes its colours from here, so a confrontation rupture is
the same red in the tag list, the timeline, the code picker and the episode dialog.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content

from review_tui.model import Code, Codebook, Reviewer, Tag, format_ms
from review_tui.text import one_line

# Mid-tone colours that read on dark and light themes alike. Ruptures are warm (withdrawal
# orange, confrontation red), what answers them cool (repair green, alliance teal,
# intervention blue); the process groups sit in between.
GROUP_COLOURS: dict[str, str] = {
    "withdrawal": "#e8923a",
    "confrontation": "#e5484d",
    "repair": "#5cbf5c",
    "phase": "#8793a8",
    "defense": "#a98ae6",
    "anxiety": "#e6d84a",
    "feeling": "#e879b9",
    "alliance": "#36c2b4",
    "intervention": "#4f9de8",
    "supervision": "#c9b28f",
}
# Groups of a user's own codebook get these, in the codebook's order.
SPARE_COLOURS = ("#7aa6c2", "#d9a66b", "#9bc46a", "#c98fb1", "#b0b0b0", "#6fc1d9", "#d98080")
UNKNOWN_COLOUR = "#909090"  # a code the codebook no longer has
BADGE_TEXT = "#101010"  # dark text on a coloured badge stays readable on every group colour

STAR, NO_STAR = "★", "☆"
POINT_GLYPH, RANGE_GLYPH, BOTH_GLYPH = "┃", "━", "╋"
SUGGESTION_POINT, SUGGESTION_RANGE = "◇", "╌"
# Inside Content styles "$text-muted" resolves to full white; "$foreground-muted" is the
# theme's muted text colour there.
MUTED = "$foreground-muted"
ELLIPSIS = "…"


def group_colours(codebook: Codebook | None) -> dict[str, str]:
    """A colour for every group of ``codebook``: the fixed one when the group is a default
    group, else the next spare one (so two custom groups never share a colour)."""
    colours: dict[str, str] = {}
    spare = 0
    for group in codebook.groups if codebook else ():
        if group.id in GROUP_COLOURS:
            colours[group.id] = GROUP_COLOURS[group.id]
        else:
            colours[group.id] = SPARE_COLOURS[spare % len(SPARE_COLOURS)]
            spare += 1
    return colours


def code_colour(code_id: str, codebook: Codebook | None, colours: dict[str, str] | None = None) -> str:
    code = codebook.code(code_id) if codebook else None
    if code is None:
        return UNKNOWN_COLOUR
    colours = colours if colours is not None else group_colours(codebook)
    return colours.get(code.group, UNKNOWN_COLOUR)


def badge(text: str, colour: str) -> Content:
    """A short key like " c3 " on the group's colour."""
    return Content.styled(f" {text} ", f"bold {BADGE_TEXT} on {colour}")


def code_badge(code: Code | None, codebook: Codebook | None, colour: str | None = None) -> Content:
    """The keys that make a code, group letter then digit ("c1"), on its group's colour."""
    if code is None:
        return badge("??", UNKNOWN_COLOUR)
    group = codebook.group(code.group) if codebook else None
    keys = f"{group.key if group else '?'}{code.digit}"
    return badge(keys, colour or code_colour(code.id, codebook))


def stars(rating: int | None) -> str:
    """"★★★☆☆" for 3; empty when there is no rating."""
    if rating is None:
        return ""
    rating = max(0, min(5, rating))
    return STAR * rating + NO_STAR * (5 - rating)


def time_span(start_ms: int, end_ms: int | None, *, hours: bool = False) -> str:
    """"03:26–03:31" for a range, "03:26" for a point; hours shown for long sessions."""
    def clock(ms: int) -> str:
        text = format_ms(ms, millis=False)
        return f"0:{text}" if hours and text.count(":") == 1 else text

    if end_ms is None or end_ms <= start_ms:
        return clock(start_ms)
    return f"{clock(start_ms)}–{clock(end_ms)}"


def tag_span(tag: Tag, *, hours: bool = False) -> str:
    return time_span(tag.start_ms, tag.end_ms, hours=hours)


def short_name(reviewer: Reviewer | None) -> str:
    """A reviewer as a list has room for: the last word of the name ("Okafor")."""
    if reviewer is None:
        return "?"
    words = one_line(reviewer.name).split()
    return words[-1] if words else "?"


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis, or padded to it."""
    if width <= 0:
        return ""
    flat = one_line(text)  # labels and names from outside files: never a control byte on screen
    if cell_len(flat) > width:
        return set_cell_size(flat, width - 1) + ELLIPSIS
    return set_cell_size(flat, width)
