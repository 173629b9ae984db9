"""Rupture–repair episodes in the app: link what answered a rupture, list the episodes.

``propose_links`` only proposes; the reviewer confirms in EpisodeLinks and the confirmed
links are written to the store. Mixed into ReviewApp.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from review_tui.analysis.episodes import (
    build_episodes,
    is_rupture,
    propose_links,
    resolution,
)
from review_tui.model import ReviewTuiError, Tag
from review_tui.tui import palette
from review_tui.tui.screens.episode_links import EpisodeLinks, spoken_duration
from review_tui.tui.screens.episodes import EpisodesScreen

if TYPE_CHECKING:
    from review_tui.tui.app import ReviewApp


class EpisodesMixin:
    def action_link_episode(self: ReviewApp) -> None:
        rupture = self._rupture_in_question()
        if rupture is None:
            self.notify("No rupture to link: tag a withdrawal (w) or confrontation (c) first", timeout=4)
            return
        links = self.store.links()
        proposals = propose_links(self.visible_tags, self.codebook, links=links)
        dialog = EpisodeLinks(rupture, proposals, self.visible_tags, self.codebook, linked=links)
        self.push_screen(dialog, partial(self._links_confirmed, rupture.id))

    def _rupture_in_question(self: ReviewApp) -> Tag | None:
        """The selected tag when it is a rupture; else the latest rupture before it (or before
        the playhead), since the tag just made is usually the repair."""
        selected = self._selected_tag()
        if selected is not None and is_rupture(selected, self.codebook):
            return selected
        before = selected.start_ms if selected is not None else self.player.position_ms()
        ruptures = [tag for tag in self.visible_tags if is_rupture(tag, self.codebook) and tag.start_ms <= before]
        return ruptures[-1] if ruptures else None

    def _links_confirmed(self: ReviewApp, rupture_id: int, chosen: list | None) -> None:
        if not chosen:
            return
        try:
            for link in chosen:
                self.store.link(link.rupture_id, link.tag_id, link.kind, by=self.reviewer)
        except ReviewTuiError as error:
            self.notify(str(error), title="Not linked", severity="error", markup=False)
        self.refresh_tags()
        episode = next((item for item in self.episodes() if item.rupture.id == rupture_id), None)
        if episode is not None:
            self.notify(episode_summary(episode, self.codebook), title="Episode", timeout=6, markup=False)

    def episodes(self: ReviewApp) -> list:
        return build_episodes(self.visible_tags, self.store.links(), self.codebook)

    def action_show_episodes(self: ReviewApp) -> None:
        self.push_screen(EpisodesScreen(self.episodes(), self.codebook), self._episode_chosen)

    def _episode_chosen(self: ReviewApp, rupture: Tag | None) -> None:
        if rupture is not None:
            self.go_to_tag(rupture)


def episode_summary(episode, codebook) -> str:
    """"1 response, 1 repair · rupture → first repair 36 s · resolution ★★★★☆"."""
    responses, repairs = len(episode.responses), len(episode.repairs)
    parts = [f"{responses} response{'s' if responses != 1 else ''}, {repairs} repair{'s' if repairs != 1 else ''}"]
    if episode.repair_ms is None:
        parts.append("unrepaired")
    else:
        parts.append(f"rupture → first repair {spoken_duration(episode.repair_ms)}")
    rated = resolution(episode, codebook)
    if rated is not None:
        parts.append(f"resolution {palette.stars(rated)}")
    return " · ".join(parts)
