"""Read an ELAN file into an import plan: ours back without loss, anyone's by tier and label.

Our own files (review_tui.report.eaf) name the group in each tier's linguistic type, the
reviewer in its annotator, and keep note, rating and episode in dependent tiers. A file made
in ELAN by hand needs none of that: each annotation's value (or, when empty, its tier's name)
is looked up as a code label or id, and the tier's annotator or the map names the reviewer.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from review_tui.model import Codebook
from review_tui.report.eaf import (
    AUTHOR_PATTERN,
    CODE_TYPE_PREFIX,
    DETAIL_TYPE,
    EPISODE_TIER,
    NOTE_TIER,
    POINT_MS,
    RATING_TIER,
    TRANSCRIPT_TYPE,
)
from review_tui.report.importing import (
    ImportMap,
    ImportPlan,
    ReviewImportError,
    parse_episode_roles,
    resolve_code,
)
from review_tui.text import clean, one_line, visible


def _read(path: Path):
    from pympi import Elan

    try:
        return Elan.Eaf(str(path), suppress_version_warning=True)
    except Exception as err:  # pympi raises a bare Exception for XML it cannot parse
        raise ReviewImportError(f"{visible(str(path))}: not a readable ELAN file: {one_line(str(err))}") from None


def _author(tier: str, params: dict, mapping: ImportMap, fallback: tuple[str, str]) -> tuple[str, str]:
    annotator = one_line(params.get("ANNOTATOR") or "")
    for key in (tier.casefold(), annotator.casefold()):
        if key and key in mapping.reviewers:
            return mapping.reviewers[key]
    match = AUTHOR_PATTERN.match(annotator)
    if match:
        return match["name"], match["role"]
    return (annotator, "rater") if annotator else fallback


def _details(eaf, tier: str) -> dict[str, dict[str, str]]:
    """Parent annotation id → {suffix: value} from our dependent tiers under ``tier``."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for suffix in (NOTE_TIER, RATING_TIER, EPISODE_TIER):
        child = eaf.tiers.get(tier + suffix)
        if child is None:
            continue
        for parent_id, value, _previous, _svg in child[1].values():
            found[parent_id][suffix] = value or ""
    return found


def plan_eaf(path: Path, codebook: Codebook, mapping: ImportMap, fallback: tuple[str, str]) -> ImportPlan:
    eaf = _read(path)
    plan = ImportPlan()
    episodes: dict[int, list[tuple[int, str]]] = defaultdict(list)  # number → (tag index, kind)
    for tier, (aligned, references, params, _order) in eaf.tiers.items():
        kind = params.get("LINGUISTIC_TYPE_REF", "")
        if kind == TRANSCRIPT_TYPE:
            continue  # the transcript, not tags
        if params.get("PARENT_REF"):
            if kind != DETAIL_TYPE and references:
                plan.notes.append(f"dependent tier {one_line(tier)!r} was not imported")
            continue
        group = kind[len(CODE_TYPE_PREFIX):] if kind.startswith(CODE_TYPE_PREFIX) else None
        author = _author(tier, params, mapping, fallback)
        details = _details(eaf, tier)
        for annotation_id, (slot1, slot2, value, _svg) in aligned.items():
            start, end = eaf.timeslots.get(slot1), eaf.timeslots.get(slot2)
            label = one_line(value or "") or one_line(tier)
            if start is None or end is None:
                plan.notes.append(f"{one_line(tier)}: {label!r} has no time and was not imported")
                continue
            code_id = resolve_code(label, codebook, mapping, tier=tier, group=group)
            if code_id is None and value:
                code_id = resolve_code(one_line(tier), codebook, mapping, tier=tier, group=group)
            if code_id is None:
                plan.unknown[f"{one_line(tier)}: {label}"] += 1
                continue
            extra = details.get(annotation_id, {})
            rating = extra.get(RATING_TIER, "").strip()
            if rating and not (rating.isdigit() and 1 <= int(rating) <= 5):
                plan.notes.append(f"{one_line(tier)}: rating {one_line(rating)!r} at {start} ms is not 1-5; left out")
                rating = ""
            for number, role in parse_episode_roles(extra.get(EPISODE_TIER, "")):
                episodes[number].append((len(plan.tags), role))
            fields = {
                "start": f"{start / 1000:.3f}s",
                "end": None if end - start <= POINT_MS else f"{end / 1000:.3f}s",
                "code": code_id,
                "rating": int(rating) if rating else None,
                "note": clean(extra.get(NOTE_TIER, "")),
            }
            plan.tags.append((fields, author))
    for members in episodes.values():
        ruptures = [index for index, role in members if role == "rupture"]
        for rupture in ruptures[:1]:
            plan.links += [(rupture, index, role) for index, role in members if role != "rupture"]
    return plan
