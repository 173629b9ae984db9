"""The rules every tag write obeys, for one review file and the codebook it keeps: what makes
a tag's fields valid, how a missing tag is reported, how a tag is named in the undo history."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review_tui.model import Codebook, StoreError, Tag, format_ms
from review_tui.store import rows, undo
from review_tui.store.undo import Row


@dataclass(frozen=True, slots=True)
class TagRules:
    """The checks a tag's fields must pass before it is written to the review file."""

    path: Path
    codebook: Codebook

    def problem(self, fields: dict[str, Any]) -> str | None:
        """What is wrong with a tag's fields, or None; the caller says which file or entry."""
        start, end, rating = fields["start_ms"], fields["end_ms"], fields["rating"]
        if not rows.is_int(start) or start < 0:
            return f"start must be whole milliseconds from 0, not {start!r}"
        if end is not None and (not rows.is_int(end) or end < start):
            return f"end must be at or after the start, not {end!r}"
        if not isinstance(fields["code_id"], str) or self.codebook.code(fields["code_id"]) is None:
            return f"unknown code {fields['code_id']!r} (not in codebook {self.codebook.id!r})"
        if rating is not None and (not rows.is_int(rating) or not 1 <= rating <= 5):
            return f"rating must be 1-5, not {rating!r}"
        if not isinstance(fields["note"], str):
            return "note must be text"
        return None

    def refuse(self, problem: str | None) -> None:
        if problem is not None:
            raise StoreError(f"{self.path}: {problem}")

    def existing_tag(self, db: sqlite3.Connection, tag_id: int) -> Tag:
        return rows.as_tag(self.existing_row(db, tag_id))

    def existing_row(self, db: sqlite3.Connection, tag_id: int) -> Row:
        row = undo.current_row(db, "tags", {"id": tag_id})
        if row is None:
            raise StoreError(
                f"{self.path}: tag {tag_id} is no longer in this review (deleted or undone, perhaps "
                "by another reviewer or window); the change was not saved"
            )
        return row

    def describe(self, tag: Tag) -> str:
        code = self.codebook.code(tag.code_id)
        return f"{code.label if code else tag.code_id} at {format_ms(tag.start_ms)}"
