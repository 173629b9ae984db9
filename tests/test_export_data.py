"""Data exports (CSV, JSON, SRT, WebVTT) of a real review: content, escaping, schema, files."""

from __future__ import annotations

import csv
import datetime
import io
import json
import stat

import jsonschema
import pysrt
import pytest
import webvtt

from review_tui.report.csv_export import safe_cell
from review_tui.report.formats import ExportError, ExportOptions, export_review, format_for
from review_tui.report.json_export import SCHEMA_VERSION, schema
from review_tui.report.selection import TagFilterError
from review_tui.report.written import written_entries
from review_tui.text import clean
from tests.review_factory import make_review

DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def reviewed(tmp_path):
    store, session = make_review(tmp_path)
    yield store, session, tmp_path
    store.close()


def export(reviewed, fmt, name, **options):
    store, session, folder = reviewed
    [path] = export_review(store, session, ExportOptions(fmt, folder / name, **options), date=DAY)
    return path


# --- formats and file names --------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [("r.md", "md"), ("r.HTML", "html"), ("r.csv", "csv"), ("r.json", "json"), ("r.eaf", "eaf"),
     ("r.srt", "srt"), ("r.vtt", "vtt"), ("clips-folder", "clips")],
)
def test_the_extension_picks_the_format(tmp_path, name, expected):
    assert format_for(None, tmp_path / name).name == expected


@pytest.mark.parametrize("name", ["out.pdf", "out.html.txt", "out.docx"])
def test_an_unknown_extension_is_an_error_not_another_format(tmp_path, name):
    with pytest.raises(ExportError, match="unknown extension") as caught:
        format_for(None, tmp_path / name)
    assert "\n" not in str(caught.value)


def test_a_format_and_a_contradicting_extension_are_refused(reviewed):
    store, session, folder = reviewed
    with pytest.raises(ExportError, match=r"csv export is named \*\.csv, not \*\.json"):
        export_review(store, session, ExportOptions("csv", folder / "tags.json"))
    assert not (folder / "tags.json").exists()


def test_the_default_file_sits_beside_the_session(reviewed):
    store, session, folder = reviewed
    [path] = export_review(store, session, ExportOptions("csv"), date=DAY)
    assert path == folder / "daniel-brooks-03.review.csv"


@pytest.mark.parametrize("fmt, name", [("csv", "t.csv"), ("json", "t.json"), ("srt", "t.srt"), ("vtt", "t.vtt")])
def test_exports_are_private_and_recorded_in_the_review(reviewed, fmt, name):
    path = export(reviewed, fmt, name)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert {"path": str(path), "format": fmt} in written_entries(reviewed[0])
    assert not list(path.parent.glob(f".{name}.*.tmp"))  # the temporary file was renamed


# --- CSV --------------------------------------------------------------------------------


def csv_rows(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    assert b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_tag_with_the_documented_columns(reviewed):
    rows = csv_rows(export(reviewed, "csv", "t.csv"))
    assert list(rows[0]) == [
        "session", "start_s", "end_s", "start", "end", "code_id", "group", "label", "rating",
        "author", "role", "note", "quote", "episode",
    ]
    assert len(rows) == len(reviewed[0].tags())
    debate = next(row for row in rows if row["code_id"] == "intervention.moves_against")
    assert (debate["start_s"], debate["end_s"], debate["start"], debate["end"]) == (
        "9.500", "15.500", "0:00:09.500", "0:00:15.500"
    )
    assert debate["label"] == "Therapist moves against" and debate["group"] == "Therapist intervention"
    assert (debate["author"], debate["role"]) == ("Dr Okafor", "supervisor")
    assert debate["note"] == "Defends the method\nagainst Daniel"
    assert debate["quote"].splitlines()[1] == "Dr Rivera: It isn't formulaic."
    # the rupture, its response and its repair share the episode number; others have none
    episodes = {row["code_id"]: row["episode"] for row in rows}
    assert episodes["confrontation.criticises_therapist"] == "1"
    assert episodes["intervention.moves_against"] == episodes["repair.acknowledges_own_part"] == "1"
    assert episodes["supervision.practice_clip"] == ""


def test_csv_cells_cannot_run_as_spreadsheet_formulas(reviewed):
    rows = csv_rows(export(reviewed, "csv", "t.csv"))
    rupture = next(row for row in rows if row["code_id"] == "confrontation.criticises_therapist")
    question = next(row for row in rows if row["code_id"] == "supervision.discussion_question")
    assert rupture["note"].startswith("'=cmd|")
    assert question["note"].startswith("'@SUM(1)")
    assert [safe_cell(text) for text in ("+1 agreed", "-2", "\t=1", "@x", "a=b")] == [
        "'+1 agreed", "'-2", "'\t=1", "'@x", "a=b"
    ]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
            assert "\x1b" not in value and "\u202e" not in value


# --- JSON -------------------------------------------------------------------------------


def test_json_is_the_whole_review_and_matches_its_schema(reviewed):
    store = reviewed[0]
    data = json.loads(export(reviewed, "json", "t.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(data, schema())
    assert data["schema_version"] == SCHEMA_VERSION
    assert [(r["name"], r["role"]) for r in data["reviewers"]] == [("Dr Okafor", "supervisor"), ("Sam Lee", "therapist")]
    assert data["codebook"]["id"] == store.codebook.id and len(data["codebook"]["groups"]) == len(store.codebook.groups)
    by_id = {tag["id"]: tag for tag in data["tags"]}
    for tag in store.tags():
        exported = by_id[tag.id]
        assert (exported["start_ms"], exported["end_ms"], exported["code_id"], exported["rating"]) == (
            tag.start_ms, tag.end_ms, tag.code_id, tag.rating
        )
        assert exported["note"] == clean(tag.note)
    assert {(link["rupture_id"], link["tag_id"], link["kind"]) for link in data["links"]} == {
        (link.rupture_id, link.tag_id, link.kind) for link in store.links()
    }
    assert data["dismissed_suggestions"] == [{"start_ms": 1000, "end_ms": 4000, "code_id": "withdrawal.abstract_talk"}]
    assert data["session"]["learning_goal"] == "Meeting Daniel's sarcasm without a debate"


def test_the_schema_rejects_what_the_export_never_writes(reviewed):
    data = json.loads(export(reviewed, "json", "t.json").read_text(encoding="utf-8"))
    data["tags"][0]["rating"] = 9
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def test_a_tag_filter_selects_tags_and_the_links_between_them(reviewed):
    data = json.loads(export(reviewed, "json", "t.json", tags="group:confrontation,code:repair.acknowledges_own_part").read_text())
    assert sorted(tag["code_id"] for tag in data["tags"]) == [
        "confrontation.criticises_therapist", "confrontation.rejects_intervention", "repair.acknowledges_own_part",
    ]
    assert [link["kind"] for link in data["links"]] == ["repair"]  # the response's tag is not selected
    mine = json.loads(export(reviewed, "json", "m.json", tags="reviewer:sam lee").read_text())
    assert [tag["code_id"] for tag in mine["tags"]] == ["supervision.discussion_question"]
    clips = json.loads(export(reviewed, "json", "c.json", tags="clips").read_text())
    assert [tag["code_id"] for tag in clips["tags"]] == ["supervision.practice_clip"]


@pytest.mark.parametrize(
    "text, message",
    [("group:nope", "no such group"), ("reviewer:Nobody", "not a reviewer"), ("code:x.y", "no such code"),
     ("colour:red", "use all, clips"), ("role:boss", "use one of")],
)
def test_a_tag_filter_naming_nothing_is_an_error(reviewed, text, message):
    store, session, folder = reviewed
    with pytest.raises(TagFilterError, match=message):
        export_review(store, session, ExportOptions("csv", folder / "t.csv", tags=text))
    assert not (folder / "t.csv").exists()


# --- subtitles ---------------------------------------------------------------------------


def test_srt_shows_each_tag_over_its_moment(reviewed):
    path = export(reviewed, "srt", "t.srt")
    subs = pysrt.open(str(path), encoding="utf-8")
    assert len(subs) == len(reviewed[0].tags())
    first = subs[0]
    assert first.start.ordinal == 8000 and first.end.ordinal == 11000  # a point tag shows 3 s
    assert first.text.splitlines()[0] == "Criticises therapist (significance 4/5) — Dr Okafor (supervisor)"
    ranged = next(sub for sub in subs if sub.text.startswith("Therapist moves against"))
    assert (ranged.start.ordinal, ranged.end.ordinal) == (9500, 15500)
    text = path.read_text(encoding="utf-8")
    for markup in ("<script>", "{\\an8}", "\x1b", "\u202e"):
        assert markup not in text
    assert text.count("-->") == len(subs)  # only the timing lines carry an arrow


def test_webvtt_escapes_markup_and_parses_back(reviewed):
    path = export(reviewed, "vtt", "t.vtt")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in text and "<script>" not in text
    assert text.count("-->") == len(reviewed[0].tags())
    captions = webvtt.read(str(path))
    assert len(captions) == len(reviewed[0].tags())
    assert captions[0].start == "00:00:08.000"
    assert "Dr Okafor (supervisor)" in captions[0].text
    assert all("\n\n" not in caption.text for caption in captions)
