"""What issue 10 adds to a report, gathered in one place for report/build.py: the session
details, agreement between reviewers, a report of one reviewer's tags, and episodes from the
consensus coding once a reconcile pass made one (so one rupture coded by two raters and their
consensus is one episode, not three)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from review_tui.analysis.reconcile import consensus_reviewers
from review_tui.analysis.reviewers import find_reviewer
from review_tui.model import Reviewer, Tag, Transcript
from review_tui.report import agreement_section
from review_tui.review_details import SessionDetails, read_details


@dataclass(frozen=True, slots=True)
class ReviewParts:
    details: SessionDetails
    agreement: agreement_section.AgreementSection | None
    only_reviewer: Reviewer | None
    consensus_ids: frozenset[int]
    episodes_from: str | None  # the consensus reviewers' names, when episodes come from them

    @property
    def episode_author_ids(self) -> frozenset[int]:
        """Whose tags the episodes and key moments come from: the consensus, or (empty) everyone."""
        return frozenset() if self.only_reviewer is not None else self.consensus_ids

    def episode_tags(self, tags: Iterable[Tag]) -> list[Tag]:
        tags = list(tags)
        if self.only_reviewer is not None or not self.consensus_ids:
            return tags
        return [tag for tag in tags if tag.author_id in self.consensus_ids]


def gather(store, transcript: Transcript | None, only_reviewer: str | None) -> ReviewParts:
    details = read_details(store)
    if only_reviewer is not None:
        reviewer = find_reviewer(store, only_reviewer)
        return ReviewParts(details, None, reviewer, frozenset(), None)
    consensus = consensus_reviewers(store)
    with_tags = frozenset(cid for cid in consensus if store.tags(author_id=cid))
    names = ", ".join(r.name for r in store.reviewers() if r.id in with_tags) or None
    return ReviewParts(details, agreement_section.gather(store, transcript), None, with_tags, names)
