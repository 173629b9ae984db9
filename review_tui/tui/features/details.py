"""Session details from inside the app (D, or the palette): who, when, and what the
therapist wants help with. Kept through review_details.py, in the review file, at once."""

from __future__ import annotations

from review_tui.model import ReviewTuiError
from review_tui.tui.host import ReviewHost
from review_tui.tui.notices import store_error


def session_details(host: ReviewHost) -> None:
    # Both on first use: the first screen never needs them (tests/tui/test_startup_imports.py).
    from review_tui.review_details import check, read_details
    from review_tui.tui.screens.session_details import SessionDetailsDialog

    try:
        current = read_details(host.store)
    except ReviewTuiError as error:
        store_error(host, error)
        return
    where = str(host.store.path)

    def validate(name: str, value: str) -> None:
        check(name, value, where)  # raises DetailsError, which the dialog shows beside the field

    host.push_screen(SessionDetailsDialog(current, validate), lambda given: details_given(host, given))


def details_given(host: ReviewHost, given: dict[str, str] | None) -> None:
    if given is None:
        return  # Esc: nothing changes
    from review_tui.review_details import update_details

    try:
        update_details(host.store, **given)  # "" clears a field, as the dialog showed it empty
    except ReviewTuiError as error:
        store_error(host, error, title="Details not saved")
        return
    host.notify("Session details saved in the review file; the report shows them", timeout=4)


ACTIONS = {"session_details": session_details}
