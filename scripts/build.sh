#!/usr/bin/env bash
# Quick start, part one: install what the hub needs and build the whole site
# into site/ from the feeds in hub.yml (the bundled samples: no network needed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/advocacy-hub build --sync "$@"
echo "build: open site/index.html, or serve it: .venv/bin/python -m http.server -d site"
