"""While a session opens the garbage collector is off and threads hand over quickly; once it
has opened both are back (the start-up's objects frozen); other commands and other holders of
the collector are left alone."""

from __future__ import annotations

from tests.python_child import run_script as run


def test_hold_turns_it_off_and_settle_freezes_and_turns_it_on_once():
    found = run(
        """
        import gc, json, sys
        from review_tui import startup_mode
        startup_mode.hold()
        off = not gc.isenabled() and sys.getswitchinterval() == startup_mode.STARTUP_SWITCH_INTERVAL_S
        kept = [[] for _ in range(1000)]  # made while held: frozen by settle
        startup_mode.settle()
        frozen = gc.get_freeze_count()
        startup_mode.settle()  # a second time changes nothing
        print(json.dumps({"off": off, "on_after": gc.isenabled() and sys.getswitchinterval() == 0.005,
                          "frozen": frozen >= 1000,
                          "frozen_again": gc.get_freeze_count() != frozen}))
        """
    )
    assert found == {"off": True, "on_after": True, "frozen": True, "frozen_again": False}


def test_a_collector_someone_else_turned_off_stays_off():
    found = run(
        """
        import gc, json
        from review_tui import startup_mode
        gc.disable()
        startup_mode.hold()
        startup_mode.settle()
        print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
        """
    )
    assert found == {"enabled": False, "frozen": 0}


def test_a_command_other_than_a_session_lets_go_at_once(tmp_path):
    found = run(
        """
        import gc, io, json, contextlib
        from review_tui import startup_mode
        startup_mode.hold()  # as __main__ does before anything is known
        from review_tui import cli
        with contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["codebook"])
        print(json.dumps({"code": code, "enabled": gc.isenabled()}))
        """
    )
    assert found == {"code": 0, "enabled": True}
