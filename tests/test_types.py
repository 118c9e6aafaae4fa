"""The whole hub package passes mypy with the settings in pyproject.toml.

Run as a subprocess, the way a person runs it, so the test checks what CI and
the README promise rather than mypy's in-process API.
"""

from __future__ import annotations

import ast
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


def _private_uses(path: Path) -> list[str]:
    """`from hub.x import _name` and `module._name` on an imported hub module, in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hub"):
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{path}:{node.lineno}: from {node.module} import {alias.name}")
                modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name.startswith("hub"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in modules):
            found.append(f"{path}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_private_name_is_used_outside_its_module() -> None:
    found = [use for path in sorted((ROOT / "hub").rglob("*.py")) for use in _private_uses(path)]
    assert found == [], "make it public in its one home:\n" + "\n".join(found)
