"""Confirm which tags answer a rupture: the proposed responses and repairs, all checked.

``analysis.episodes.propose_links`` only proposes; the reviewer decides here. Space toggles
a proposal, Enter returns the checked ones (the app writes them to the store), Esc leaves
everything unlinked. The time from the rupture to its first repair is the number the report
leads with, so it is shown, and recomputed as proposals are toggled.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from review_tui.analysis.episodes import ProposedLink, link_fields
from review_tui.model import Codebook, Episode, Tag, format_ms
from review_tui.review.wording import plural, whole_seconds
from review_tui.tui import palette
from review_tui.tui.bindings import EPISODE_LINKS_BINDINGS
from review_tui.tui.screens.dialog import Dialog

KIND_STYLE = {"response": "bold $text-secondary", "repair": "bold $text-success"}


class EpisodeLinks(Dialog[list[ProposedLink] | None]):
    BINDINGS = EPISODE_LINKS_BINDINGS

    DEFAULT_CSS = """
    EpisodeLinks {
        & > #dialog { max-width: 130; }
        & #rupture-note { color: $text-muted; margin-bottom: 1; height: auto; max-height: 3; }
        & #proposals {
            height: auto;
            max-height: 12;
            border: none;
            padding: 0;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & #duration { margin-top: 1; text-style: bold; }
        & #proposals > .selection-list--button,
        & #proposals > .selection-list--button-highlighted { color: $panel; }
        & #proposals > .selection-list--button-selected,
        & #proposals > .selection-list--button-selected-highlighted { color: $text-success; text-style: bold; }
    }
    """

    def __init__(
        self,
        rupture: Tag,
        proposals: Iterable[ProposedLink],
        tags: Iterable[Tag],
        codebook: Codebook | None,
        *,
        linked: Iterable[Any] = (),
        checked: Iterable[ProposedLink] | None = None,
    ) -> None:
        """``proposals`` may hold other ruptures' links (those are left out); ``linked`` are
        links already confirmed, which count toward the episode too; ``checked``: the ones
        that start checked (all of them when not given)."""
        super().__init__()
        self.start_checked = None if checked is None else set(checked)
        self.rupture = rupture
        self.codebook = codebook
        self.by_id = {tag.id: tag for tag in tags}
        self.proposals: list[ProposedLink] = [
            link for link in proposals if link.rupture_id == rupture.id and link.tag_id in self.by_id
        ]
        self.linked: list[tuple[Tag, str]] = [
            (self.by_id[tag_id], kind)
            for rupture_id, tag_id, kind in map(link_fields, linked)
            if rupture_id == rupture.id and tag_id in self.by_id
        ]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self._title(), classes="dialog-title")
            yield Static(" ".join(self.rupture.note.split()), id="rupture-note", markup=False)
            if self.linked:
                yield Label(self._linked_summary(), classes="dialog-subtitle")
            if self.proposals:
                yield SelectionList[int](
                    *(
                        Selection(self._row(link), number, self.start_checked is None or link in self.start_checked)
                        for number, link in enumerate(self.proposals)
                    ),
                    id="proposals",
                )
            else:
                yield Label("No response, repair or alliance tag after this rupture is left to link.", classes="dialog-subtitle")
            yield Static(id="duration")
            yield Label("Space toggles · Enter links the checked ones · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self._show_duration()

    @property
    def checked(self) -> list[ProposedLink]:
        if not self.proposals:
            return []
        chosen = set(self.query_one("#proposals", SelectionList).selected)
        return [link for number, link in enumerate(self.proposals) if number in chosen]

    def action_confirm(self) -> None:
        self.close(self.checked)

    @on(SelectionList.SelectedChanged)
    def _toggled(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self._show_duration()

    # --- what is shown -----------------------------------------------------------------------

    def _title(self) -> Content:
        code = self.codebook.code(self.rupture.code_id) if self.codebook else None
        return Content.assemble(
            (f"Rupture at {palette.tag_span(self.rupture)}  ", "bold"),
            palette.code_badge(code, self.codebook),
            " ",
            (code.label if code else self.rupture.code_id, f"bold {palette.code_colour(self.rupture.code_id, self.codebook)}"),
            ("  " + palette.stars(self.rupture.rating), "$warning") if self.rupture.rating else "",
        )

    def _linked_summary(self) -> str:
        kinds = [kind for _, kind in self.linked]
        parts = [plural(kinds.count(kind), kind) for kind in dict.fromkeys(kinds)]
        return f"Already linked: {', '.join(parts)}"

    def _row(self, link: ProposedLink) -> Content:
        tag = self.by_id[link.tag_id]
        code = self.codebook.code(tag.code_id) if self.codebook else None
        after = palette.fit(f"+{spoken_duration(tag.start_ms - self.rupture.start_ms)}", 11)
        return Content.assemble(
            (f"{link.kind:<8} ", KIND_STYLE.get(link.kind, "bold")),
            palette.fit(palette.tag_span(tag), 11),
            (f" {after} ", palette.MUTED),
            palette.code_badge(code, self.codebook),
            " ",
            (code.label if code else tag.code_id, f"bold {palette.code_colour(tag.code_id, self.codebook)}"),
            ("  " + palette.stars(tag.rating), "$warning") if tag.rating else "",
        )

    def _show_duration(self) -> None:
        chosen = [(self.by_id[link.tag_id], link.kind) for link in self.checked]
        answers = self.linked + chosen
        episode = Episode(
            rupture=self.rupture,
            responses=tuple(tag for tag, kind in answers if kind == "response"),
            repairs=tuple(tag for tag, kind in answers if kind == "repair"),
        )
        responses = len(episode.responses)
        answered = f"{plural(responses, 'response')}, "
        if episode.repair_ms is None:
            text = Content.assemble(answered, ("no repair: the rupture stays unrepaired", "$text-warning"))
        else:
            first = self.rupture.start_ms + episode.repair_ms
            text = Content.assemble(
                answered,
                "rupture → first repair ",
                (spoken_duration(episode.repair_ms), "$text-success"),
                (f"  ({format_ms(self.rupture.start_ms, millis=False)} → {format_ms(first, millis=False)})", palette.MUTED),
            )
        self.query_one("#duration", Static).update(text)


def spoken_duration(ms: int) -> str:
    """"41 s", "4 min 05 s": how long an episode took, in the report's words."""
    return whole_seconds(ms)

