"""`review-tui agreement SESSION [--between A --and B] [--tolerance 2s] [--json]`.

Prints the agreement table (kappa per code group, raw agreement, counts), the ratings' ICC and
the disagreement list with the transcript's words, or the same as JSON. Every name, note and
quoted line comes from files and passes through text.one_line before it is printed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from review_tui.analysis.agreement import (
    DEFAULT_TOLERANCE_MS,
    Agreement,
    Disagreement,
    KappaTable,
    agreement_in,
)
from review_tui.analysis.reviewers import choose_pair
from review_tui.console import say
from review_tui.model import Codebook, Reviewer, ReviewTuiError, Tag, format_ms, parse_time
from review_tui.text import one_line

DEFAULT_TOLERANCE_TEXT = f"{DEFAULT_TOLERANCE_MS / 1000:g}s"
QUOTE_LINES = 3  # transcript lines printed under a disagreement; the JSON has them all


def add_agreement_parser(commands) -> None:
    command = commands.add_parser("agreement", help="compare two reviewers' tags: kappa and disagreements")
    command.add_argument("path", type=Path, help="the recording or transcript the review belongs to")
    command.add_argument("--transcript", type=Path)
    command.add_argument("--review", type=Path)
    command.add_argument("--between", metavar="A", help="first reviewer's name (default: the only two)")
    command.add_argument("--and", dest="and_", metavar="B", help="second reviewer's name")
    command.add_argument(
        "--tolerance",
        default=DEFAULT_TOLERANCE_TEXT,
        help=f"how far apart two tags may be and still match (default: {DEFAULT_TOLERANCE_TEXT})",
    )
    command.add_argument("--json", action="store_true", help="print JSON instead of the table")


def parse_tolerance(text: str) -> int:
    """Milliseconds from "2s", "1.5", "500ms" or "0:02"."""
    raw = text.strip().lower()
    try:
        if raw.endswith("ms"):
            value = round(float(raw[:-2]))
        else:
            value = parse_time(raw)
    except ValueError:
        raise ReviewTuiError(
            f"--tolerance {one_line(text)!r}: not a length of time (try 2s or 500ms)"
        ) from None
    if value < 0:
        raise ReviewTuiError(f"--tolerance {one_line(text)!r}: must not be negative")
    return value


def command_agreement(args: argparse.Namespace) -> int:
    from review_tui.opening import load_codebook_for, open_store
    from review_tui.config import load_config
    from review_tui.session import load_session
    from review_tui.store import review_path_for

    tolerance_ms = parse_tolerance(args.tolerance)
    session = load_session(args.path, args.transcript)
    review_path, _ = review_path_for(session.anchor, args.review)
    if not review_path.exists():
        raise ReviewTuiError(f"{review_path}: no review yet; open the session and tag moments first")
    store = open_store(session, args.review, load_codebook_for(args, load_config()))
    try:
        a, b = choose_pair(store, args.between, args.and_)
        agreement = agreement_in(store, a, b, tolerance_ms=tolerance_ms, transcript=session.transcript)
        codebook = store.codebook
    finally:
        store.close()
    if args.json:
        say(json.dumps(agreement_to_dict(agreement, codebook), indent=2, ensure_ascii=False))
    else:
        say("\n".join(agreement_lines(agreement, codebook)))
    return 0


# --- rendering -------------------------------------------------------------------------


def number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def group_label(scope: str, codebook: Codebook) -> str:
    if scope == "all":
        return "All groups"
    group = codebook.group(scope)
    return one_line(group.label) if group else one_line(scope)


def code_label(code_id: str, codebook: Codebook) -> str:
    code = codebook.code(code_id)
    return one_line(code.label if code else code_id)


def who(reviewer: Reviewer) -> str:
    return f"{one_line(reviewer.name)} ({reviewer.role})"


def describe_tag(tag: Tag, codebook: Codebook) -> str:
    text = code_label(tag.code_id, codebook)
    if tag.is_range and tag.end_ms is not None:
        text += f" {format_ms(tag.start_ms)}–{format_ms(tag.end_ms)}"
    else:
        text += f" at {format_ms(tag.start_ms)}"
    if tag.rating is not None:
        text += f", rated {tag.rating}"
    return text


def describe_disagreement(item: Disagreement, agreement: Agreement, codebook: Codebook) -> str:
    a_name, b_name = one_line(agreement.a.name), one_line(agreement.b.name)
    if item.kind == "only_a":
        return f"only {a_name}: {describe_tag(item.a, codebook)}"
    if item.kind == "only_b":
        return f"only {b_name}: {describe_tag(item.b, codebook)}"
    what = "codes differ" if item.kind == "code" else "ratings differ"
    return f"{what}: {a_name} {describe_tag(item.a, codebook)}; {b_name} {describe_tag(item.b, codebook)}"


def agreement_lines(agreement: Agreement, codebook: Codebook) -> list[str]:
    lines = [
        f"Agreement between {who(agreement.a)} and {who(agreement.b)}, "
        f"tags matched within {agreement.tolerance_ms / 1000:g} s",
    ]
    if agreement.left_out:
        left = ", ".join(group_label(g, codebook) for g in agreement.left_out)
        lines.append(f"Left out (comments, not codes): {left}")
    width = max([len(group_label(t.scope, codebook)) for t in (agreement.overall, *agreement.groups)] + [10])
    header = f"{'Group':<{width}}  " + "  ".join(
        f"{name:>{size}}"
        for name, size in (("kappa", 6), ("max", 5), ("agree", 5), ("events", 6), ("pairs", 5), ("same", 4))
    )
    header += f"  {'only A':>6}  {'only B':>6}"
    lines += ["", header, "-" * len(header)]
    for table in (agreement.overall, *agreement.groups):
        lines.append(_table_row(table, group_label(table.scope, codebook), width))
    lines.append(
        "kappa: ELAN's modified kappa (unmatched tags count against 'nothing here'); n/a where it"
        " is undefined (a single code, always agreed); agree: raw agreement; same: pairs with one code"
    )
    ratings = agreement.ratings
    lines += ["", f"Ratings: ICC(A,1) {number(ratings.icc)} over {ratings.pairs} matched pairs both rated"]
    lines += ["", f"Disagreements: {len(agreement.disagreements)}"]
    for item in agreement.disagreements:
        what = describe_disagreement(item, agreement, codebook)
        lines.append(f"  {format_ms(item.start_ms)}  {group_label(item.group, codebook)}: {what}")
        for line in item.quote[:QUOTE_LINES]:
            speaker = f"{one_line(line.speaker)}: " if line.speaker else ""
            lines.append(f"      > {speaker}{one_line(line.text)}")
        if len(item.quote) > QUOTE_LINES:
            lines.append(f"      > … {len(item.quote) - QUOTE_LINES} more lines")
    if not agreement.disagreements:
        lines.append("  none: the two reviewers coded the same moments with the same codes")
    return lines


def _table_row(table: KappaTable, label: str, width: int) -> str:
    return (
        f"{label:<{width}}  {number(table.kappa):>6}  {number(table.kappa_max):>5}  {percent(table.raw_agreement):>5}"
        f"  {table.events:>6}  {table.pairs:>5}  {table.agreed:>4}  {table.only_a:>6}  {table.only_b:>6}"
    )


def _tag_dict(tag: Tag | None, codebook: Codebook) -> dict[str, Any] | None:
    if tag is None:
        return None
    return {
        "id": tag.id,
        "start_ms": tag.start_ms,
        "end_ms": tag.end_ms,
        "code": tag.code_id,
        "label": code_label(tag.code_id, codebook),
        "rating": tag.rating,
        "note": one_line(tag.note),
    }


def agreement_to_dict(agreement: Agreement, codebook: Codebook) -> dict[str, Any]:
    def table(t: KappaTable) -> dict[str, Any]:
        return {
            "scope": t.scope,
            "label": group_label(t.scope, codebook),
            "kappa": t.kappa,
            "kappa_max": t.kappa_max,
            "kappa_matched": t.kappa_matched,
            "raw_agreement": t.raw_agreement,
            "events": t.events,
            "pairs": t.pairs,
            "agreed": t.agreed,
            "only_a": t.only_a,
            "only_b": t.only_b,
            "labels": list(t.labels),
            "matrix": [list(row) for row in t.counts],
        }

    return {
        "a": {"name": one_line(agreement.a.name), "role": agreement.a.role},
        "b": {"name": one_line(agreement.b.name), "role": agreement.b.role},
        "tolerance_ms": agreement.tolerance_ms,
        "method": "ELAN modified kappa (Holle & Rein 2015), chance agreement by iterative proportional fitting",
        "left_out": list(agreement.left_out),
        "overall": table(agreement.overall),
        "groups": [table(t) for t in agreement.groups],
        "ratings": {"icc": agreement.ratings.icc, "pairs": agreement.ratings.pairs},
        "disagreements": [
            {
                "kind": item.kind,
                "group": item.group,
                "start_ms": item.start_ms,
                "a": _tag_dict(item.a, codebook),
                "b": _tag_dict(item.b, codebook),
                "quote": [
                    {
                        "start_ms": q.start_ms,
                        "speaker": one_line(q.speaker) if q.speaker else None,
                        "text": one_line(q.text),
                    }
                    for q in item.quote
                ],
            }
            for item in agreement.disagreements
        ],
    }
