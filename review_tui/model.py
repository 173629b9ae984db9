"""Plain data shared by every layer: no I/O, no Textual.

Times are integer milliseconds everywhere in the core (``start_ms``, ``end_ms``);
floats appear only at the ffmpeg boundary.
"""

from __future__ import annotations

import bisect
import itertools
from array import array
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from review_tui.text import clean, one_line


class ReviewTuiError(Exception):
    """An error the user can act on; its message is one line naming the file and the problem."""


class MediaError(ReviewTuiError):
    """A recording cannot be read (missing, empty, not media, ffmpeg absent)."""


class TranscriptError(ReviewTuiError):
    """A transcript cannot be read at all."""


class CodebookError(ReviewTuiError):
    """A codebook file is invalid."""


class StoreError(ReviewTuiError):
    """A review file cannot be opened or written."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A warning about an input that was still loaded: where, and what is wrong."""

    source: str  # file name (or other label) the problem is in
    message: str
    line: int | None = None  # 1-based line in the source, when known

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


# --- media -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VideoStream:
    """The video stream a recording is played from, as the probe found it."""

    codec: str
    width: int  # coded size, before rotation and sample aspect ratio
    height: int
    fps: float
    rotation: int = 0  # clockwise degrees to turn the picture for display: 0, 90, 180, 270
    sample_aspect: Fraction = Fraction(1, 1)

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as the picture should be shown (SAR applied, then rotation)."""
        width = round(self.width * self.sample_aspect) if self.sample_aspect else self.width
        height = self.height
        if self.rotation % 180 == 90:
            width, height = height, width
        return width, height

    @property
    def aspect(self) -> float:
        width, height = self.display_size
        return width / height if height else 1.0


@dataclass(frozen=True, slots=True)
class AudioStream:
    """The sound stream a recording is played from, as the probe found it."""

    codec: str
    sample_rate: int
    channels: int


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What the probe learned of a recording: its streams, its playable length, what looked wrong."""

    path: Path
    container: str  # ffmpeg's demuxer name(s), e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    duration_ms: int
    video: VideoStream | None
    audio: AudioStream | None
    warnings: tuple[Problem, ...] = ()

    @property
    def audio_only(self) -> bool:
        return self.video is None and self.audio is not None


# --- transcript --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Speaker:
    """One voice of a transcript."""

    id: str  # normalised within one transcript: "therapist", "patient", or a slug of a name
    label: str  # as shown: "Therapist", "Patient", "Dr Rivera"
    role: str | None = None  # "therapist" | "patient" | None when unknown

    def __post_init__(self) -> None:
        # Names come from transcription services' files: no control byte may reach a screen.
        object.__setattr__(self, "label", one_line(self.label))


@dataclass(frozen=True, slots=True)
class Cue:
    """One timed stretch of a transcript's words, as the file gives it."""

    index: int  # 0-based position in the transcript, in time order
    start_ms: int
    end_ms: int
    text: str  # speaker prefix removed; lines joined with "\n"
    speaker: str | None = None  # Speaker.id
    line: int | None = None  # 1-based line in the source file where the cue starts
    # False for a cue whose file gives no readable start: kept for its text, placed after the
    # cue it follows with no duration, and never counted as talk.
    timed: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean(self.text))


@dataclass(slots=True)
class Transcript:
    """A session's transcript: its cues in time order, its speakers, and how the file was read."""

    source: Path | None
    format: str  # "srt" | "vtt" | "text" (a service's timestamped plain text)
    encoding: str
    # A list of Cue, or (from the loader) a read-only CueList that stores them compactly and
    # is already in time order: both index, slice and iterate alike.
    cues: list[Cue]
    speakers: dict[str, Speaker] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)
    _search_index: object = field(default=None, repr=False, compare=False)
    _latest_ends: tuple[object, array] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = getattr(self.cues, "start_times", None)
        if starts is not None:
            self._starts = starts
            return
        self.cues.sort(key=lambda cue: (cue.start_ms, cue.end_ms))
        self._starts = [cue.start_ms for cue in self.cues]

    @property
    def span_ms(self) -> tuple[int, int]:
        if not self.cues:
            return (0, 0)
        last_end = getattr(self.cues, "max_end_ms", None)
        if last_end is None:
            last_end = max(cue.end_ms for cue in self.cues)
        return self.cues[0].start_ms, last_end

    def index_at(self, ms: int) -> int | None:
        """Index of the last cue starting at or before ``ms`` (bisect, O(log n)), or None."""
        position = bisect.bisect_right(self._starts, ms) - 1
        return position if position >= 0 else None

    def cue_at(self, ms: int) -> Cue | None:
        """The cue being spoken at ``ms``, or None in a gap."""
        position = self.index_at(ms)
        if position is None:
            return None
        cue = self.cues[position]
        return cue if ms < cue.end_ms else None

    def cues_between(self, start_ms: int, end_ms: int) -> list[Cue]:
        """Cues that overlap [start_ms, end_ms]; a point (start == end) gives the cue under it."""
        if end_ms <= start_ms:
            cue = self.cue_at(start_ms)
            return [cue] if cue else []
        last = bisect.bisect_left(self._starts, end_ms)
        # Every cue before ``first`` ended by start_ms: only the cues from there are made.
        first = bisect.bisect_right(self._ends_so_far(), start_ms)
        return [cue for cue in self.cues[first:last] if cue.end_ms > start_ms]

    def _ends_so_far(self) -> array:
        """The latest end among the cues up to each one (never decreasing, so bisect works)."""
        if self._latest_ends is None or self._latest_ends[0] is not self.cues:
            ends = getattr(self.cues, "end_times", None)
            if ends is None:
                ends = [cue.end_ms for cue in self.cues]
            self._latest_ends = (self.cues, array("q", itertools.accumulate(ends, max)))
        return self._latest_ends[1]

    def search(self, text: str, *, whole_words: bool = True) -> list[Cue]:
        """Cues whose words contain ``text``, case-insensitively, in time order.

        Whole words by default ("his voice" does not find "this voice"); ``whole_words=False``
        matches anywhere, inside words too. Markup in a cue (``<b>``) does not hide a match.
        (transcript.search_cues also matches speaker labels and filters by speaker.)"""
        from review_tui.transcript.search import SearchIndex

        if self._search_index is None or self._search_index.cues is not self.cues:
            self._search_index = SearchIndex(self.cues)
        found = self._search_index.find(text, whole_words=whole_words)
        pick = getattr(self.cues, "pick", None)  # a CueList makes the hits in one pass
        return pick(found) if pick is not None else [self.cues[i] for i in found]

    def talk_time_ms(self) -> dict[str | None, int]:
        totals: dict[str | None, int] = {}
        for cue in self.cues:
            if cue.timed:
                totals[cue.speaker] = totals.get(cue.speaker, 0) + max(0, cue.end_ms - cue.start_ms)
        return totals


# --- codebook ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Code:
    """One code of a codebook: a kind of moment a reviewer tags."""

    id: str  # stable, e.g. "confrontation.criticises_therapist"
    group: str  # CodeGroup.id
    label: str
    meaning: str
    digit: str  # "1".."9", "0": pressed after the group key


@dataclass(frozen=True, slots=True)
class CodeGroup:
    """Codes that belong together (ruptures of one kind, interventions...), chosen by one key."""

    id: str  # e.g. "confrontation"
    key: str  # the group key: w c r p d a f u t s
    label: str
    codes: tuple[Code, ...]
    ranges: bool = False  # codes of this group are normally ranges (session phases)
    rating: str | None = None  # what a 1-5 rating means here, e.g. "significance"
    role: str | None = None  # codebook.loader.GROUP_ROLES: what episodes and agreement read it as


@dataclass(frozen=True, slots=True)
class Codebook:
    """The codes a review tags with, in their groups."""

    id: str
    version: str
    label: str
    groups: tuple[CodeGroup, ...]

    def code(self, code_id: str) -> Code | None:
        for group in self.groups:
            for code in group.codes:
                if code.id == code_id:
                    return code
        return None

    def group(self, group_id: str) -> CodeGroup | None:
        return next((group for group in self.groups if group.id == group_id), None)

    def group_for_key(self, key: str) -> CodeGroup | None:
        return next((group for group in self.groups if group.key == key), None)

    def by_hotkey(self, group_key: str, digit: str) -> Code | None:
        group = self.group_for_key(group_key)
        if group is None:
            return None
        return next((code for code in group.codes if code.digit == digit), None)

    @property
    def codes(self) -> list[Code]:
        return [code for group in self.groups for code in group.codes]


# --- review ------------------------------------------------------------------

ROLES = ("supervisor", "therapist", "rater")


@dataclass(frozen=True, slots=True)
class Reviewer:
    """Someone who tags in a review file, with the role they review in."""

    id: int
    name: str
    role: str  # one of ROLES

    def __post_init__(self) -> None:
        # Read from review files that colleagues send: clean before anything shows them.
        object.__setattr__(self, "name", one_line(self.name))
        object.__setattr__(self, "role", one_line(self.role))


@dataclass(frozen=True, slots=True)
class Tag:
    """A moment (or span) of the session tagged with a code, as stored in the review file."""

    id: int
    start_ms: int
    end_ms: int | None  # None for a point tag
    code_id: str
    rating: int | None  # 1..5
    note: str
    author_id: int  # Reviewer.id
    created_at: str  # ISO 8601 UTC
    updated_at: str

    def __post_init__(self) -> None:
        # A colleague's review file may hold anything in a note: clean on the way in.
        object.__setattr__(self, "note", clean(self.note))
        object.__setattr__(self, "code_id", one_line(self.code_id))

    @property
    def is_range(self) -> bool:
        return self.end_ms is not None and self.end_ms > self.start_ms


@dataclass(frozen=True, slots=True)
class Episode:
    """A rupture and the responses and repairs linked to it."""

    rupture: Tag
    responses: tuple[Tag, ...] = ()  # therapist interventions after the rupture
    repairs: tuple[Tag, ...] = ()  # repair-strategy tags

    @property
    def repair_ms(self) -> int | None:
        """Time from the rupture to the first repair, or None while unrepaired."""
        if not self.repairs:
            return None
        return min(tag.start_ms for tag in self.repairs) - self.rupture.start_ms


def format_ms(ms: int, *, millis: bool = True) -> str:
    """``H:MM:SS.mmm`` (hours only when needed) or ``MM:SS`` without millis."""
    sign = "-" if ms < 0 else ""
    ms = abs(int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis_part = divmod(rest, 1000)
    head = f"{hours}:{minutes:02d}" if hours else f"{minutes:02d}"
    text = f"{sign}{head}:{seconds:02d}"
    return f"{text}.{millis_part:03d}" if millis else text


def parse_time(text: str) -> int:
    """Parse ``1:02:03.5``, ``62:03``, ``3723``, ``90s`` or ``1m30`` into milliseconds.

    Raises ValueError with a readable message on anything else.
    """
    raw = text.strip().lower().replace(",", ".")
    if not raw:
        raise ValueError("empty time")
    try:
        if raw.endswith("s") and ":" not in raw and "m" not in raw:
            return round(float(raw[:-1]) * 1000)
        if "m" in raw and ":" not in raw:
            minutes, _, seconds = raw.partition("m")
            seconds = seconds.rstrip("s") or "0"
            return round((int(minutes) * 60 + float(seconds)) * 1000)
        parts = raw.split(":")
        if len(parts) > 3:
            raise ValueError
        total = 0.0
        for part in parts[:-1]:
            total = total * 60 + int(part)
        total = total * 60 + float(parts[-1]) if len(parts) > 1 else float(parts[-1])
        if total < 0:
            raise ValueError
        return round(total * 1000)
    except ValueError:
        raise ValueError(f"not a time: {text!r} (try 12:34, 1:02:03.5 or 90s)") from None
