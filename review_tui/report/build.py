"""The Report: everything a review report says, gathered once from the store and the session.

Every format renders this object and nothing else, so the command line and the app produce
the same report, and rendering needs no database, no clock and no files (the date is given).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol

from review_tui.analysis.episodes import build_episodes, resolution
from review_tui.analysis.stats import (
    TalkShare,
    counts_by_group,
    group_of,
    talk_shares,
    timeline_strip,
)
from review_tui.analysis.suggestions import (
    DISMISSED_STATE_KEY,
    Suggestion,
    dismissed_from_state,
    suggest_moments,
    suggestion_key,
)
from review_tui.model import Codebook, Reviewer, Tag, Transcript
from review_tui.report.agreement_section import AgreementSection
from review_tui.review.rules import quoted_line
from review_tui.review_details import SessionDetails

STRIP_WIDTH = 60
FOCUS_STATE_KEY = "focus"  # the learning goal the therapist brought, kept in the review file
FOCUS_CODES = ("supervision.discussion_question",)
STRENGTH_CODES = ("supervision.strength",)
GROWTH_CODES = ("supervision.missed_opportunity", "supervision.alternative_line")
PRACTICE_CODES = ("supervision.practice_clip",)
# Speaker labels that only repeat a role and so do not name the therapist.
_ROLE_LABELS = frozenset({"therapist", "counsellor", "counselor", "patient", "client"})


class _Session(Protocol):
    title: str
    transcript: Transcript | None

    @property
    def duration_ms(self) -> int: ...


@dataclass(frozen=True, slots=True)
class QuotedLine:
    """One transcript cue, exactly as written (its lines joined by spaces)."""

    cue_index: int
    start_ms: int
    speaker: str | None  # the speaker's label, None when the transcript does not say
    text: str
    end_ms: int | None = None  # when the cue ends: clips burn the lines in for this long


@dataclass(frozen=True, slots=True)
class Moment:
    """A tag with everything needed to show it: names, author and the lines it covers."""

    tag: Tag
    code_label: str
    group_id: str
    group_label: str
    rating_meaning: str | None  # what the group's 1-5 rating means, e.g. "significance"
    author: str  # "Name (role)"
    lines: tuple[QuotedLine, ...]
    # "spoken": the lines said at the moment; "before": none was (a pause between two lines),
    # so the line before the pause.
    lines_are: str = "spoken"


@dataclass(frozen=True, slots=True)
class EpisodeEntry:
    rupture: Moment
    responses: tuple[Moment, ...]
    repairs: tuple[Moment, ...]
    resolution: int | None  # degree of resolution 1-5, from the latest rated repair
    repair_ms: int | None  # rupture to first repair; None while unrepaired


@dataclass(frozen=True, slots=True)
class GroupTimeline:
    group_id: str
    label: str
    count: int
    strip: str  # STRIP_WIDTH cells across the session


@dataclass(frozen=True, slots=True)
class LegendEntry:
    code_id: str
    label: str
    group_label: str
    meaning: str
    count: int


@dataclass(frozen=True, slots=True)
class SuggestedMoment:
    suggestion: Suggestion
    code_label: str
    lines: tuple[QuotedLine, ...]


@dataclass(frozen=True, slots=True)
class Report:
    session_id: str  # the recording's file stem: pseudonymous by the clinic's naming
    date: str  # ISO date the report was made
    review_started: str  # ISO date the review file was created, "" when unknown
    duration_ms: int
    therapist: str | None
    supervisor: str | None
    reviewers: tuple[Reviewer, ...]
    codebook: tuple[str, str, str]  # id, version, label
    has_transcript: bool
    talk: tuple[TalkShare, ...]
    learning_goal: str | None
    focus: tuple[Moment, ...]
    timeline: tuple[GroupTimeline, ...]
    episodes: tuple[EpisodeEntry, ...]
    moments: tuple[Moment, ...]  # every tag, in time order
    strengths: tuple[Moment, ...]
    growth: tuple[Moment, ...]
    practice: tuple[Moment, ...]
    legend: tuple[LegendEntry, ...]
    suggestions: tuple[SuggestedMoment, ...] | None  # None: not asked for
    # Issue 10: the session details, agreement between reviewers, and whose tags these are.
    details: SessionDetails = field(default_factory=SessionDetails)
    agreement: AgreementSection | None = None
    only_reviewer: Reviewer | None = None  # the report keeps only this reviewer's tags
    episodes_from: str | None = None  # whose coding the episodes are built from, when not everyone's
    # Every cue, for formats that show lines beyond a tag's own (clips' burned subtitles);
    # kept in the Report so that pseudonymising it covers them too.
    transcript: tuple[QuotedLine, ...] = ()
    # The consensus reviewers, once a reconcile pass made one: the key moments a person reads
    # are theirs (each rater's tags and their copies would tell every moment three times);
    # data exports and the tag log keep every tag.
    consensus_ids: frozenset[int] = frozenset()

    @property
    def key_moments(self) -> tuple[Moment, ...]:
        """The moments a reader is walked through: the consensus coding's when there is one."""
        if not self.consensus_ids:
            return self.moments
        return tuple(moment for moment in self.moments if moment.tag.author_id in self.consensus_ids)


def build_report(
    store,
    session: _Session,
    *,
    date: datetime.date | None = None,
    include_suggestions: bool = False,
    only_reviewer: str | None = None,
) -> Report:
    """Read the store once and gather the report; ``date`` defaults to today. With
    ``only_reviewer`` (a name) the report keeps that reviewer's tags alone."""
    from review_tui.report import review_parts

    codebook: Codebook = store.codebook
    tags = sorted(store.tags(), key=lambda tag: (tag.start_ms, tag.id))
    reviewers = tuple(store.reviewers())
    transcript = session.transcript
    parts = review_parts.gather(store, transcript, only_reviewer)
    if parts.only_reviewer is not None:
        tags = [tag for tag in tags if tag.author_id == parts.only_reviewer.id]
        reviewers = (parts.only_reviewer,)
    moment = _MomentMaker(codebook, reviewers, transcript)
    moments = tuple(moment(tag) for tag in tags)
    by_id = {entry.tag.id: entry for entry in moments}
    duration_ms = max([session.duration_ms, *(tag.end_ms or tag.start_ms for tag in tags)])

    def coded(codes: tuple[str, ...]) -> tuple[Moment, ...]:
        return tuple(entry for entry in moments if entry.tag.code_id in codes)

    episodes = tuple(
        EpisodeEntry(
            rupture=by_id[episode.rupture.id],
            responses=tuple(by_id[tag.id] for tag in episode.responses),
            repairs=tuple(by_id[tag.id] for tag in episode.repairs),
            resolution=resolution(episode, codebook),
            repair_ms=episode.repair_ms,
        )
        for episode in build_episodes(parts.episode_tags(tags), store.links(), codebook)
    )
    suggestions = None
    if include_suggestions and transcript is not None:
        dismissed = dismissed_from_state(store.get_state(DISMISSED_STATE_KEY))
        suggestions = tuple(
            SuggestedMoment(item, moment.code_label(item.code_id), moment.lines_of_cues(item.cue_indexes))
            for item in suggest_moments(transcript, codebook=codebook)
            if suggestion_key(item) not in dismissed and not _accepted(item, tags)
        )
    return Report(
        session_id=session.title,
        date=(date or datetime.date.today()).isoformat(),
        review_started=(getattr(store, "created_at", "") or "")[:10],
        duration_ms=duration_ms,
        therapist=parts.details.therapist or _person(reviewers, "therapist", transcript),
        supervisor=parts.details.supervisor or _person(reviewers, "supervisor", None),
        reviewers=reviewers,
        codebook=(codebook.id, codebook.version, codebook.label),
        has_transcript=transcript is not None,
        talk=tuple(talk_shares(transcript)) if transcript is not None else (),
        learning_goal=parts.details.goal,
        focus=coded(FOCUS_CODES),
        timeline=_timeline(tags, codebook, duration_ms),
        episodes=episodes,
        moments=moments,
        strengths=coded(STRENGTH_CODES),
        growth=coded(GROWTH_CODES),
        practice=coded(PRACTICE_CODES),
        legend=_legend(tags, codebook),
        suggestions=suggestions,
        details=parts.details,
        agreement=parts.agreement,
        only_reviewer=parts.only_reviewer,
        episodes_from=parts.episodes_from,
        consensus_ids=parts.episode_author_ids,
        transcript=moment.lines_of_cues(cue.index for cue in transcript.cues) if transcript else (),
    )


class _MomentMaker:
    """Turns tags into Moments: code and group names, the author, the quoted lines."""

    def __init__(self, codebook: Codebook, reviewers: tuple[Reviewer, ...], transcript: Transcript | None):
        self.codebook = codebook
        self.authors = {reviewer.id: f"{reviewer.name} ({reviewer.role})" for reviewer in reviewers}
        self.transcript = transcript
        self.cues = {cue.index: cue for cue in transcript.cues} if transcript else {}

    def code_label(self, code_id: str) -> str:
        code = self.codebook.code(code_id)
        return code.label if code else code_id

    def __call__(self, tag: Tag) -> Moment:
        group_id = group_of(tag.code_id, self.codebook)
        group = self.codebook.group(group_id)
        lines: tuple[QuotedLine, ...] = ()
        lines_are = "spoken"
        if self.transcript is not None:
            end_ms = tag.end_ms if tag.is_range else tag.start_ms
            covered = self.transcript.cues_between(tag.start_ms, end_ms)
            lines = self.lines_of_cues(cue.index for cue in covered)
            nearest = quoted_line(self.transcript, tag.start_ms) if not lines else None
            if nearest is not None:  # a pause: quote what was said last, and say so
                cue, lines_are = nearest
                lines = self.lines_of_cues([cue.index])
        return Moment(
            tag=tag,
            code_label=self.code_label(tag.code_id),
            group_id=group_id,
            group_label=group.label if group else group_id,
            rating_meaning=group.rating if group else None,
            author=self.authors.get(tag.author_id, f"reviewer {tag.author_id}"),
            lines=lines,
            lines_are=lines_are,
        )

    def lines_of_cues(self, indexes) -> tuple[QuotedLine, ...]:
        quoted = []
        for index in indexes:
            cue = self.cues.get(index)
            if cue is None:
                continue
            speaker = self.transcript.speakers.get(cue.speaker) if cue.speaker else None
            label = speaker.label if speaker else cue.speaker
            quoted.append(
                QuotedLine(cue.index, cue.start_ms, label, " ".join(cue.text.split("\n")), cue.end_ms)
            )
        return tuple(quoted)


def _accepted(item: Suggestion, tags: list[Tag]) -> bool:
    """A reviewer took the suggestion up: a tag of its code starts inside its span. Accepting
    in the app copies the span exactly, but a tag placed by hand on the moment counts too."""
    return any(
        tag.code_id == item.code_id and item.start_ms <= tag.start_ms <= item.end_ms for tag in tags
    )


def _person(reviewers: tuple[Reviewer, ...], role: str, transcript: Transcript | None) -> str | None:
    """The people in a role among the reviewers, else a speaker the transcript names in it
    (a bare "Therapist" label names no one)."""
    names = [reviewer.name for reviewer in reviewers if reviewer.role == role]
    if not names and transcript is not None:
        names = [
            speaker.label
            for speaker in transcript.speakers.values()
            if speaker.role == role and speaker.label.casefold() not in _ROLE_LABELS
        ]
    return ", ".join(dict.fromkeys(names)) or None


def _timeline(tags: list[Tag], codebook: Codebook, duration_ms: int) -> tuple[GroupTimeline, ...]:
    counts = counts_by_group(tags, codebook)
    rows = []
    for group_id, count in counts.items():
        group = codebook.group(group_id)
        in_group = [tag for tag in tags if group_of(tag.code_id, codebook) == group_id]
        strip = timeline_strip(in_group, duration_ms, STRIP_WIDTH)
        rows.append(GroupTimeline(group_id, group.label if group else group_id, count, strip))
    return tuple(rows)


def _legend(tags: list[Tag], codebook: Codebook) -> tuple[LegendEntry, ...]:
    used: dict[str, int] = {}
    for tag in tags:
        used[tag.code_id] = used.get(tag.code_id, 0) + 1
    order = {code.id: position for position, code in enumerate(codebook.codes)}
    entries = []
    for code_id in sorted(used, key=lambda code_id: (order.get(code_id, len(order)), code_id)):
        code = codebook.code(code_id)
        group = codebook.group(code.group) if code else None
        entries.append(
            LegendEntry(
                code_id,
                code.label if code else code_id,
                group.label if group else group_of(code_id),
                code.meaning if code else "(not in this codebook)",
                used[code_id],
            )
        )
    return tuple(entries)
