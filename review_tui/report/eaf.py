"""The review as an ELAN annotation file (EAF 3.0), written through pympi-ling.

Layout, so ELAN shows the review the way a supervisor thinks of it:

- one tier per code group per reviewer, ``<group label> | <reviewer>``, whose linguistic type
  ``review-code:<group id>`` carries the group's codes as a controlled vocabulary; the tier's
  annotator is ``Name (role)``. Tags of one reviewer in one group that overlap go to a second
  lane ``... (2)``, because ELAN keeps the annotations of a tier apart.
- under each, dependent tiers ``· note``, ``· rating`` and ``· episode`` (``1:rupture``,
  ``1:repair``) hold what a tag says besides its code, one value per tag;
- one tier per speaker, ``Transcript | <speaker>``, with the transcript's cues;
- the recording linked by its path relative to the EAF file.

A point tag becomes an annotation POINT_MS long (ELAN has no zero-length annotation); the
importer reads such an annotation back as a point tag.
"""

from __future__ import annotations

import mimetypes
import re
import urllib.parse
from pathlib import Path

from pympi import Elan

from review_tui.model import Reviewer
from review_tui.report.build import Moment
from review_tui.report.record import Review
from review_tui.report.writer import write_report
from review_tui.text import clean, one_line

POINT_MS = 1
CODE_TYPE_PREFIX = "review-code:"
DETAIL_TYPE = "review-detail"
TRANSCRIPT_TYPE = "transcript"
NOTE_TIER, RATING_TIER, EPISODE_TIER = " · note", " · rating", " · episode"
LANGUAGE = "eng"
SCHEMA_URL = "http://www.mpi.nl/tools/elan/EAFv3.0.xsd"
# Characters XML 1.0 cannot hold at all, even escaped; text.clean() has already taken the
# control characters, this takes the noncharacters U+FFFE/U+FFFF and lone surrogates.
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")
AUTHOR_PATTERN = re.compile(r"^(?P<name>.+) \((?P<role>supervisor|therapist|rater)\)$")


def annotator(reviewer: Reviewer) -> str:
    return f"{one_line(reviewer.name)} ({reviewer.role})"


def build_eaf(review: Review) -> Elan.Eaf:
    report, record = review.report, review.record
    eaf = Elan.Eaf(author="review_tui")
    eaf.remove_tier("default")
    eaf.adocument.update(
        {
            "DATE": f"{report.date}T00:00:00Z",
            "VERSION": "3.0",
            "FORMAT": "3.0",
            "xsi:noNamespaceSchemaLocation": SCHEMA_URL,
        }
    )
    eaf.header = {"MEDIA_FILE": "", "TIME_UNITS": "milliseconds"}
    eaf.add_language(LANGUAGE, "http://cdb.iso.org/lg/CDB-00138502-001", "English (eng)")
    if record.media_label:
        url = urllib.parse.quote(record.media_label.replace("\\", "/"))
        mime = mimetypes.guess_type(record.media_label)[0] or "video/mp4"
        eaf.add_linked_file(url, relpath=url, mimetype=mime)
    eaf.properties = [("review_tui:session", one_line(report.session_id))]
    codebook_id, version, _label = report.codebook
    eaf.properties.append(("review_tui:codebook", f"{codebook_id} {version}"))
    _vocabularies(eaf, review)
    eaf.add_linguistic_type(DETAIL_TYPE, "Symbolic_Association", timealignable=False)
    eaf.add_linguistic_type(TRANSCRIPT_TYPE)
    _tag_tiers(eaf, review)
    _transcript_tiers(eaf, review)
    eaf.properties.append(("lastUsedAnnotation", eaf.maxaid - 1 if eaf.maxaid > 1 else 0))
    return eaf


def render_eaf(review: Review) -> str:
    document = _NOT_XML.sub("", Elan.to_string(build_eaf(review)))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + document + "\n"


def write_eaf(review: Review, path: Path) -> Path:
    return write_report(render_eaf(review), path)


def _vocabularies(eaf: Elan.Eaf, review: Review) -> None:
    """A controlled vocabulary and a linguistic type per code group, from the codebook."""
    for group in review.record.codebook.groups:
        eaf.add_controlled_vocabulary(group.id)
        eaf.add_cv_description(group.id, LANGUAGE, one_line(group.label))
        for code in group.codes:
            eaf.add_cv_entry(group.id, code.id, [(one_line(code.label), LANGUAGE, one_line(code.meaning))])
        eaf.add_linguistic_type(
            CODE_TYPE_PREFIX + group.id,
            param_dict={
                "LINGUISTIC_TYPE_ID": CODE_TYPE_PREFIX + group.id,
                "TIME_ALIGNABLE": "true",
                "GRAPHIC_REFERENCES": "false",
                "CONTROLLED_VOCABULARY_REF": group.id,
            },
        )


def _episode_roles(review: Review) -> dict[int, list[str]]:
    roles: dict[int, list[str]] = {}
    for number, episode in enumerate(review.report.episodes, start=1):
        roles.setdefault(episode.rupture.tag.id, []).append(f"{number}:rupture")
        for kind, moments in (("response", episode.responses), ("repair", episode.repairs)):
            for moment in moments:
                roles.setdefault(moment.tag.id, []).append(f"{number}:{kind}")
    return roles


def _tag_tiers(eaf: Elan.Eaf, review: Review) -> None:
    reviewers = {reviewer.id: reviewer for reviewer in review.report.reviewers}
    episodes = _episode_roles(review)
    lanes: dict[tuple[str, int], list[int]] = {}  # (group, author) → end of each lane so far
    for moment in review.report.moments:
        tag = moment.tag
        author = reviewers.get(tag.author_id, Reviewer(tag.author_id, f"reviewer {tag.author_id}", "rater"))
        start, end = tag.start_ms, tag.end_ms if tag.is_range else tag.start_ms + POINT_MS
        ends = lanes.setdefault((moment.group_id, author.id), [])
        lane = next((index for index, lane_end in enumerate(ends) if lane_end <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        ends[lane] = end
        tier = f"{one_line(moment.group_label)} | {one_line(author.name)}"
        if sum(1 for other in reviewers.values() if other.name == author.name) > 1:
            tier += f" ({author.role})"
        if lane:
            tier += f" ({lane + 1})"
        if tier not in eaf.tiers:
            eaf.add_tier(tier, CODE_TYPE_PREFIX + moment.group_id, ann=annotator(author), language=LANGUAGE)
        eaf.add_annotation(tier, start, end, one_line(moment.code_label))
        parent_id = next(reversed(eaf.tiers[tier][0]))
        _detail(eaf, tier, NOTE_TIER, parent_id, clean(tag.note).strip())
        _detail(eaf, tier, RATING_TIER, parent_id, "" if tag.rating is None else str(tag.rating))
        _detail(eaf, tier, EPISODE_TIER, parent_id, ";".join(episodes.get(tag.id, [])))


def _detail(eaf: Elan.Eaf, parent: str, suffix: str, parent_id: str, value: str) -> None:
    """A value in a dependent tier, tied to the annotation it describes by its id (pympi
    looks a parent up by time, which is ambiguous where two annotations touch)."""
    if not value:
        return
    tier = parent + suffix
    if tier not in eaf.tiers:
        eaf.add_tier(tier, DETAIL_TYPE, parent=parent, ann=eaf.tiers[parent][2].get("ANNOTATOR"))
    annotation_id = eaf.generate_annotation_id()
    eaf.annotations[annotation_id] = tier
    eaf.tiers[tier][1][annotation_id] = (parent_id, value, None, None)


def _transcript_tiers(eaf: Elan.Eaf, review: Review) -> None:
    last_end: dict[str, int] = {}
    for cue in sorted(review.report.transcript, key=lambda line: (line.start_ms, line.end_ms or 0)):
        if cue.end_ms is None:
            continue
        speaker = one_line(cue.speaker) if cue.speaker else "Unknown speaker"
        tier = f"Transcript | {speaker}"
        if tier not in eaf.tiers:
            eaf.add_tier(tier, TRANSCRIPT_TYPE, part=speaker, language=LANGUAGE)
        start = max(cue.start_ms, last_end.get(tier, 0))  # a tier's annotations may not overlap
        if cue.end_ms <= start:
            continue
        eaf.add_annotation(tier, start, cue.end_ms, one_line(cue.text))
        last_end[tier] = cue.end_ms
