"""Command line: open (default), demo, info, codebook, doctor.

Every error a user can cause ends as one line on stderr and exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import threading
from pathlib import Path

from review_tui import __version__, locations
from review_tui.model import ROLES, Codebook, Reviewer, ReviewTuiError

COMMANDS = ("open", "demo", "info", "report", "codebook", "doctor")
DEMO_NAME = "formulaic"


def build_parser() -> argparse.ArgumentParser:
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
        "--sample-review", action="store_true", help="load the sample supervisor's review into it first"
    )
    add_session_options(demo)

    info = commands.add_parser("info", help="print what review-tui reads from a session")
    info.add_argument("path", type=Path)
    info.add_argument("--transcript", type=Path)
    info.add_argument("--review", type=Path)

    report = commands.add_parser("report", help="write the Markdown review report of a session")
    report.add_argument("path", type=Path, help="the recording or transcript the review belongs to")
    report.add_argument("-o", "--output", type=Path, help="report file (default: <session>.review.md)")
    report.add_argument("--transcript", type=Path)
    report.add_argument("--review", type=Path)
    report.add_argument(
        "--suggestions", action="store_true", help="include suggested moments, marked as such"
    )

    codebook = commands.add_parser("codebook", help="list and validate a codebook")
    codebook.add_argument("file", type=Path, nargs="?", help="codebook TOML (default: the built-in one)")

    commands.add_parser("doctor", help="check ffmpeg, audio output and the terminal")
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    # `review-tui session.mp4` means `review-tui open session.mp4`.
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv = ["open", *argv]
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        build_parser().print_help()
        return 0
    try:
        handler = {
            "open": command_open,
            "demo": command_demo,
            "info": command_info,
            "report": command_report,
            "codebook": command_codebook,
            "doctor": command_doctor,
        }[args.command]
        return handler(args)
    except ReviewTuiError as error:
        print(f"review-tui: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


# --- helpers ------------------------------------------------------------------


def parse_reviewer(text: str) -> tuple[str, str]:
    name, colon, role = text.rpartition(":")
    if not colon:  # a bare name: the person running a review is most often its supervisor
        name, role = role, "supervisor"
    name, role = name.strip(), role.strip().lower()
    if not name:
        raise ReviewTuiError(f"reviewer {text!r}: give a name, as \"Name:role\"")
    if role not in ROLES:
        raise ReviewTuiError(f"reviewer {text!r}: role must be one of {', '.join(ROLES)}")
    return name, role


def resolve_reviewer(store, given: str | None) -> Reviewer | None:
    """Who tags: ``--reviewer``, else REVIEW_TUI_REVIEWER or the config (``given``), else the
    one the app remembered last time; None means the app asks. A remembered reviewer that no
    longer parses is forgotten rather than fatal: the app simply asks again."""
    from review_tui.config import remembered_reviewer

    if given:
        return store.reviewer(*parse_reviewer(given))
    remembered = remembered_reviewer()
    if remembered is None:
        return None
    try:
        return store.reviewer(*parse_reviewer(remembered))
    except ReviewTuiError:
        return None


def load_codebook_for(args: argparse.Namespace, config) -> Codebook:
    from review_tui.codebook import load_codebook

    path = getattr(args, "codebook", None) or config.codebook
    return load_codebook(path)


def open_store(session, review_override: Path | None, codebook: Codebook):
    """Open (or create) the session's review file; notices become session warnings."""
    from review_tui.store import ReviewStore, review_path_for

    review_path, notice = review_path_for(session.anchor, review_override)
    if notice is not None:
        session.warnings.append(notice)
    media_fingerprint, transcript_fingerprint = session.fingerprints()
    store = ReviewStore.open(
        review_path,
        media_fingerprint=media_fingerprint,
        transcript_fingerprint=transcript_fingerprint,
        codebook=codebook,
    )
    session.warnings.extend(store.warnings)
    return store


def run_session(path: Path, args: argparse.Namespace) -> int:
    from review_tui.config import load_config
    from review_tui.session import load_session

    config = load_config()
    # Loading the session mostly waits on ffmpeg's probe; import the UI meanwhile (measured:
    # the two overlap for ~150 ms of start-up). Python's per-module import locks keep it safe.
    ui_import = threading.Thread(target=importlib.import_module, args=("review_tui.tui.app",), daemon=True)
    ui_import.start()
    session = load_session(path, args.transcript)
    codebook = load_codebook_for(args, config)
    store = open_store(session, args.review, codebook)
    reviewer = resolve_reviewer(store, args.reviewer or config.reviewer)
    audio = args.audio or config.audio
    try:
        from review_tui.media.player import Player

        memory = {"ring_mb": config.frame_ring_mb} if config.frame_ring_mb is not None else {}
        player = Player(session.media, duration_ms=session.duration_ms, audio=audio, wait_for_size=True, **memory)
        try:
            ui_import.join()
            from review_tui.tui.app import ReviewApp

            # The review's own codebook: the one its tags were made with.
            ReviewApp(session, store, player, store.codebook, reviewer, config, ask_reviewer=reviewer is None).run()
        finally:
            player.close()
    finally:
        store.close()
    return 0


# --- commands -------------------------------------------------------------------


def command_open(args: argparse.Namespace) -> int:
    return run_session(args.path, args)


def demo_session_dir() -> Path:
    """The demo's folder, copied to the user data dir when the bundled one is read-only
    (the review file is written beside the recording)."""
    bundled = locations.bundled_examples_dir()
    if bundled is None:
        raise ReviewTuiError("the bundled demo session is missing from this installation")
    source = bundled / DEMO_NAME
    if os.access(source, os.W_OK):
        return source
    target = locations.demo_dir() / DEMO_NAME
    if not (target / f"{DEMO_NAME}.mp4").is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, target, dirs_exist_ok=True)
    return target


def command_demo(args: argparse.Namespace) -> int:
    folder = demo_session_dir()
    media = folder / f"{DEMO_NAME}.mp4"
    if args.sample_review:
        load_sample_review(folder, media, args)
    return run_session(media, args)


def load_sample_review(folder: Path, media: Path, args: argparse.Namespace) -> None:
    import json

    from review_tui.config import load_config
    from review_tui.session import load_session

    session = load_session(media, args.transcript)
    store = open_store(session, args.review, load_codebook_for(args, load_config()))
    try:
        if store.tags():
            return  # never mix the sample into a review that already has work in it
        sample = folder / "sample_review.json"
        try:
            data = json.loads(sample.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ReviewTuiError(f"{sample}: cannot read sample review: {error}") from None
        store.import_review(data)
    finally:
        store.close()


def command_info(args: argparse.Namespace) -> int:
    from review_tui.info import describe

    print(describe(args.path, transcript=args.transcript, review=args.review))
    return 0


def command_report(args: argparse.Namespace) -> int:
    from review_tui.config import load_config
    from review_tui.report import export_markdown
    from review_tui.session import load_session
    from review_tui.store import review_path_for

    session = load_session(args.path, args.transcript)
    review_path, _ = review_path_for(session.anchor, args.review)
    if not review_path.exists():
        raise ReviewTuiError(f"{review_path}: no review yet; open the session and tag moments first")
    store = open_store(session, args.review, load_codebook_for(args, load_config()))
    try:
        output = args.output or session.anchor.with_suffix(".review.md")
        export_markdown(store, session, output, include_suggestions=args.suggestions)
    finally:
        store.close()
    for problem in session.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"wrote {output}")
    return 0


def command_codebook(args: argparse.Namespace) -> int:
    from review_tui.codebook import load_codebook

    codebook = load_codebook(args.file)
    print(f"{codebook.label} ({codebook.id} {codebook.version}): {len(codebook.codes)} codes, valid")
    for group in codebook.groups:
        extra = " (ranges)" if group.ranges else ""
        rating = f" — rating: {group.rating}" if group.rating else ""
        print(f"\n[{group.key}] {group.label}{extra}{rating}")
        for code in group.codes:
            print(f"  {group.key}{code.digit}  {code.label:<44} {code.meaning}")
    return 0


def command_doctor(args: argparse.Namespace) -> int:
    from review_tui.doctor import report

    print(report())
    return 0
