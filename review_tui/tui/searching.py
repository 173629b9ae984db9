"""Searching the transcript: `/` asks for a phrase, `n`/`N` step through the lines holding it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from review_tui.tui.screens.prompt import PromptScreen
from review_tui.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from review_tui.tui.app import ReviewApp


class SearchMixin:
    def action_search(self: ReviewApp) -> None:
        def check(text: str) -> tuple[str, list[int]]:
            query = text.strip()
            if not query:
                raise ValueError("type a word or phrase")
            transcript = self.session.transcript
            hits = [cue.index for cue in transcript.search(query)] if transcript else []
            if not hits:
                raise ValueError(f"no line contains {query!r}")
            return query, hits

        self.push_screen(PromptScreen("Search the transcript", "a word or phrase", check, value=self.search_query), self._show_hits)

    def _show_hits(self: ReviewApp, found: tuple[str, list[int]] | None) -> None:
        if found is None:
            return
        self.search_query, self.hits = found
        self.query_one(TranscriptView).show_hits(self.search_query, frozenset(self.hits))
        current = self._current_cue()
        start = current if current is not None else -1
        self._jump_to_hit(next((hit for hit in self.hits if hit >= start), self.hits[0]))

    def _current_cue(self: ReviewApp) -> int | None:
        transcript = self.session.transcript
        return transcript.index_at(self.player.position_ms()) if transcript else None

    def _jump_to_hit(self: ReviewApp, cue_index: int) -> None:
        cue = self.session.transcript.cues[cue_index]
        self.player.seek(cue.start_ms)
        self.query_one(TranscriptView).follow_playback()
        number = self.hits.index(cue_index) + 1
        self.notify(f"{self.search_query!r}: {number} of {len(self.hits)}", timeout=2, markup=False)
        self._tick(force=True)

    def action_next_hit(self: ReviewApp) -> None:
        self._step_hit(+1)

    def action_previous_hit(self: ReviewApp) -> None:
        self._step_hit(-1)

    def _step_hit(self: ReviewApp, direction: int) -> None:
        if not self.hits:
            self.notify("No search yet: press / to search", timeout=3)
            return
        current = self._current_cue()
        if direction > 0:
            after = [hit for hit in self.hits if current is None or hit > current]
            self._jump_to_hit(after[0] if after else self.hits[0])
        else:
            before = [hit for hit in self.hits if current is not None and hit < current]
            self._jump_to_hit(before[-1] if before else self.hits[-1])
