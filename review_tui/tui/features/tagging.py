"""Tagging: keys become tags in the store, and the panes are told once the store has them.

Every change is written inside the handler of the key that made it, before any pane is told,
so a killed process loses nothing the reviewer saw confirmed. The rules (what a tag covers,
where j/k go) live in review.rules; this module only wires them to keys and dialogs.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from review_tui.model import Code, ReviewTuiError, Tag, format_ms
from review_tui.review import rules
from review_tui.tui import palette
from review_tui.tui.features.reviewers import with_reviewer
from review_tui.tui.host import ReviewHost
from review_tui.tui.notices import store_error

if TYPE_CHECKING:  # the dialogs are imported when first opened: the first screen shows neither
    from review_tui.tui.screens.tag_details import TagEdit

NO_SELECTION = "No tag selected: j/k pick one, or the tag list (T)"


def selected_tag(host: ReviewHost) -> Tag | None:
    chosen = host.state.selected_tag_id
    return next((tag for tag in host.tags_view.visible if tag.id == chosen), None) if chosen is not None else None


def describe(host: ReviewHost, tag: Tag) -> str:
    code = host.codebook.code(tag.code_id)
    return f"{code.label if code else tag.code_id} at {palette.tag_span(tag)}"


def select(host: ReviewHost, tag_id: int | None, *, picked: bool) -> None:
    """``picked``: chosen by the reviewer (j/k, the list), so x may delete it."""
    host.state.selected_tag_id = tag_id
    host.state.selection_picked = picked and tag_id is not None
    host.publish_tags(reread=False)


# --- writes kept pending while another program locks the review file -------------------


def watch_pending(host: ReviewHost) -> None:
    """Writes kept pending land from a store thread: hear of them on the UI thread."""
    host.store.when_pending_changes(lambda: host.call_from_thread(pending_changed, host))


def say_pending(host: ReviewHost) -> None:
    notice = host.store.pending_notice()
    if notice is not None:
        host.notify(notice, title="Review file", severity="warning", timeout=6, markup=False)


def pending_changed(host: ReviewHost) -> None:
    state = host.state
    if state.selected_tag_id is not None and state.selected_tag_id < 0:  # a pending tag landed
        landed = host.store.tag(state.selected_tag_id)
        state.selected_tag_id = landed.id if landed else None
    host.publish_tags()
    for refused in host.store.take_refused():
        host.notify(refused, title="Not saved", severity="error", markup=False)
    if not host.store.pending_count():
        host.notify("Pending tag changes are written to the review file", timeout=4)


# --- in and out marks --------------------------------------------------------------------


def mark_in(host: ReviewHost) -> None:
    state = host.state
    state.mark_in = host.player.position_ms()
    if state.mark_out is not None and state.mark_out <= state.mark_in:
        state.mark_out = None
    host.show_marks()


def mark_out(host: ReviewHost) -> None:
    position = host.player.position_ms()
    state = host.state
    if state.mark_in is None or position <= state.mark_in:
        host.notify("Mark in first (i), then out (o) later in the session", timeout=3)
        return
    state.mark_out = position
    host.show_marks()


def lines_selected(host: ReviewHost, selection: tuple[int, int] | None) -> None:
    host.state.line_selection = selection
    host.show_marks()


def marks_text(host: ReviewHost) -> str:
    state = host.state
    marked = rules.marked_range(state, host.session.transcript)
    if marked is None:
        return ""
    if state.line_selection is not None:
        lines = state.line_selection[1] - state.line_selection[0] + 1
        return f"lines {palette.time_span(*marked)} ({lines}) · next tag covers them"
    if marked[1] is None:
        return f"in {format_ms(marked[0], millis=False)} → out ? (o)"
    return f"in {palette.time_span(*marked)} · next tag covers it"


def clear_marks(host: ReviewHost) -> None:
    had_lines = host.state.line_selection is not None
    host.state.clear_marks()
    if had_lines:
        host.clear_line_selection()
    host.show_marks()


# --- tagging -------------------------------------------------------------------------------


def tag_group(host: ReviewHost, group_id: str) -> None:
    at_ms = host.player.position_ms()  # the moment is when the key was pressed
    if not with_reviewer(host, partial(tag_group, host, group_id)):
        return
    group = host.codebook.group(group_id)
    if group is not None:
        from review_tui.tui.screens.code_picker import CodePicker

        host.push_screen(CodePicker(host.codebook, group), partial(code_picked, host, at_ms))


def code_picked(host: ReviewHost, at_ms: int, code: Code | None) -> None:
    if code is not None:
        start, end = rules.tag_range(host.state, host.session.transcript, host.codebook.group(code.group), at_ms)
        add_tag(host, code.id, start, end)


def add_tag(host: ReviewHost, code_id: str, start_ms: int, end_ms: int | None, *, note: str = "") -> Tag | None:
    """Write the tag, then show it and ask for its rating and note."""
    try:
        tag = host.store.add_tag(start_ms=start_ms, end_ms=end_ms, code_id=code_id, note=note, author=host.reviewer)
    except ReviewTuiError as error:
        store_error(host, error, title="Not tagged")
        return None
    clear_marks(host)
    host.state.selected_tag_id, host.state.selection_picked = tag.id, False
    host.publish_tags()
    say_pending(host)
    from review_tui.tui.screens.tag_details import TagDetails

    details = TagDetails(host.codebook, code_id, start_ms, end_ms, note=note)
    host.push_screen(details, partial(details_given, host, tag.id))
    return tag


def details_given(host: ReviewHost, tag_id: int, edit: TagEdit | None) -> None:
    if edit is None:
        return  # Esc: the tag stays as it was made
    # The details complete the add's undo step; a tag gone meanwhile is said, not skipped.
    save(host, tag_id, amend_add=True, rating=edit.rating, note=edit.note)


def save(host: ReviewHost, tag_id: int, **changes: Any) -> Tag | None:
    try:
        tag = host.store.update_tag(tag_id, by=host.reviewer, **changes)
    except ReviewTuiError as error:
        store_error(host, error, title="Not saved")
        return None
    host.publish_tags()
    say_pending(host)
    return tag


def edit_tag(host: ReviewHost) -> None:
    tag = selected_tag(host)
    if tag is None:
        host.notify(NO_SELECTION, timeout=3, markup=False)
        return
    from review_tui.tui.screens.tag_details import TagDetails

    host.push_screen(TagDetails.for_tag(tag, host.codebook), partial(edited, host, tag.id))


def edited(host: ReviewHost, tag_id: int, edit: TagEdit | None) -> None:
    if edit is None:
        return
    tag = save(host, tag_id, code_id=edit.code_id, start_ms=edit.start_ms, end_ms=edit.end_ms, rating=edit.rating, note=edit.note)
    if tag is not None:
        host.notify(f"Saved {describe(host, tag)}", timeout=3, markup=False)


def delete_tag(host: ReviewHost) -> None:
    """Only a tag the reviewer picked (j/k or the list): never the one just made or the one
    that happens to be under the playhead."""
    tag = selected_tag(host) if host.state.selection_picked else None
    if tag is None:
        host.notify(f"{NO_SELECTION}; x deletes that one", timeout=4, markup=False)
        return
    try:
        host.store.delete_tag(tag.id, by=host.reviewer)
    except ReviewTuiError as error:
        store_error(host, error, title="Not deleted")
        return
    select(host, None, picked=False)
    host.notify(f"Deleted {describe(host, tag)} · ctrl+z undoes", timeout=5, markup=False)
    say_pending(host)


def undo(host: ReviewHost) -> None:
    step_history(host, backwards=True)


def redo(host: ReviewHost) -> None:
    step_history(host, backwards=False)


def step_history(host: ReviewHost, *, backwards: bool) -> None:
    if host.reviewer is None:
        host.notify("Nothing to undo" if backwards else "Nothing to redo", timeout=2)
        return
    try:  # each reviewer undoes only their own steps
        done = host.store.undo(host.reviewer) if backwards else host.store.redo(host.reviewer)
    except ReviewTuiError as error:
        store_error(host, error)
        return
    except (ValueError, KeyError, TypeError, IndexError) as error:
        # An undo step the review file holds but we cannot read (damaged, or written by
        # another tool): its transaction is rolled back, so nothing changed.
        step = "undo" if backwards else "redo"
        damaged = f"{host.store.path}: the {step} step is damaged and was not applied ({type(error).__name__})"
        host.notify(damaged, title="Review file", severity="error", markup=False)
        return
    if done is None:
        host.notify("Nothing to undo" if backwards else "Nothing to redo", timeout=2)
        return
    host.publish_tags()
    host.notify(f"{'Undone' if backwards else 'Redone'}: {done}", timeout=4, markup=False)


# --- moving between tags -----------------------------------------------------------------


def next_tag(host: ReviewHost) -> None:
    step_tag(host, +1)


def previous_tag(host: ReviewHost) -> None:
    step_tag(host, -1)


def step_tag(host: ReviewHost, direction: int) -> None:
    shown = rules.shown_tags(host.tags_view, host.codebook)  # the list's filter and blind coding
    target = rules.step_tag(shown, host.player.position_ms(), selected_tag(host), direction)
    if target is None:
        host.notify("No tags yet", timeout=2)
        return
    go_to_tag(host, target)


def go_to_tag(host: ReviewHost, tag: Tag) -> None:
    select(host, tag.id, picked=True)
    host.seek_to(tag.start_ms, follow=True)


def tag_chosen(host: ReviewHost, tag_id: int) -> None:
    """Enter or a click on a tag in the list."""
    tag = next((tag for tag in host.tags_view.visible if tag.id == tag_id), None)
    if tag is not None:
        go_to_tag(host, tag)


def tag_highlighted(host: ReviewHost, tag_id: int) -> None:
    select(host, tag_id, picked=True)


ACTIONS = {
    "mark_in": mark_in,
    "mark_out": mark_out,
    "tag_group": tag_group,
    "edit_tag": edit_tag,
    "delete_tag": delete_tag,
    "undo": undo,
    "redo": redo,
    "next_tag": next_tag,
    "previous_tag": previous_tag,
}
