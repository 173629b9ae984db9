"""Which tags an export covers: the small ``--tags`` language.

A filter is one or more terms separated by commas; a tag is exported when any term takes it:

    all                     every tag (the default)
    clips                   the tags marked "clip for deliberate practice"
    group:ID                a code group, by id, key letter or label (group:rupture_withdrawal)
    code:ID                 one code, by id or label (code:confrontation.criticises_therapist)
    reviewer:NAME           one reviewer's tags, by name (reviewer:"Dr Okafor" in a shell)
    role:ROLE               the tags of every supervisor, therapist or rater

A name that matches nothing is an error naming what would have matched, never an empty export.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from review_tui.analysis.stats import group_of
from review_tui.model import ROLES, Codebook, Reviewer, ReviewTuiError, Tag
from review_tui.report.build import PRACTICE_CODES
from review_tui.text import one_line

_KINDS = ("group", "code", "reviewer", "role")


class TagFilterError(ReviewTuiError):
    """A --tags filter names something that is not in this review."""


def parse_tag_filter(
    text: str | None, codebook: Codebook, reviewers: Sequence[Reviewer]
) -> Callable[[Tag], bool] | None:
    """A predicate over tags for ``text``, or None when every tag is wanted."""
    terms = [term.strip() for term in (text or "all").split(",") if term.strip()]
    tests: list[Callable[[Tag], bool]] = []
    for term in terms or ["all"]:
        lowered = term.casefold()
        if lowered == "all":
            return None
        if lowered == "clips":
            tests.append(lambda tag: tag.code_id in PRACTICE_CODES)
            continue
        kind, colon, value = term.partition(":")
        kind, value = kind.strip().casefold(), value.strip().strip("\"'")
        if not colon or kind not in _KINDS or not value:
            raise TagFilterError(
                f"--tags {one_line(term)!r}: use all, clips, or {', '.join(k + ':NAME' for k in _KINDS)}"
            )
        tests.append(_term(kind, value, codebook, reviewers))
    return lambda tag: any(test(tag) for test in tests)


def _term(kind: str, value: str, codebook: Codebook, reviewers: Sequence[Reviewer]) -> Callable[[Tag], bool]:
    wanted = value.casefold()
    if kind == "group":
        group = next(
            (g for g in codebook.groups if wanted in (g.id.casefold(), g.key.casefold(), g.label.casefold())),
            None,
        )
        if group is None:
            raise TagFilterError(
                f"--tags group:{one_line(value)}: no such group in codebook {codebook.id!r} "
                f"(groups: {', '.join(g.id for g in codebook.groups)})"
            )
        return lambda tag: group_of(tag.code_id, codebook) == group.id
    if kind == "code":
        code = next((c for c in codebook.codes if wanted in (c.id.casefold(), c.label.casefold())), None)
        if code is None:
            raise TagFilterError(
                f"--tags code:{one_line(value)}: no such code in codebook {codebook.id!r} "
                "(`review-tui codebook` lists them)"
            )
        return lambda tag: tag.code_id == code.id
    if kind == "role":
        if wanted not in ROLES:
            raise TagFilterError(f"--tags role:{one_line(value)}: use one of {', '.join(ROLES)}")
        ids = {reviewer.id for reviewer in reviewers if reviewer.role == wanted}
        return lambda tag: tag.author_id in ids
    ids = {reviewer.id for reviewer in reviewers if reviewer.name.casefold() == wanted}
    if not ids:
        names = ", ".join(one_line(reviewer.name) for reviewer in reviewers) or "none yet"
        raise TagFilterError(f"--tags reviewer:{one_line(value)}: not a reviewer of this review ({names})")
    return lambda tag: tag.author_id in ids
