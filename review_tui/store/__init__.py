"""The review file: a SQLite database per recorded session, kept beside the recording.

``review_path_for`` decides where it lives (and says when another copy holds more),
``ReviewStore.open`` opens or creates it (mode 0600, schema brought up to date), and every
write is committed into the file itself before the call returns, or, while another program
holds its lock, kept pending beside it until it can be (see pending.py).
"""

from review_tui.store.paths import SUFFIX, other_copy, review_path_for
from review_tui.store.review_store import Link, ReviewStore, StoreLocked
from review_tui.store.schema import LINK_KINDS, MIGRATIONS
from review_tui.store.settle import MEDIA_CHANGED, TRANSCRIPT_CHANGED
from review_tui.store.undo import UNDO_LIMIT



def __getattr__(name: str):
    # The merge's plan comes with the merge code, which opening a review does not need.
    if name == "MergePlan":
        from review_tui.store.copies import MergePlan

        return MergePlan
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "LINK_KINDS",
    "MEDIA_CHANGED",
    "MIGRATIONS",
    "SUFFIX",
    "TRANSCRIPT_CHANGED",
    "UNDO_LIMIT",
    "Link",
    "MergePlan",
    "ReviewStore",
    "StoreLocked",
    "other_copy",
    "review_path_for",
]
