"""Who is tagging: the reviewer asked for once and remembered, blind coding, and the filter
of the tag list by reviewer. Mixed into ReviewApp."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from review_tui.config import ConfigError, remember_reviewer
from review_tui.model import ReviewTuiError
from review_tui.tui.screens.reviewer_prompt import ReviewerPrompt
from review_tui.tui.widgets.tag_list import TagList

if TYPE_CHECKING:
    from review_tui.tui.app import ReviewApp

BLIND_KEY = "tags.blind"


class ReviewersMixin:
    def _with_reviewer(self: ReviewApp, then: Any) -> bool:
        """True when a reviewer is known; otherwise ask, and run ``then`` once answered."""
        if self.reviewer is not None:
            return True

        def given(answer: tuple[str, str] | None) -> None:
            if self._reviewer_given(answer):
                then()

        self.push_screen(ReviewerPrompt(), given)
        return False

    def _reviewer_given(self: ReviewApp, answer: tuple[str, str] | None) -> bool:
        if answer is None:
            return False
        name, role = answer
        try:
            self.reviewer = self.store.reviewer(name, role)
        except ReviewTuiError as error:
            self.notify(str(error), title="Review file", severity="error", markup=False)
            return False
        try:
            remember_reviewer(name, role)
        except ConfigError as error:
            self.notify(f"{error} (you will be asked again next time)", severity="warning", markup=False)
        self.notify(f"Tagging as {name} ({role})", timeout=3, markup=False)
        self.refresh_tags()
        return True

    def action_change_reviewer(self: ReviewApp) -> None:
        current = self.reviewer
        prompt = ReviewerPrompt(current.name, current.role) if current else ReviewerPrompt()
        self.push_screen(prompt, self._reviewer_given)

    def action_toggle_blind(self: ReviewApp) -> None:
        if not self._with_reviewer(self.action_toggle_blind):
            return
        self.blind = not self.blind
        try:
            self.store.set_state(BLIND_KEY, "1" if self.blind else None)
        except ReviewTuiError as error:
            self.notify(str(error), title="Review file", severity="error", markup=False)
        self.refresh_tags()
        if self.blind:
            self.notify("Blind coding: only your own tags are shown (B shows everyone's)", timeout=4)
        else:
            self.notify("Everyone's tags are shown", timeout=3)

    def action_filter_reviewer(self: ReviewApp, reviewer_id: int | None) -> None:
        tag_list = self.query_one(TagList)
        tag_list.set_filter(tag_list.tag_filter.group, tag_list.tag_filter.code, reviewer_id)

