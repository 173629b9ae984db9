"""Bring tags back in from our JSON export or from an ELAN file, as one undoable step.

Both readers turn the file into the store's import shape (reviewers, tags, links by index)
and ``ReviewStore.import_review`` adds it in one transaction and one undo step; existing tags
are never touched. A label that maps to no code is never dropped quietly: the import stops
and names every such label, unless the user asks to skip them, and then they are listed.

A ``--map`` file (TOML) settles what names alone cannot:

    [codes]                       # a label, an old code id, or "tier/label" → a code id
    "Kritik" = "confrontation.criticises_therapist"
    [reviewers]                   # a tier id or annotator → "Name:role"
    "Coder 2" = "Ann Berg:rater"
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review_tui.model import ROLES, Codebook, ReviewTuiError, format_ms
from review_tui.text import clean, one_line, visible

FALLBACK_REVIEWER = ("ELAN", "rater")


class ReviewImportError(ReviewTuiError):
    """A file cannot be imported as it is."""


@dataclass
class ImportMap:
    codes: dict[str, str] = field(default_factory=dict)
    reviewers: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """What a file would add, checked against the review's codebook."""

    reviewers: list[tuple[str, str]] = field(default_factory=list)
    tags: list[tuple[dict[str, Any], tuple[str, str]]] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)
    unknown: Counter = field(default_factory=Counter)  # "tier: label" or code id → how many
    notes: list[str] = field(default_factory=list)  # what was read but not kept, said aloud
    learning_goal: str | None = None  # JSON only: kept when the review has none yet
    dismissed: list[tuple[int, int, str]] = field(default_factory=list)  # JSON only
    details: dict[str, Any] = field(default_factory=dict)  # JSON only: fills details not yet set


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: dict[str, int]
    notes: tuple[str, ...]


def load_map(path: Path | None, codebook: Codebook) -> ImportMap:
    if path is None:
        return ImportMap()
    where = visible(str(path))
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ReviewImportError(f"{where}: cannot read the map: {one_line(str(err))}") from None
    mapping = ImportMap()
    for label, code_id in dict(data.get("codes", {})).items():
        if not isinstance(code_id, str) or codebook.code(code_id) is None:
            raise ReviewImportError(f"{where}: [codes] {one_line(label)!r} maps to {code_id!r}, not a code of {codebook.id!r}")
        mapping.codes[label.casefold()] = code_id
    for source, who in dict(data.get("reviewers", {})).items():
        name, colon, role = str(who).rpartition(":")
        if not colon or not name.strip() or role.strip() not in ROLES:
            raise ReviewImportError(f"{where}: [reviewers] {one_line(source)!r} must be \"Name:role\" ({', '.join(ROLES)})")
        mapping.reviewers[source.casefold()] = (one_line(name), role.strip())
    return mapping


def resolve_code(label: str, codebook: Codebook, mapping: ImportMap, *, tier: str = "", group: str | None = None) -> str | None:
    """The code a label names: the map first (``tier/label`` before ``label``), then a code
    id or label of the tier's group, then of the whole codebook."""
    wanted = label.casefold().strip()
    for key in (f"{tier}/{label}".casefold(), wanted):
        if key in mapping.codes:
            return mapping.codes[key]
    groups = [g for g in codebook.groups if g.id == group] + list(codebook.groups)
    for candidate_group in groups:
        for code in candidate_group.codes:
            if wanted in (code.id.casefold(), code.label.casefold()):
                return code.id
    return None


def plan_json(path: Path, codebook: Codebook, mapping: ImportMap) -> ImportPlan:
    where = visible(str(path))
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ReviewImportError(f"{where}: not a readable JSON file: {one_line(str(err))}") from None
    if not isinstance(data, dict) or data.get("schema_version") != 1:
        raise ReviewImportError(f"{where}: not a review_tui export (schema_version 1 expected)")
    try:
        people = {entry["id"]: (one_line(entry["name"]), entry["role"]) for entry in data["reviewers"]}
        labels = {
            code["id"]: code["label"] for group in data["codebook"]["groups"] for code in group["codes"]
        }
        plan = ImportPlan(reviewers=list(dict.fromkeys(people.values())))
        index: dict[int, int] = {}
        for entry in data["tags"]:
            code_id = entry["code_id"]
            if codebook.code(code_id) is None:
                code_id = resolve_code(str(labels.get(code_id, code_id)), codebook, mapping) or (
                    mapping.codes.get(str(code_id).casefold())
                )
            if code_id is None:
                plan.unknown[f"code {entry['code_id']}"] += 1
                continue
            if entry["author_id"] not in people:
                raise ReviewImportError(f"{where}: tag {entry['id']}: its author is not among the reviewers")
            fields = {
                "start": format_ms(entry["start_ms"]),
                "end": None if entry["end_ms"] is None else format_ms(entry["end_ms"]),
                "code": code_id,
                "rating": entry["rating"],
                "note": clean(entry["note"]),
            }
            index[entry["id"]] = len(plan.tags)
            plan.tags.append((fields, people[entry["author_id"]]))
        plan.learning_goal = clean(data["session"].get("learning_goal") or "").strip() or None
        plan.details = dict(data.get("details") or {})
        plan.dismissed = [(int(d["start_ms"]), int(d["end_ms"]), str(d["code_id"])) for d in data["dismissed_suggestions"]]
        for link in data["links"]:
            if link["rupture_id"] in index and link["tag_id"] in index:
                plan.links.append((index[link["rupture_id"]], index[link["tag_id"]], link["kind"]))
            else:
                plan.notes.append(f"a {link['kind']} link to a skipped tag was left out")
    except (KeyError, TypeError) as err:
        raise ReviewImportError(f"{where}: not a review_tui export (missing or wrong field {one_line(str(err))})") from None
    return plan


def apply_plan(store, plan: ImportPlan, source: str, *, skip_unknown: bool = False, by=None) -> ImportResult:
    """Add the plan to the store as one undo step (``by``'s: the reviewer importing, whose
    ctrl+z takes it back; nobody's when None); refuse it whole while labels are unknown."""
    if plan.unknown and not skip_unknown:
        listed = ", ".join(f"{one_line(label)!r} ×{count}" for label, count in plan.unknown.most_common())
        raise ReviewImportError(
            f"{source}: no code for {listed}; map them with --map FILE, or pass --skip-unknown to leave them out"
        )
    authors = list(dict.fromkeys([*plan.reviewers, *(author for _fields, author in plan.tags)]))
    names = Counter(name for name, _role in authors)
    if any(count > 1 for count in names.values()):
        doubled = ", ".join(name for name, count in names.items() if count > 1)
        raise ReviewImportError(f"{source}: {doubled} reviews in two roles; the import tells authors apart by name")
    data = {
        "reviewers": [{"name": name, "role": role} for name, role in authors],
        "tags": [{**fields, "author": author[0]} for fields, author in plan.tags],
        "links": [{"rupture": rupture, "tag": answer, "kind": kind} for rupture, answer, kind in plan.links],
    }
    added = store.import_review(data, source=source, by=by)
    _import_state(store, plan)
    return ImportResult(added, dict(plan.unknown) if skip_unknown else {}, tuple(plan.notes))


def _import_state(store, plan: ImportPlan) -> None:
    """The learning goal and session details (only those the review has not set) and the
    dismissed suggestions (added to those already dismissed). They are settings, not
    edits: undo leaves them."""
    from review_tui.analysis.suggestions import DISMISSED_STATE_KEY, dismissed_from_state, dismissed_to_state
    from review_tui.report.build import FOCUS_STATE_KEY

    if plan.learning_goal and not (store.get_state(FOCUS_STATE_KEY) or "").strip():
        store.set_state(FOCUS_STATE_KEY, plan.learning_goal)
    if plan.dismissed:
        known = dismissed_from_state(store.get_state(DISMISSED_STATE_KEY))
        store.set_state(DISMISSED_STATE_KEY, dismissed_to_state(known | set(plan.dismissed)))
    if plan.details:
        from review_tui.review_details import LABELS, read_details, update_details

        current = read_details(store)
        missing = {
            name: value for name, value in plan.details.items()
            if name in LABELS and value not in (None, "") and getattr(current, name) in (None, "")
        }
        try:
            update_details(store, **missing)
        except ReviewTuiError as error:
            plan.notes.append(f"session details not imported: {one_line(str(error))}")


def parse_episode_roles(value: str) -> list[tuple[int, str]]:
    """``"1:rupture;2:repair"`` → [(1, "rupture"), (2, "repair")]; anything else is ignored."""
    found = []
    for part in re.split(r"[;,\s]+", value.strip()):
        number, colon, kind = part.partition(":")
        if colon and number.isdigit() and kind in ("rupture", "response", "repair"):
            found.append((int(number), kind))
    return found
