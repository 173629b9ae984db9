"""Command line: export, import, purge, and the `report` shortcut.

Each handler returns an exit status; errors are ReviewTuiError, which cli.main prints as one
line. Nothing here reads a terminal except purge's confirmation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from review_tui.console import say, warn
from review_tui.model import ReviewTuiError
from review_tui.text import one_line, visible

EXPORT_HELP = """\
formats: md (Markdown report), html (report with stills), csv (one row per tag),
json (the whole review), eaf (ELAN), srt / vtt (the tags as subtitles), clips (MP4s, a folder).
Without --format the extension of -o decides; an extension that names no format is an error.

--tags picks which tags: all (default), clips, group:ID, code:ID, reviewer:NAME, role:ROLE;
terms separated by commas take any tag one of them takes, e.g.
  --tags group:confrontation,reviewer:"Dr Okafor"

--pseudonymise replaces reviewer and speaker names and every name listed in
<session>.names.toml (lines of "Real Name" = "Pseudonym") in all the export says."""


def add_commands(commands) -> None:
    """Register export, import and purge on cli's subparsers."""
    from review_tui.report.formats import FORMATS

    def session_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("path", type=Path, help="the recording or transcript the review belongs to")
        command.add_argument("--transcript", type=Path, help="transcript file (SRT or WebVTT)")
        command.add_argument("--review", type=Path, help="review file (default: beside the recording)")

    export = commands.add_parser(
        "export", help="export a review: md, html, csv, json, eaf, srt, vtt or clips",
        description="Export the review of a session.", epilog=EXPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    session_options(export)
    export.add_argument("--format", choices=tuple(FORMATS), help="what to write (default: from -o)")
    export.add_argument("-o", "--output", type=Path, help="file (a folder for clips); default beside the recording")
    export.add_argument("--tags", metavar="FILTER", help="which tags (see below; default: all)")
    export.add_argument("--pseudonymise", "--pseudonymize", action="store_true", help="replace every name")
    export.add_argument("--suggestions", action="store_true", help="md/html: include suggested moments")
    export.add_argument("--no-stills", action="store_true", help="html: leave out the still frames")
    export.add_argument("--before", type=float, default=3.0, metavar="SECONDS", help="clips: lead-in (3)")
    export.add_argument("--after", type=float, default=3.0, metavar="SECONDS", help="clips: run-out (3)")

    imported = commands.add_parser(
        "import", help="add the tags of a JSON export or an ELAN file to a review (one undo step)"
    )
    session_options(imported)
    imported.add_argument("file", type=Path, help="a review_tui .json export or an ELAN .eaf file")
    imported.add_argument("--map", type=Path, help="TOML: [codes] label = code id, [reviewers] tier = \"Name:role\"")
    imported.add_argument("--skip-unknown", action="store_true", help="leave out labels no code matches (listed)")
    imported.add_argument("--reviewer", help='EAF tiers with no annotator: whose tags, as "Name:role"')

    purge = commands.add_parser(
        "purge", help="delete a review, its companions and every export it wrote"
    )
    session_options(purge)
    purge.add_argument("--yes", action="store_true", help="do not ask (for scripts)")


def _open(args: argparse.Namespace, *, must_exist: bool):
    from review_tui.opening import load_codebook_for, open_store
    from review_tui.config import load_config
    from review_tui.session import load_session
    from review_tui.store import review_path_for

    session = load_session(args.path, args.transcript)
    review_path, _ = review_path_for(session.anchor, args.review)
    if must_exist and not review_path.exists():
        raise ReviewTuiError(f"{visible(str(review_path))}: no review yet; open the session and tag moments first")
    return session, open_store(session, args.review, load_codebook_for(args, load_config()))


def _warn(session) -> None:
    for problem in session.warnings:
        warn(f"warning: {one_line(str(problem))}")


def command_export(args: argparse.Namespace) -> int:
    from review_tui.report.formats import ExportOptions, export_review, format_for

    fmt = format_for(args.format, args.output)  # refuse a wrong extension before any work
    options = ExportOptions(
        format=fmt.name,
        path=args.output,
        tags=args.tags,
        pseudonymise=args.pseudonymise,
        include_suggestions=args.suggestions,
        stills=not args.no_stills,
        before_ms=round(args.before * 1000),
        after_ms=round(args.after * 1000),
    )
    return _export_and_say(args, lambda _session: options)


def _export_and_say(args: argparse.Namespace, options_for) -> int:
    """Export the session's review with the options ``options_for(session)`` gives; name each file."""
    from review_tui.report.formats import export_review

    session, store = _open(args, must_exist=True)
    try:
        written = export_review(store, session, options_for(session))
    finally:
        store.close()
    _warn(session)
    for path in written:
        say(f"wrote {visible(str(path))}")
    return 0


def command_report(args: argparse.Namespace) -> int:
    """`review-tui report`: Markdown or HTML, chosen by the output's extension."""
    from review_tui.report.formats import ExportOptions, format_for

    fmt = format_for(None, args.output, allowed=("md", "html")) if args.output else None
    return _export_and_say(
        args,
        lambda session: ExportOptions(
            fmt.name if fmt else "md", args.output or session.anchor.with_suffix(".review.md"),
            include_suggestions=args.suggestions, only_reviewer=getattr(args, "only_reviewer", None),
        ),
    )


def command_import(args: argparse.Namespace) -> int:
    from review_tui.opening import parse_reviewer
    from review_tui.report.import_file import plan_file
    from review_tui.report.importing import FALLBACK_REVIEWER, apply_plan, load_map

    if not args.file.is_file():
        raise ReviewTuiError(f"{visible(str(args.file))}: no such file")
    importer = parse_reviewer(args.reviewer) if args.reviewer else None
    session, store = _open(args, must_exist=False)
    try:
        mapping = load_map(args.map, store.codebook)
        plan = plan_file(args.file, store.codebook, mapping, importer or FALLBACK_REVIEWER)
        # The import is the named reviewer's undo step, so their ctrl+z in the app takes it back.
        by = store.reviewer(*importer) if importer else None
        result = apply_plan(store, plan, visible(args.file.name), skip_unknown=args.skip_unknown, by=by)
    finally:
        store.close()
    _warn(session)
    for label, count in result.skipped.items():
        warn(f"skipped: {one_line(label)} ×{count} (no code matches)")
    for note in result.notes:
        warn(f"note: {one_line(note)}")
    undo = f"one undo step: ctrl+z in the app as {one_line(importer[0])}" if importer else "name yourself with --reviewer to make it an undo step of yours"
    say(f"imported {result.added} tags from {visible(args.file.name)} ({undo})")
    return 0


def command_purge(args: argparse.Namespace) -> int:
    from review_tui.codebook import load_codebook
    from review_tui.report.purge import delete, purge_targets
    from review_tui.report.written import written_entries
    from review_tui.session import resolve_paths
    from review_tui.store import ReviewStore, review_path_for

    media, transcript = resolve_paths(args.path, args.transcript)
    review_path = review_path_for(media or transcript, args.review)[0].absolute()
    if not review_path.exists():
        raise ReviewTuiError(f"{visible(str(review_path))}: no review to purge")
    # Only read: with no fingerprints given, opening records nothing new in the file.
    try:
        with ReviewStore.open(review_path, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook()) as store:
            entries = written_entries(store)
    except ReviewTuiError as error:  # a damaged review must still be deletable
        warn(f"warning: {one_line(str(error))}; its exports cannot be listed")
        entries = []
    from review_tui.store.paths import beside_path, fallback_path

    anchor = Path(media or transcript).expanduser().absolute()
    copies = (beside_path(anchor), fallback_path(anchor)) if args.review is None else ()
    targets = purge_targets(review_path, entries, other_copies=copies)  # after closing, which may remove -wal and -shm
    say(f"purge deletes {len(targets)} files:")
    for path in targets:
        say(f"  {visible(str(path))}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise ReviewTuiError("purge: nothing deleted; confirm with --yes when not at a terminal")
        answer = input("Delete them all? [y/N] ").strip().casefold()
        if answer not in ("y", "yes"):
            say("nothing deleted")
            return 1
    failed = delete(targets)
    for path, reason in failed:
        warn(f"not deleted: {visible(str(path))}: {one_line(reason)}")
    say(f"deleted {len(targets) - len(failed)} files")
    return 2 if failed else 0

