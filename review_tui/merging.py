"""`review-tui merge SESSION`: bring the other copy of a session's review into the one in use.

The other copy is the one the app kept in the user data folder while the review beside the
recording was read-only (or, while it still is, the review beside the recording); `--from`
names any other review file. A merge only adds (see store/copies.py) and is one undo step of
the reviewer who ran it; the other copy is left as it was.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from review_tui.console import say, warn
from review_tui.model import ReviewTuiError


def add_merge_command(commands) -> None:
    merge = commands.add_parser(
        "merge", help="add to a session's review what its other copy (kept while it was read-only) holds"
    )
    merge.add_argument("path", type=Path, help="the recording or transcript the review belongs to")
    merge.add_argument("--from", dest="source", type=Path, help="the review file to merge in (default: the other copy)")
    merge.add_argument("--transcript", type=Path)
    merge.add_argument("--review", type=Path, help="the review file to merge into (default: the one in use)")
    merge.add_argument("--codebook", type=Path)
    merge.add_argument("--reviewer", help='who merges, as "Name:role" (their undo step)')


def command_merge(args: argparse.Namespace) -> int:
    from review_tui.opening import load_codebook_for, open_store, resolve_reviewer
    from review_tui.config import load_config
    from review_tui.session import load_session
    from review_tui.store.paths import other_copy, review_path_for

    config = load_config()
    session = load_session(args.path, args.transcript)
    working, _ = review_path_for(session.anchor, args.review)
    source = args.source or other_copy(session.anchor, working)
    if not source.is_file():
        raise ReviewTuiError(f"{source}: no other copy of this review to merge")
    if source.resolve() == working.resolve():
        raise ReviewTuiError(f"{source}: is the review in use; name another with --from")
    store = open_store(session, args.review, load_codebook_for(args, config))
    try:
        reviewer = resolve_reviewer(store, args.reviewer or config.reviewer)
        merged = store.merge_from(source, by=reviewer)
        left_out = [str(problem) for problem in store.warnings if problem.source == str(source)]
    finally:
        store.close()
    if merged.empty:
        say(f"nothing to merge: {working} already holds everything in {source}")
    else:
        undo = "" if reviewer else " (no reviewer named, so no ctrl+z takes it back)"
        say(f"merged {merged.words()} from {source} into {working}; {source} is left as it was{undo}")
    for line in left_out:
        warn(f"warning: {line}")
    return 0
