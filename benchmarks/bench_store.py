"""How long the UI thread waits for one tag to be written: the store's rollback journal (every
commit whole in the file) against WAL, the mode it replaced, measured in the same run; and how
long a tag write waits while another program holds the review's lock (it must be kept pending,
not waited for).

    python benchmarks/bench_store.py            # ~20 s (--tags 100)
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import tempfile
import time
from pathlib import Path

from benchlib import header, median, percentile, ratio, verdict

from review_tui.codebook import load_codebook
from review_tui.store import ReviewStore
from review_tui.store.review_store import BUSY_MS

CODE = "confrontation.criticises_therapist"


def one_tag_ms(store: ReviewStore, author, start_ms: int) -> float:
    """A tag as the app makes it: the tag at its key, then its rating and note in the same step."""
    began = time.perf_counter()
    tag = store.add_tag(start_ms=start_ms, end_ms=None, code_id=CODE, author=author)
    store.update_tag(tag.id, rating=4, note="formulaic", amend_add=True, by=author)
    return (time.perf_counter() - began) * 1000


def open_store(path: Path) -> ReviewStore:
    return ReviewStore.open(path, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook())


def wal_baseline(store: ReviewStore) -> None:
    """Put an open store back in WAL with synchronous NORMAL, as review_tui wrote before."""
    store._db.execute("PRAGMA journal_mode = WAL")  # noqa: SLF001 - the baseline needs the old mode
    store._db.execute("PRAGMA synchronous = NORMAL")  # noqa: SLF001


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=100)
    args = parser.parse_args()
    header("store: the wait for one tag on the UI thread")
    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = open_store(Path(folder) / "ours.review.sqlite"), open_store(Path(folder) / "wal.review.sqlite")
        wal_baseline(theirs)
        ours_ms, wal_ms = [], []
        author_ours, author_wal = ours.reviewer("Bench", "rater"), theirs.reviewer("Bench", "rater")
        for number in range(args.tags):  # interleaved, so a busy neighbour hits both alike
            ours_ms.append(one_tag_ms(ours, author_ours, number * 1000))
            wal_ms.append(one_tag_ms(theirs, author_wal, number * 1000))
        locked_ms = []
        other = sqlite3.connect(ours.path, isolation_level=None)
        with contextlib.closing(other):
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE session SET created_at = created_at")
            for number in range(10):
                locked_ms.append(one_tag_ms(ours, author_ours, 10_000_000 + number))
            pending = ours.pending_count()
            other.execute("COMMIT")
        deadline = time.monotonic() + 10
        while ours.pending_count() and time.monotonic() < deadline:
            time.sleep(0.05)
        landed = len(ours.tags()) == args.tags + 10
        ours.close()
        theirs.close()
    print(f"   one tag (add + details), {args.tags} tags each, interleaved")
    print(f"   rollback journal: median {median(ours_ms):6.1f} ms  p95 {percentile(ours_ms, 95):6.1f} ms")
    print(f"   WAL (before):     median {median(wal_ms):6.1f} ms  p95 {percentile(wal_ms, 95):6.1f} ms")
    print(f"   ratio of medians: {ratio(median(ours_ms), median(wal_ms))}")
    print(f"   locked by another program: {pending} writes kept pending; all landed after: {landed}")
    verdict("one tag, p95", percentile(ours_ms, 95), 50, " ms")
    verdict("one tag while locked, max", max(locked_ms), 2 * BUSY_MS + 50, " ms")


if __name__ == "__main__":
    main()
