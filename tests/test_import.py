"""Import of our JSON and of ELAN files: lossless round trips, one undo step, nothing dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pympi import Elan

from review_tui.report.formats import ExportOptions, export_review
from review_tui.report.import_file import plan_file
from review_tui.report.importing import ImportMap, ReviewImportError, apply_plan, load_map
from review_tui.text import clean
from tests.review_factory import empty_review, make_review


def contents(store):
    """Tags and links as a reviewer sees them: times, code, rating, note, author; no ids."""
    people = {reviewer.id: (reviewer.name, reviewer.role) for reviewer in store.reviewers()}
    tags = {
        tag.id: (tag.start_ms, tag.end_ms, tag.code_id, tag.rating, clean(tag.note), people[tag.author_id])
        for tag in store.tags()
    }
    links = sorted((tags[link.rupture_id], tags[link.tag_id], link.kind) for link in store.links())
    return sorted(tags.values(), key=repr), links


@pytest.fixture
def source(tmp_path):
    store, session = make_review(tmp_path)
    yield store, session, tmp_path
    store.close()


@pytest.fixture
def target(tmp_path):
    (tmp_path / "target").mkdir()
    store, _session = empty_review(tmp_path / "target")
    yield store
    store.close()


def do_import(store, path: Path, mapping: ImportMap | None = None, **options):
    plan = plan_file(path, store.codebook, mapping or ImportMap())
    return apply_plan(store, plan, path.name, **options)


@pytest.mark.parametrize("fmt", ["json", "eaf"])
def test_export_then_import_gives_the_same_review(source, target, fmt):
    store, session, folder = source
    [path] = export_review(store, session, ExportOptions(fmt, folder / f"review.{fmt}"))
    result = do_import(target, path)
    assert result.added == len(store.tags()) and result.skipped == {}
    assert contents(target) == contents(store)
    if fmt == "json":  # the settings only JSON carries
        assert target.get_state("focus") == store.get_state("focus")
        assert target.get_state("suggestions.dismissed") == store.get_state("suggestions.dismissed")


@pytest.mark.parametrize("fmt", ["json", "eaf"])
def test_import_is_one_undo_step_and_leaves_existing_tags_alone(source, target, fmt):
    store, session, folder = source
    [path] = export_review(store, session, ExportOptions(fmt, folder / f"review.{fmt}"))
    mine = target.reviewer("Ann Berg", "rater")
    kept = target.add_tag(start_ms=500, end_ms=None, code_id="withdrawal.denial", note="mine", author=mine)
    importer = target.reviewer("Importer", "supervisor")
    do_import(target, path, by=importer)
    assert target.tag(kept.id) == kept
    assert len(target.tags()) == len(store.tags()) + 1
    assert target.undo(importer).startswith("import ")
    assert target.tags() == [kept] and target.links() == []
    target.redo(importer)
    assert len(target.tags()) == len(store.tags()) + 1


def hand_made_eaf(path: Path) -> Path:
    """An ELAN file made by someone else: a tier per code, and a tier of labels we lack."""
    eaf = Elan.Eaf()
    eaf.add_tier("Minimal response", ann="Ann Berg")
    eaf.add_annotation("Minimal response", 1000, 2500, "")
    eaf.add_tier("Codes")
    eaf.add_annotation("Codes", 3000, 4000, "Denial")
    eaf.add_annotation("Codes", 5000, 6000, "Kritik")
    eaf.add_annotation("Codes", 7000, 8000, "Kritik")
    eaf.to_file(str(path))
    return path


def test_labels_no_code_matches_stop_the_import_and_are_named(tmp_path, target):
    path = hand_made_eaf(tmp_path / "other.eaf")
    with pytest.raises(ReviewImportError, match=r"no code for 'Codes: Kritik' ×2.*--map.*--skip-unknown"):
        do_import(target, path)
    assert target.tags() == []


def test_skipping_unknown_labels_lists_them(tmp_path, target):
    path = hand_made_eaf(tmp_path / "other.eaf")
    result = do_import(target, path, skip_unknown=True)
    assert result.added == 2 and result.skipped == {"Codes: Kritik": 2}
    by_code = {tag.code_id: tag for tag in target.tags()}
    assert set(by_code) == {"withdrawal.minimal_response", "withdrawal.denial"}
    people = {reviewer.id: (reviewer.name, reviewer.role) for reviewer in target.reviewers()}
    assert people[by_code["withdrawal.minimal_response"].author_id] == ("Ann Berg", "rater")
    assert people[by_code["withdrawal.denial"].author_id] == ("ELAN", "rater")  # a tier with no annotator
    assert (by_code["withdrawal.minimal_response"].start_ms, by_code["withdrawal.minimal_response"].end_ms) == (1000, 2500)


def test_a_map_file_names_the_codes_and_reviewers_names_cannot(tmp_path, target):
    path = hand_made_eaf(tmp_path / "other.eaf")
    map_file = tmp_path / "map.toml"
    map_file.write_text(
        '[codes]\n"Kritik" = "confrontation.criticises_therapist"\n[reviewers]\n"Codes" = "Lena Vogt:supervisor"\n',
        encoding="utf-8",
    )
    result = do_import(target, path, load_map(map_file, target.codebook))
    assert result.added == 4
    people = {reviewer.id: (reviewer.name, reviewer.role) for reviewer in target.reviewers()}
    kritik = [tag for tag in target.tags() if tag.code_id == "confrontation.criticises_therapist"]
    assert [people[tag.author_id] for tag in kritik] == [("Lena Vogt", "supervisor")] * 2


def test_a_map_naming_no_code_is_refused(tmp_path, target):
    map_file = tmp_path / "map.toml"
    map_file.write_text('[codes]\n"Kritik" = "no.such_code"\n', encoding="utf-8")
    with pytest.raises(ReviewImportError, match="map.toml: \\[codes\\] 'Kritik' maps to 'no.such_code'"):
        load_map(map_file, target.codebook)


def test_json_codes_missing_from_this_codebook_are_reported(source, target):
    store, session, folder = source
    [path] = export_review(store, session, ExportOptions("json", folder / "r.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["tags"][0]["code_id"] = "elsewhere.special"
    data["codebook"]["groups"][0]["codes"].append({"id": "elsewhere.special", "label": "Special", "meaning": "", "digit": "9"})
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReviewImportError, match="'code elsewhere.special' ×1"):
        do_import(target, path)
    result = do_import(target, path, skip_unknown=True)
    assert result.added == len(store.tags()) - 1
    assert "a response link to a skipped tag was left out" in result.notes  # the rupture was skipped


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("broken.json", "{not json", "not a readable JSON file"),
        ("other.json", '{"schema_version": 7}', "schema_version 1 expected"),
        ("broken.eaf", "<ANNOTATION_DOCUMENT><TIER", "not a readable ELAN file"),
        ("tags.csv", "a,b\n", "cannot import \\*.csv"),
    ],
)
def test_unreadable_files_are_one_clear_line(tmp_path, target, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewImportError, match=message) as caught:
        do_import(target, path)
    assert "\n" not in str(caught.value) and name in str(caught.value)
    assert target.tags() == []


def test_json_import_keeps_a_learning_goal_the_review_already_has(source, target):
    store, session, folder = source
    [path] = export_review(store, session, ExportOptions("json", folder / "r.json"))
    target.set_state("focus", "My own goal")
    do_import(target, path)
    assert target.get_state("focus") == "My own goal"


def test_json_carries_the_session_details_into_a_review_without_them(source, target):
    from review_tui.review_details import read_details, update_details

    store, session, folder = source
    update_details(store, therapist="Ana Ruiz", client="D.B.", session_number=3)
    update_details(target, client="Already set")
    [path] = export_review(store, session, ExportOptions("json", folder / "r.json"))
    result = do_import(target, path)
    details = read_details(target)
    assert (details.therapist, details.client, details.session_number) == ("Ana Ruiz", "Already set", 3)
    assert result.notes == ()
