"""Write a sample review (sample_review.json from review_plan.toml, the second rater's
sample_review_second.json from review_plan_second.toml), finding each tag's time in the cues
by the words spoken there, so the tags stay on their moments whenever the demo is rebuilt.
A tag's optional ``shift_ms`` moves its start off the cue (a rater who marks a moment late)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Protocol

from review_tui.model import format_ms


class TimedText(Protocol):
    text: str
    start_ms: int
    end_ms: int


def _flat(text: str) -> str:
    return " ".join(text.split())


def find_cue(cues: list[TimedText], words: str, plan: Path) -> TimedText:
    """The one cue whose text (speaker label included) contains ``words``."""
    found = [cue for cue in cues if words in _flat(cue.text)]
    if len(found) != 1:
        raise SystemExit(f"{plan.name}: {words!r} is in {len(found)} cues; it must be in exactly one")
    return found[0]


def build_review(plan_path: Path, cues: list[TimedText]) -> dict:
    plan = tomllib.loads(plan_path.read_text(encoding="utf-8"))
    author = plan["reviewer"]["name"]
    tags: list[dict] = []
    index_of: dict[str, int] = {}
    for entry in plan["tag"]:
        start = find_cue(cues, entry["at"], plan_path).start_ms + entry.get("shift_ms", 0)
        end = find_cue(cues, entry["until"], plan_path).end_ms if "until" in entry else None
        if "name" in entry:
            index_of[entry["name"]] = len(tags)
        tags.append(
            {
                "start": format_ms(start),
                "end": format_ms(end) if end is not None else None,
                "code": entry["code"],
                "rating": entry.get("rating"),
                "note": _flat(entry.get("note", "")),
                "author": author,
            }
        )
    links = [
        {"rupture": index_of[link["rupture"]], "tag": index_of[link["tag"]], "kind": link["kind"]}
        for link in plan.get("link", [])
    ]
    return {"reviewers": [plan["reviewer"]], "tags": tags, "links": links}


def write_sample_review(plan_path: Path, cues: list[TimedText], out: Path) -> None:
    review = build_review(plan_path, cues)
    out.write_text(json.dumps(review, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
