"""Every key of the app in one registry: id (for the keymap), key, action, description.

Each table belongs to one place (the main screen, the transcript, the tag list, a dialog);
the footer shows each place's own table, and the help screen, the command palette and the
keymap check are all built from ``TABLES``, so a key that exists is listed and a keymap id
that exists is accepted.

The group keys w c r p d a f u t s come from the codebook (``group_bindings``) and the
digits belong to the code picker; the playback keys may not take them, nor i o e x j k
(tests/tui/test_bindings.py holds us to it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding

from review_tui.model import Codebook

SEEK = Binding.Group("Seek ±5 s")
SPEED = Binding.Group("Speed")

APP_BINDINGS: list[Binding] = [
    # First: the footer drops keys from its end when the terminal is narrow, and help and
    # quit are the two a newcomer must always find.
    Binding("question_mark", "help", "Help", id="help"),
    Binding("q", "quit", "Quit", id="quit"),
    Binding("space", "toggle_play", "Play/Pause", id="play.toggle"),
    Binding("left", "seek_by(-5000)", "Back 5 s", id="seek.back", group=SEEK),
    Binding("right", "seek_by(5000)", "Forward 5 s", id="seek.forward", group=SEEK),
    Binding("shift+left", "seek_by(-30000)", "Back 30 s", id="seek.back-long", show=False),
    Binding("shift+right", "seek_by(30000)", "Forward 30 s", id="seek.forward-long", show=False),
    Binding("comma", "step(-1)", "Frame back", id="frame.back", show=False),
    Binding("full_stop", "step(1)", "Frame forward", id="frame.forward", show=False),
    Binding("left_square_bracket", "slower", "Slower", id="speed.slower", group=SPEED),
    Binding("right_square_bracket", "faster", "Faster", id="speed.faster", group=SPEED),
    Binding("equals_sign", "normal_speed", "Normal speed", id="speed.normal", show=False),
    Binding("b", "replay", "Replay 5 s", id="replay"),
    Binding("l", "cycle_loop", "A–B loop", id="loop"),
    Binding("g", "goto", "Go to", id="goto"),
    Binding("slash", "search", "Search", id="search"),
    Binding("n", "next_hit", "Next hit", id="search.next", show=False),
    Binding("N", "previous_hit", "Previous hit", id="search.previous", show=False),
    Binding("v", "follow", "Follow", id="transcript.follow"),
]

TRANSCRIPT_BINDINGS: list[Binding] = [
    Binding("up", "cursor(-1)", "Previous line", id="transcript.up", show=False),
    Binding("down", "cursor(1)", "Next line", id="transcript.down", show=False),
    Binding("pageup", "page(-1)", "Page up", id="transcript.page-up", show=False),
    Binding("pagedown", "page(1)", "Page down", id="transcript.page-down", show=False),
    Binding("home", "cursor_to(0)", "First line", id="transcript.first", show=False),
    Binding("end", "cursor_to(-1)", "Last line", id="transcript.last", show=False),
    Binding("enter", "select", "Go to this line", id="transcript.select", show=False),
    Binding("shift+up", "extend(-1)", "Select lines up", id="transcript.select-up", show=False),
    Binding("shift+down", "extend(1)", "Select lines down", id="transcript.select-down", show=False),
]

UNDO = Binding.Group("Undo/Redo")

TAGGING_BINDINGS: list[Binding] = [
    Binding("i", "mark_in", "Mark in", id="tag.mark-in", show=False),
    Binding("o", "mark_out", "Mark out", id="tag.mark-out", show=False),
    Binding("e", "edit_tag", "Edit tag", id="tag.edit", show=False),
    Binding("x", "delete_tag", "Delete tag", id="tag.delete", show=False),
    Binding("j", "next_tag", "Next tag", id="tag.next", show=False),
    Binding("k", "previous_tag", "Previous tag", id="tag.previous", show=False),
    Binding("ctrl+z", "undo", "Undo", id="tag.undo", group=UNDO, show=False),
    Binding("ctrl+y", "redo", "Redo", id="tag.redo", group=UNDO, show=False),
    Binding("T", "toggle_tag_list", "Tags", id="tags.toggle"),
    Binding("L", "link_episode", "Link episode", id="episode.link", show=False),
    Binding("E", "show_episodes", "Episodes", id="episode.list", show=False),
    Binding("S", "suggest", "Suggested moments", id="suggestions.show", show=False),
    Binding("B", "toggle_blind", "Blind coding", id="tags.blind", show=False),
    Binding("W", "change_reviewer", "Change reviewer", id="reviewer.change", show=False),
    Binding("ctrl+e", "export", "Export", id="report.export"),
    # Two reviewers and the session (issue 10): the reconcile pass, the session details.
    Binding("R", "reconcile", "Reconcile two reviewers", id="reconcile.start", show=False),
    Binding("D", "session_details", "Session details", id="details.edit", show=False),
]

TAG_LIST_BINDINGS: list[Binding] = [
    Binding("G", "cycle_group", "Filter group", id="tags.filter-group"),
    Binding("C", "cycle_code", "Filter code", id="tags.filter-code"),
    Binding("R", "cycle_author", "Filter reviewer", id="tags.filter-reviewer"),
    Binding("backspace", "clear_filter", "All tags", id="tags.filter-clear"),
]

SUGGESTION_BINDINGS: list[Binding] = [
    Binding("j", "cursor_down", "Next", id="suggestions.next", show=False),
    Binding("k", "cursor_up", "Previous", id="suggestions.previous", show=False),
    Binding("delete,backspace", "toggle_dismissed", "Dismiss", id="suggestions.dismiss"),
]

DIALOG_BINDINGS: list[Binding] = [
    Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
]

PROMPT_BINDINGS: list[Binding] = [
    Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    Binding("ctrl+t", "toggle_words", "Whole words / inside words", id="prompt.words", show=False),
]

HELP_BINDINGS: list[Binding] = [
    Binding("escape,question_mark,q", "close", "Close", id="help.close"),
]

REVIEWER_BINDINGS: list[Binding] = [
    Binding("up", "role(-1)", "Previous role", id="reviewer.role-up", show=False),
    Binding("down", "role(1)", "Next role", id="reviewer.role-down", show=False),
]

EPISODE_LINKS_BINDINGS: list[Binding] = [
    # Enter would toggle a row of the list; here it confirms, as the hint says.
    Binding("enter", "confirm", "Link checked", id="episode.confirm", priority=True),
]


CODE_FIELD_BINDINGS: list[Binding] = [
    Binding("enter", "next_field", "Next field", id="tag-edit.next-field", show=False),
    Binding("down,space,up", "show_overlay", "Show the codes", id="tag-edit.codes", show=False),
]

EXPORT_BINDINGS: list[Binding] = [
    Binding("escape", "cancel", "Cancel / stop", id="export.cancel"),
]

RECONCILE_BINDINGS: list[Binding] = [
    Binding("a", "decide('keep_a')", "Keep A's", id="reconcile.keep-a"),
    Binding("b", "decide('keep_b')", "Keep B's", id="reconcile.keep-b"),
    Binding("k", "decide('keep_both')", "Keep both", id="reconcile.keep-both"),
    Binding("c", "new_code", "New code", id="reconcile.new-code"),
    Binding("d", "decide('drop')", "Drop", id="reconcile.drop"),
    Binding("n,down", "step(1)", "Next", id="reconcile.next"),
    Binding("p,up", "step(-1)", "Previous", id="reconcile.previous"),
    Binding("space", "app.toggle_play", "Play/Pause", id="reconcile.play"),
    Binding("r", "replay", "Replay the moment", id="reconcile.replay", show=False),
    Binding("ctrl+z", "undo", "Undo a decision", id="reconcile.undo"),
    Binding("escape", "cancel", "Leave", id="reconcile.leave"),
]

DETAILS_BINDINGS: list[Binding] = [
    Binding("escape", "cancel", "Cancel", id="details.cancel"),
    Binding("ctrl+s", "save", "Save", id="details.save"),
]

CONFIRM_BINDINGS: list[Binding] = [
    Binding("enter", "confirm", "Yes", id="confirm.yes"),
]


@dataclass(frozen=True, slots=True)
class Table:
    """One section of the help screen: a title and its keys."""

    title: str  # the help screen's section
    bindings: list[Binding]


TABLES: list[Table] = [
    Table("Playback", APP_BINDINGS),
    Table("Tagging", TAGGING_BINDINGS),
    Table("Transcript", TRANSCRIPT_BINDINGS),
    Table("Tag list (T focuses it)", TAG_LIST_BINDINGS),
    Table("Suggested moments (S)", SUGGESTION_BINDINGS),
    Table("Linking an episode (L)", EPISODE_LINKS_BINDINGS),
    Table("Who is reviewing (W)", REVIEWER_BINDINGS),
    Table("Questions (g, /)", PROMPT_BINDINGS),
    Table("Dialogs", DIALOG_BINDINGS),
    Table("Questions with a yes or no", CONFIRM_BINDINGS),
    Table("Editing a tag (e)", CODE_FIELD_BINDINGS),
    Table("Export (ctrl+e)", EXPORT_BINDINGS),
    Table("Reconcile pass (R)", RECONCILE_BINDINGS),
    Table("Session details (D)", DETAILS_BINDINGS),
    Table("This help", HELP_BINDINGS),
]

RESERVED_KEYS = frozenset("wcrpdafuts" "0123456789" "ioexjk")

SPEED_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def group_bindings(codebook: Codebook) -> list[Binding]:
    """One key per code group of ``codebook``; the code picker takes the digit after it."""
    return [
        Binding(group.key, f"app.tag_group('{group.id}')", group.label, id=f"tag-group-{group.id}", show=False)
        for group in codebook.groups
    ]


def all_bindings() -> Iterable[Binding]:
    for table in TABLES:
        yield from table.bindings


def active_keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys a binding answers to once the user's keymap is applied."""
    keys = keymap.get(binding.id or "", binding.key)
    return [key.strip() for key in keys.split(",") if key.strip()]


def unknown_ids(keymap: Mapping[str, str], codebook: Codebook | None = None) -> list[str]:
    known = {binding.id for binding in all_bindings()}
    known |= {binding.id for binding in group_bindings(codebook)} if codebook is not None else set()
    return sorted(binding_id for binding_id in keymap if binding_id not in known)


def next_speed(speed: float, direction: int) -> float:
    """The next step up (+1) or down (-1) from ``speed``; stays put at either end."""
    if direction > 0:
        return next((step for step in SPEED_STEPS if step > speed + 1e-9), SPEED_STEPS[-1])
    return next((step for step in reversed(SPEED_STEPS) if step < speed - 1e-9), SPEED_STEPS[0])
