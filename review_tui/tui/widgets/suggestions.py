"""Suggested moments, drawn unlike tags: a hollow diamond, italics, no rating and no author.

The rules in analysis.suggestions read only timing and wording, so what they find stays a
suggestion until a reviewer accepts it (Enter). Delete dismisses one and Delete again brings
it back; the list remembers which are dismissed, and posts each decision up so the app can
keep it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from review_tui.tui.bindings import SUGGESTION_BINDINGS
from review_tui.model import Codebook
from review_tui.tui import palette

if TYPE_CHECKING:  # the suggestion finder: imported when suggestions are first asked for
    from review_tui.analysis.suggestions import Suggestion

LABEL_WIDTH = 24
DISMISSED_GLYPH = "✕"


class SuggestionsView(OptionList):
    BINDINGS = SUGGESTION_BINDINGS

    DEFAULT_CSS = """
    SuggestionsView {
        height: auto;
        max-height: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        border: none;
        padding: 0;
        &:focus { border: none; }
    }
    """

    @dataclass
    class SuggestionAccepted(Message):
        """Enter on a suggestion: make it a tag."""

        suggestion: Suggestion

    @dataclass
    class SuggestionDismissed(Message):
        """A suggestion set aside by the reviewer."""

        suggestion: Suggestion

    @dataclass
    class SuggestionRestored(Message):
        """A dismissed suggestion brought back."""

        suggestion: Suggestion

    def __init__(
        self,
        suggestions: Iterable[Suggestion],
        codebook: Codebook | None,
        *,
        dismissed: Iterable[Suggestion] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.suggestions = sorted(suggestions, key=lambda item: (item.start_ms, item.end_ms))
        self.codebook = codebook
        self.dismissed: set[Suggestion] = set(dismissed) & set(self.suggestions)
        self._colours = palette.group_colours(codebook)
        self.add_options(Option(self._row(item), id=str(number)) for number, item in enumerate(self.suggestions))
        if not self.suggestions:
            empty = "No suggested moments: the transcript shows none of the patterns looked for"
            self.add_option(Option(Content.styled(empty, f"italic {palette.MUTED}"), disabled=True))

    @property
    def highlighted_suggestion(self) -> Suggestion | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.suggestions):
            return None
        return self.suggestions[self.highlighted]

    def action_toggle_dismissed(self) -> None:
        item = self.highlighted_suggestion
        if item is None:
            return
        index = self.suggestions.index(item)
        if item in self.dismissed:
            self.dismissed.discard(item)
            self.post_message(self.SuggestionRestored(item))
        else:
            self.dismissed.add(item)
            self.post_message(self.SuggestionDismissed(item))
            self.action_cursor_down()  # on to the next one to judge
        self.replace_option_prompt_at_index(index, self._row(item))

    @on(OptionList.OptionSelected)
    def _accept(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.suggestions):
            self.post_message(self.SuggestionAccepted(self.suggestions[event.option_index]))

    def _row(self, item: Suggestion) -> Content:
        code = self.codebook.code(item.code_id) if self.codebook else None
        colour = palette.code_colour(item.code_id, self.codebook, self._colours)
        label = palette.fit(code.label if code else item.code_id, LABEL_WIDTH)
        span = palette.fit(palette.time_span(item.start_ms, item.end_ms), 11)
        if item in self.dismissed:
            return Content.assemble(
                (f"{DISMISSED_GLYPH} {span} ", palette.MUTED),
                (f"{label}  {item.reason}", f"strike {palette.MUTED}"),
            )
        return Content.assemble(
            (f"{palette.SUGGESTION_POINT} ", colour),
            f"{span} ",
            (label, f"italic {colour}"),
            "  ",
            (item.reason, f"italic {palette.MUTED}"),
        )
