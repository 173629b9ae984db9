"""One way a failed read or write of the review file is shown, and what it means for the work."""

from __future__ import annotations

from review_tui.model import ReviewTuiError

REVIEW_FILE = "Review file"


def store_error(host, error: ReviewTuiError, *, title: str = REVIEW_FILE, consequence: str = "") -> None:
    """Tell the user once, in their words: what failed and, when it matters, what it means
    ("the resume point is not saved"). The text may hold file names: never markup."""
    message = f"{error} ({consequence})" if consequence else str(error)
    host.notify(message, title=title, severity="error", markup=False)
