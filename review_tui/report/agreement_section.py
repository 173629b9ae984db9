"""The report's Agreement section: kappa per code group, raw agreement and counts, the list of
disagreements with the transcript's words, and what each reconcile pass settled.

``gather`` reads it from the store (used by report/build.py); ``render_markdown_section`` turns
it into Markdown lines, every text from a file escaped with ``report.markdown.inline``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from review_tui.analysis.agreement import Agreement, Disagreement, KappaTable, agreement_in
from review_tui.analysis.reconcile import DECISIONS, Outcome, outcomes
from review_tui.analysis.reviewers import coders_of
from review_tui.model import Codebook, Tag, Transcript, format_ms

DECISION_WORDS = {
    "keep_a": "kept the first reviewer's tag",
    "keep_b": "kept the second reviewer's tag",
    "keep_both": "kept both tags",
    "new_code": "chose a new code",
    "drop": "dropped the moment",
}


@dataclass(frozen=True, slots=True)
class AgreementSection:
    agreements: tuple[Agreement, ...]  # one per pair of reviewers who coded
    passes: tuple[Outcome, ...]  # reconcile passes done
    codebook: Codebook


def gather(store, transcript: Transcript | None) -> AgreementSection | None:
    """Agreement between every two reviewers who coded (supervision notes aside), or None
    when fewer than two did."""
    codebook = store.codebook
    coders = coders_of(store)
    if len(coders) < 2:
        return None
    agreements = tuple(
        agreement_in(store, a, b, transcript=transcript) for a, b in itertools.combinations(coders, 2)
    )
    return AgreementSection(agreements, tuple(outcomes(store)), codebook)


def _number(value) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _percent(value) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _group(scope: str, codebook: Codebook) -> str:
    if scope == "all":
        return "All groups"
    group = codebook.group(scope)
    return group.label if group else scope


def _code(code_id: str, codebook: Codebook) -> str:
    code = codebook.code(code_id)
    return code.label if code else code_id


def _tag(tag: Tag, codebook: Codebook) -> str:
    when = format_ms(tag.start_ms)
    if tag.is_range and tag.end_ms is not None:
        when += f"–{format_ms(tag.end_ms)}"
    rated = f", rated {tag.rating}" if tag.rating is not None else ""
    return f"{when} {_code(tag.code_id, codebook)}{rated}"


def _row(table: KappaTable, codebook: Codebook, cell) -> str:
    values = [
        cell(_group(table.scope, codebook)),
        _number(table.kappa),
        _percent(table.raw_agreement),
        str(table.events),
        str(table.pairs),
        str(table.agreed),
        str(table.only_a),
        str(table.only_b),
    ]
    return "| " + " | ".join(values) + " |"


def _disagreement(item: Disagreement, agreement: Agreement, codebook: Codebook, inline) -> list[str]:
    a, b = inline(agreement.a.name), inline(agreement.b.name)
    if item.kind == "only_a":
        what = f"only {a}: {inline(_tag(item.a, codebook))}"
    elif item.kind == "only_b":
        what = f"only {b}: {inline(_tag(item.b, codebook))}"
    else:
        differ = "codes differ" if item.kind == "code" else "ratings differ"
        what = f"{differ}: {a} {inline(_tag(item.a, codebook))}; {b} {inline(_tag(item.b, codebook))}"
    lines = [f"- **{format_ms(item.start_ms)}** {inline(_group(item.group, codebook))}: {what}"]
    for line in item.quote:
        speaker = f"**{inline(line.speaker)}** " if line.speaker else ""
        lines.append(f"  > {speaker}({format_ms(line.start_ms)}): {inline(line.text)}")
    return lines


def _pass(outcome: Outcome, inline) -> list[str]:
    before = outcome.kappa_before
    lines = [
        f"#### Consensus: {inline(outcome.consensus.name)}",
        "",
        f"- **Before consensus:** kappa {_number(before.get('kappa'))}, raw agreement "
        f"{_percent(before.get('raw_agreement'))}, {before.get('events', 0)} events",
    ]
    for rater, summary in outcome.kappa_after.items():
        lines.append(
            f"- **After consensus, {inline(rater)} against the consensus:** kappa {_number(summary.get('kappa'))}, "
            f"raw agreement {_percent(summary.get('raw_agreement'))}"
        )
    if not outcome.kappa_after:
        lines.append("- **After consensus:** the pass is not finished yet")
    settled = [f"{count} {DECISION_WORDS[d]}" for d in DECISIONS if (count := outcome.decided.get(d))]
    lines.append(f"- **Agreed moments taken as they were:** {outcome.agreed_copied}")
    lines.append(f"- **Disagreements settled:** {'; '.join(settled) or 'none yet'}")
    return [*lines, ""]


def render_markdown_section(section: AgreementSection) -> str:
    from review_tui.report.markdown_text import cell, inline

    codebook = section.codebook
    lines = ["## Agreement between reviewers", ""]
    lines.append(
        "*Kappa is ELAN's modified kappa (Holle & Rein, 2015): tags of one group match when they "
        "overlap or lie within the tolerance; a tag without a partner counts against the other "
        'reviewer\'s "nothing here". n/a: kappa is undefined (one code, always agreed).*'
    )
    lines.append("")
    for agreement in section.agreements:
        lines += [
            f"### {inline(agreement.a.name)} and {inline(agreement.b.name)}",
            "",
            f"Tolerance {agreement.tolerance_ms / 1000:g} s. Ratings of matched pairs both rated: "
            f"ICC(A,1) {_number(agreement.ratings.icc)} over {agreement.ratings.pairs} pairs.",
            "",
            "| Group | Kappa | Agreement | Events | Pairs | Same code | Only first | Only second |",
            "|---|---|---|---|---|---|---|---|",
        ]
        lines += [_row(table, codebook, cell) for table in (agreement.overall, *agreement.groups)]
        lines += ["", f"#### Disagreements ({len(agreement.disagreements)})", ""]
        for item in agreement.disagreements:
            lines += _disagreement(item, agreement, codebook, inline)
        if not agreement.disagreements:
            lines.append("None: the two reviewers coded the same moments with the same codes.")
        lines.append("")
        for outcome in section.passes:
            if {outcome.a.id, outcome.b.id} == {agreement.a.id, agreement.b.id}:
                lines += _pass(outcome, inline)
    return "\n".join(lines)
