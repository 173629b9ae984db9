"""Run a short Python script in a fresh interpreter and read the JSON line it prints last:
for checks of what a process imports or how its interpreter is set, which the test process
itself (with everything pytest loaded) cannot show."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def run_script(script: str, *, timeout: float = 60) -> dict:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
