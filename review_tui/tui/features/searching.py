"""Searching the transcript: `/` asks for a phrase, `n`/`N` step through the lines holding it.
Whole words by default; ctrl+t in the question switches to matching inside words."""

from __future__ import annotations

from review_tui.review import rules
from review_tui.review.wording import plural
from review_tui.tui.host import ReviewHost
from review_tui.tui.screens.prompt import PromptScreen

WHOLE, INSIDE = "whole words", "inside words too"


def search(host: ReviewHost) -> None:
    state = host.state

    def check(text: str) -> tuple[str, list[int]]:
        query = text.strip()
        if not query:
            raise ValueError("type a word or phrase")
        hits = rules.search_hits(host.session.transcript, query, whole_words=state.search_words)
        if not hits:
            how = "as a whole word" if state.search_words else "anywhere"
            raise ValueError(f"no line holds {query!r} {how}")
        return query, hits

    def toggle(switch: bool) -> str:
        if switch:
            state.search_words = not state.search_words
        return WHOLE if state.search_words else INSIDE

    prompt = PromptScreen("Search the transcript", "a word or phrase", check, value=state.search_query, toggle=toggle)
    host.push_screen(prompt, lambda found: show_hits(host, found))


def show_hits(host: ReviewHost, found: tuple[str, list[int]] | None) -> None:
    if found is None:
        return
    state = host.state
    state.search_query, state.hits = found
    host.show_hits()
    current = current_cue(host)
    start = current if current is not None else -1
    jump_to_hit(host, next((hit for hit in state.hits if hit >= start), state.hits[0]))


def current_cue(host: ReviewHost) -> int | None:
    transcript = host.session.transcript
    return transcript.index_at(host.player.position_ms()) if transcript else None


def jump_to_hit(host: ReviewHost, cue_index: int) -> None:
    state = host.state
    cue = host.session.transcript.cues[cue_index]
    number = state.hits.index(cue_index) + 1
    host.seek_to(cue.start_ms, follow=True)
    host.notify(f"{state.search_query!r}: {number} of {plural(len(state.hits), 'line')}", timeout=2, markup=False)


def next_hit(host: ReviewHost) -> None:
    step_hit(host, +1)


def previous_hit(host: ReviewHost) -> None:
    step_hit(host, -1)


def step_hit(host: ReviewHost, direction: int) -> None:
    hits = host.state.hits
    if not hits:
        host.notify("No search yet: press / to search", timeout=3)
        return
    current = current_cue(host)
    if direction > 0:
        after = [hit for hit in hits if current is None or hit > current]
        jump_to_hit(host, after[0] if after else hits[0])
    else:
        before = [hit for hit in hits if current is not None and hit < current]
        jump_to_hit(host, before[-1] if before else hits[-1])


ACTIONS = {"search": search, "next_hit": next_hit, "previous_hit": previous_hit}
