"""Properties: any bytes into the import readers give a plan or one clear error; any note
text survives an export and import round trip as the text cleaned."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from review_tui.codebook import load_codebook
from review_tui.report.formats import ExportOptions, export_review
from review_tui.report.import_file import plan_file
from review_tui.report.importing import ImportMap, ReviewImportError, apply_plan
from review_tui.text import clean
from tests.review_factory import empty_review

CODEBOOK = load_codebook()
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("suffix", [".json", ".eaf"])
@PROPERTY
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda text: text.encode("utf-8", "surrogatepass"))))
def test_any_bytes_give_a_plan_or_one_clear_line(tmp_path, suffix, data):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    try:
        plan_file(path, CODEBOOK, ImportMap())
    except ReviewImportError as error:
        assert "\n" not in str(error) and "input" in str(error)


@PROPERTY
@given(note=st.text(max_size=60))
@example(note="not XML: \ufffe\uffff, a control \x01 and \x1b[2J")
@pytest.mark.parametrize("fmt", ["json", "eaf"])
def test_any_note_survives_the_round_trip_cleaned(tmp_path_factory, fmt, note):
    folder = tmp_path_factory.mktemp("round")
    source, session = empty_review(folder, "source")
    target, _ = empty_review(folder, "target")
    try:
        author = source.reviewer("Dr Okafor", "supervisor")
        try:
            source.add_tag(start_ms=1000, end_ms=None, code_id="withdrawal.denial", note=note, author=author)
        except Exception:
            return  # the store refuses it (not valid text): nothing to export
        [path] = export_review(source, session, ExportOptions(fmt, folder / f"r.{fmt}"))
        apply_plan(target, plan_file(path, CODEBOOK, ImportMap()), path.name)
        [tag] = target.tags()
        expected = clean(note).replace("\ufffe", "").replace("\uffff", "") if fmt == "eaf" else clean(note)
        assert tag.note == (expected.strip() if fmt == "eaf" else expected)
    finally:
        source.close()
        target.close()
