"""Finding the reviewers a command or a report means: by name, or the two who coded.

Consensus reviewers (analysis/reconcile.py) are never taken for a rater of their own.
"""

from __future__ import annotations

from review_tui.analysis.episodes import group_roles
from review_tui.analysis.reconcile import consensus_reviewers
from review_tui.analysis.stats import group_of
from review_tui.model import Reviewer, ReviewTuiError
from review_tui.text import one_line


def find_reviewer(store, name: str) -> Reviewer:
    """The reviewer called ``name`` (case and spacing ignored; "Name:role" also accepted)."""
    wanted = " ".join(name.split()).casefold()
    everyone = store.reviewers()
    found = [r for r in everyone if r.name.casefold() == wanted or f"{r.name}:{r.role}".casefold() == wanted]
    if not found:
        names = ", ".join(one_line(r.name) for r in everyone) or "none"
        raise ReviewTuiError(
            f"{store.path}: no reviewer {one_line(name)!r} in this review (reviewers: {names})"
        )
    if len(found) > 1:
        roles = ", ".join(f"{one_line(r.name)}:{r.role}" for r in found)
        raise ReviewTuiError(
            f"{store.path}: {one_line(name)!r} names more than one reviewer; give one of {roles}"
        )
    return found[0]


def choose_pair(store, first: str | None, second: str | None) -> tuple[Reviewer, Reviewer]:
    """The two reviewers to compare: as named, else the only two who coded (``coders_of``)."""
    if first and second:
        a, b = find_reviewer(store, first), find_reviewer(store, second)
        if a.id == b.id:
            raise ReviewTuiError(
                f"{store.path}: compare two different reviewers, not {one_line(a.name)!r} twice"
            )
        return a, b
    coders = coders_of(store)
    if first or second:
        named = find_reviewer(store, first or second)
        others = [r for r in coders if r.id != named.id]
        if len(others) == 1:
            return named, others[0]
        coders = [named, *others]
    if len(coders) < 2:
        who = ", ".join(one_line(r.name) for r in coders) or "nobody"
        raise ReviewTuiError(f"{store.path}: fewer than two reviewers have coded this session ({who})")
    if len(coders) > 2:
        names = ", ".join(one_line(r.name) for r in coders)
        raise ReviewTuiError(
            f"{store.path}: {len(coders)} reviewers tagged ({names}); choose two with --between A --and B"
        )
    return coders[0], coders[1]


def coders_of(store) -> list[Reviewer]:
    """The reviewers who coded the session, in the order they were added: those with a tag
    outside the codebook's "note" groups (supervision notes alone code nothing), consensus
    reviewers aside."""
    consensus = consensus_reviewers(store)
    notes = {group for group, role in group_roles(store.codebook).items() if role == "note"}

    def coded(reviewer: Reviewer) -> bool:
        tags = store.tags(author_id=reviewer.id)
        return any(group_of(tag.code_id, store.codebook) not in notes for tag in tags)

    return [reviewer for reviewer in store.reviewers() if reviewer.id not in consensus and coded(reviewer)]
