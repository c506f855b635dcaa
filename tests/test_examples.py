"""The examples run to completion against the local simulator (``--local``) and exit 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

CASES = {
    "streams.py": (["--local", "--seconds", "2"], ["subscribed: btcusdt@trade", "trade", "book", "received"]),
    "order_book.py": (["--local", "--seconds", "2"], ["snapshot: lastUpdateId", "--- BTCUSDT at update", "final: best bid"]),
    "ws_api.py": (["--local"], ["logged on", "placed order", "cancelled order", "execution reports: NEW, CANCELED"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_runs_locally(name: str) -> None:
    args, expected = CASES[name]
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args], capture_output=True, text=True, timeout=60,
        cwd=EXAMPLES.parent,
        # this checkout's package, whatever copy the interpreter has installed
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(EXAMPLES.parent), os.environ.get("PYTHONPATH")]))},
    )
    assert done.returncode == 0, f"{name} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    for text in expected:
        assert text in done.stdout, f"{text!r} not in the output of {name}:\n{done.stdout}"
