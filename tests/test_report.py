"""The review report: built from a real review file and transcript, rendered, written safely."""

from __future__ import annotations

import datetime
import html
import json
import re
import stat
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from review_tui.analysis.suggestions import dismissed_from_state, dismissed_to_state, suggest_moments
from review_tui.codebook import load_codebook
from review_tui.model import StoreError, format_ms, parse_time
from review_tui.report import (
    FOOTER,
    REPORT_MODE,
    ReportError,
    build_report,
    export_markdown,
    render_markdown,
    write_report,
)
from review_tui.report.markdown import duration
from review_tui.session import load_session
from review_tui.store import ReviewStore

DEMO = Path(__file__).resolve().parent.parent / "examples" / "formulaic"
DAY = datetime.date(2025, 3, 1)
HOSTILE_NOTE = "Sarcasm <script>alert(1)</script> [x](http://evil) a | b *bold* # head"
TRANSCRIPT = """\
1
00:00:01,000 --> 00:00:04,000
Th: How do you experience this anger, inside your body?

2
00:00:07,000 --> 00:00:10,000
Pt: [laughs] That sounds a bit formulaic, doesn't it?
Like *something* out of a textbook.

3
00:00:10,500 --> 00:00:14,000
Th: It isn't formulaic. It's a well_studied part of this therapy.

4
00:00:15,000 --> 00:00:18,000
Pt: I'm not here for a lecture | or a [link](http://evil.example).

5
00:00:20,000 --> 00:00:24,000
Th: That's fair. Could we look at what just happened between us?

6
00:01:30,000 --> 00:01:34,000
Pt: It's his voice, isn't it? # My dad's.
"""


@pytest.fixture
def reviewed(tmp_path):
    """A session transcript and its review file, tagged the way a supervisor would."""
    srt = tmp_path / "daniel-03.srt"
    srt.write_text(TRANSCRIPT, encoding="utf-8")
    session = load_session(srt)
    store = ReviewStore.open(
        tmp_path / "daniel-03.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    )
    supervisor = store.reviewer("Dr Okafor", "supervisor")
    therapist = store.reviewer("Sam Lee", "therapist")

    def add(code_id, start_ms, end_ms=None, rating=None, note="", author=supervisor):
        return store.add_tag(
            start_ms=start_ms, end_ms=end_ms, code_id=code_id, rating=rating, note=note, author=author
        )

    rupture = add("confrontation.criticises_therapist", 8_000, rating=4, note=HOSTILE_NOTE)
    debate = add("intervention.moves_against", 9_500, 15_500, note="Defends the method")
    repair = add("repair.acknowledges_own_part", 20_000, rating=4, note="Owns the debate")
    insight = add("alliance.links_people", 90_000, 94_000)
    add("withdrawal.minimal_response", 60_000, rating=2)  # in a silence between two lines
    add("supervision.strength", 20_000, note="Steps out of the debate")
    add("supervision.alternative_line", 10_500, note="Try: 'Something just happened between us.'")
    add("supervision.discussion_question", 8_000, note="How to meet sarcasm?", author=therapist)
    store.link(rupture.id, debate.id, "response")
    store.link(rupture.id, repair.id, "repair")
    store.link(rupture.id, insight.id, "repair")
    store.set_state("focus", "Meeting sarcasm without a debate")
    yield store, session
    store.close()


@pytest.fixture
def markdown(reviewed):
    store, session = reviewed
    return render_markdown(build_report(store, session, date=DAY))


def rendered_text(markdown_text: str) -> str:
    """What a reader sees: the HTML a GitHub-like renderer makes, without tags."""
    page = MarkdownIt("gfm-like").render(markdown_text)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def section(markdown_text: str, title: str) -> str:
    start = markdown_text.index(f"\n## {title}\n")
    end = markdown_text.find("\n## ", start + 1)
    return markdown_text[start : end if end != -1 else None]


def test_header_names_the_session_people_and_codebook(markdown, reviewed):
    header = markdown.split("\n## ")[0]
    talk = reviewed[1].transcript.talk_time_ms()
    therapist_share = talk["therapist"] / (talk["therapist"] + talk["patient"])
    assert f"- **Talk time:** Therapist {therapist_share:.0%}, Patient {1 - therapist_share:.0%}" in header
    assert header.startswith("# Session review: daniel-03\n")
    assert "- **Date:** 2025-03-01" in header
    assert "- **Duration:** 01:34" in header
    assert "- **Therapist:** Sam Lee" in header
    assert "- **Supervisor:** Dr Okafor" in header
    assert "(default, version 1)" in header


def test_key_moments_quote_the_transcript_exactly_with_speakers(markdown):
    moments = section(markdown, "Key moments")
    assert "### 00:08.000 Criticises therapist (Confrontation rupture)" in moments
    point = moments.split("### 00:08.000 Criticises therapist")[1].split("\n### ")[0]
    assert "> **Patient** (00:07.000): \\[laughs\\] That sounds a bit formulaic" in point
    assert point.count("> **") == 1  # a point tag quotes the one cue under it
    shown = rendered_text(point)
    assert "[laughs] That sounds a bit formulaic, doesn't it? Like *something* out of a textbook." in shown
    # A range tag quotes every cue it overlaps, each with its speaker.
    ranged = moments.split("### 00:09.500–00:15.500 Therapist moves against")[1].split("\n### ")[0]
    speakers = re.findall(r"^> \*\*(\w+)\*\* \((\d\d:\d\d\.\d{3})\)", ranged, re.MULTILINE)
    assert speakers == [("Patient", "00:07.000"), ("Therapist", "00:10.500"), ("Patient", "00:15.000")]
    assert "I'm not here for a lecture | or a [link](http://evil.example)." in rendered_text(ranged)
    # In a pause between two lines: the line before the pause, and the report says so.
    silent = moments.split("### 01:00.000 Minimal response")[1].split("\n### ")[0]
    assert "No line is spoken at this moment (a pause); the line before it:" in silent
    assert silent.count("> **") == 1 and "> **Therapist** (00:20.000): That's fair." in silent


def test_episodes_show_response_repair_resolution_and_time_to_repair(markdown):
    episodes = section(markdown, "Rupture–repair episodes")
    first, second = episodes.split("### Episode ")[1:]
    assert first.startswith("1: 00:08.000 Criticises therapist (Confrontation rupture)")
    assert "- **Therapist response:** 00:09.500–00:15.500 Therapist moves against: Defends the method" in first
    assert "- **Repair:** 00:20.000 Acknowledges own part, degree of resolution 4/5: Owns the debate" in first
    assert "- **Repair:** 01:30.000–01:34.000 Links therapist, current and past people" in first
    assert "- **Degree of resolution:** 4/5" in first
    assert "- **Time to repair:** 12.0 s" in first
    assert second.startswith("2: 01:00.000 Minimal response (Withdrawal rupture)")
    assert "- **Time to repair:** not repaired in this review" in second


def test_timeline_has_a_strip_and_a_count_per_group(markdown):
    timeline = section(markdown, "Timeline")
    rows = {
        line.split("  ")[0]: line.split()[-2:]
        for line in timeline.splitlines()
        if re.search(r"[.|=#]{60}\s+\d+$", line)
    }
    assert len(rows) == len(load_codebook().groups)
    assert rows["Supervision note"][1] == "3"
    assert rows["Confrontation rupture"][1] == "1"
    assert rows["Feeling"] == ["." * 60, "0"]
    strip = rows["Confrontation rupture"][0]
    assert strip.index("|") == 8_000 * 60 // 94_000 and strip.count("|") == 1


def test_focus_strengths_growth_and_appendix(markdown):
    focus = section(markdown, "Focus")
    assert "**Learning goal:** Meeting sarcasm without a debate" in focus
    assert "How to meet sarcasm? (Sam Lee (therapist))" in focus
    growth = section(markdown, "Strengths and growth areas")
    assert "- 00:20.000 Strength: Steps out of the debate" in growth
    assert "- 00:10.500 Alternative line: Try: 'Something just happened between us.'" in growth
    appendix = section(markdown, "Appendix")
    assert appendix.count("\n| 0") == 8  # one tag-log row per tag
    assert "| `confrontation.criticises_therapist` | Criticises therapist | Confrontation rupture |" in appendix
    assert markdown.rstrip().endswith(f"*{FOOTER}*")
    assert "## Suggested moments" not in markdown


def test_suggested_moments_are_included_only_on_request_and_marked(reviewed):
    store, session = reviewed
    text = render_markdown(build_report(store, session, date=DAY, include_suggestions=True))
    suggested = section(text, "Suggested moments")
    assert "no reviewer has confirmed them" in suggested
    items = [line for line in suggested.splitlines() if line.startswith("- ")]
    assert items and all(line.startswith("- **Suggestion:** ") for line in items)
    assert any("00:15.000" in line and "Rejects an intervention" in line for line in items)
    # The supervisor already tagged the criticism at 00:08, inside the suggested 00:07-00:10.
    assert not any("Criticises therapist" in line for line in items)


# A minute later the patient answers an invitation to feel after 4 s, with "I don't know".
SILENCE_CUES = """
7
00:02:00,000 --> 00:02:04,000
Th: What do you feel toward me right now?

8
00:02:08,000 --> 00:02:09,000
Pt: I don't know.
"""


@pytest.fixture
def suggestive(tmp_path):
    """A fresh review of a transcript with three suggested moments and not a tag yet."""
    srt = tmp_path / "maya-01.srt"
    srt.write_text(TRANSCRIPT + SILENCE_CUES, encoding="utf-8")
    session = load_session(srt)
    store = ReviewStore.open(
        tmp_path / "maya-01.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    )
    yield store, session, store.reviewer("Dr Okafor", "supervisor")
    store.close()


def suggested_codes(store, session) -> list[str]:
    report = build_report(store, session, date=DAY, include_suggestions=True)
    return [entry.suggestion.code_id for entry in report.suggestions]


def suggested_section(store, session) -> str:
    return section(render_markdown(build_report(store, session, date=DAY, include_suggestions=True)), "Suggested moments")


def test_dismissed_and_accepted_suggestions_are_left_out_of_the_report(suggestive):
    store, session, supervisor = suggestive
    criticism, rejection, silence = suggest_moments(session.transcript, codebook=store.codebook)
    assert suggested_codes(store, session) == [criticism.code_id, rejection.code_id, silence.code_id]
    # Dismissed, in the form the app writes; a dismissal of another code at the same span
    # must not hide the silence.
    dismissed = [[rejection.start_ms, rejection.end_ms, rejection.code_id]]
    dismissed.append([silence.start_ms, silence.end_ms, rejection.code_id])
    store.set_state("suggestions.dismissed", json.dumps(dismissed))
    # Accepted, the way the app does it: a tag of the code over the suggested span.
    store.add_tag(start_ms=criticism.start_ms, end_ms=criticism.end_ms, code_id=criticism.code_id, author=supervisor)
    # Tags of the silence's code elsewhere, or of another code on it, do not accept it.
    store.add_tag(start_ms=60_000, end_ms=None, code_id=silence.code_id, author=supervisor)
    store.add_tag(start_ms=silence.start_ms, end_ms=None, code_id="feeling.anger", author=supervisor)
    assert suggested_codes(store, session) == [silence.code_id]
    suggested = suggested_section(store, session)
    items = [line for line in suggested.splitlines() if line.startswith("- ")]
    assert len(items) == 1 and items[0].startswith(f"- **Suggestion:** {format_ms(silence.start_ms)}–")
    assert "Minimal response" in items[0] and "no reviewer has confirmed them" in suggested
    # Once the silence is tagged by hand inside its span, nothing is left open.
    store.add_tag(start_ms=silence.end_ms, end_ms=None, code_id=silence.code_id, author=supervisor)
    suggested = suggested_section(store, session)
    assert "- **Suggestion:**" not in suggested and "No suggestion is open" in suggested


@pytest.mark.parametrize("saved", ["not json", '{"start": 1}', "[[1, 2]]", '[["a", 2, "c"]]'])
def test_an_unreadable_dismissed_list_only_shows_every_suggestion_again(suggestive, saved):
    store, session, _ = suggestive
    store.set_state("suggestions.dismissed", saved)
    assert len(suggested_codes(store, session)) == 3
    assert dismissed_from_state(saved) == set()


def test_the_dismissed_list_reads_back_what_is_written():
    keys = {(15_000, 18_000, "confrontation.rejects_intervention"), (7_000, 10_000, "withdrawal.minimal_response")}
    assert dismissed_from_state(dismissed_to_state(keys)) == keys
    assert dismissed_from_state('[[15000, 18000, "a.b"]]') == {(15_000, 18_000, "a.b")}
    assert dismissed_from_state(None) == set()


def test_rendering_is_deterministic_given_the_date(reviewed):
    store, session = reviewed
    once = render_markdown(build_report(store, session, date=DAY))
    again = render_markdown(build_report(store, session, date=DAY))
    later = render_markdown(build_report(store, session, date=datetime.date(2025, 4, 2)))
    assert once == again
    assert [a for a, b in zip(once.splitlines(), later.splitlines()) if a != b] == ["- **Date:** 2025-03-01"]


def test_notes_and_transcript_text_render_inert(markdown):
    renderer = MarkdownIt("gfm-like")
    # The renderer used here does make links and HTML of raw text, so the checks can fail.
    assert "<a href" in renderer.render("see http://evil.example") and "<script>" in renderer.render(
        "<script>x</script>"
    )
    page = renderer.render(markdown)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<a " not in page and "href" not in page
    assert "<em>bold</em>" not in page and "<h1>head" not in page
    assert HOSTILE_NOTE in html.unescape(re.sub(r"<[^>]+>", "", page))
    log_row = next(row for row in re.findall(r"<tr>.*?</tr>", page, re.DOTALL) if "Sarcasm" in row)
    assert log_row.count("<td") == 7  # the "|" in the note stayed inside its cell


def test_write_report_is_atomic_and_private(tmp_path):
    target = tmp_path / "review.md"
    target.write_text("old report\n", encoding="utf-8")
    target.chmod(0o644)
    write_report("# new report\n", target)
    assert target.read_text(encoding="utf-8") == "# new report\n"
    assert stat.S_IMODE(target.stat().st_mode) == REPORT_MODE
    assert sorted(path.name for path in tmp_path.iterdir()) == ["review.md"]


def test_a_failed_write_leaves_the_old_report_and_no_temporary_file(tmp_path):
    target = tmp_path / "review.md"
    target.write_text("old report\n", encoding="utf-8")
    with pytest.raises(ReportError, match="review.md"):
        write_report("a lone surrogate \udc80 cannot be UTF-8", target)
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["review.md"]
    with pytest.raises(ReportError, match="is a folder"):
        write_report("text", tmp_path)
    with pytest.raises(ReportError, match="cannot write") as error:
        write_report("text", tmp_path / "missing" / "review.md")
    assert "\n" not in str(error.value)


def test_export_writes_the_rendered_report_and_keeps_the_old_one_when_building_fails(reviewed, tmp_path):
    store, session = reviewed
    target = tmp_path / "out" / "daniel-03.report.md"
    target.parent.mkdir()
    export_markdown(store, session, target, date=DAY)
    assert target.read_text(encoding="utf-8") == render_markdown(build_report(store, session, date=DAY))
    assert stat.S_IMODE(target.stat().st_mode) == REPORT_MODE
    before = target.read_bytes()
    store.close()
    with pytest.raises(StoreError, match="daniel-03.review.sqlite"):  # it can no longer be read
        export_markdown(store, session, target, date=DAY)
    assert target.read_bytes() == before
    assert [path.name for path in target.parent.iterdir()] == ["daniel-03.report.md"]


def test_a_session_without_transcript_reports_tags_without_quotes(reviewed, tmp_path):
    store, session = reviewed
    session.transcript = None
    text = render_markdown(build_report(store, session, date=DAY))
    assert "> **" not in text and "No transcript line" not in text
    assert "### 00:08.000 Criticises therapist (Confrontation rupture)" in text
    assert "Talk time" not in text


def test_the_demo_review_reports_its_episode_from_rupture_to_repair(tmp_path):
    if not (DEMO / "formulaic.srt").exists() or not (DEMO / "sample_review.json").exists():
        pytest.skip("the demo session is not built")
    sample = json.loads((DEMO / "sample_review.json").read_text(encoding="utf-8"))
    session = load_session(DEMO / "formulaic.srt")
    with ReviewStore.open(
        tmp_path / "formulaic.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    ) as store:
        store.import_review(sample)
        text = render_markdown(build_report(store, session, date=DAY))
    criticism = next(t for t in sample["tags"] if t["code"] == "confrontation.criticises_therapist")
    index = sample["tags"].index(criticism)
    repairs = [
        parse_time(sample["tags"][link["tag"]]["start"])
        for link in sample["links"]
        if link["rupture"] == index and link["kind"] == "repair"
    ]
    assert repairs, "the sample review no longer links a repair to the criticism"
    start = parse_time(criticism["start"])
    episodes = section(text, "Rupture–repair episodes").split("### Episode ")[1:]
    (mine,) = [part for part in episodes if f": {format_ms(start)}–" in part.splitlines()[0]]
    assert "Criticises therapist (Confrontation rupture)" in mine.splitlines()[0]
    assert f"- **Time to repair:** {duration(min(repairs) - start)}" in mine
    formulaic = next(c for c in session.transcript.cues if "formulaic" in c.text and c.speaker == "patient")
    assert f"> **Patient** ({format_ms(formulaic.start_ms)}): " in mine
