#!/usr/bin/env bash
# Quick start, part two: install what the tests need (Python extras, axe-core,
# Debian's chromium when missing) and run the whole suite. Extra arguments go
# to pytest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh test
sh scripts/test-deps.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/ruff check hub tests scripts
exec .venv/bin/python -m pytest "$@"
