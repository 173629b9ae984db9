"""ELAN export: valid against the EAF 3.0 schema, readable by pympi, laid out as documented."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from lxml import etree
from pympi import Elan

from review_tui.codebook import load_codebook
from review_tui.report.eaf import POINT_MS
from review_tui.report.formats import ExportOptions, export_review
from review_tui.session import load_session
from review_tui.store import ReviewStore
from review_tui.text import clean
from tests.media_factory import make_video
from tests.review_factory import make_review

# The ELAN Annotation Format 3.0 schema, as published by the MPI for Psycholinguistics
# (http://www.mpi.nl/tools/elan/EAFv3.0.xsd); this copy is the one pympi-ling 1.71 ships in its
# source distribution (test/EAFv3.0.xsd, also in github.com/dopefishh/pympi).
XSD = Path(__file__).parent / "data" / "elan" / "EAFv3.0.xsd"
DAY = datetime.date(2025, 3, 1)


@pytest.fixture(scope="module")
def recording(tmp_path_factory) -> Path:
    return make_video(tmp_path_factory.mktemp("media") / "clip.mp4", seconds=26, size="160x120", fps=5)


@pytest.fixture
def reviewed(tmp_path, recording):
    """The review of a real recording with its transcript, exported into a sub-folder."""
    store, _ = make_review(tmp_path)
    store.close()
    media = tmp_path / "daniel-brooks-03.mp4"
    shutil.copyfile(recording, media)
    session = load_session(media)
    store = ReviewStore.open(
        tmp_path / "daniel-brooks-03.review.sqlite", media_fingerprint=None, transcript_fingerprint=None,
        codebook=load_codebook(),
    )
    (tmp_path / "exports").mkdir()
    yield store, session, tmp_path
    store.close()


def export_eaf(reviewed, **options) -> Path:
    store, session, folder = reviewed
    [path] = export_review(store, session, ExportOptions("eaf", folder / "exports" / "review.eaf", **options), date=DAY)
    return path


def test_the_eaf_is_valid_against_the_eaf_3_schema(reviewed):
    path = export_eaf(reviewed)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log
    assert document.getroot().get("VERSION") == "3.0"


def test_the_recording_is_linked_by_a_relative_path(reviewed):
    eaf = Elan.Eaf(str(export_eaf(reviewed)))
    [media] = eaf.media_descriptors
    assert media["RELATIVE_MEDIA_URL"] == "../daniel-brooks-03.mp4"
    assert media["MIME_TYPE"] == "video/mp4"
    assert (Path(reviewed[2]) / "exports" / media["RELATIVE_MEDIA_URL"]).resolve().is_file()
    assert str(reviewed[2]) not in media["MEDIA_URL"]  # no absolute path (it names the user)


def test_one_tier_per_group_per_reviewer_with_the_codebook_as_vocabulary(reviewed):
    store = reviewed[0]
    eaf = Elan.Eaf(str(export_eaf(reviewed)))
    tiers = eaf.get_tier_names()
    assert "Confrontation rupture | Dr Okafor" in tiers
    assert "Supervision note | Sam Lee" in tiers
    assert "Supervision note | Dr Okafor" in tiers
    # the point tag at 8.000 ends at 8.001, before 9.000: both share one lane
    confrontation = eaf.get_annotation_data_for_tier("Confrontation rupture | Dr Okafor")
    assert sorted(confrontation) == [(8000, 8000 + POINT_MS, "Criticises therapist"), (9000, 12000, "Rejects an intervention")]
    params = eaf.get_parameters_for_tier("Confrontation rupture | Dr Okafor")
    assert params["ANNOTATOR"] == "Dr Okafor (supervisor)"
    vocabulary = params["LINGUISTIC_TYPE_REF"]
    cv = eaf.get_parameters_for_linguistic_type(vocabulary)["CONTROLLED_VOCABULARY_REF"]
    entries = eaf.get_cv_entries(cv)
    group = store.codebook.group("confrontation")
    assert set(entries) == {code.id for code in group.codes}
    assert entries["confrontation.criticises_therapist"][0][0][0] == "Criticises therapist"
    coded = [t for t in tiers if eaf.get_parameters_for_tier(t)["LINGUISTIC_TYPE_REF"].startswith("review-code:")]
    annotated = sum(len(eaf.get_annotation_data_for_tier(t)) for t in coded)
    assert annotated == len(store.tags())


def test_overlapping_tags_of_one_reviewer_go_to_a_second_lane(reviewed):
    store = reviewed[0]
    author = store.reviewer("Dr Okafor", "supervisor")
    store.add_tag(start_ms=10_000, end_ms=11_000, code_id="confrontation.criticises_therapist", author=author)
    eaf = Elan.Eaf(str(export_eaf(reviewed)))
    assert eaf.get_annotation_data_for_tier("Confrontation rupture | Dr Okafor (2)") == [
        (10_000, 11_000, "Criticises therapist")
    ]


def test_notes_ratings_and_episodes_are_kept_in_dependent_tiers(reviewed):
    store = reviewed[0]
    eaf = Elan.Eaf(str(export_eaf(reviewed)))
    tier = "Confrontation rupture | Dr Okafor"
    notes = {start: value for start, _end, value, _ref in eaf.get_ref_annotation_data_for_tier(tier + " · note")}
    ratings = {start: value for start, _end, value, _ref in eaf.get_ref_annotation_data_for_tier(tier + " · rating")}
    rupture = next(tag for tag in store.tags() if tag.code_id == "confrontation.criticises_therapist")
    assert notes[8000] == clean(rupture.note) and "\x1b" not in notes[8000]
    assert ratings == {8000: "4", 9000: "2"}
    episodes = eaf.get_ref_annotation_data_for_tier(tier + " · episode")
    assert [value for *_times, value, _ref in episodes] == ["1:rupture", "2:rupture"]  # each rupture opens an episode
    assert eaf.get_parameters_for_tier(tier + " · note")["PARENT_REF"] == tier


def test_a_transcript_tier_per_speaker(reviewed):
    eaf = Elan.Eaf(str(export_eaf(reviewed)))
    rivera = eaf.get_annotation_data_for_tier("Transcript | Dr Rivera")
    brooks = eaf.get_annotation_data_for_tier("Transcript | Daniel Brooks")
    assert [start for start, *_ in rivera] == [1000, 10_500, 20_000]
    # A quote is exact (issue 8, defect 5): the transcript's own markup stays, as plain text.
    assert brooks[0][2] == "[laughs] That sounds formulaic. <b>Really</b> & {\\an8}"
    assert eaf.get_parameters_for_tier("Transcript | Daniel Brooks")["PARTICIPANT"] == "Daniel Brooks"


def test_pseudonymised_eaf_names_no_one_even_in_the_media_link(reviewed):
    path = export_eaf(reviewed, pseudonymise=True)
    text = path.read_text(encoding="utf-8").casefold()
    for name in ("daniel", "brooks", "okafor", "rivera", "marcus", "sam lee"):
        assert name not in text
    eaf = Elan.Eaf(str(path))
    assert eaf.media_descriptors[0]["RELATIVE_MEDIA_URL"] == "../Client%20D-03.mp4"
    assert "Transcript | Speaker 1" in eaf.get_tier_names()
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.parse(str(path))), schema.error_log
