"""The review's rules as plain functions of the state, the tags and the transcript.

Each answers one question the UI asks: which tags the list shows, which range the next tag
covers, which tag j/k moves to, which lines carry which group marks, which suggestions are
still open, which line a tag quotes, and how an episode is summed up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from review_tui.analysis.stats import group_of
from review_tui.model import Codebook, CodeGroup, Cue, Episode, Tag, Transcript
from review_tui.review.state import ReviewState, TagsView
from review_tui.review.wording import plural, whole_seconds

if TYPE_CHECKING:
    from review_tui.analysis.suggestions import Suggestion

# analysis.episodes and analysis.suggestions are imported by the rules that need them: the
# app's first screen needs neither, and together they cost ~25 ms of every start-up.

NEAR_MS = 250  # the playhead this close to the selected tag's start is "on" it (for j/k)


def shown_tags(view: TagsView, codebook: Codebook | None) -> list[Tag]:
    """The tags the tag list shows: blind coding first, then the list's filter."""
    return [tag for tag in view.visible if view.tag_filter.keeps(tag, group_of(tag.code_id, codebook))]


def marked_range(state: ReviewState, transcript: Transcript | None) -> tuple[int, int | None] | None:
    """The range the reviewer marked: selected lines win over in/out marks; None if neither."""
    if state.line_selection is not None and transcript is not None:
        first, last = state.line_selection
        return transcript.cues[first].start_ms, transcript.cues[last].end_ms
    if state.mark_in is not None:
        return state.mark_in, state.mark_out
    return None


def tag_range(
    state: ReviewState, transcript: Transcript | None, group: CodeGroup | None, at_ms: int
) -> tuple[int, int | None]:
    """What the next tag covers when its key is pressed at ``at_ms``: the marked range; an in
    mark alone runs to ``at_ms``; a range group (a phase) covers the line being spoken; else
    the moment itself."""
    marked = marked_range(state, transcript)
    if marked is not None:
        start, end = marked
        if end is None:
            start, end = min(start, at_ms), max(start, at_ms)
        return start, end if end > start else None
    if group is not None and group.ranges and transcript is not None:
        index = transcript.index_at(at_ms)
        if index is not None:
            cue = transcript.cues[index]
            return cue.start_ms, max(cue.end_ms, cue.start_ms + 1)
    return at_ms, None


def step_tag(tags: Sequence[Tag], position_ms: int, selected: Tag | None, direction: int) -> Tag | None:
    """The tag j (+1) or k (-1) moves to from the playhead, wrapping at either end. On the
    selected tag (the playhead at its start) the step is from that tag, so two tags at one
    moment are both visited."""
    if not tags:
        return None
    if selected is not None and abs(selected.start_ms - position_ms) <= NEAR_MS:
        here = (selected.start_ms, selected.id)
    else:
        here = (position_ms, -1 if direction > 0 else 1 << 62)
    ordered = sorted(tags, key=lambda tag: (tag.start_ms, tag.id))
    if direction > 0:
        return next((tag for tag in ordered if (tag.start_ms, tag.id) > here), ordered[0])
    return next((tag for tag in reversed(ordered) if (tag.start_ms, tag.id) < here), ordered[-1])


def cues_of_tag(tag: Tag, transcript: Transcript) -> list[int]:
    """The cue indexes a tag lies on; a point in a pause belongs to the line before it."""
    end = tag.end_ms if tag.end_ms is not None else tag.start_ms
    indexes = [cue.index for cue in transcript.cues_between(tag.start_ms, end)]
    if not indexes:
        before = transcript.index_at(tag.start_ms)
        indexes = [before] if before is not None else []
    return indexes


def transcript_marks(tags: Iterable[Tag], transcript: Transcript | None, codebook: Codebook) -> dict[int, tuple[str, ...]]:
    """For each tagged line, the ids of the groups tagged on it, in order of first tag."""
    if transcript is None:
        return {}
    groups_by_cue: dict[int, dict[str, None]] = {}
    for tag in tags:
        code = codebook.code(tag.code_id)
        if code is None:
            continue
        for index in cues_of_tag(tag, transcript):
            groups_by_cue.setdefault(index, {}).setdefault(code.group, None)
    return {index: tuple(groups) for index, groups in groups_by_cue.items()}


def _tagged_keys(tags: Iterable[Tag]) -> set[tuple[int, int | None, str]]:
    return {(tag.start_ms, tag.end_ms, tag.code_id) for tag in tags}


def pending_suggestions(suggestions: Iterable[Suggestion] | None, tags: Iterable[Tag]) -> list[Suggestion]:
    """Suggestions not yet made into a tag (dismissed ones included)."""
    if not suggestions:
        return []
    from review_tui.analysis.suggestions import suggestion_key

    tagged = _tagged_keys(tags)
    return [item for item in suggestions or () if suggestion_key(item) not in tagged]


def open_suggestions(
    suggestions: Iterable[Suggestion] | None, tags: Iterable[Tag], dismissed: set[tuple[int, int, str]]
) -> list[Suggestion]:
    """Suggestions neither dismissed nor already made into a tag."""
    if not suggestions:
        return []
    from review_tui.analysis.suggestions import suggestion_key

    return [item for item in pending_suggestions(suggestions, tags) if suggestion_key(item) not in dismissed]


def same_code_overlapping(tags: Iterable[Tag], code_id: str, start_ms: int, end_ms: int | None) -> list[Tag]:
    """Tags of ``code_id`` already covering any of [start_ms, end_ms]: accepting a suggestion
    there would file the same moment twice."""
    end = end_ms if end_ms is not None else start_ms
    found = []
    for tag in tags:
        if tag.code_id != code_id:
            continue
        tag_end = tag.end_ms if tag.end_ms is not None else tag.start_ms
        if tag.start_ms <= end and start_ms <= tag_end:
            found.append(tag)
    return found


def rupture_in_question(tags: Sequence[Tag], selected: Tag | None, position_ms: int, codebook: Codebook) -> Tag | None:
    """The rupture L links to: the selected tag when it is one, else the latest rupture before
    it (or before the playhead), since the tag just made is usually the repair."""
    from review_tui.analysis.episodes import is_rupture

    if selected is not None and is_rupture(selected, codebook):
        return selected
    before = selected.start_ms if selected is not None else position_ms
    ruptures = [tag for tag in tags if is_rupture(tag, codebook) and tag.start_ms <= before]
    return ruptures[-1] if ruptures else None


def episode_summary(episode: Episode, codebook: Codebook, stars) -> str:
    """"1 response, 2 repairs · rupture → first repair 36 s · resolution ★★★★☆"; ``stars``
    draws a rating (the UI's own glyphs)."""
    from review_tui.analysis.episodes import resolution

    parts = [f"{plural(len(episode.responses), 'response')}, {plural(len(episode.repairs), 'repair')}"]
    if episode.repair_ms is None:
        parts.append("unrepaired")
    else:
        parts.append(f"rupture → first repair {whole_seconds(episode.repair_ms)}")
    rated = resolution(episode, codebook)
    if rated is not None:
        parts.append(f"resolution {stars(rated)}")
    return " · ".join(parts)


def quoted_line(transcript: Transcript | None, at_ms: int) -> tuple[Cue, str] | None:
    """The line a moment quotes and how it relates to it: "spoken" when the moment falls
    inside it, "before" when it falls in a pause between two lines (the one before the pause
    is quoted). None before the first line, after the last, and without a transcript."""
    if transcript is None or not transcript.cues:
        return None
    index = transcript.index_at(at_ms)
    if index is None:
        return None
    cue = transcript.cues[index]
    if at_ms < cue.end_ms:
        return cue, "spoken"
    return (cue, "before") if index + 1 < len(transcript.cues) else None


def _pattern(query: str, whole_words: bool):
    import re

    words = r"\s+".join(re.escape(word) for word in query.split())
    return re.compile(rf"(?<!\w){words}(?!\w)" if whole_words else words, re.IGNORECASE)


def match_spans(text: str, query: str, *, whole_words: bool = True) -> list[tuple[int, int]]:
    """Where ``query`` occurs in ``text`` (start, end), case-insensitively; with
    ``whole_words`` "his voice" does not match inside "this voice"."""
    if not query.strip():
        return []
    return [match.span() for match in _pattern(query, whole_words).finditer(text)]


def search_hits(transcript: Transcript | None, query: str, *, whole_words: bool = True) -> list[int]:
    """The indexes of the cues holding ``query``, in time order (the transcript's own search:
    whole words unless asked otherwise, markup ignored)."""
    if transcript is None or not query.strip():
        return []
    return [cue.index for cue in transcript.search(query, whole_words=whole_words)]
