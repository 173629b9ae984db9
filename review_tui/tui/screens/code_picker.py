"""Pick a code of one group: its digit, or the arrows and Enter; another group key switches.

Opened after the user pressed a group key (w c r p d a f u t s) on the main screen, so the
second key of the pair, the digit, lands here. The overlay lists the group's codes with
their meanings, so nobody has to learn the codebook by heart first.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from review_tui.model import Code, Codebook, CodeGroup
from review_tui.tui import palette
from review_tui.tui.screens.dialog import Dialog

LABEL_MAX = 30


class CodePicker(Dialog[Code | None]):
    DEFAULT_CSS = """
    CodePicker {
        /* Wider terminals show more of each code's meaning; never narrower than before. */
        & > #dialog { width: 90%; min-width: 76; max-width: 120; }
        & #codes {
            height: auto;
            max-height: 14;
            border: none;
            padding: 0;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & #meaning { height: auto; min-height: 2; margin-top: 1; color: $text-muted; }
    }
    """

    def __init__(self, codebook: Codebook, group: CodeGroup) -> None:
        super().__init__()
        self.codebook = codebook
        self.group = group
        self._colours = palette.group_colours(codebook)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="picker-title", classes="dialog-title")
            yield OptionList(id="codes")
            yield Static(id="meaning")
            yield Label(self._hint(), classes="dialog-hint")

    def on_mount(self) -> None:
        self._show_group(self.group)

    def _hint(self) -> str:
        keys = " ".join(group.key for group in self.codebook.groups)
        return f"digit or Enter picks · {keys} switch group · Esc cancels"

    def _show_group(self, group: CodeGroup) -> None:
        self.group = group
        colour = self._colours.get(group.id, palette.UNKNOWN_COLOUR)
        about = []
        if group.ranges:
            about.append("ranges: mark in and out")
        if group.rating:
            about.append(f"rating = {group.rating}")
        title = Content.assemble(
            palette.badge(group.key, colour),
            " ",
            (group.label, f"bold {colour}"),
            ("   " + " · ".join(about), palette.MUTED) if about else "",
        )
        self.query_one("#picker-title", Static).update(title)
        codes = self.query_one("#codes", OptionList)
        codes.clear_options()
        label_width = min(LABEL_MAX, max((len(code.label) for code in group.codes), default=0))
        codes.add_options(
            Option(
                Content.assemble(
                    palette.badge(code.digit, colour),
                    " ",
                    (palette.fit(code.label, label_width), "bold"),
                    "  ",
                    (code.meaning, palette.MUTED),
                ),
                id=code.id,
            )
            for code in group.codes
        )
        codes.highlighted = 0 if group.codes else None
        self.move_focus(codes)

    @on(OptionList.OptionHighlighted, "#codes")
    def _explain(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        code = self.codebook.code(event.option_id or "")
        self.query_one("#meaning", Static).update(
            Content.assemble((code.label, "bold"), ": ", code.meaning or "(no meaning given)") if code else ""
        )

    @on(OptionList.OptionSelected, "#codes")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        code = self.codebook.code(event.option_id or "")
        if code is not None:
            self.close(code)

    def on_key(self, event: Key) -> None:
        character = event.character or ""
        code = next((code for code in self.group.codes if code.digit == character), None)
        if code is not None:
            event.stop()
            self.close(code)
            return
        group = self.codebook.group_for_key(character) if character.isalpha() else None
        if group is not None:
            event.stop()
            self._show_group(group)
