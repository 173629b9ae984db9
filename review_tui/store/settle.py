"""What a review file records about its session when opened: the fingerprints of the recording
and transcript it was made with, and the codebook its tags use (the file keeps its own)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from review_tui.codebook import codebook_from_dict, codebook_to_dict
from review_tui.model import Codebook, Problem, StoreError
from review_tui.store.rows import now

MEDIA_CHANGED = "recording changed since this review was made"
TRANSCRIPT_CHANGED = "transcript changed since this review was made"


def settle_session(
    db: sqlite3.Connection,
    path: Path,
    media: str | None,
    transcript: str | None,
    warnings: list[Problem],
    codebook: Codebook,
) -> tuple[str, str]:
    """Record the session in a new file; in an old one note fingerprints that differ. Returns
    when the review was made and the codebook snapshot it keeps. Runs inside a transaction."""
    snapshot = json.dumps(codebook_to_dict(codebook), ensure_ascii=False)
    db.execute(
        "INSERT OR IGNORE INTO session (id, media_fingerprint, transcript_fingerprint,"
        " created_at) VALUES (1, ?, ?, ?)",
        (media, transcript, now()),
    )
    db.execute("INSERT OR IGNORE INTO codebook (id, snapshot) VALUES (1, ?)", (snapshot,))
    stored_media, stored_transcript, created_at = db.execute(
        "SELECT media_fingerprint, transcript_fingerprint, created_at FROM session"
    ).fetchone()
    for given, stored, column, message in (
        (media, stored_media, "media_fingerprint", MEDIA_CHANGED),
        (transcript, stored_transcript, "transcript_fingerprint", TRANSCRIPT_CHANGED),
    ):
        if given is not None and stored is None:
            db.execute(f"UPDATE session SET {column} = ?", (given,))
        elif given is not None and given != stored:
            warnings.append(Problem(str(path), message))
    return created_at, db.execute("SELECT snapshot FROM codebook").fetchone()[0]


def stored_codebook(path: Path, snapshot: str, given: Codebook, warnings: list[Problem]) -> Codebook:
    """The codebook kept in the file; a warning when the one given differs from it."""
    try:
        data = json.loads(snapshot)
    except ValueError:
        raise StoreError(f"{path}: the codebook stored in the review is damaged") from None
    kept = codebook_from_dict(data, f"{path} (stored codebook)")
    if kept != given:
        warnings.append(
            Problem(
                str(path),
                f"keeps the codebook it was made with ({kept.id} version {kept.version}); "
                f"the one given ({given.id} version {given.version}) differs",
            )
        )
    return kept
