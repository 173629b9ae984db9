"""What the reviewer has picked, marked and filtered, held in one place.

ReviewState changes only through the feature modules; TagsView is the frozen picture of the
tags the panes draw, rebuilt from the store once per change and handed to them as one value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from review_tui.model import Reviewer, Tag

if TYPE_CHECKING:  # the suggestion finder: imported when suggestions are first asked for
    from review_tui.analysis.suggestions import Suggestion


@dataclass(frozen=True, slots=True)
class TagFilter:
    """Which tags the tag list shows: by group, code and author; None means any."""

    group: str | None = None  # CodeGroup.id
    code: str | None = None  # Code.id
    author_id: int | None = None

    def keeps(self, tag: Tag, group_of_tag: str | None) -> bool:
        if self.group is not None and group_of_tag != self.group:
            return False
        if self.code is not None and tag.code_id != self.code:
            return False
        return self.author_id is None or tag.author_id == self.author_id

    @property
    def is_empty(self) -> bool:
        return self.group is None and self.code is None and self.author_id is None


@dataclass(frozen=True, slots=True)
class TagsView:
    """Everything the tag list, the timeline and the transcript marks draw, as one value."""

    tags: tuple[Tag, ...] = ()  # every tag of the review, in time order
    reviewers: tuple[Reviewer, ...] = ()
    blind_id: int | None = None  # blind coding: only this reviewer's tags are visible
    tag_filter: TagFilter = TagFilter()
    selected_id: int | None = None
    suggestions: tuple[Suggestion, ...] = ()  # the open ones, for the timeline's lane

    @property
    def visible(self) -> tuple[Tag, ...]:
        """The tags blind coding lets through (the timeline and the marks show these)."""
        if self.blind_id is None:
            return self.tags
        return tuple(tag for tag in self.tags if tag.author_id == self.blind_id)


@dataclass(slots=True)
class ReviewState:
    """The reviewer's working state in one session (not saved, except ``blind``)."""

    mark_in: int | None = None
    mark_out: int | None = None
    line_selection: tuple[int, int] | None = None  # first and last cue index
    selected_tag_id: int | None = None
    selection_picked: bool = False  # chosen by the reviewer (j/k, the tag list), not just made
    blind: bool = False
    tag_filter: TagFilter = TagFilter()
    search_query: str = ""
    search_words: bool = True  # whole words (True) or anywhere inside a word
    hits: list[int] = field(default_factory=list)  # cue indexes holding the query
    suggestions: list[Suggestion] | None = None  # None until looked for
    dismissed_keys: set[tuple[int, int, str]] = field(default_factory=set)

    def clear_marks(self) -> None:
        self.mark_in = self.mark_out = None
        self.line_selection = None
