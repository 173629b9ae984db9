"""Rupture–repair episodes: which tags answer a rupture, and how far it was resolved.

What each code group is comes from the codebook's ``role`` field (codebook/default.toml), so a
custom codebook gets episodes too:

* ``rupture`` groups (the default: withdrawal and confrontation, the 3RS markers in
  shared/DOMAIN.md) open an episode;
* ``response`` groups (therapist interventions) are linked as the therapist's first answers to
  the strain (the demo's point of debate, coded "therapist moves against", is one);
* ``repair`` groups (repair strategies) and ``alliance`` groups (alliance / insight markers)
  are linked as repairs.

Alliance markers count as repair because 3RS judges resolution by what the patient does
afterwards, not only by what the therapist tries: a patient who links the rupture to an old
pattern or takes the lead again shows the collaboration restored. They are proposed with kind
``repair`` so the episode's time to repair is measured to the first sign of either kind. The
degree of resolution, though, is only read from ``repair``-role groups, whose rating means
"degree of resolution".

A codebook that declares no role at all (one written before roles existed, or a review file's
stored snapshot from then) is read with the default codebook's roles by group id.

Links are only ever proposed here; a reviewer confirms them, and the store keeps the confirmed
ones. ``build_episodes`` reads those, ``propose_links`` suggests new ones and
``linkable_after`` lists every later tag a reviewer may link, nearest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from review_tui.analysis.stats import group_of
from review_tui.model import Codebook, Episode, Tag

# Roles by group id for codebooks that declare none (the default codebook's own roles).
FALLBACK_ROLES = {
    "withdrawal": "rupture",
    "confrontation": "rupture",
    "intervention": "response",
    "repair": "repair",
    "alliance": "alliance",
    "supervision": "note",
}
LINK_KINDS = ("response", "repair")
_KIND_OF_ROLE = {"response": "response", "repair": "repair", "alliance": "repair"}


@dataclass(frozen=True, slots=True)
class ProposedLink:
    """A tag that looks like it answers a rupture, waiting for a reviewer to confirm it."""

    rupture_id: int
    tag_id: int
    kind: str  # "response" | "repair"


def group_roles(codebook: Codebook | None) -> dict[str, str]:
    """Group id -> role, as the codebook declares them (or the fallback when it declares none)."""
    declared = {group.id: group.role for group in codebook.groups if group.role} if codebook else {}
    return declared or dict(FALLBACK_ROLES)


def role_of(tag: Tag, codebook: Codebook | None = None) -> str | None:
    return group_roles(codebook).get(group_of(tag.code_id, codebook))


def is_rupture(tag: Tag, codebook: Codebook | None = None) -> bool:
    return role_of(tag, codebook) == "rupture"


def link_kind_for(tag: Tag, codebook: Codebook | None = None) -> str | None:
    """"response" or "repair" for a tag that can be linked to a rupture, else None."""
    return _KIND_OF_ROLE.get(role_of(tag, codebook) or "")


def link_fields(link: Any) -> tuple[int, int, str]:
    """(rupture_id, tag_id, kind) of a link given as an object with those attributes or as a
    tuple in that order, so stored and proposed links are read the same way."""
    if isinstance(link, tuple):
        rupture_id, tag_id, kind = link[:3]
    else:
        rupture_id, tag_id, kind = link.rupture_id, link.tag_id, link.kind
    return int(rupture_id), int(tag_id), str(kind)


def _in_time_order(tags: Iterable[Tag]) -> list[Tag]:
    return sorted(tags, key=lambda tag: (tag.start_ms, tag.id))


def build_episodes(
    tags: Iterable[Tag], links: Iterable[Any], codebook: Codebook | None = None
) -> list[Episode]:
    """One episode per rupture tag, in time order, with its confirmed links.

    A rupture with no links is still an episode: an unanswered rupture is exactly what a
    supervisor wants to see. Links to deleted tags, and links whose kind is unknown, are
    ignored.
    """
    by_id = {tag.id: tag for tag in tags}
    linked: dict[int, dict[str, list[Tag]]] = {}
    for link in links:
        rupture_id, tag_id, kind = link_fields(link)
        if kind not in LINK_KINDS or rupture_id not in by_id or tag_id not in by_id:
            continue
        bucket = linked.setdefault(rupture_id, {"response": [], "repair": []})[kind]
        if by_id[tag_id] not in bucket:
            bucket.append(by_id[tag_id])
    episodes = []
    for rupture in _in_time_order(by_id.values()):
        if not is_rupture(rupture, codebook):
            continue
        answers = linked.get(rupture.id, {"response": [], "repair": []})
        episodes.append(
            Episode(
                rupture=rupture,
                responses=tuple(_in_time_order(answers["response"])),
                repairs=tuple(_in_time_order(answers["repair"])),
            )
        )
    return episodes


def propose_links(
    tags: Iterable[Tag],
    codebook: Codebook | None = None,
    window_ms: int | None = None,
    links: Iterable[Any] = (),
) -> list[ProposedLink]:
    """Interventions, repairs and alliance markers that follow each rupture, not yet linked.

    A tag follows a rupture when it starts at or after the rupture's start and before the next
    rupture begins (a new rupture opens a new episode); with ``window_ms`` also no later than
    that after the rupture ends. There is no window by default: a repair or an insight four
    minutes later is the normal case. Ordered by rupture, then nearest first.
    """
    ordered = _in_time_order(tags)
    existing = {link_fields(link)[:2] for link in links}
    ruptures = [tag for tag in ordered if is_rupture(tag, codebook)]
    proposals = []
    for number, rupture in enumerate(ruptures):
        rupture_end = rupture.end_ms if rupture.end_ms is not None else rupture.start_ms
        window_end = None if window_ms is None else max(rupture.start_ms, rupture_end) + window_ms
        next_start = ruptures[number + 1].start_ms if number + 1 < len(ruptures) else None
        for tag in ordered:
            if tag.start_ms < rupture.start_ms or tag.id == rupture.id:
                continue
            if window_end is not None and tag.start_ms > window_end:
                break
            if next_start is not None and tag.start_ms >= next_start:
                break
            kind = link_kind_for(tag, codebook)
            if kind is None or (rupture.id, tag.id) in existing:
                continue
            proposals.append(ProposedLink(rupture.id, tag.id, kind))
    return proposals


def linkable_after(
    rupture: Tag, tags: Iterable[Tag], codebook: Codebook | None = None, links: Iterable[Any] = ()
) -> list[ProposedLink]:
    """Every tag a reviewer may link to ``rupture``: any later response, repair or alliance tag,
    however far on and past later ruptures, nearest first, leaving out those already linked."""
    existing = {link_fields(link)[:2] for link in links}
    later = [tag for tag in _in_time_order(tags) if tag.start_ms >= rupture.start_ms and tag.id != rupture.id]
    return [
        ProposedLink(rupture.id, tag.id, kind)
        for tag in later
        if (kind := link_kind_for(tag, codebook)) is not None and (rupture.id, tag.id) not in existing
    ]


def resolution(episode: Episode, codebook: Codebook | None = None) -> int | None:
    """Degree of resolution (1-5): the rating of the latest rated repair-strategy tag.

    The latest, not the best, because resistance often returns after a small breakthrough
    (shared/DOMAIN.md): where the episode ended is what the supervisor needs to know.
    """
    rated = [tag for tag in episode.repairs if tag.rating is not None and role_of(tag, codebook) == "repair"]
    return rated[-1].rating if rated else None


def episodes_in(store) -> list[Episode]:
    """The episodes of an open review file (a ReviewStore), from its confirmed links."""
    return build_episodes(store.tags(), store.links(), store.codebook)


def proposals_for(store, window_ms: int | None = None) -> list[ProposedLink]:
    """Links worth proposing in an open review file, leaving out those already made."""
    return propose_links(store.tags(), store.codebook, window_ms, links=store.links())
