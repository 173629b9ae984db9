"""Suggested moments in the app: found in a worker, shown apart from tags, judged one key each.

A suggestion is never a tag until the reviewer accepts it; then it goes through the same
``add_tag`` path as a key press, with the reviewer as its author. Dismissed suggestions are
remembered in the review file, so they stay dismissed in the next session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from review_tui.analysis.suggestions import (
    DISMISSED_STATE_KEY,
    Suggestion,
    dismissed_from_state,
    dismissed_to_state,
    suggest_moments,
    suggestion_key,
)
from review_tui.model import ReviewTuiError
from review_tui.tui.screens.suggestions import SuggestionsScreen
from review_tui.tui.widgets.suggestions import SuggestionsView
from review_tui.tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from review_tui.tui.app import ReviewApp

@dataclass
class SuggestionsFound(Message):
    suggestions: list[Suggestion]


class SuggestingMixin:
    """Suggested moments for ReviewApp."""

    def init_suggesting(self: ReviewApp) -> None:
        self.suggestions: list[Suggestion] | None = None  # None until looked for
        self.dismissed_keys: set[tuple[int, int, str]] = set()

    def action_suggest(self: ReviewApp) -> None:
        if self.session.transcript is None or not self.session.transcript.cues:
            self.notify("Suggestions need a transcript, and this session has none", timeout=4)
            return
        if self.suggestions is not None:
            self._show_suggestions()
            return
        self.notify("Looking for suggested moments…", timeout=2)
        self._find_suggestions()

    @work(thread=True, exclusive=True, group="suggestions", exit_on_error=False, name="suggested moments")
    def _find_suggestions(self: ReviewApp) -> None:
        # Reads only the transcript and codebook, never a widget; the result travels as a message.
        found = suggest_moments(self.session.transcript, codebook=self.codebook)
        self.post_message(SuggestionsFound(found))

    def on_suggestions_found(self: ReviewApp, message: SuggestionsFound) -> None:
        self.suggestions = message.suggestions
        try:
            saved = self.store.get_state(DISMISSED_STATE_KEY)
        except ReviewTuiError:
            saved = None  # an unreadable review state only means they show again
        self.dismissed_keys = dismissed_from_state(saved)
        self._show_suggestions()

    def open_suggestions(self: ReviewApp) -> list[Suggestion]:
        """Suggestions neither dismissed nor already made into a tag."""
        tagged = {(tag.start_ms, tag.end_ms, tag.code_id) for tag in self.visible_tags}
        return [
            item
            for item in self.suggestions or ()
            if suggestion_key(item) not in self.dismissed_keys and suggestion_key(item) not in tagged
        ]

    def _show_suggestions(self: ReviewApp) -> None:
        tagged = {(tag.start_ms, tag.end_ms, tag.code_id) for tag in self.visible_tags}
        pending = [item for item in self.suggestions or () if suggestion_key(item) not in tagged]
        dismissed = [item for item in pending if suggestion_key(item) in self.dismissed_keys]
        self.query_one(Timeline).set_suggestions(self.open_suggestions())
        screen = SuggestionsScreen(pending, self.codebook, transcript=self.session.transcript, dismissed=dismissed)
        self.push_screen(screen, self._suggestion_accepted)

    def _suggestion_accepted(self: ReviewApp, item: Suggestion | None) -> None:
        if item is None:
            return
        if not self._with_reviewer(lambda: self._suggestion_accepted(item)):
            return
        tag = self.add_tag(item.code_id, item.start_ms, item.end_ms, note=item.reason)
        if tag is not None:
            self.query_one(Timeline).set_suggestions(self.open_suggestions())

    def on_suggestions_view_suggestion_dismissed(self: ReviewApp, event: SuggestionsView.SuggestionDismissed) -> None:
        event.stop()
        self._judge(event.suggestion, dismissed=True)

    def on_suggestions_view_suggestion_restored(self: ReviewApp, event: SuggestionsView.SuggestionRestored) -> None:
        event.stop()
        self._judge(event.suggestion, dismissed=False)

    def _judge(self: ReviewApp, item: Suggestion, *, dismissed: bool) -> None:
        if dismissed:
            self.dismissed_keys.add(suggestion_key(item))
        else:
            self.dismissed_keys.discard(suggestion_key(item))
        try:
            self.store.set_state(DISMISSED_STATE_KEY, dismissed_to_state(self.dismissed_keys))
        except ReviewTuiError as error:
            self.notify(str(error), title="Review file", severity="error", markup=False)
        self.query_one(Timeline).set_suggestions(self.open_suggestions())
