"""--pseudonymise: no listed, reviewer or speaker name survives in any export, nor in a file name."""

from __future__ import annotations

import re
import pytest

from review_tui.report.formats import FORMATS, ExportOptions, export_review
from review_tui.report.pseudonym import NamesError, load_names, name_replacer, names_path_for
from tests.review_factory import make_review

# Every real name in the review: the list, the reviewers, the transcript's speakers, and the
# parts people write alone.
NAMES = ("Daniel Brooks", "Daniel", "Brooks", "Marcus", "Dr Okafor", "Okafor", "Sam Lee", "Dr Rivera", "Rivera")
DATA_FORMATS = ("md", "csv", "json", "eaf", "srt", "vtt")


def leaks(text: str) -> list[str]:
    return [name for name in NAMES if re.search(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", text, re.I)]


@pytest.fixture
def reviewed(tmp_path):
    store, session = make_review(tmp_path)
    yield store, session, tmp_path
    store.close()


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_without_pseudonymising_the_names_are_there(reviewed, fmt):
    """So the test below cannot pass by exporting nothing."""
    store, session, _folder = reviewed
    [path] = export_review(store, session, ExportOptions(fmt))
    found = set(leaks(path.read_text(encoding="utf-8-sig")))
    assert {"Dr Okafor", "Sam Lee", "Daniel"} <= found
    if fmt in ("md", "csv", "eaf"):  # the formats that quote the transcript
        assert {"Daniel Brooks", "Dr Rivera", "Marcus"} <= found


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_no_name_survives_in_a_pseudonymised_export(reviewed, fmt):
    store, session, folder = reviewed
    out = folder / "out"
    out.mkdir()
    [path] = export_review(store, session, ExportOptions(fmt, pseudonymise=True))
    moved = out / path.name
    path.rename(moved)
    assert leaks(moved.name) == []
    assert leaks(moved.read_text(encoding="utf-8-sig")) == []
    assert moved.name == f"Client-D-03.review{FORMATS[fmt].extensions[0]}"


def test_stand_ins_are_stable_and_role_labels_stay(reviewed):
    store, session, folder = reviewed
    [path] = export_review(store, session, ExportOptions("csv", folder / "p.csv", pseudonymise=True))
    text = path.read_text(encoding="utf-8-sig")
    assert "Supervisor A" in text and "Therapist A" in text and "Client D" in text and "Speaker 1" in text
    assert "the brother" in text  # from the name list


def test_an_output_name_holding_a_name_is_refused(reviewed):
    from review_tui.report.formats import ExportError

    store, session, folder = reviewed
    with pytest.raises(ExportError, match="holds a name"):
        export_review(store, session, ExportOptions("csv", folder / "daniel.csv", pseudonymise=True))
    assert not (folder / "daniel.csv").exists()


@pytest.mark.slow
def test_html_and_clips_name_no_one(tmp_path, monkeypatch):
    """The real HTML and clip writers, handed the pseudonymised Report: the page, the clip
    files' names and bytes, and the Report the clips burn their subtitles from."""
    import shutil

    from review_tui.codebook import load_codebook
    from review_tui.report import clips
    from review_tui.session import load_session
    from review_tui.store import ReviewStore
    from tests.media_factory import make_video

    store, _ = make_review(tmp_path)
    store.close()
    media = tmp_path / "daniel-brooks-03.mp4"
    shutil.copyfile(make_video(tmp_path / "source.mp4", seconds=26, size="160x120", fps=5), media)
    (tmp_path / "source.mp4").unlink()
    session = load_session(media)
    burned = []
    real = clips.write_clips

    def spy(report, folder, **options):
        burned.append(report)
        return real(report, folder, **options)

    monkeypatch.setattr(clips, "write_clips", spy)
    with ReviewStore.open(tmp_path / "daniel-brooks-03.review.sqlite", media_fingerprint=None,
                          transcript_fingerprint=None, codebook=load_codebook()) as store:
        [page] = export_review(store, session, ExportOptions("html", pseudonymise=True))
        written = export_review(store, session, ExportOptions("clips", tags="clips", pseudonymise=True))
    assert leaks(page.read_text(encoding="utf-8")) == [] and leaks(page.name) == []
    assert any(path.suffix == ".mp4" for path in written)
    for path in written:
        assert leaks(str(path.relative_to(tmp_path))) == []
        assert leaks(path.read_bytes().decode("latin-1")) == []
    [report] = burned
    assert leaks(repr(report)) == [] and "Client D" in repr(report.transcript)


def test_names_match_whole_words_in_any_case_and_any_separator():
    replace = name_replacer({"Daniel Brooks": "Client D", "Dr. M. Okafor": "Supervisor A"})
    assert replace("daniel-brooks-03, DANIEL_BROOKS, Brooks said") == "Client D-03, Client D, Client D said"
    assert replace("Okafor; Dr. M. Okafor") == "Supervisor A; Supervisor A"
    assert replace("Danielle Brookside") == "Danielle Brookside"


def test_the_name_list_lives_beside_the_review(tmp_path):
    assert names_path_for(tmp_path / "s.review.sqlite") == tmp_path / "s.names.toml"
    assert load_names(tmp_path / "missing.names.toml") == {}
    broken = tmp_path / "b.names.toml"
    broken.write_text('"Daniel" = 3\n', encoding="utf-8")
    with pytest.raises(NamesError, match="b.names.toml: 'Daniel' needs a pseudonym"):
        load_names(broken)
    broken.write_text("Daniel = \n", encoding="utf-8")
    with pytest.raises(NamesError, match="cannot read the name list"):
        load_names(broken)


def test_the_app_adds_names_to_the_list_privately_and_readably(tmp_path):
    from review_tui.report.pseudonym import add_name, parse_name_entry

    path = tmp_path / "s.names.toml"
    add_name(path, 'Daniel "Dan" Brooks', "Client D")
    add_name(path, "Zoë", "Client Z")
    add_name(path, "zoë", "Client Y")  # the same name again replaces its pseudonym
    assert load_names(path) == {'Daniel "Dan" Brooks': "Client D", "zoë": "Client Y"}
    assert path.stat().st_mode & 0o777 == 0o600
    assert parse_name_entry(' "Marcus" = the brother ') == ("Marcus", "the brother")
    with pytest.raises(ValueError, match="Real Name = Pseudonym"):
        parse_name_entry("Marcus")


def test_the_session_details_names_are_replaced_too(reviewed):
    from review_tui.review_details import update_details

    store, session, folder = reviewed
    update_details(store, therapist="Ana Ruiz", client="D.B.", supervisor="Prof. Lena Vogt")
    [plain] = export_review(store, session, ExportOptions("md", folder / "plain.md"))
    assert "Ana Ruiz" in plain.read_text(encoding="utf-8") and "D.B." in plain.read_text(encoding="utf-8")
    [hidden] = export_review(store, session, ExportOptions("md", folder / "hidden.md", pseudonymise=True))
    text = hidden.read_text(encoding="utf-8")
    for name in ("Ana Ruiz", "Ruiz", "D.B.", "Lena Vogt", "Vogt"):
        assert name not in text.replace("\\", ""), name
    assert "**Client:** Client" in text


def test_a_report_of_one_reviewer(reviewed):
    store, session, folder = reviewed
    [path] = export_review(store, session, ExportOptions("md", folder / "lee.md", only_reviewer="Sam Lee"))
    text = path.read_text(encoding="utf-8")
    assert "Sam Lee (therapist) only" in text and "Criticises therapist" not in text
