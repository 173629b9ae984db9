"""Every rupture–repair episode of the review: the rupture, what answered it, how long the
repair took and how far it resolved. Enter goes to the rupture; L on the main screen
links more tags to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from review_tui.analysis.episodes import resolution
from review_tui.model import Codebook, Episode, Tag
from review_tui.review.wording import plural
from review_tui.tui import palette
from review_tui.tui.screens.dialog import Dialog
from review_tui.tui.screens.episode_links import spoken_duration

LABEL_WIDTH = 26


def episode_row(episode: Episode, codebook: Codebook | None) -> Content:
    rupture = episode.rupture
    code = codebook.code(rupture.code_id) if codebook else None
    colour = palette.code_colour(rupture.code_id, codebook)
    if episode.repair_ms is None:
        repaired: tuple[str, str] = ("unrepaired", "$text-warning")
    else:
        repaired = (f"repair after {spoken_duration(episode.repair_ms)}", "$text-success")
    rated = resolution(episode, codebook)
    responses = len(episode.responses)
    return Content.assemble(
        palette.fit(palette.tag_span(rupture), 11),
        " ",
        palette.code_badge(code, codebook, colour),
        " ",
        (palette.fit(code.label if code else rupture.code_id, LABEL_WIDTH), f"bold {colour}"),
        "  ",
        (palette.fit(repaired[0], 22), repaired[1]),
        "  ",
        (palette.fit(f"resolution {palette.stars(rated)}" if rated else "resolution –", 16), "$warning" if rated else palette.MUTED),
        (f"   {plural(responses, 'response')}", palette.MUTED),
    )


@dataclass(frozen=True, slots=True)
class LinkFrom:
    """L in the list: link more tags to this rupture."""

    rupture: Tag


class EpisodesScreen(Dialog["Tag | LinkFrom | None"]):
    BINDINGS = [Binding("L", "link", "Link to this rupture", id="episodes.link")]

    DEFAULT_CSS = """
    EpisodesScreen {
        & #dialog { max-width: 140; }
        & #episodes { height: auto; max-height: 16; border: none; padding: 0; text-wrap: nowrap; }
    }
    """

    def __init__(self, episodes: Iterable[Episode], codebook: Codebook | None, *, empty: str = "") -> None:
        super().__init__()
        self.empty = empty or "No rupture tagged yet: a rupture tag opens an episode"
        self.episodes = list(episodes)
        self.codebook = codebook

    def compose(self) -> ComposeResult:
        count = len(self.episodes)
        repaired = sum(1 for episode in self.episodes if episode.repair_ms is not None)
        with Vertical(id="dialog"):
            yield Label(f"Rupture–repair episodes: {count}, {repaired} repaired", classes="dialog-title")
            rows = [Option(episode_row(episode, self.codebook), id=str(n)) for n, episode in enumerate(self.episodes)]
            if not rows:
                rows = [Option(Content.styled(self.empty, f"italic {palette.MUTED}"), disabled=True)]
            yield OptionList(*rows, id="episodes")
            yield Label("Enter goes to the rupture · L links tags to it · Esc closes", classes="dialog-hint")

    @on(OptionList.OptionSelected, "#episodes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.close(self.episodes[int(event.option_id or 0)].rupture)

    def action_link(self) -> None:
        highlighted = self.query_one("#episodes", OptionList).highlighted
        if self.episodes and highlighted is not None:
            self.close(LinkFrom(self.episodes[highlighted].rupture))
