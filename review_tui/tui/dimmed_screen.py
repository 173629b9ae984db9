"""The screen under a dialog, dimmed as Textual dims it, at a fraction of the cost.

Textual draws the screen below a modal one whose background is not opaque
(``renderables/background_screen.py``) as a Rich renderable: on every update of that screen
it renders all of it again, makes a new style for each segment (the tint blended into its
colours), applies the dialog's own style to each of those, and splits the result into lines
once more. Over a playing picture that is every frame: measured in a pty at 160x45 on a
720p30 file, the app went from 20 % to 68 % of a core with the help screen open, the picture
under it dropped from 30 to 15 frames/s, and the new styles filled Textual's style caches
(+17 MB in 90 s at 2x). Tagging opens two dialogs while the video plays, so this is
the everyday case.

``DimmedScreen`` gives the same cells: the styles it makes are Textual's (the dialog's style,
then the segment's with its meta and links dropped, then the tinted colours), but each is
made once and looked up after (``Tints``), and the lines go straight from the screen below
to the dialog as strips. A picture repeats most of its cell colours from frame to frame.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.color import Color
from textual.geometry import Size
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from review_tui.tui.halfblock import truecolor_sgr

# Tinted styles of one dialog's life. A 720p camera picture at 160x45 shows a few hundred
# cell colours and changes a few a frame; a plain dict emptied when full (as CellCache).
TINTS_LIMIT = 4096


def _textual_ansi():
    """Textual's SGR codes of a style, without its lru_cache (which would keep every tinted
    style alive, 16,384 of them): ``Strip.render_ansi`` under its cache, or None."""
    method = Strip.__dict__.get("render_ansi")
    function = getattr(getattr(method, "__func__", None), "__wrapped__", None)
    return function


class Tints:
    """Each style of the screen below, with the dialog's background blended into its
    colours, made once. Keyed on the style as drawn, bounded."""

    def __init__(self, tint: Color, *, write_codes: bool = False, limit: int = TINTS_LIMIT) -> None:
        self.tint = tint
        self.limit = limit
        self.styles: dict[RichStyle | None, RichStyle] = {}
        self.base: RichStyle | None = None
        # On a truecolor terminal the codes are written when the style is made, as the
        # picture's cells are (CellCache): they then live and die with this dialog.
        self._write_codes = _textual_ansi() if write_codes else None

    def restyle(self, base: RichStyle) -> bool:
        """The dialog's own style, laid under every cell (as Textual's Rich path does); True
        when it changed (and every tint made before with it)."""
        if base == self.base:
            return False
        self.base = base
        self.styles.clear()
        return True

    def of(self, style: RichStyle | None) -> RichStyle:
        tinted = self.styles.get(style)
        if tinted is None:
            if len(self.styles) >= self.limit:
                self.styles.clear()
            tinted = self.styles[style] = self._make(style)
        return tinted

    def strip(self, piece: Strip) -> Strip:
        """``piece`` with every style tinted (control segments as they are)."""
        of = self.of
        return Strip(
            [segment if segment.control else Segment(segment.text, of(segment.style)) for segment in piece],
            piece.cell_length,
        )

    def _make(self, style: RichStyle | None) -> RichStyle:
        plain = RichStyle() if style is None else style.clear_meta_and_links()
        tint = self.tint
        if tint.a > 0:
            from_rich = Color.from_rich_color
            plain = plain + RichStyle.from_color(
                (from_rich(plain.color) + tint).rich_color if plain.color is not None else None,
                (from_rich(plain.bgcolor) + tint).rich_color if plain.bgcolor is not None else None,
            )
        made = self.base + plain if self.base else plain
        if self._write_codes is not None:
            self._write_codes(Strip, made, "truecolor")  # sets made._ansi
        return made


class DimmedScreen(Visual):
    """The visual of a dialog's background: the screen below it, every cell tinted.

    The screen below is cut into pieces where its widgets meet; a piece no widget redrew is
    the same Strip object as last time (Textual caches the lines a widget drew, and the cut
    pieces of each), or an equal one (a screen drawn again, unchanged), so its tinted copy
    is kept and only what changed, the picture mostly, is tinted again. Unchanged lines stay
    the same objects, which Textual's own caches above then recognise in turn."""

    def __init__(self, below, tints: Tints) -> None:
        self.below = below  # the Screen under the dialog
        self.tints = tints
        # (line, column) -> (the piece as drawn, its tinted copy); held, so ids stay unique.
        self._pieces: dict[tuple[int, int], tuple[Strip, Strip]] = {}
        self._lines: dict[int, tuple[list[Strip], Strip]] = {}

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        if self.tints.restyle(style.rich_style):
            self._pieces.clear()
            self._lines.clear()
        if height is None:
            height = self.below.size.height
        chops = self.below._compositor._render_chops(Size(width, height).region, lambda y: True)
        pieces = self._pieces
        lines: list[Strip] = []
        for y, chop in enumerate(chops[:height]):
            parts: list[Strip] = []
            for x, piece in chop.items():
                if piece is None:
                    continue
                kept = pieces.get((y, x))
                if kept is None or kept[0] is not piece:
                    # Equal but drawn anew: the copy stands, kept under the new piece.
                    copy = kept[1] if kept is not None and kept[0] == piece else self.tints.strip(piece)
                    kept = pieces[(y, x)] = (piece, copy)
                parts.append(kept[1])
            lines.append(self._line(y, parts))
        return lines

    def _line(self, y: int, parts: list[Strip]) -> Strip:
        kept = self._lines.get(y)
        if kept is not None and len(kept[0]) == len(parts) and all(a is b for a, b in zip(kept[0], parts)):
            return kept[1]
        line = Strip.join(parts)
        self._lines[y] = (parts, line)
        return line

    def get_optimal_width(self, rules, container_width: int) -> int:
        return container_width

    def get_height(self, rules, width: int) -> int:
        return self.below.size.height


def dimmed(rendered, kept: DimmedScreen | None, console) -> DimmedScreen | None:
    """The visual for a dialog's background when Textual chose the screen below under a tint
    (``rendered``): ``kept`` when it is of that screen and tint, else a new one; None when
    Textual drew something else (an opaque background)."""
    if not isinstance(rendered, BackgroundScreen):
        return None
    if kept is not None and kept.below is rendered.screen and kept.tints.tint == rendered.color:
        return kept
    return DimmedScreen(rendered.screen, Tints(rendered.color, write_codes=truecolor_sgr(console)))
