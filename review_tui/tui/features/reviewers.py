"""Who is tagging: the reviewer asked for once and remembered, blind coding, and the tag
list's filter by reviewer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from review_tui.config import ConfigError, remember_reviewer
from review_tui.model import ReviewTuiError
from review_tui.tui.host import ReviewHost
from review_tui.tui.notices import store_error

BLIND_KEY = "tags.blind"  # + ":<reviewer id>": each reviewer's own choice
BLIND_ROLES = frozenset({"rater"})  # independent coding: a rater starts blind


def with_reviewer(host: ReviewHost, then: Callable[[], object]) -> bool:
    """True when a reviewer is known; otherwise ask, and run ``then`` once answered."""
    if host.reviewer is not None:
        return True

    def given(answer: tuple[str, str] | None) -> None:
        if reviewer_given(host, answer):
            then()

    from review_tui.tui.screens.reviewer_prompt import ReviewerPrompt  # asked for once at most

    host.push_screen(ReviewerPrompt(), given)
    return False


def reviewer_given(host: ReviewHost, answer: tuple[str, str] | None) -> bool:
    if answer is None:
        return False
    name, role = answer
    try:
        host.reviewer = host.store.reviewer(name, role)
    except ReviewTuiError as error:
        store_error(host, error)
        return False
    try:
        remember_reviewer(name, role)
    except ConfigError as error:
        host.notify(f"{error} (you will be asked again next time)", severity="warning", markup=False)
    host.notify(f"Tagging as {name} ({role})", timeout=3, markup=False)
    load_blind(host)
    host.publish_tags()
    return True


def blind_key(reviewer) -> str:
    return f"{BLIND_KEY}:{reviewer.id}"


def load_blind(host: ReviewHost) -> None:
    """The reviewer's own choice when they made one; else a rater codes blind (independent
    coding by default) and a supervisor or therapist sees everyone's tags."""
    reviewer = host.reviewer
    if reviewer is None:
        host.state.blind = False
        return
    try:
        saved = host.store.get_state(blind_key(reviewer))
        if saved is None and host.store.get_state(BLIND_KEY) == "1":
            saved = "1"  # turned on before each reviewer had their own choice
    except ReviewTuiError:
        saved = None
    host.state.blind = saved == "1" if saved in ("0", "1") else reviewer.role in BLIND_ROLES


def coding_text(host: ReviewHost) -> str:
    """The status bar's word on blind coding, while it is on."""
    if not host.state.blind or host.reviewer is None:
        return ""
    return f"BLIND · only {host.reviewer.name}'s tags (B shows all)"


def change_reviewer(host: ReviewHost) -> None:
    from review_tui.tui.screens.reviewer_prompt import ReviewerPrompt

    current = host.reviewer
    prompt = ReviewerPrompt(current.name, current.role) if current else ReviewerPrompt()
    host.push_screen(prompt, lambda answer: reviewer_given(host, answer))


def toggle_blind(host: ReviewHost) -> None:
    if not with_reviewer(host, lambda: toggle_blind(host)):
        return
    state = host.state
    state.blind = not state.blind
    try:
        host.store.set_state(blind_key(host.reviewer), "1" if state.blind else "0")
    except ReviewTuiError as error:
        store_error(host, error, consequence="blind coding is not remembered")
    host.publish_tags()
    if state.blind:
        host.notify("Blind coding: only your own tags are shown (B shows everyone's)", timeout=4)
    else:
        host.notify("Everyone's tags are shown", timeout=3)


def filter_reviewer(host: ReviewHost, reviewer_id: int | None) -> None:
    set_filter(host, author_id=reviewer_id)


def set_filter(host: ReviewHost, **changes: object) -> None:
    host.state.tag_filter = replace(host.state.tag_filter, **changes)
    host.publish_tags(reread=False)


ACTIONS = {
    "change_reviewer": change_reviewer,
    "toggle_blind": toggle_blind,
    "filter_reviewer": filter_reviewer,
}
