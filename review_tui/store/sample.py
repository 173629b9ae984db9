"""Read a sample review (the JSON shape the demo ships) into checked plain values.

Shape: ``{"reviewers": [{"name", "role"}], "tags": [{"start", "end", "code", "rating",
"note", "author"}], "links": [{"rupture", "tag", "kind"}]}``; times as ``model.parse_time``
reads them, authors by name, links by index into ``tags``. Errors name the entry.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from review_tui.codebook.loader import field_problem
from review_tui.model import ROLES, Reviewer, StoreError, parse_time
from review_tui.store import undo
from review_tui.store.rows import ensure_reviewer, insert_tag
from review_tui.store.rules import TagRules
from review_tui.store.schema import LINK_KINDS
from review_tui.store.undo import Change

# (required, optional) fields of each entry.
_TOP = (set(), {"reviewers", "tags", "links"})
_REVIEWER = ({"name", "role"}, set())
_TAG = ({"start", "code", "author"}, {"end", "rating", "note"})
_LINK = ({"rupture", "tag", "kind"}, set())


@dataclass
class SampleReview:
    reviewers: list[tuple[str, str]] = field(default_factory=list)  # (name, role)
    tags: list[tuple[dict[str, Any], tuple[str, str]]] = field(
        default_factory=list
    )  # fields, author
    links: list[tuple[int, int, str]] = field(
        default_factory=list
    )  # rupture index, tag index, kind


def parse_sample_review(
    data: Any,
    source: str,
    tag_problem: Callable[[dict[str, Any]], str | None],
    known: list[Reviewer],
) -> SampleReview:
    """Check everything before anything is written; ``tag_problem`` is the store's own check
    of a tag's fields and ``known`` the reviewers already in the review."""
    _check(data, _TOP, source, "review")
    sample = SampleReview()
    role_of = {reviewer.name: reviewer.role for reviewer in reversed(known)}
    for where, entry in _entries(data, "reviewers", _REVIEWER, source):
        name, role = entry["name"], entry["role"]
        if not isinstance(name, str) or not name.strip():
            raise StoreError(f"{source}: {where}: 'name' must be text")
        if role not in ROLES:
            raise StoreError(f"{source}: {where}: unknown role {role!r} (use {', '.join(ROLES)})")
        sample.reviewers.append((name.strip(), role))
        role_of[name.strip()] = role
    for where, entry in _entries(data, "tags", _TAG, source):
        try:
            start_ms = parse_time(str(entry["start"]))
            end_ms = None if entry.get("end") is None else parse_time(str(entry["end"]))
        except ValueError as err:
            raise StoreError(f"{source}: {where}: {err}") from None
        fields = {
            "start_ms": start_ms,
            "end_ms": end_ms,
            "code_id": entry["code"],
            "rating": entry.get("rating"),
            "note": entry.get("note", ""),
        }
        problem = tag_problem(fields)
        if problem is not None:
            raise StoreError(f"{source}: {where}: {problem}")
        author = entry["author"]
        if author not in role_of:
            raise StoreError(f"{source}: {where}: author {author!r} is not among the reviewers")
        sample.tags.append((fields, (author, role_of[author])))
    pairs: set[tuple[int, int]] = set()
    for where, entry in _entries(data, "links", _LINK, source):
        rupture, answer, kind = entry["rupture"], entry["tag"], entry["kind"]
        for name, index in (("rupture", rupture), ("tag", answer)):
            if (
                not isinstance(index, int)
                or isinstance(index, bool)
                or not 0 <= index < len(sample.tags)
            ):
                raise StoreError(
                    f"{source}: {where}: {name!r} must be the index of one of the tags"
                )
        if kind not in LINK_KINDS:
            raise StoreError(
                f"{source}: {where}: unknown kind {kind!r} (use {', '.join(LINK_KINDS)})"
            )
        if rupture == answer or (rupture, answer) in pairs:
            raise StoreError(f"{source}: {where}: links a tag to itself or repeats a link")
        pairs.add((rupture, answer))
        sample.links.append((rupture, answer, kind))
    return sample


def _entries(data: dict, key: str, fields: tuple[set[str], set[str]], source: str):
    entries = data.get(key, [])
    if not isinstance(entries, list):
        raise StoreError(f"{source}: {key!r} must be a list")
    for index, entry in enumerate(entries):
        where = f"{key}[{index}]"
        _check(entry, fields, source, where)
        yield where, entry


def _check(entry: Any, fields: tuple[set[str], set[str]], source: str, where: str) -> None:
    problem = field_problem(entry, fields)
    if problem is not None:
        raise StoreError(f"{source}: {where}: {problem}")


def write_sample(db: sqlite3.Connection, sample: SampleReview, rules: TagRules, source: str, by_id: int | None) -> int:
    """Add a checked sample's reviewers, tags and links inside ``db``'s open transaction, as one
    undo step (``by_id``'s; nobody's when None). Returns the number of tags added."""
    for name, role in sample.reviewers:
        ensure_reviewer(db, name, role)
    tags = [insert_tag(db, fields, ensure_reviewer(db, name, role).id) for fields, (name, role) in sample.tags]
    links: list[Change] = [
        ("links", None, {"rupture_id": tags[rupture].id, "tag_id": tags[answer].id, "kind": kind})
        for rupture, answer, kind in sample.links
    ]
    undo.apply(db, links)
    added: list[Change] = [("tags", None, rules.existing_row(db, tag.id)) for tag in tags]
    if tags:
        undo.record(db, f"import {len(tags)} tags from {source}", added + links, by_id)
    return len(tags)
