"""miniaudio is imported without numpy, without urllib.request's network stack and without
html's entity table, and both still work for anything that really uses them later."""

from __future__ import annotations

from tests.python_child import run_script as run


def test_the_sound_module_loads_miniaudio_without_numpy_or_the_network_stack():
    found = run(
        """
        import json, sys
        import review_tui.media.audio as audio
        print(json.dumps({
            "miniaudio": hasattr(audio.miniaudio, "PlaybackDevice"),
            "loaded": sorted(m for m in ("numpy", "http.client", "email", "ssl", "html.entities") if m in sys.modules),
            "placeholders": [type(sys.modules[m]).__name__ for m in ("urllib.request", "html")],
        }))
        """
    )
    assert found == {"miniaudio": True, "loaded": [], "placeholders": ["DeferredModule", "DeferredModule"]}


def test_a_deferred_package_loads_for_its_submodule_and_its_functions():
    found = run(
        """
        import json, sys
        import review_tui.media.audio
        import html as kept_early
        from html.entities import html5  # a submodule of the placeholder's package
        import html
        print(json.dumps({
            "entities": html5["amp;"],
            "real": type(sys.modules["html"]).__name__,
            "unescaped": kept_early.unescape("caf&eacute; &amp; tea"),
            "same": html.unescape is sys.modules["html"].unescape,
        }))
        """
    )
    assert found == {"entities": "&", "real": "module", "unescaped": "café & tea", "same": True}


def test_a_deferred_module_becomes_the_real_one_when_first_used():
    found = run(
        """
        import json, sys
        import review_tui.media.audio
        import urllib.request as kept_early
        from urllib.request import pathname2url  # the first real use loads it
        import urllib.request
        print(json.dumps({
            "quoted": pathname2url("/a b"),
            "real": type(sys.modules["urllib.request"]).__name__,
            "parent_has_real": urllib.request is sys.modules["urllib.request"],
            "early_reference_works": kept_early.Request is urllib.request.Request,
            "network_stack": "http.client" in sys.modules,
        }))
        """
    )
    assert found == {
        "quoted": "/a%20b",
        "real": "module",
        "parent_has_real": True,
        "early_reference_works": True,
        "network_stack": True,
    }


def test_a_module_already_imported_is_left_as_it_is():
    found = run(
        """
        import json, sys
        import urllib.request
        real = sys.modules["urllib.request"]
        from review_tui.lean_import import defer, import_lean
        defer("urllib.request")
        import_lean("json", hide=("numpy",))
        print(json.dumps({"same": sys.modules["urllib.request"] is real, "numpy_entry": "numpy" in sys.modules and sys.modules["numpy"] is None}))
        """
    )
    assert found == {"same": True, "numpy_entry": False}


def test_ffmpeg_python_loads_without_the_future_package_and_still_builds_commands():
    found = run(
        """
        import json, sys
        import review_tui.media.probe
        import ffmpeg
        from ffmpeg import nodes
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("past", "future"))
        command = ffmpeg.input("in put.mp4", ss=2).output("out.mp4", vf="scale=8:8").compile()
        import past.builtins  # a real import afterwards gets the real package
        print(json.dumps({
            "loaded": loaded,
            "command": command,
            "str_or_bytes": [isinstance(value, nodes.basestring) for value in ("a", b"a", 1, None)],
            "real_past": "site-packages" in past.builtins.__file__,
        }))
        """
    )
    assert found == {
        "loaded": [],
        "command": ["ffmpeg", "-ss", "2", "-i", "in put.mp4", "-vf", "scale=8:8", "out.mp4"],
        "str_or_bytes": [True, True, False, False],
        "real_past": True,
    }
