"""Suggested moments: found in a worker, shown apart from tags, judged one key each.

A suggestion is never a tag until the reviewer accepts it; then it goes through the same
``add_tag`` path as a key press. Dismissed suggestions are remembered in the review file, so
they stay dismissed in the next session. The timeline's lane shows the open ones from the
tags view, so it follows every change, undo included.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message

from review_tui.model import ReviewTuiError
from review_tui.review import rules
from review_tui.tui import palette
from review_tui.tui.features.reviewers import with_reviewer
from review_tui.tui.features.tagging import add_tag, describe
from review_tui.tui.host import ReviewHost
from review_tui.tui.notices import store_error

if TYPE_CHECKING:
    from review_tui.analysis.suggestions import Suggestion

# The finding and its dialogs are imported when the reviewer first asks for suggestions:
# the first screen needs none of them.


@dataclass
class SuggestionsFound(Message):
    """The suggestion finder's result, from its worker."""

    suggestions: list[Suggestion]


def suggest(host: ReviewHost) -> None:
    if host.session.transcript is None or not host.session.transcript.cues:
        host.notify("Suggestions need a transcript, and this session has none", timeout=4)
        return
    if host.state.suggestions is not None:
        show_suggestions(host)
        return
    from review_tui.analysis.suggestions import suggest_moments

    host.notify("Looking for suggested moments…", timeout=2)
    transcript, codebook = host.session.transcript, host.codebook

    def find() -> None:
        # Reads only the transcript and codebook, never a widget; the result travels as a message.
        host.post_message(SuggestionsFound(suggest_moments(transcript, codebook=codebook)))

    host.run_worker(find, thread=True, exclusive=True, group="suggestions", exit_on_error=False, name="suggested moments")


def found(host: ReviewHost, suggestions: list[Suggestion]) -> None:
    from review_tui.analysis.suggestions import DISMISSED_STATE_KEY, dismissed_from_state

    host.state.suggestions = suggestions
    try:
        saved = host.store.get_state(DISMISSED_STATE_KEY)
    except ReviewTuiError:
        saved = None  # an unreadable review state only means they show again
    host.state.dismissed_keys = dismissed_from_state(saved)
    host.publish_tags(reread=False)
    show_suggestions(host)


def show_suggestions(host: ReviewHost) -> None:
    from review_tui.analysis.suggestions import suggestion_key
    from review_tui.tui.screens.suggestions import SuggestionsScreen

    state = host.state
    pending = rules.pending_suggestions(state.suggestions, host.tags_view.visible)
    dismissed = [item for item in pending if suggestion_key(item) in state.dismissed_keys]
    screen = SuggestionsScreen(pending, host.codebook, transcript=host.session.transcript, dismissed=dismissed)
    host.push_screen(screen, partial(accepted, host))


def accepted(host: ReviewHost, item: Suggestion | None) -> None:
    if item is None:
        return
    if not with_reviewer(host, lambda: accepted(host, item)):
        return
    already = rules.same_code_overlapping(host.tags_view.visible, item.code_id, item.start_ms, item.end_ms)
    if not already:
        add_tag(host, item.code_id, item.start_ms, item.end_ms, note=item.reason)
        return
    from review_tui.tui.screens.confirm import ConfirmScreen

    there = ", ".join(describe(host, tag) for tag in already)
    span = palette.time_span(item.start_ms, item.end_ms)
    question = ConfirmScreen(
        f"Already tagged: {there}",
        f"The suggestion at {span} has the same code. Keep the tag already there, or add this one too?",
        yes="Enter adds it too",
        no="Esc keeps the one there",
    )
    host.push_screen(question, lambda both: _decided(host, item, both))


def _decided(host: ReviewHost, item: Suggestion, both: bool | None) -> None:
    if both:
        add_tag(host, item.code_id, item.start_ms, item.end_ms, note=item.reason)
    else:
        host.notify("Kept the tag already there; the suggestion stays open", timeout=4)


def judged(host: ReviewHost, item: Suggestion, *, dismissed: bool) -> None:
    from review_tui.analysis.suggestions import DISMISSED_STATE_KEY, dismissed_to_state, suggestion_key

    keys = host.state.dismissed_keys
    if dismissed:
        keys.add(suggestion_key(item))
    else:
        keys.discard(suggestion_key(item))
    try:
        host.store.set_state(DISMISSED_STATE_KEY, dismissed_to_state(keys))
    except ReviewTuiError as error:
        store_error(host, error, consequence="the dismissal is not remembered")
    host.publish_tags(reread=False)


ACTIONS = {"suggest": suggest}
