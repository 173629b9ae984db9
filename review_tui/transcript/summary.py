"""A short account of a transcript for `review-tui info`: cues, speakers, talk time, span."""

from __future__ import annotations

from dataclasses import dataclass

from review_tui.model import Transcript

NO_SPEAKER_LABEL = "(no speaker)"


@dataclass(frozen=True, slots=True)
class SpeakerTalk:
    id: str | None  # Speaker.id; None for the cues no speaker was found for
    label: str
    role: str | None
    cue_count: int
    talk_ms: int
    share: float  # of all talk time in the transcript, 0.0 to 1.0


@dataclass(frozen=True, slots=True)
class TranscriptSummary:
    format: str
    encoding: str
    cue_count: int
    speakers: tuple[SpeakerTalk, ...]  # most talk first; cues without a speaker last
    span_ms: tuple[int, int]  # first cue start, last cue end
    warning_count: int

    @property
    def duration_ms(self) -> int:
        return self.span_ms[1] - self.span_ms[0]


def summarise(transcript: Transcript) -> TranscriptSummary:
    talk = transcript.talk_time_ms()
    total_ms = sum(talk.values())
    counts: dict[str | None, int] = {}
    for cue in transcript.cues:
        counts[cue.speaker] = counts.get(cue.speaker, 0) + 1

    def entry(speaker_id: str | None) -> SpeakerTalk:
        speaker = transcript.speakers.get(speaker_id) if speaker_id is not None else None
        return SpeakerTalk(
            id=speaker_id,
            label=speaker.label if speaker else (speaker_id or NO_SPEAKER_LABEL),
            role=speaker.role if speaker else None,
            cue_count=counts.get(speaker_id, 0),
            talk_ms=talk.get(speaker_id, 0),
            share=talk.get(speaker_id, 0) / total_ms if total_ms else 0.0,
        )

    named = sorted(
        (entry(speaker_id) for speaker_id in transcript.speakers),
        key=lambda item: (-item.talk_ms, item.label),
    )
    unnamed = [entry(None)] if None in counts else []
    return TranscriptSummary(
        format=transcript.format,
        encoding=transcript.encoding,
        cue_count=len(transcript.cues),
        speakers=tuple(named + unnamed),
        span_ms=transcript.span_ms,
        warning_count=len(transcript.warnings),
    )
