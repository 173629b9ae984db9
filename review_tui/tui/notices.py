"""One way a failed read or write of the review file is shown, and what it means for the work."""

from __future__ import annotations

from review_tui.model import ReviewTuiError

REVIEW_FILE = "Review file"


def store_error(host, error: ReviewTuiError, *, title: str = REVIEW_FILE, consequence: str = "") -> None:
    """Tell the user once, in their words: what failed and, when it matters, what it means
    ("the resume point is not saved"). The text may hold file names: never markup."""
    message = f"{error} ({consequence})" if consequence else str(error)
    host.notify(message, title=title, severity="error", markup=False)


WARNINGS_SHOWN = 6


def start_warnings(host, video_notice: str | None, keymap_problems: list[str]) -> None:
    """What the session's files, the terminal and the keymap left to say, in one notice."""
    from review_tui.review.wording import plural

    warnings = [str(problem) for problem in host.session.warnings]
    if video_notice:
        warnings.append(video_notice)
    source = host.config.source or "config"
    warnings.extend(f"{source}: [keymap] {problem}" for problem in keymap_problems)
    if not warnings:
        return
    shown = warnings[:WARNINGS_SHOWN]
    if len(warnings) > WARNINGS_SHOWN:
        shown.append(f"… and {len(warnings) - WARNINGS_SHOWN} more (review-tui info lists them all)")
    host.notify("\n".join(shown), title=plural(len(warnings), "warning"), severity="warning", timeout=12, markup=False)
