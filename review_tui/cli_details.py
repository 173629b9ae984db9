"""`review-tui details SESSION [--therapist NAME] [--client PSEUDONYM] [--session-date DATE]
[--session-number N] [--supervisor NAME] [--focus TEXT] [--goal TEXT]`.

With no option it prints the details kept in the review; with options it sets those (an empty
value clears one) and prints the result. The review file is created if there is none yet, so
details can be entered before the first tag.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from review_tui.console import say
from review_tui.review_details import LABELS, read_details, update_details
from review_tui.text import one_line

_OPTIONS = {
    "therapist": "the therapist's name or pseudonym",
    "client": "the client's pseudonym",
    "session_date": "the date of the session, YYYY-MM-DD",
    "session_number": "which session of the therapy this is",
    "supervisor": "the supervisor's name",
    "focus": "the moments the therapist wants help with",
    "goal": "the learning goal",
}


def add_details_parser(commands) -> None:
    command = commands.add_parser("details", help="show or set the session details a report's header shows")
    command.add_argument("path", type=Path, help="the recording or transcript the review belongs to")
    command.add_argument("--transcript", type=Path)
    command.add_argument("--review", type=Path)
    for name, meaning in _OPTIONS.items():
        command.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="TEXT", help=meaning)


def command_details(args: argparse.Namespace) -> int:
    from review_tui.opening import load_codebook_for, open_store
    from review_tui.config import load_config
    from review_tui.session import load_session

    session = load_session(args.path, args.transcript)
    store = open_store(session, args.review, load_codebook_for(args, load_config()))
    try:
        changes = {name: getattr(args, name) for name in _OPTIONS if getattr(args, name) is not None}
        details = update_details(store, **changes) if changes else read_details(store)
        path = store.path
    finally:
        store.close()
    shown = details.shown()
    say(f"Session details in {one_line(str(path))}:")
    if not shown:
        say("  none yet (set them with --therapist, --client, --session-date, ...)")
    width = max(len(label) for label in LABELS.values())
    for label, text in shown:
        say(f"  {label + ':':<{width + 1}} {one_line(text)}")
    return 0
