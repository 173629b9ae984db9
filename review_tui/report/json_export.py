"""The whole review as JSON: what a program needs to analyse it or to read it back in.

The shape is documented by ``review.schema.json`` beside this file (JSON Schema 2020-12);
``SCHEMA_VERSION`` changes whenever a field changes meaning or goes away, so a reader can
refuse a file it does not understand instead of misreading it.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from review_tui import __version__
from review_tui.codebook import codebook_to_dict
from review_tui.report.record import Review
from review_tui.report.writer import write_report
from review_tui.text import clean, one_line

SCHEMA_VERSION = 1
SCHEMA_FILE = "review.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema of the export, as shipped in the package."""
    text = resources.files("review_tui.report").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def review_to_data(review: Review) -> dict[str, Any]:
    report, record = review.report, review.record
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": f"review_tui {__version__}",
        "exported": report.date,
        "session": {
            "id": one_line(report.session_id),
            "media_file": one_line(record.media_label) if record.media_label else None,
            "duration_ms": report.duration_ms,
            "media_fingerprint": record.media_fingerprint,
            "transcript_fingerprint": record.transcript_fingerprint,
            "review_started": report.review_started,
            "learning_goal": clean(report.learning_goal) if report.learning_goal else None,
        },
        "codebook": _clean_all(codebook_to_dict(record.codebook)),
        "reviewers": [
            {"id": reviewer.id, "name": one_line(reviewer.name), "role": reviewer.role}
            for reviewer in report.reviewers
        ],
        "tags": [
            {
                "id": tag.id,
                "start_ms": tag.start_ms,
                "end_ms": tag.end_ms,
                "code_id": tag.code_id,
                "rating": tag.rating,
                "note": clean(tag.note),
                "author_id": tag.author_id,
                "created_at": tag.created_at,
                "updated_at": tag.updated_at,
            }
            for tag in (moment.tag for moment in report.moments)
        ],
        "links": [
            {"rupture_id": link.rupture_id, "tag_id": link.tag_id, "kind": link.kind}
            for link in record.links
        ],
        "dismissed_suggestions": [
            {"start_ms": start, "end_ms": end, "code_id": code} for start, end, code in record.dismissed
        ],
        "details": _details(report),
    }


def _details(report) -> dict[str, Any]:
    """The session details (therapist, client, date, number, supervisor, focus, goal)."""
    details = getattr(report, "details", None)
    if details is None or not is_dataclass(details):
        return {}
    return {
        field.name: clean(value) if isinstance(value, str) else value
        for field in fields(details)
        for value in [getattr(details, field.name)]
    }


def render_json(review: Review) -> str:
    return json.dumps(review_to_data(review), ensure_ascii=False, indent=2) + "\n"


def write_json(review: Review, path: Path) -> Path:
    return write_report(render_json(review), path)


def _clean_all(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_clean_all(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean_all(item) for key, item in value.items()}
    return value
