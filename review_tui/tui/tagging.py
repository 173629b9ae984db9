"""The tagging half of the app: keys become tags in the store, and the panes show them.

Mixed into ReviewApp, so the actions are the app's own (bindings and the palette name them).
Every change is written to the store inside the handler of the key that made it, before any
pane is told, so a killed process loses nothing the reviewer saw confirmed. The panes are
then redrawn from the store (``refresh_tags``): the store is the one owner of the tags.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from review_tui.model import Code, CodeGroup, ReviewTuiError, Tag, format_ms
from review_tui.tui import palette
from review_tui.tui.reviewers import BLIND_KEY
from review_tui.tui.screens.code_picker import CodePicker
from review_tui.tui.screens.reviewer_prompt import ReviewerPrompt
from review_tui.tui.screens.tag_details import TagDetails, TagEdit
from review_tui.tui.widgets.tag_list import TagList
from review_tui.tui.widgets.timeline import Timeline
from review_tui.tui.widgets.transcript import Marks, TranscriptView

if TYPE_CHECKING:
    from review_tui.tui.app import ReviewApp

NEAR_MS = 250  # the playhead this close to the selected tag's start is "on" it (for j/k)


class TaggingMixin:
    """Tagging actions for ReviewApp: tag, edit, delete, undo, in/out marks, moving between tags."""

    def init_tagging(self: ReviewApp) -> None:
        self.mark_in: int | None = None
        self.mark_out: int | None = None
        self.line_selection: tuple[int, int] | None = None
        self.selected_tag_id: int | None = None
        self.visible_tags: list[Tag] = []
        self.blind = False

    def mount_tagging(self: ReviewApp) -> None:
        try:
            self.blind = self.store.get_state(BLIND_KEY) == "1" and self.reviewer is not None
        except ReviewTuiError:
            self.blind = False
        self.refresh_tags()
        self.show_marks()
        # Writes kept pending while another program locks the review land from a store thread.
        self.store.when_pending_changes(lambda: self.call_from_thread(self._pending_changed))
        if self.reviewer is None and self.ask_reviewer:
            self.push_screen(ReviewerPrompt(), self._reviewer_given)

    # --- the panes, from the store ---------------------------------------------------------

    def refresh_tags(self: ReviewApp) -> None:
        try:
            tags, reviewers = self.store.tags(), self.store.reviewers()
        except ReviewTuiError as error:
            self.notify(str(error), title="Review file", severity="error", markup=False)
            return
        mine = self.reviewer.id if self.blind and self.reviewer is not None else None
        self.visible_tags = [tag for tag in tags if mine is None or tag.author_id == mine]
        tag_list = self.query_one(TagList)
        tag_list.blind_id = mine  # set before the rows are built, so they are built once
        tag_list.set_tags(tags, self.codebook, reviewers)
        if self.selected_tag_id is not None:
            tag_list.select_tag(self.selected_tag_id)
        self.query_one(Timeline).set_tags(self.visible_tags, self.codebook)
        self.query_one(TranscriptView).set_marks(self._transcript_marks(self.visible_tags))

    def _say_pending(self: ReviewApp) -> None:
        notice = self.store.pending_notice()
        if notice is not None:
            self.notify(notice, title="Review file", severity="warning", timeout=6, markup=False)

    def _pending_changed(self: ReviewApp) -> None:
        if self.selected_tag_id is not None and self.selected_tag_id < 0:  # a pending tag landed
            landed = self.store.tag(self.selected_tag_id)
            self.selected_tag_id = landed.id if landed else None
        self.refresh_tags()
        for refused in self.store.take_refused():
            self.notify(refused, title="Not saved", severity="error", markup=False)
        if not self.store.pending_count():
            self.notify("Pending tag changes are written to the review file", timeout=4)

    def _transcript_marks(self: ReviewApp, tags: list[Tag]) -> dict[int, Marks]:
        transcript = self.session.transcript
        if transcript is None:
            return {}
        colours = palette.group_colours(self.codebook)
        keys = {group.id: group.key for group in self.codebook.groups}
        groups_by_cue: dict[int, dict[str, None]] = {}
        for tag in tags:
            code = self.codebook.code(tag.code_id)
            if code is None:
                continue
            cues = transcript.cues_between(tag.start_ms, tag.end_ms if tag.end_ms is not None else tag.start_ms)
            indexes = [cue.index for cue in cues]
            if not indexes:  # a point in a pause belongs to the line before it
                before = transcript.index_at(tag.start_ms)
                indexes = [before] if before is not None else []
            for index in indexes:
                groups_by_cue.setdefault(index, {}).setdefault(code.group, None)
        return {
            index: tuple((keys.get(group, "?"), colours.get(group, palette.UNKNOWN_COLOUR)) for group in groups)
            for index, groups in groups_by_cue.items()
        }

    def _select(self: ReviewApp, tag_id: int | None) -> None:
        self.selected_tag_id = tag_id
        if tag_id is not None:
            self.query_one(TagList).select_tag(tag_id)

    def _selected_tag(self: ReviewApp) -> Tag | None:
        if self.selected_tag_id is None:
            return None
        return next((tag for tag in self.visible_tags if tag.id == self.selected_tag_id), None)

    def _describe(self: ReviewApp, tag: Tag) -> str:
        code = self.codebook.code(tag.code_id)
        return f"{code.label if code else tag.code_id} at {palette.tag_span(tag)}"

    # --- in and out marks, selected lines ----------------------------------------------------

    def action_mark_in(self: ReviewApp) -> None:
        self.mark_in = self.player.position_ms()
        if self.mark_out is not None and self.mark_out <= self.mark_in:
            self.mark_out = None
        self.show_marks()

    def action_mark_out(self: ReviewApp) -> None:
        position = self.player.position_ms()
        if self.mark_in is None or position <= self.mark_in:
            self.notify("Mark in first (i), then out (o) later in the session", timeout=3)
            return
        self.mark_out = position
        self.show_marks()

    def on_transcript_view_selection_changed(self: ReviewApp, event: TranscriptView.SelectionChanged) -> None:
        event.stop()
        self.line_selection = event.selection
        self.show_marks()

    def _clear_marks(self: ReviewApp) -> None:
        self.mark_in = self.mark_out = None
        if self.line_selection is not None:
            self.line_selection = None
            self.query_one(TranscriptView).clear_selection()
        self.show_marks()

    def _marked_range(self: ReviewApp) -> tuple[int, int | None] | None:
        transcript = self.session.transcript
        if self.line_selection is not None and transcript is not None:
            first, last = self.line_selection
            return transcript.cues[first].start_ms, transcript.cues[last].end_ms
        if self.mark_in is not None:
            return self.mark_in, self.mark_out
        return None

    def show_marks(self: ReviewApp) -> None:
        marked = self._marked_range()
        if marked is None:
            text = ""
        elif self.line_selection is not None:
            lines = self.line_selection[1] - self.line_selection[0] + 1
            text = f"lines {palette.time_span(*marked)} ({lines}) · next tag covers them"
        elif marked[1] is None:
            text = f"in {format_ms(marked[0], millis=False)} → out ? (o)"
        else:
            text = f"in {palette.time_span(*marked)} · next tag covers it"
        self.query_one("#marks").update(text)

    def _tag_range(self: ReviewApp, group: CodeGroup | None, at_ms: int) -> tuple[int, int | None]:
        marked = self._marked_range()
        if marked is not None:
            start, end = marked
            if end is None:  # only an in mark: it runs to where the key was pressed
                start, end = min(start, at_ms), max(start, at_ms)
            return start, end if end > start else None
        transcript = self.session.transcript
        if group is not None and group.ranges and transcript is not None:
            # A phase is a stretch of talk: with no marks it covers the line being spoken.
            index = transcript.index_at(at_ms)
            if index is not None:
                cue = transcript.cues[index]
                return cue.start_ms, max(cue.end_ms, cue.start_ms + 1)
        return at_ms, None

    # --- tagging -----------------------------------------------------------------------------

    def action_tag_group(self: ReviewApp, group_id: str) -> None:
        at_ms = self.player.position_ms()  # the moment is when the key was pressed
        if not self._with_reviewer(partial(self.action_tag_group, group_id)):
            return
        group = self.codebook.group(group_id)
        if group is None:
            return
        self.push_screen(CodePicker(self.codebook, group), partial(self._code_picked, at_ms))

    def _code_picked(self: ReviewApp, at_ms: int, code: Code | None) -> None:
        if code is not None:
            start, end = self._tag_range(self.codebook.group(code.group), at_ms)
            self.add_tag(code.id, start, end)

    def add_tag(self: ReviewApp, code_id: str, start_ms: int, end_ms: int | None, *, note: str = "") -> Tag | None:
        """Write the tag, then show it and ask for its rating and note."""
        try:
            tag = self.store.add_tag(
                start_ms=start_ms, end_ms=end_ms, code_id=code_id, note=note, author=self.reviewer
            )
        except ReviewTuiError as error:
            self.notify(str(error), title="Not tagged", severity="error", markup=False)
            return None
        self._clear_marks()
        self.selected_tag_id = tag.id
        self.refresh_tags()
        self._say_pending()
        details = TagDetails(self.codebook, code_id, start_ms, end_ms, note=note)
        self.push_screen(details, partial(self._details_given, tag.id))
        return tag

    def _details_given(self: ReviewApp, tag_id: int, edit: TagEdit | None) -> None:
        if edit is None:
            return  # Esc: the tag stays as it was made
        # The details complete the add's undo step; a tag gone meanwhile is said, not skipped.
        self._save(tag_id, amend_add=True, rating=edit.rating, note=edit.note)

    def _save(self: ReviewApp, tag_id: int, **changes: Any) -> Tag | None:
        try:
            tag = self.store.update_tag(tag_id, by=self.reviewer, **changes)
        except ReviewTuiError as error:
            self.notify(str(error), title="Not saved", severity="error", markup=False)
            return None
        self.refresh_tags()
        self._say_pending()
        return tag

    def action_edit_tag(self: ReviewApp) -> None:
        tag = self._selected_tag()
        if tag is None:
            self.notify("No tag selected: j/k or the tag list (T) picks one", timeout=3)
            return
        self.push_screen(TagDetails.for_tag(tag, self.codebook), partial(self._edited, tag.id))

    def _edited(self: ReviewApp, tag_id: int, edit: TagEdit | None) -> None:
        if edit is None:
            return
        tag = self._save(
            tag_id, code_id=edit.code_id, start_ms=edit.start_ms, end_ms=edit.end_ms, rating=edit.rating, note=edit.note
        )
        if tag is not None:
            self.notify(f"Saved {self._describe(tag)}", timeout=3, markup=False)

    def action_delete_tag(self: ReviewApp) -> None:
        tag = self._selected_tag()
        if tag is None:
            self.notify("No tag selected: j/k or the tag list (T) picks one", timeout=3)
            return
        try:
            self.store.delete_tag(tag.id, by=self.reviewer)
        except ReviewTuiError as error:
            self.notify(str(error), title="Not deleted", severity="error", markup=False)
            return
        self.selected_tag_id = None
        self.refresh_tags()
        self.notify(f"Deleted {self._describe(tag)} · ctrl+z brings it back", timeout=5, markup=False)
        self._say_pending()

    def action_undo(self: ReviewApp) -> None:
        self._step_history(backwards=True)

    def action_redo(self: ReviewApp) -> None:
        self._step_history(backwards=False)

    def _step_history(self: ReviewApp, *, backwards: bool) -> None:
        if self.reviewer is None:
            self.notify("Nothing to undo" if backwards else "Nothing to redo", timeout=2)
            return
        try:  # each reviewer undoes only their own steps
            done = self.store.undo(self.reviewer) if backwards else self.store.redo(self.reviewer)
        except ReviewTuiError as error:
            self.notify(str(error), title="Review file", severity="error", markup=False)
            return
        except (ValueError, KeyError, TypeError, IndexError) as error:
            # An undo step the review file holds but we cannot read (damaged, or written by
            # another tool): its transaction is rolled back, so nothing changed.
            step = "undo" if backwards else "redo"
            self.notify(
                f"{self.store.path}: the {step} step is damaged and was not applied ({type(error).__name__})",
                title="Review file",
                severity="error",
                markup=False,
            )
            return
        if done is None:
            self.notify("Nothing to undo" if backwards else "Nothing to redo", timeout=2)
            return
        self.refresh_tags()
        self.notify(f"{'Undone' if backwards else 'Redone'}: {done}", timeout=4, markup=False)

    # --- moving between tags -----------------------------------------------------------------

    def action_next_tag(self: ReviewApp) -> None:
        self._step_tag(+1)

    def action_previous_tag(self: ReviewApp) -> None:
        self._step_tag(-1)

    def _step_tag(self: ReviewApp, direction: int) -> None:
        shown = self.query_one(TagList).shown  # honours the list's filter and blind coding
        if not shown:
            self.notify("No tags yet", timeout=2)
            return
        position = self.player.position_ms()
        selected = self._selected_tag()
        if selected is not None and abs(selected.start_ms - position) <= NEAR_MS:
            here = (selected.start_ms, selected.id)
        else:
            here = (position, -1 if direction > 0 else 1 << 62)
        ordered = sorted(shown, key=lambda tag: (tag.start_ms, tag.id))
        if direction > 0:
            target = next((tag for tag in ordered if (tag.start_ms, tag.id) > here), ordered[0])
        else:
            target = next((tag for tag in reversed(ordered) if (tag.start_ms, tag.id) < here), ordered[-1])
        self.go_to_tag(target)

    def go_to_tag(self: ReviewApp, tag: Tag) -> None:
        self.player.seek(tag.start_ms)
        self._select(tag.id)
        self.query_one(TranscriptView).follow_playback()
        self._tick(force=True)

    def on_tag_list_tag_selected(self: ReviewApp, event: TagList.TagSelected) -> None:
        event.stop()
        tag = next((tag for tag in self.visible_tags if tag.id == event.tag_id), None)
        if tag is not None:
            self.go_to_tag(tag)

    def on_tag_list_tag_highlighted(self: ReviewApp, event: TagList.TagHighlighted) -> None:
        event.stop()
        self.selected_tag_id = event.tag_id

    def on_tag_list_filter_changed(self: ReviewApp, event: TagList.FilterChanged) -> None:
        event.stop()

    def on_timeline_seek_requested(self: ReviewApp, event: Timeline.SeekRequested) -> None:
        event.stop()
        self.action_seek_to(event.position_ms)

    def action_toggle_tag_list(self: ReviewApp) -> None:
        tag_list = self.query_one(TagList)
        if not tag_list.display:
            tag_list.display = True
            tag_list.focus()
        elif tag_list.has_focus:
            tag_list.display = False
            self.query_one(TranscriptView).focus()
        else:
            tag_list.focus()

