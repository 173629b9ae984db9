"""`review-tui export / report / import / purge` through the real command line entry point."""

from __future__ import annotations

import io
import json
import sys

import pytest

from review_tui.cli import main
from review_tui.store import ReviewStore
from review_tui.codebook import load_codebook
from tests.review_factory import empty_review, make_review


@pytest.fixture
def session_file(tmp_path):
    store, _session = make_review(tmp_path)
    store.close()
    return tmp_path / "daniel-brooks-03.srt"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_picks_the_format_from_the_extension(session_file, capsys):
    code, out, _ = run(capsys, "export", str(session_file), "-o", str(session_file.with_name("t.eaf")))
    assert code == 0 and out.strip().endswith("t.eaf")
    assert session_file.with_name("t.eaf").read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["-o", "out.html.txt"], "unknown extension '.txt'"),
        (["--format", "csv", "-o", "out.json"], "csv export is named *.csv"),
        (["--tags", "reviewer:Nobody", "-o", "t.csv"], "not a reviewer of this review"),
        (["--tags", "colour:red", "-o", "t.csv"], "use all, clips"),
    ],
)
def test_export_mistakes_are_one_line_and_write_nothing(session_file, capsys, argv, message):
    argv = [part if not part.endswith((".txt", ".json", ".csv")) else str(session_file.with_name(part)) for part in argv]
    before = set(session_file.parent.iterdir())
    code, out, err = run(capsys, "export", str(session_file), *argv)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and err.startswith("review-tui: error: ")
    assert set(session_file.parent.iterdir()) == before


def test_report_writes_markdown_and_refuses_what_it_cannot_write(session_file, capsys):
    code, out, _ = run(capsys, "report", str(session_file))
    assert code == 0 and session_file.with_suffix(".review.md").read_text(encoding="utf-8").startswith("# Session review")
    code, _, err = run(capsys, "report", str(session_file), "-o", str(session_file.with_name("r.csv")))
    assert code == 2 and "unknown extension '.csv' (use .md, .markdown, .html, .htm)" in err
    assert not session_file.with_name("r.csv").exists()


def test_export_pseudonymised_by_default_name(session_file, capsys):
    code, out, _ = run(capsys, "export", str(session_file), "--format", "json", "--pseudonymise")
    written = session_file.with_name("Client-D-03.review.json")
    assert code == 0 and out.strip() == f"wrote {written}"
    assert "Okafor" not in written.read_text(encoding="utf-8")


def test_import_round_trips_through_the_command_line(session_file, tmp_path, capsys):
    exported = tmp_path / "r.json"
    assert run(capsys, "export", str(session_file), "-o", str(exported))[0] == 0
    (tmp_path / "other").mkdir()
    store, _ = empty_review(tmp_path / "other", stem="fresh")
    store.close()
    target = tmp_path / "other" / "fresh.srt"
    code, out, _ = run(capsys, "import", str(target), str(exported))
    assert code == 0 and out.startswith("imported 6 tags from r.json")
    with ReviewStore.open(tmp_path / "other" / "fresh.review.sqlite", media_fingerprint=None,
                          transcript_fingerprint=None, codebook=load_codebook()) as store:
        assert len(store.tags()) == 6 and len(store.links()) == 2


def test_import_reports_unknown_labels_it_skips(session_file, tmp_path, capsys):
    exported = tmp_path / "r.json"
    run(capsys, "export", str(session_file), "-o", str(exported))
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["tags"][-1]["code_id"] = "nowhere.code"
    exported.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "import", str(session_file), str(exported))
    assert code == 2 and "no code for 'code nowhere.code' ×1" in err
    code, out, err = run(capsys, "import", str(session_file), str(exported), "--skip-unknown")
    assert code == 0 and "skipped: code nowhere.code ×1" in err and out.startswith("imported 5 tags")


def test_purge_lists_then_deletes_everything_the_review_left(session_file, capsys):
    folder = session_file.parent
    for name in ("t.csv", "t.eaf", "t.vtt"):
        assert run(capsys, "export", str(session_file), "-o", str(folder / name))[0] == 0
    (folder / "sub").mkdir()
    assert run(capsys, "export", str(session_file), "-o", str(folder / "sub" / "t.json"))[0] == 0
    (folder / ".t.csv.abc123.tmp").write_text("left by a kill -9")
    (folder / "keep-me.txt").write_text("not ours")
    code, out, _ = run(capsys, "purge", str(session_file), "--yes")
    assert code == 0
    listed = out.splitlines()
    assert listed[0] == "purge deletes 7 files:"
    assert {line.strip().rsplit("/", 1)[-1] for line in listed[1:8]} == {
        "t.csv", "t.eaf", "t.vtt", "t.json", ".t.csv.abc123.tmp", "daniel-brooks-03.names.toml",
        "daniel-brooks-03.review.sqlite",
    }
    remaining = sorted(path.name for path in folder.rglob("*"))
    assert remaining == ["daniel-brooks-03.srt", "keep-me.txt", "sub"]


def test_purge_asks_first_and_needs_yes_without_a_terminal(session_file, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, err = run(capsys, "purge", str(session_file))
    assert code == 2 and "confirm with --yes" in err
    assert session_file.with_name("daniel-brooks-03.review.sqlite").exists()

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    code, out, _ = run(capsys, "purge", str(session_file))
    assert code == 1 and "nothing deleted" in out
    assert session_file.with_name("daniel-brooks-03.review.sqlite").exists()
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert run(capsys, "purge", str(session_file))[0] == 0
    assert not session_file.with_name("daniel-brooks-03.review.sqlite").exists()


def test_a_damaged_review_can_still_be_purged(session_file, capsys):
    review = session_file.with_name("daniel-brooks-03.review.sqlite")
    review.write_bytes(b"this is not a database at all" * 100)
    code, out, err = run(capsys, "purge", str(session_file), "--yes")
    assert code == 0 and "its exports cannot be listed" in err
    assert not review.exists()
