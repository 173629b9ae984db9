"""Rupture–repair episodes: link what answered a rupture, list the episodes.

``propose_links`` only proposes; the reviewer confirms in EpisodeLinks and the confirmed
links are written to the store.
"""

from __future__ import annotations

from functools import partial

from review_tui.analysis.episodes import build_episodes, propose_links
from review_tui.model import Episode, ReviewTuiError, Tag
from review_tui.review import rules
from review_tui.tui import palette
from review_tui.tui.features.tagging import go_to_tag, selected_tag
from review_tui.tui.host import ReviewHost
from review_tui.tui.notices import store_error
from review_tui.tui.screens.episode_links import EpisodeLinks
from review_tui.tui.screens.episodes import EpisodesScreen


def link_episode(host: ReviewHost) -> None:
    tags = list(host.tags_view.visible)
    rupture = rules.rupture_in_question(tags, selected_tag(host), host.player.position_ms(), host.codebook)
    if rupture is None:
        host.notify("No rupture to link: tag a withdrawal (w) or confrontation (c) first", timeout=4)
        return
    links = host.store.links()
    proposals = propose_links(tags, host.codebook, links=links)
    dialog = EpisodeLinks(rupture, proposals, tags, host.codebook, linked=links)
    host.push_screen(dialog, partial(links_confirmed, host, rupture.id))


def links_confirmed(host: ReviewHost, rupture_id: int, chosen: list | None) -> None:
    if not chosen:
        return
    try:
        for link in chosen:
            host.store.link(link.rupture_id, link.tag_id, link.kind, by=host.reviewer)
    except ReviewTuiError as error:
        store_error(host, error, title="Not linked")
    host.publish_tags()
    episode = next((item for item in episodes(host) if item.rupture.id == rupture_id), None)
    if episode is not None:
        summary = rules.episode_summary(episode, host.codebook, palette.stars)
        host.notify(summary, title="Episode", timeout=6, markup=False)


def episodes(host: ReviewHost) -> list[Episode]:
    return build_episodes(list(host.tags_view.visible), host.store.links(), host.codebook)


def show_episodes(host: ReviewHost) -> None:
    host.push_screen(EpisodesScreen(episodes(host), host.codebook), partial(episode_chosen, host))


def episode_chosen(host: ReviewHost, rupture: Tag | None) -> None:
    if rupture is not None:
        go_to_tag(host, rupture)


ACTIONS = {"link_episode": link_episode, "show_episodes": show_episodes}
