"""Command line: open (default), demo, info, codebook, doctor.

Every error a user can cause ends as one line on stderr and exit status 2; never a traceback.
An error nobody foresaw ends as one line naming a crash log, and exit status 1. Everything
printed goes through ``console.say``, so no outside text reaches the terminal as control bytes.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
from pathlib import Path

from review_tui import __version__, startup_mode
from review_tui.console import BrokenPipe, quiet_broken_pipe, say, warn
from review_tui.demo import DEMO_NAME, SAMPLE_REVIEWS, demo_session_dir
from review_tui.model import ReviewTuiError
from review_tui.opening import load_codebook_for, open_store, resolve_reviewer

COMMANDS = ("open", "demo", "info", "report", "merge", "agreement", "details", "codebook", "doctor", "export", "import", "purge")


SESSION_COMMANDS = ("open", "demo")


def build_parser(*, session_commands_only: bool = False) -> argparse.ArgumentParser:
    """The whole command line; with ``session_commands_only``, just ``open`` and ``demo``,
    which parse the same without the others (whose options import report and analysis code,
    ~100 ms of every start of a session)."""
    parser = argparse.ArgumentParser(
        prog="review-tui",
        description="Review a recorded therapy session in the terminal: play, tag, report.",
    )
    parser.add_argument("--version", action="version", version=f"review-tui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add_session_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--transcript", type=Path, help="transcript file (SRT or WebVTT)")
        command.add_argument("--review", type=Path, help="review file (default: beside the recording)")
        command.add_argument("--codebook", type=Path, help="codebook TOML file")
        command.add_argument("--reviewer", help='who is reviewing, as "Name:role"')
        command.add_argument(
            "--audio", choices=("auto", "null", "off"), help="audio output (default: auto)"
        )

    open_command = commands.add_parser("open", help="open a recording or transcript (default)")
    open_command.add_argument("path", type=Path, help="recording (mp4, mov, m4a, mp3, wav…) or transcript")
    add_session_options(open_command)

    demo = commands.add_parser("demo", help="open the bundled example session")
    demo.add_argument(
        "--sample-review",
        action="store_true",
        help="load the sample reviews (a supervisor's and a second rater's) into it first",
    )
    add_session_options(demo)
    if session_commands_only:
        return parser

    info = commands.add_parser("info", help="print what review-tui reads from a session")
    info.add_argument("path", type=Path)
    info.add_argument("--transcript", type=Path)
    info.add_argument("--review", type=Path)

    report = commands.add_parser("report", help="write the review report of a session (.md or .html)")
    report.add_argument("path", type=Path, help="the recording or transcript the review belongs to")
    report.add_argument("-o", "--output", type=Path, help="report file, .md or .html (default: <session>.review.md)")
    report.add_argument("--transcript", type=Path)
    report.add_argument("--review", type=Path)
    report.add_argument(
        "--suggestions", action="store_true", help="include suggested moments, marked as such"
    )
    report.add_argument("--reviewer", dest="only_reviewer", metavar="NAME", help="keep only this reviewer's tags")

    # Agreement between two reviewers and the session details: commands in modules of their own.
    from review_tui.cli_agreement import add_agreement_parser
    from review_tui.cli_details import add_details_parser

    add_agreement_parser(commands)
    add_details_parser(commands)

    from review_tui.merging import add_merge_command

    add_merge_command(commands)

    codebook = commands.add_parser("codebook", help="list and validate a codebook")
    codebook.add_argument("file", type=Path, nargs="?", help="codebook TOML (default: the built-in one)")

    commands.add_parser("doctor", help="check ffmpeg, audio output and the terminal")
    from review_tui import cli_export

    cli_export.add_commands(commands)
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    # `review-tui session.mp4` means `review-tui open session.mp4`.
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv = ["open", *argv]
    return build_parser(session_commands_only=bool(argv) and argv[0] in SESSION_COMMANDS).parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        if args.command not in SESSION_COMMANDS:
            startup_mode.settle()  # held by __main__ for a session's start only (startup_mode.py)
        if args.command is None:
            say(build_parser().format_help().rstrip("\n"))
            return 0
        handler = {
            "open": command_open,
            "demo": command_demo,
            "info": command_info,
            "report": command_report,
            "merge": _command_from("review_tui.merging", "command_merge"),
            "agreement": _command_from("review_tui.cli_agreement", "command_agreement"),
            "details": _command_from("review_tui.cli_details", "command_details"),
            "codebook": command_codebook,
            "doctor": command_doctor,
            "export": _command_from("review_tui.cli_export", "command_export"),
            "import": _command_from("review_tui.cli_export", "command_import"),
            "purge": _command_from("review_tui.cli_export", "command_purge"),
        }[args.command]
        return handler(args)
    except ReviewTuiError as error:
        warn(f"review-tui: error: {error}")
        return 2
    except (BrokenPipe, BrokenPipeError):  # `review-tui codebook | head`: the reader has all it wanted
        return quiet_broken_pipe()
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug of ours: its details go to a crash log, not the screen
        from review_tui.crash import crash_line

        warn(crash_line(error))
        return 1


# --- helpers ------------------------------------------------------------------


def _command_from(module: str, name: str):
    return lambda args: getattr(importlib.import_module(module), name)(args)


def run_session(path: Path, args: argparse.Namespace, session=None) -> int:
    """Open ``path`` in the app; ``session``: already loaded (by demo --sample-review), so the
    recording is probed once."""
    startup_mode.hold()  # until the first screen is painted (the app lets go) or this returns
    try:
        return _run_session(path, args, session)
    finally:
        startup_mode.settle()


def _run_session(path: Path, args: argparse.Namespace, session) -> int:
    from review_tui.config import load_config
    from review_tui.session import load_session

    config = load_config()
    # Loading the session mostly waits on ffmpeg's probe; import the UI meanwhile (measured:
    # the two overlap for ~150 ms of start-up). Python's per-module import locks keep it safe.
    ui_import = threading.Thread(target=importlib.import_module, args=("review_tui.tui.app",), daemon=True)
    ui_import.start()
    try:
        if session is None:
            session = load_session(path, args.transcript)
        codebook = load_codebook_for(args, config)
    except BaseException:
        # A file that cannot be opened ends the program within milliseconds, and an interpreter
        # shutting down while a daemon thread is inside an import can crash (seen once in CI:
        # the one-line error printed, then exit by SIGSEGV instead of status 2).
        ui_import.join()
        raise
    audio = args.audio or config.audio
    from review_tui.media.player import Player
    from review_tui.tui.first_picture import ask_for_first_picture
    from review_tui.tui.graphics import remember_device_attributes

    memory = {"ring_mb": config.frame_ring_mb} if config.frame_ring_mb is not None else {}
    player = Player(
        session.media, duration_ms=session.duration_ms, audio=audio, wait_for_size=True, hold_background=True, **memory
    )
    try:
        # Asked now: once the app runs, its input thread would take the terminal's answer.
        remember_device_attributes(config.video, os.environ)
        # The first frame decodes while the review file opens and the UI imports and starts
        # (the guess counts the configured codebook's groups: the review's own is not open yet).
        ask_for_first_picture(player, codebook, config.video, os.environ)
        store = open_store(session, args.review, codebook)
        try:
            reviewer = resolve_reviewer(store, args.reviewer or config.reviewer)
            ui_import.join()
            from review_tui.tui.app import ReviewApp

            # The review's own codebook: the one its tags were made with.
            app = ReviewApp(session, store, player, store.codebook, reviewer, config, ask_reviewer=reviewer is None)
            app.run()
        finally:
            store.close()
    finally:
        player.close()
    if app.crashed is not None:
        raise app.crashed  # main() writes it to the crash log
    return app.return_code or 0


# --- commands -------------------------------------------------------------------


def command_open(args: argparse.Namespace) -> int:
    return run_session(args.path, args)


def command_demo(args: argparse.Namespace) -> int:
    folder = demo_session_dir()
    media = folder / f"{DEMO_NAME}.mp4"
    session = load_sample_review(folder, media, args) if args.sample_review else None
    return run_session(media, args, session)


def load_sample_review(folder: Path, media: Path, args: argparse.Namespace):
    """Load the sample reviews into the demo's review file; returns the session as loaded
    (before the review's speaker names), for the app to open without probing again."""
    import json
    from dataclasses import replace

    from review_tui.config import load_config
    from review_tui.session import load_session

    session = load_session(media, args.transcript)
    # A copy takes the store's notices and speaker names: the app's own opening adds them.
    loading = replace(session, warnings=list(session.warnings))
    store = open_store(loading, args.review, load_codebook_for(args, load_config()))
    try:
        if store.tags():
            return session  # never mix the sample into a review that already has work in it
        # The supervisor's review, then a second rater's independent one (for agreement).
        for name in SAMPLE_REVIEWS:
            sample = folder / name
            try:
                data = json.loads(sample.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise ReviewTuiError(f"{sample}: cannot read sample review: {error}") from None
            store.import_review(data, source=name)
    finally:
        store.close()
    return session


def command_info(args: argparse.Namespace) -> int:
    from review_tui.info import describe

    say(describe(args.path, transcript=args.transcript, review=args.review))
    return 0


def command_report(args: argparse.Namespace) -> int:
    from review_tui.cli_export import command_report as report_by_extension

    return report_by_extension(args)


def command_codebook(args: argparse.Namespace) -> int:
    from review_tui.codebook import load_codebook

    codebook = load_codebook(args.file)
    say(f"{codebook.label} ({codebook.id} {codebook.version}): {len(codebook.codes)} codes, valid")
    for group in codebook.groups:
        extra = " (ranges)" if group.ranges else ""
        rating = f" — rating: {group.rating}" if group.rating else ""
        say(f"\n[{group.key}] {group.label}{extra}{rating}")
        for code in group.codes:
            say(f"  {group.key}{code.digit}  {code.label:<44} {code.meaning}")
    return 0


def command_doctor(args: argparse.Namespace) -> int:
    from review_tui.doctor import report

    say(report())
    return 0
