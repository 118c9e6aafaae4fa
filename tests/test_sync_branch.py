"""scripts/sync-branch.sh, run twice against a local bare git repository: the
caption edits comms push to hub/sync between runs survive, main's news comes
in by a merge, and nothing is force-pushed (the remote refuses it)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "sync-branch.sh"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "hub test",
    "GIT_AUTHOR_EMAIL": "hub@test.invalid",
    "GIT_COMMITTER_NAME": "hub test",
    "GIT_COMMITTER_EMAIL": "hub@test.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True,
                          text=True)  # fmt: skip
    return done.stdout.strip()


def clone(origin: Path, dest: Path, branch: str = "main") -> Path:
    subprocess.run(["git", "clone", "-q", "-b", branch, str(origin), str(dest)], env=ENV,
                   check=True)  # fmt: skip
    return dest


def write(folder: Path, rel: str, text: str) -> None:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def sync_run(origin: Path, work: Path, new_post: str) -> subprocess.CompletedProcess[str]:
    """One scheduled run: a fresh clone of main, a sync that adds one post."""
    clone(origin, work)
    post = f"content/posts/{new_post}.md"
    command = f"mkdir -p content/posts && printf 'title: {new_post}\\n' > {post}"
    return subprocess.run(["bash", str(SCRIPT)], cwd=work, check=True, capture_output=True,
                          text=True, env={**ENV, "HUB_SYNC_CMD": command})  # fmt: skip


def test_two_runs_keep_the_edits_made_on_the_sync_branch(tmp_path):
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], env=ENV,
                   check=True)  # fmt: skip
    git(origin, "config", "receive.denyNonFastForwards", "true")
    seed = tmp_path / "seed"
    seed.mkdir()
    git(seed, "init", "-q", "-b", "main")
    write(seed, "content/posts/old.md", "title: Old\ncaption: first\n")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "first")
    git(seed, "remote", "add", "origin", str(origin))
    git(seed, "push", "-q", "origin", "main")

    first = sync_run(origin, tmp_path / "run1", "new-one")
    assert first.stdout.strip().endswith("changed=true")

    comms = clone(origin, tmp_path / "comms", "hub/sync")
    write(comms, "content/posts/new-one.md", "title: new-one\ncaption: written by comms\n")
    git(comms, "commit", "-qam", "comms: caption")
    git(comms, "push", "-q", "origin", "hub/sync")
    edit = git(comms, "rev-parse", "HEAD")

    write(seed, "content/posts/old.md", "title: Old\ncaption: changed on main\n")
    git(seed, "commit", "-qam", "main moves on")
    git(seed, "push", "-q", "origin", "main")

    second = sync_run(origin, tmp_path / "run2", "new-two")
    assert second.stdout.strip().endswith("changed=true")

    check = clone(origin, tmp_path / "check", "hub/sync")
    posts = check / "content" / "posts"
    assert (posts / "new-one.md").read_text(encoding="utf-8").endswith("written by comms\n")
    assert (posts / "new-two.md").is_file()
    assert "changed on main" in (posts / "old.md").read_text(encoding="utf-8")
    git(check, "merge-base", "--is-ancestor", edit, "HEAD")  # history kept: no force push


def test_a_run_with_nothing_new_pushes_nothing(tmp_path):
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], env=ENV,
                   check=True)  # fmt: skip
    seed = tmp_path / "seed"
    seed.mkdir()
    git(seed, "init", "-q", "-b", "main")
    write(seed, "README", "hub\n")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "first")
    git(seed, "remote", "add", "origin", str(origin))
    git(seed, "push", "-q", "origin", "main")
    work = clone(origin, tmp_path / "run")
    done = subprocess.run(["bash", str(SCRIPT)], cwd=work, check=True, capture_output=True,
                          text=True, env={**ENV, "HUB_SYNC_CMD": "true"})  # fmt: skip
    assert done.stdout.strip().endswith("changed=false")
    assert git(origin, "branch", "--list", "hub/sync") == ""
