"""The whole hub package passes mypy with the settings in pyproject.toml.

Run as a subprocess, the way a person runs it, so the test checks what CI and
the README promise rather than mypy's in-process API.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_hub_type_checks() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / ".cache" / "mypy")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
