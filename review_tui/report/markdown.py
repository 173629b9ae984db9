"""Render a Report as Markdown, following shared/DOMAIN.md "What a review report contains".

Everything that comes from people (transcript lines, notes, names, codebook labels) passes
through ``inline`` first, so nothing a patient said or a reviewer typed can become formatting,
a link or HTML in the rendered report, nor a control character that `cat report.md` would hand
to the terminal (text.clean drops them). The output depends on the Report alone.
"""

from __future__ import annotations

import re

from review_tui.model import format_ms
from review_tui.report.agreement_section import render_markdown_section as render_agreement_section
from review_tui.report.build import (
    STRIP_WIDTH,
    EpisodeEntry,
    Moment,
    QuotedLine,
    Report,
)
from review_tui.report.markdown_text import cell, inline
from review_tui.review.wording import duration  # one wording for the app and the report
from review_tui.text import clean, one_line

FOOTER = (
    "These are observations for supervision, not diagnoses. Suggested moments are found "
    "automatically from the transcript's wording and timing and are marked as suggestions."
)

def _code_span(code_id: str) -> str:
    """A code id as code; ids the loader accepts hold no backtick, anything else is escaped."""
    return f"`{code_id}`" if re.fullmatch(r"[\w.-]+", code_id) else cell(code_id)


def span(moment: Moment) -> str:
    tag = moment.tag
    if tag.is_range:
        assert tag.end_ms is not None
        return f"{format_ms(tag.start_ms)}–{format_ms(tag.end_ms)}"
    return format_ms(tag.start_ms)


def rating(moment: Moment) -> str:
    value = moment.tag.rating
    if value is None:
        return ""
    meaning = f" {moment.rating_meaning}" if moment.rating_meaning else ""
    return f"{meaning} {value}/5".strip()


def render_markdown(report: Report) -> str:
    parts = [
        _header(report),
        _focus(report),
        _timeline(report),
        _episodes(report),
        _key_moments(report),
        _strengths(report),
    ]
    if report.suggestions is not None:
        parts.append(_suggestions(report))
    if report.agreement is not None:  # issue 10: agreement between reviewers (own module)
        parts.append(render_agreement_section(report.agreement))
    parts += [_appendix(report), f"---\n\n*{inline(FOOTER)}*"]
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def _header(report: Report) -> str:
    codebook_id, version, label = report.codebook
    rows = [
        ("Session", report.session_id),
        ("Date", report.date),
        ("Review started", report.review_started),
        ("Duration", format_ms(report.duration_ms, millis=False)),
        ("Therapist", report.therapist or "not recorded"),
        ("Supervisor", report.supervisor or "not recorded"),
        *_session_rows(report),
        ("Reviewers", ", ".join(f"{r.name} ({r.role})" for r in report.reviewers) or "none"),
        ("Codebook", f"{label} ({codebook_id}, version {version})"),
    ]
    if report.talk:
        rows.append(("Talk time", ", ".join(f"{t.label} {t.share:.0%}" for t in report.talk)))
    lines = [f"# Session review: {inline(report.session_id)}", ""]
    lines += [f"- **{name}:** {inline(value)}" for name, value in rows if value]
    return "\n".join(lines)


def _session_rows(report: Report) -> list[tuple[str, str]]:
    """Issue 10: the client and the session's date and number from the session details, and
    whose tags a one-reviewer report keeps."""
    details = report.details
    rows = [
        ("Client", details.client or ""),
        ("Session date", details.session_date or ""),
        ("Session number", str(details.session_number or "")),
    ]
    if report.only_reviewer is not None:
        who = f"{report.only_reviewer.name} ({report.only_reviewer.role})"
        rows.append(("Tags of", f"{who} only"))
    return rows


def _focus(report: Report) -> str:
    lines = ["## Focus", ""]
    if report.details.focus:
        lines += [f"**Moments to discuss:** {inline(report.details.focus)}", ""]
    if report.learning_goal:
        lines += [f"**Learning goal:** {inline(report.learning_goal)}", ""]
    lines += [_moment_item(moment) for moment in report.focus]
    if not report.learning_goal and not report.focus and not report.details.focus:
        lines.append("No learning goal or question to discuss was recorded.")
    return "\n".join(lines)


def _timeline(report: Report) -> str:
    labels = [one_line(row.label) for row in report.timeline]  # inside a code block: not escaped
    width = max([len(label) for label in labels] + [10])
    end = format_ms(report.duration_ms, millis=False)
    axis = f"{'':<{width}}  0:00{end:>{STRIP_WIDTH - 4}}"
    rows = [f"{label:<{width}}  {clean(row.strip)}  {row.count:>3}" for label, row in zip(labels, report.timeline)]
    legend = "`|` a point tag, `=` a range, `#` both, `.` nothing tagged; counts at the right."
    return "\n".join(["## Timeline", "", "```text", axis, *rows, "```", "", legend])


def _episodes(report: Report) -> str:
    lines = ["## Rupture–repair episodes", ""]
    if report.episodes_from:
        lines += [f"*From the consensus coding ({inline(report.episodes_from)}).*", ""]
    if not report.episodes:
        lines.append("No rupture was tagged.")
    for number, episode in enumerate(report.episodes, start=1):
        lines += _episode(number, episode)
    return "\n".join(lines)


def _episode(number: int, episode: EpisodeEntry) -> list[str]:
    rupture = episode.rupture
    lines = [f"### Episode {number}: {_title(rupture)}", "", f"- **Rupture:** {_summary(rupture)}"]
    lines += _quote(rupture.lines, indent="  ")
    for label, moments in (("Therapist response", episode.responses), ("Repair", episode.repairs)):
        lines += [f"- **{label}:** {_summary(moment)}" for moment in moments]
    if not episode.responses:
        lines.append("- **Therapist response:** none linked")
    resolved = f"{episode.resolution}/5" if episode.resolution is not None else "not rated"
    lines.append(f"- **Degree of resolution:** {resolved}")
    if episode.repair_ms is None:
        lines.append("- **Time to repair:** not repaired in this review")
    else:
        lines.append(f"- **Time to repair:** {duration(episode.repair_ms)}")
    return [*lines, ""]


def _title(moment: Moment) -> str:
    return f"{span(moment)} {inline(moment.code_label)} ({inline(moment.group_label)})"


def _summary(moment: Moment) -> str:
    text = f"{span(moment)} {inline(moment.code_label)}"
    if moment.tag.rating is not None:
        text += f", {inline(rating(moment))}"
    if moment.tag.note.strip():
        text += f": {inline(moment.tag.note)}"
    return text


def _quote(lines: tuple[QuotedLine, ...], indent: str = "") -> list[str]:
    """The lines as a block quote, one paragraph a cue: speaker, time, the words."""
    if not lines:
        return []
    body: list[str] = []
    for line in lines:
        speaker = f"**{inline(line.speaker)}** " if line.speaker else ""
        if body:
            body.append(f"{indent}>")
        body.append(f"{indent}> {speaker}({format_ms(line.start_ms)}): {inline(line.text)}")
    return ["", *body, ""]


def _moment_item(moment: Moment) -> str:
    return f"- {_summary(moment)} ({inline(moment.author)})"


def _key_moments(report: Report) -> str:
    lines = ["## Key moments", ""]
    if not report.moments:
        lines.append("Nothing was tagged yet.")
    elif report.consensus_ids:
        lines += [f"*From the consensus coding ({inline(report.episodes_from or 'consensus')}); each rater's own tags are in the tag log.*", ""]
    for moment in report.key_moments:
        lines += [f"### {_title(moment)}", ""]
        if moment.tag.rating is not None:
            lines.append(f"- **Rating:** {inline(rating(moment))}")
        lines.append(f"- **Author:** {inline(moment.author)}")
        if moment.tag.note.strip():
            lines.append(f"- **Note:** {inline(moment.tag.note)}")
        if moment.lines:
            if moment.lines_are == "before":
                lines += ["", "*No line is spoken at this moment (a pause); the line before it:*"]
            lines += _quote(moment.lines)
        elif report.has_transcript:
            lines += ["", "*No transcript line at this moment.*", ""]
        else:
            lines.append("")
    return "\n".join(lines)


def _strengths(report: Report) -> str:
    lines = ["## Strengths and growth areas", ""]
    for title, moments in (
        ("Strengths", report.strengths),
        ("Growth areas", report.growth),
        ("Deliberate-practice plan", report.practice),
    ):
        lines += [f"### {title}", ""]
        lines += [_moment_item(moment) for moment in moments] or ["None recorded."]
        lines.append("")
    return "\n".join(lines)


def _suggestions(report: Report) -> str:
    lines = [
        "## Suggested moments",
        "",
        (
            "*Suggestions found automatically; no reviewer has confirmed them. "
            "Those a reviewer dismissed or already tagged are left out.*"
        ),
        "",
    ]
    for entry in report.suggestions or ():
        item = entry.suggestion
        when = f"{format_ms(item.start_ms)}–{format_ms(item.end_ms)}"
        lines.append(
            f"- **Suggestion:** {when} {inline(entry.code_label)}: {inline(item.reason)} "
            f"(score {item.score:.2f})"
        )
        lines += _quote(entry.lines, indent="  ")
    if not report.suggestions:
        lines.append("No suggestion is open: none was found, or each was tagged or dismissed.")
    return "\n".join(lines)


def _appendix(report: Report) -> str:
    log = []
    for moment in report.moments:
        tag = moment.tag
        end = format_ms(tag.end_ms) if tag.is_range and tag.end_ms is not None else ""
        rating_text = "" if tag.rating is None else str(tag.rating)
        log.append(
            [cell(format_ms(tag.start_ms)), cell(end), cell(moment.code_label), cell(moment.group_label),
             cell(rating_text), cell(moment.author), cell(tag.note)]
        )
    legend = [
        [_code_span(entry.code_id), cell(entry.label), cell(entry.group_label), cell(entry.meaning),
         str(entry.count)]
        for entry in report.legend
    ]
    return "\n".join(
        [
            "## Appendix",
            "",
            "### Tag log",
            "",
            *_table(("Start", "End", "Code", "Group", "Rating", "Author", "Note"), log),
            "",
            "### Codebook legend",
            "",
            *_table(("Code", "Label", "Group", "Meaning", "Tags"), legend),
        ]
    )


def _table(headings: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    """A pipe table of cells already made safe with ``cell``."""
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]
