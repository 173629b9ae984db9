"""The suggested moments in a dialog: the list, and under it why the highlighted one was
suggested with the transcript lines it rests on, quoted, so it can be judged before playing.

Enter dismisses the dialog with the accepted suggestion (the app makes the tag). Dismissing
and restoring keep the dialog open; those messages go on up to the app, and ``dismissed``
holds the set when the dialog closes.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, Static

from review_tui.analysis.suggestions import Suggestion
from review_tui.model import Codebook, Transcript, format_ms
from review_tui.review.wording import plural
from review_tui.tui import palette
from review_tui.tui.screens.dialog import Dialog
from review_tui.tui.widgets.suggestions import SuggestionsView

QUOTED_CUES = 4


class SuggestionsScreen(Dialog[Suggestion | None]):
    DEFAULT_CSS = """
    SuggestionsScreen {
        & #dialog { max-width: 140; }
        & SuggestionsView { max-height: 12; }
        & #why { margin-top: 1; height: auto; max-height: 8; }
    }
    """

    def __init__(
        self,
        suggestions: Iterable[Suggestion],
        codebook: Codebook | None,
        *,
        transcript: Transcript | None = None,
        dismissed: Iterable[Suggestion] = (),
    ) -> None:
        super().__init__()
        self.suggestions = list(suggestions)
        self.codebook = codebook
        self.transcript = transcript
        # Kept here, not only queried, so ``dismissed`` still answers once the dialog is closed.
        self.view = SuggestionsView(self.suggestions, codebook, dismissed=dismissed, id="suggested")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("", id="suggestions-title", classes="dialog-title")
            yield Label(
                "Found from timing and wording alone: check each against the recording.",
                classes="dialog-subtitle",
            )
            yield self.view
            yield Static(id="why")
            yield Label("Enter accepts · Del dismisses (again: restores) · j/k move · Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.move_focus(self.view)
        if self.suggestions:
            self.view.highlighted = 0
        self._count()

    @property
    def dismissed(self) -> set[Suggestion]:
        return set(self.view.dismissed)

    @on(SuggestionsView.SuggestionAccepted)
    def _accepted(self, event: SuggestionsView.SuggestionAccepted) -> None:
        event.stop()
        self.close(event.suggestion)

    @on(SuggestionsView.SuggestionDismissed)
    @on(SuggestionsView.SuggestionRestored)
    def _judged(self) -> None:
        self._count()  # the message itself goes on to the app

    @on(OptionList.OptionHighlighted, "#suggested")
    def _explain(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        item = self.view.highlighted_suggestion
        self.query_one("#why", Static).update(self._why(item) if item else "")

    def _count(self) -> None:
        total, dismissed = len(self.suggestions), len(self.view.dismissed)
        counted = plural(total, "suggested moment")
        if dismissed:
            counted += f" · {dismissed} dismissed"
        self.query_one("#suggestions-title", Label).update(counted)

    def _why(self, item: Suggestion) -> Content:
        code = self.codebook.code(item.code_id) if self.codebook else None
        parts: list[Content | tuple[str, str] | str] = [
            palette.code_badge(code, self.codebook),
            " ",
            (code.label if code else item.code_id, f"bold {palette.code_colour(item.code_id, self.codebook)}"),
            (f"  score {item.score:.2f}\n", palette.MUTED),
            (item.reason, "italic"),
        ]
        for line in self._quotes(item):
            parts += ["\n", line]
        return Content.assemble(*parts)

    def _quotes(self, item: Suggestion) -> list[Content]:
        if self.transcript is None:
            return []
        cues = [self.transcript.cues[i] for i in item.cue_indexes if 0 <= i < len(self.transcript.cues)]
        quoted = []
        for cue in cues[:QUOTED_CUES]:
            speaker = self.transcript.speakers.get(cue.speaker or "")
            who = f"{speaker.label}: " if speaker else ""
            quoted.append(
                Content.assemble(
                    (f"{format_ms(cue.start_ms, millis=False)}  ", palette.MUTED),
                    (who, "bold"),
                    f"“{' '.join(cue.text.split())}”",
                )
            )
        if len(cues) > QUOTED_CUES:
            quoted.append(Content.styled(f"… {len(cues) - QUOTED_CUES} more lines", palette.MUTED))
        return quoted
