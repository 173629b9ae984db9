"""A killed export leaves its private temporary copy beside the target; the next export to
that folder removes it, and nothing else (real files in tmp_path)."""

from __future__ import annotations

import os
import time

from review_tui.report.writer import STALE_AFTER_S, write_report


def left_behind(path, *, age_s: float, mode: int = 0o600, text: str = "# half a report"):
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def test_the_next_export_removes_a_killed_exports_temporary_and_only_that(tmp_path):
    stale = left_behind(tmp_path / ".session.review.md.k3j9_x2a.tmp", age_s=STALE_AFTER_S + 60)
    other_target = left_behind(tmp_path / ".notes.html.ab12cd34.tmp", age_s=STALE_AFTER_S + 60)
    running = left_behind(tmp_path / ".session.review.md.zz99yy88.tmp", age_s=5)  # an export under way
    not_ours = [
        left_behind(tmp_path / ".session.review.md.k3j9_x2a.tmp.bak", age_s=STALE_AFTER_S + 60),
        left_behind(tmp_path / "session.review.md.k3j9_x2a.tmp", age_s=STALE_AFTER_S + 60),
        left_behind(tmp_path / ".session.review.md.short.tmp", age_s=STALE_AFTER_S + 60),
        left_behind(tmp_path / ".shared.md.aaaabbbb.tmp", age_s=STALE_AFTER_S + 60, mode=0o644),
    ]
    write_report("# report\n", tmp_path / "session.review.md")
    assert not stale.exists() and not other_target.exists()
    assert running.exists()
    assert all(path.exists() for path in not_ours)
    assert (tmp_path / "session.review.md").read_text(encoding="utf-8") == "# report\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [running.name, "session.review.md", *(path.name for path in not_ours)]
    )
