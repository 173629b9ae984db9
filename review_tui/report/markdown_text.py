"""Text made safe to quote inside a Markdown line.

Its own module so that report sections which quote text (the agreement section) need not import
the whole Markdown renderer, which imports them back to place them.
"""

from __future__ import annotations

import re

from review_tui.text import one_line

# Characters that start Markdown constructs inline: emphasis, code, links and images, raw
# HTML and entities, strikethrough, tables, headings. A backslash makes each of them literal.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
# Bare addresses that GitHub-flavoured renderers turn into links by themselves.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=\bwww)(\.)|(@)(?=[\w-]+\.)")


def inline(text: str) -> str:
    """Text safe to place anywhere inside a line: one line, every special character escaped.
    A renderer shows exactly the original characters."""
    flat = one_line(text)
    return _AUTOLINK.sub(lambda match: "\\" + match.group(0), _SPECIAL.sub(r"\\\1", flat))


def cell(text: str) -> str:
    return inline(text) or " "
