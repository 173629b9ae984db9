"""Rupture–repair episodes: link what answered a rupture, list the episodes.

``propose_links`` only proposes; the reviewer confirms in EpisodeLinks and the confirmed
links are written to the store.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from review_tui.model import Episode, ReviewTuiError, Tag
from review_tui.review import rules
from review_tui.tui import palette
from review_tui.tui.features.tagging import go_to_tag, selected_tag
from review_tui.tui.host import ReviewHost
from review_tui.tui.notices import store_error

if TYPE_CHECKING:
    from review_tui.tui.screens.episodes import LinkFrom


def rupture_keys(codebook) -> str:
    """The rupture groups of this review's codebook with their keys, for a hint."""
    from review_tui.analysis.episodes import group_roles  # episodes: imported when first asked for

    roles = group_roles(codebook)
    groups = [group for group in codebook.groups if roles.get(group.id) == "rupture"]
    return " or ".join(f"{group.label.lower()} ({group.key})" for group in groups) or "a rupture"


def link_episode(host: ReviewHost) -> None:
    tags = list(host.tags_view.visible)
    rupture = rules.rupture_in_question(tags, selected_tag(host), host.player.position_ms(), host.codebook)
    if rupture is None:
        host.notify(f"No rupture to link: tag a {rupture_keys(host.codebook)} first", timeout=4, markup=False)
        return
    link_rupture(host, rupture)


def link_rupture(host: ReviewHost, rupture: Tag, *, then=None) -> None:
    """Every later tag that can answer ``rupture``, nearest first and however far on; the
    ones before the next rupture (the likely answers) come checked."""
    from review_tui.analysis.episodes import linkable_after, propose_links
    from review_tui.tui.screens.episode_links import EpisodeLinks

    tags = list(host.tags_view.visible)
    links = host.store.links()
    offered = linkable_after(rupture, tags, host.codebook, links=links)
    likely = set(propose_links(tags, host.codebook, links=links))
    dialog = EpisodeLinks(rupture, offered, tags, host.codebook, linked=links, checked=likely)
    host.push_screen(dialog, partial(links_confirmed, host, rupture.id, then=then))


def links_confirmed(host: ReviewHost, rupture_id: int, chosen: list | None, *, then=None) -> None:
    if not chosen:
        if then is not None:
            then()
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
    if then is not None:
        then()


def episodes(host: ReviewHost) -> list[Episode]:
    from review_tui.analysis.episodes import build_episodes

    return build_episodes(list(host.tags_view.visible), host.store.links(), host.codebook)


def show_episodes(host: ReviewHost) -> None:
    from review_tui.tui.screens.episodes import EpisodesScreen

    empty = f"No rupture tagged yet: a {rupture_keys(host.codebook)} tag opens an episode"
    host.push_screen(EpisodesScreen(episodes(host), host.codebook, empty=empty), partial(episode_chosen, host))


def episode_chosen(host: ReviewHost, chosen: Tag | LinkFrom | None) -> None:
    from review_tui.tui.screens.episodes import LinkFrom

    if isinstance(chosen, LinkFrom):  # L in the list: link to that rupture, then back to the list
        link_rupture(host, chosen.rupture, then=partial(show_episodes, host))
    elif chosen is not None:
        go_to_tag(host, chosen)


ACTIONS = {"link_episode": link_episode, "show_episodes": show_episodes}
