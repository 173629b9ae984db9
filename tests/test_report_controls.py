"""A Markdown export carries no control character from the review (issue 7, item 1): `cat`
replays whatever ESC, BEL, CSI or bidi override it holds, so none may be written."""

from __future__ import annotations

import json
import sqlite3

from review_tui.codebook import load_codebook
from review_tui.codebook.loader import codebook_to_dict
from review_tui.report import export_markdown
from review_tui.report.markdown import inline
from review_tui.session import load_session
from review_tui.store import ReviewStore

HOSTILE = "\x1b]0;PWNED\x07 \x1b[2JWIPED \x9b31mRED \u202eEVIL \x07bell"
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\u202e")


def test_inline_drops_controls_but_keeps_the_words():
    made_safe = inline(f"said {HOSTILE}")
    assert not any(char in made_safe for char in FORBIDDEN)
    assert "WIPED" in made_safe and "EVIL" in made_safe


def test_markdown_export_of_a_hostile_review_holds_no_control_character(tmp_path):
    name = f"session {HOSTILE}"
    srt = tmp_path / f"{name}.srt"
    ordinary = "".join(
        f"{number}\n00:00:{number:02d},100 --> 00:00:{number:02d},900\nPt: an ordinary answer, said slowly.\n\n"
        for number in range(5, 45)
    )
    srt.write_text(f"1\n00:00:01,000 --> 00:00:04,000\nTh: {HOSTILE} in a line\n\n{ordinary}", encoding="utf-8")
    review = tmp_path / "hostile.review.sqlite"
    store = ReviewStore.open(review, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook())
    author = store.reviewer("Colleague", "supervisor")
    code = load_codebook().groups[0].codes[0]
    store.add_tag(start_ms=1_500, end_ms=None, code_id=code.id, rating=3, note="plain", author=author)
    store.set_state("focus", f"goal {HOSTILE}")
    store.close()
    # Written straight into the file, as a colleague's tool could have.
    snapshot = codebook_to_dict(load_codebook())
    snapshot["groups"][0]["label"] = f"Group {HOSTILE}"
    snapshot["groups"][0]["codes"][0]["label"] = f"Code {HOSTILE}"
    db = sqlite3.connect(review)
    with db:
        db.execute("UPDATE reviewers SET name = ?", (f"Colleague {HOSTILE}",))
        db.execute("UPDATE tags SET note = ?", (f"Note {HOSTILE}",))
        db.execute("UPDATE codebook SET snapshot = ?", (json.dumps(snapshot),))
    db.close()

    session = load_session(srt)
    store = ReviewStore.open(review, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook())
    try:
        output = tmp_path / "report.md"
        export_markdown(store, session, output)
    finally:
        store.close()
    written = output.read_text(encoding="utf-8")
    found = [repr(char) for char in FORBIDDEN if char in written]
    assert found == [], written
    # Every hostile field did reach the report, as its words.
    for shown in ("session", "Colleague", "goal", "Group", "Code", "Note"):
        assert f"{shown} WIPED RED EVIL bell" in written, shown
    assert "WIPED RED EVIL bell in a line" in written  # the quoted transcript line
