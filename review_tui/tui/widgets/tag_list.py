"""The tag list: every tag of the review, one line each, filtered by group, code or reviewer.

An OptionList underneath (it draws only the rows on screen, so 500 tags scroll as fast as
5). The rows are laid out for the pane's width: time, code badge and label always; the
rating, the author and a preview of the note as room allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from textual import events, on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from review_tui.analysis.stats import group_of
from review_tui.model import Codebook, Reviewer, Tag
from review_tui.text import one_line
from review_tui.tui import palette

TAG_LIST_BINDINGS: list[Binding] = [
    Binding("G", "cycle_group", "Filter group", id="tags.filter-group"),
    Binding("C", "cycle_code", "Filter code", id="tags.filter-code"),
    Binding("R", "cycle_author", "Filter reviewer", id="tags.filter-reviewer"),
    Binding("backspace", "clear_filter", "All tags", id="tags.filter-clear"),
]

HOURS_MS = 3_600_000
LABEL_MAX = 28
AUTHOR_WIDTH = 10
# Every tag shows who made it, so the author takes room before the label grows long.
AUTHOR_FROM = 40
STARS_WIDTH = 5
NOTE_MIN = 8  # a shorter preview says nothing
NOTE_PREVIEW = 12  # room kept for a note by shortening a long code label
LABEL_MIN = 22  # most labels fit: "Criticises therapist", "Clarify a defense"
GAP = "  "
ID_PREFIX = "tag-"


@dataclass(frozen=True, slots=True)
class TagFilter:
    group: str | None = None  # CodeGroup.id
    code: str | None = None  # Code.id
    author_id: int | None = None

    def keeps(self, tag: Tag, group_of_tag: str | None) -> bool:
        if self.group is not None and group_of_tag != self.group:
            return False
        if self.code is not None and tag.code_id != self.code:
            return False
        return self.author_id is None or tag.author_id == self.author_id


class TagList(OptionList):
    """Tags in time order. Enter or a click asks to play from a tag (``TagSelected``)."""

    BINDINGS = TAG_LIST_BINDINGS

    DEFAULT_CSS = """
    TagList {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        border: round $primary 60%;
        border-title-color: $text-muted;
        border-subtitle-color: $warning;
        padding: 0;
        &:focus { border: round $accent; }
        & > .option-list--option { padding: 0 1; }
        /* Lighter than the block cursor, so the group colours stay readable on it. */
        & > .option-list--option-highlighted { background: $primary 25%; }
        &:focus > .option-list--option-highlighted { background: $primary 40%; text-style: none; }
    }
    """

    @dataclass
    class TagSelected(Message):
        """Enter or a click on a tag: the app plays from it."""

        tag_id: int

    @dataclass
    class TagHighlighted(Message):
        """The cursor moved onto a tag (by the user, not by ``select_tag``)."""

        tag_id: int

    @dataclass
    class FilterChanged(Message):
        """The user changed the filter with the list's own keys."""

        tag_filter: TagFilter

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Tags"
        self.tags: list[Tag] = []
        self.codebook: Codebook | None = None
        self.reviewers: dict[int, Reviewer] = {}
        self.tag_filter = TagFilter()
        self.blind_id: int | None = None
        self.shown: list[Tag] = []
        self._colours: dict[str, str] = {}
        self._hours = False
        self._laid_out_width = 0
        self._quiet_tag: int | None = None  # a highlight we made ourselves: not reported

    # --- data in -----------------------------------------------------------------------

    def set_tags(self, tags: Iterable[Tag], codebook: Codebook | None, reviewers: Iterable[Reviewer] = ()) -> None:
        self.tags = sorted(tags, key=lambda tag: (tag.start_ms, tag.id))
        self.codebook = codebook
        self.reviewers = {reviewer.id: reviewer for reviewer in reviewers}
        self._colours = palette.group_colours(codebook)
        self._hours = any(max(tag.start_ms, tag.end_ms or 0) >= HOURS_MS for tag in self.tags)
        self._rebuild()

    def set_filter(self, group: str | None = None, code: str | None = None, author_id: int | None = None) -> None:
        self.tag_filter = TagFilter(group, code, author_id)
        self._rebuild()

    def set_blind(self, reviewer_id: int | None) -> None:
        """Show only ``reviewer_id``'s tags (independent coding), or everyone's with None."""
        self.blind_id = reviewer_id
        self._rebuild()

    def select_tag(self, tag_id: int) -> bool:
        """Move the cursor to a tag without reporting it back; False when it is not shown."""
        index = self._index_of(tag_id)
        if index is None:
            return False
        if index != self.highlighted:
            self._quiet_tag = tag_id
            self.highlighted = index
        return True

    @property
    def highlighted_tag_id(self) -> int | None:
        if self.highlighted is None or not 0 <= self.highlighted < self.option_count:
            return None
        return _tag_id(self.get_option_at_index(self.highlighted).id)

    # --- keys ----------------------------------------------------------------------------

    def action_cycle_group(self) -> None:
        groups = self._present(lambda tag: group_of(tag.code_id, self.codebook))
        if self.codebook is not None:  # in codebook order, not in order of first use
            order = [group.id for group in self.codebook.groups]
            groups.sort(key=lambda group: order.index(group) if group in order else len(order))
        self._change_filter(group=_next(groups, self.tag_filter.group), code=None)

    def action_cycle_code(self) -> None:
        group = self.tag_filter.group
        codes = self._present(lambda tag: tag.code_id if group in (None, group_of(tag.code_id, self.codebook)) else None)
        self._change_filter(code=_next(codes, self.tag_filter.code))

    def action_cycle_author(self) -> None:
        if self.blind_id is not None:
            self.app.bell()  # blind coding: other reviewers stay hidden
            return
        authors = sorted(self._present(lambda tag: tag.author_id))
        self._change_filter(author_id=_next(authors, self.tag_filter.author_id))

    def action_clear_filter(self) -> None:
        self._change_filter(group=None, code=None, author_id=None)

    def _change_filter(self, **changes: object) -> None:
        self.tag_filter = replace(self.tag_filter, **changes)
        self._rebuild()
        self.post_message(self.FilterChanged(self.tag_filter))

    def _present(self, key) -> list:
        seen: dict = {}
        for tag in self.tags:
            if self.blind_id is None or tag.author_id == self.blind_id:
                value = key(tag)
                if value is not None:
                    seen.setdefault(value, None)
        return list(seen)

    # --- messages up ---------------------------------------------------------------------

    @on(OptionList.OptionHighlighted)
    def _report_highlight(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        tag_id = _tag_id(event.option_id)
        if tag_id is None:
            return
        if tag_id == self._quiet_tag:
            self._quiet_tag = None
            return
        self.post_message(self.TagHighlighted(tag_id))

    @on(OptionList.OptionSelected)
    def _report_selection(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        tag_id = _tag_id(event.option_id)
        if tag_id is not None:
            self.post_message(self.TagSelected(tag_id))

    def on_resize(self, event: events.Resize) -> None:
        if self._row_width() != self._laid_out_width:
            self._rebuild()

    # --- rows ------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        keep = self.highlighted_tag_id
        shown = self.tag_filter
        self.shown = [
            tag
            for tag in self.tags
            if (self.blind_id is None or tag.author_id == self.blind_id)
            and shown.keeps(tag, group_of(tag.code_id, self.codebook))
        ]
        width = self._laid_out_width = self._row_width()
        self.clear_options()
        if self.shown:
            self.add_options([Option(self._row(tag, width), id=f"{ID_PREFIX}{tag.id}") for tag in self.shown])
        else:
            self.add_option(Option(Content.styled(self._empty_text(), f"italic {palette.MUTED}"), disabled=True))
        self._update_titles()
        if keep is not None and self._index_of(keep) is not None:
            self.select_tag(keep)

    def _empty_text(self) -> str:
        if self.tags:
            return "No tags match this filter (Backspace shows all)"
        return "No tags yet: press a group key (w c r p d a f u t s), then a digit"

    def _update_titles(self) -> None:
        shown, total = len(self.shown), len(self.tags)
        self.border_title = f"Tags {shown}" if shown == total else f"Tags {shown} of {total}"
        parts = []
        if self.tag_filter.group is not None:
            group = self.codebook.group(self.tag_filter.group) if self.codebook else None
            parts.append(group.label if group else self.tag_filter.group)
        if self.tag_filter.code is not None:
            code = self.codebook.code(self.tag_filter.code) if self.codebook else None
            parts.append(code.label if code else self.tag_filter.code)
        if self.tag_filter.author_id is not None and self.blind_id is None:
            parts.append(f"by {palette.short_name(self.reviewers.get(self.tag_filter.author_id))}")
        if self.blind_id is not None:
            parts.append(f"blind: {palette.short_name(self.reviewers.get(self.blind_id))} only")
        self.border_subtitle = " · ".join(parts)

    def _row_width(self) -> int:
        # The option's padding (0 1) takes two cells; before the first layout assume 80.
        width = self.scrollable_content_region.width
        return max(20, width - 2) if width else 78

    def _row(self, tag: Tag, width: int) -> Content:
        code = self.codebook.code(tag.code_id) if self.codebook else None
        colour = self._colours.get(code.group, palette.UNKNOWN_COLOUR) if code else palette.UNKNOWN_COLOUR
        time_width = 15 if self._hours else 11
        rest = width - time_width - 1 - 4 - 1
        stars_width = STARS_WIDTH + len(GAP) if rest >= 24 else 0
        # With a single author the column says nothing a supervisor needs; its room goes to
        # the note (the header and the report still name who tagged).
        several_authors = len({shown.author_id for shown in self.tags}) > 1
        author_width = AUTHOR_WIDTH + len(GAP) if several_authors and rest >= AUTHOR_FROM else 0
        note = one_line(tag.note)
        label_room = rest - stars_width - author_width
        note_room = len(GAP) + NOTE_PREVIEW
        keep_for_note = note_room if note and label_room - note_room >= LABEL_MIN else 0
        label_width = max(6, min(LABEL_MAX, label_room - keep_for_note))
        parts: list[Content | tuple[str, str] | str] = [
            palette.fit(palette.tag_span(tag, hours=self._hours), time_width),
            " ",
            palette.code_badge(code, self.codebook, colour),
            " ",
            (palette.fit(code.label if code else tag.code_id, label_width), f"bold {colour}"),
        ]
        if stars_width:
            parts += [GAP, (palette.fit(palette.stars(tag.rating), STARS_WIDTH), "$warning")]
        if author_width:
            author = palette.short_name(self.reviewers.get(tag.author_id))
            parts += [GAP, (palette.fit(author, AUTHOR_WIDTH), "$text-secondary")]
        if note and rest - stars_width - author_width - label_width >= len(GAP) + NOTE_MIN:
            parts += [GAP, (note, palette.MUTED)]
        return Content.assemble(*parts)

    def _index_of(self, tag_id: int) -> int | None:
        try:
            return self.get_option_index(f"{ID_PREFIX}{tag_id}")
        except OptionDoesNotExist:  # filtered out, or gone
            return None


def _tag_id(option_id: str | None) -> int | None:
    if option_id is None or not option_id.startswith(ID_PREFIX):
        return None
    return int(option_id[len(ID_PREFIX) :])


def _next(values: list, current):
    """The value after ``current`` in ``values``; after the last (or with none), None = all."""
    if not values:
        return None
    if current not in values:
        return values[0]
    position = values.index(current) + 1
    return values[position] if position < len(values) else None
