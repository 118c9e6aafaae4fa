"""scripts/sync-branch.sh with the real `advocacy-hub sync`, run twice against a
local bare git repository, the feed served by the real HTTP server on
127.0.0.1: the caption and summary edits comms push to hub/sync between runs
survive, the feed's news and main's news both come in, and nothing is
force-pushed (the remote refuses it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hub.posts import schema as posts
from tests.support.feedserver import FeedServer

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "sync-branch.sh"
# The sync job runs `advocacy-hub sync` from the installed hub: the one beside
# this interpreter (the .venv scripts/setup.sh made), found on PATH like in CI.
BIN = Path(sys.executable).parent
ENV = {
    **os.environ,
    "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")]),
    "GIT_AUTHOR_NAME": "hub test",
    "GIT_AUTHOR_EMAIL": "hub@test.invalid",
    "GIT_COMMITTER_NAME": "hub test",
    "GIT_COMMITTER_EMAIL": "hub@test.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "HUB_SYNC_FEEDS": "--feed newsroom",
}
ENV.pop("HUB_SYNC_CMD", None)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")

HUB_YML = """\
posts_dir: content/posts
feeds:
  - name: newsroom
    title: Acme newsroom
    url: {url}
    category: product
    approval: draft
site:
  title: Acme Advocacy Hub
  url: https://hub.acme.example/
"""
ITEM = """\
<item><title>{title}</title><link>https://www.acme.example/news/{slug}</link>
<guid isPermaLink="false">{slug}</guid><pubDate>{date}</pubDate>
<description>{text}</description></item>
"""


def feed(*items: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            "<title>Acme newsroom</title><link>https://www.acme.example/news/</link>"
            f"<description>News</description>\n{''.join(items)}</channel></rss>\n")  # fmt: skip


OFFICE = dict(title="Our new office in Kuala Lumpur", slug="new-office",
              date="Fri, 20 Nov 2026 09:00:00 GMT")  # fmt: skip
OFFICE_POST = "content/posts/our-new-office-in-kuala-lumpur.md"
HIRING = dict(title="We are hiring data engineers", slug="hiring",
              date="Mon, 23 Nov 2026 09:00:00 GMT", text="Twelve roles, three cities.")  # fmt: skip
HIRING_POST = "content/posts/we-are-hiring-data-engineers.md"


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True,
                          text=True)  # fmt: skip
    return done.stdout.strip()


def clone(origin: Path, dest: Path, branch: str = "main") -> Path:
    subprocess.run(["git", "clone", "-q", "-b", branch, str(origin), str(dest)], env=ENV,
                   check=True)  # fmt: skip
    return dest


def origin_with_hub(tmp_path: Path, feed_url: str) -> tuple[Path, Path]:
    """A bare remote that refuses force pushes, and main holding a hub for the feed."""
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], env=ENV,
                   check=True)  # fmt: skip
    git(origin, "config", "receive.denyNonFastForwards", "true")
    seed = tmp_path / "seed"
    seed.mkdir()
    git(seed, "init", "-q", "-b", "main")
    (seed / "hub.yml").write_text(HUB_YML.format(url=feed_url), encoding="utf-8")
    shutil.copy(REPO / ".gitignore", seed / ".gitignore")  # keeps .sync/lock out, as here
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "a hub")
    git(seed, "remote", "add", "origin", str(origin))
    git(seed, "push", "-q", "origin", "main")
    return origin, seed


def sync_run(origin: Path, work: Path) -> subprocess.CompletedProcess[str]:
    """One scheduled run: a fresh clone of main, then the sync job's script as CI runs it."""
    assert (BIN / "advocacy-hub").is_file(), f"no advocacy-hub beside {sys.executable}"
    clone(origin, work)
    done = subprocess.run(["bash", str(SCRIPT)], cwd=work, capture_output=True, text=True,
                          env=ENV, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


def test_two_real_syncs_keep_the_edits_made_on_the_sync_branch(tmp_path, feed_server: FeedServer):
    url = feed_server.add("/news.xml", feed(ITEM.format(**OFFICE, text="Kuala Lumpur opens.")))
    origin, seed = origin_with_hub(tmp_path, url)

    first = sync_run(origin, tmp_path / "run1")
    assert first.stdout.strip().endswith("changed=true")
    assert "newsroom: 1 new" in first.stderr

    # comms review the pull request: a better summary and their own LinkedIn caption
    comms = clone(origin, tmp_path / "comms", "hub/sync")
    post = posts.read(comms / OFFICE_POST)
    assert post.meta["status"] == "draft"
    meta = dict(post.meta)
    meta["summary"] = "Our Kuala Lumpur team moves into its new home."
    meta["captions"] = {**meta["captions"], "linkedin": ["Written by comms: KL, here we come."]}
    (comms / OFFICE_POST).write_text(posts.render(meta, post.body), encoding="utf-8")
    git(comms, "commit", "-qam", "comms: summary and caption")
    git(comms, "push", "-q", "origin", "hub/sync")
    edit = git(comms, "rev-parse", "HEAD")

    # main moves on, and the feed updates the item and publishes a new one
    (seed / "README.md").write_text("Acme's hub\n", encoding="utf-8")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "main moves on")
    git(seed, "push", "-q", "origin", "main")
    feed_server.add("/news.xml", feed(ITEM.format(**HIRING),
                                      ITEM.format(**OFFICE, text="Kuala Lumpur opens to 200.")))

    second = sync_run(origin, tmp_path / "run2")
    assert second.stdout.strip().endswith("changed=true")
    assert "newsroom: 1 new, 1 updated" in second.stderr

    check = clone(origin, tmp_path / "check", "hub/sync")
    office = posts.read(check / OFFICE_POST)
    assert office.meta["summary"] == "Our Kuala Lumpur team moves into its new home."
    assert office.meta["captions"]["linkedin"] == ["Written by comms: KL, here we come."]
    assert "Kuala Lumpur opens to 200." in office.body  # a field comms left is updated
    assert posts.read(check / HIRING_POST).meta["title"] == HIRING["title"]
    assert (check / "README.md").is_file()  # main came in by a merge
    git(check, "merge-base", "--is-ancestor", edit, "HEAD")  # history kept: no force push
    assert feed_server.count("/news.xml") >= 2


def test_a_real_sync_with_nothing_new_pushes_nothing(tmp_path, feed_server: FeedServer):
    """Main already holds the feed's only post: the sync finds it unchanged, nothing is pushed."""
    url = feed_server.add("/news.xml", feed(ITEM.format(**OFFICE, text="Kuala Lumpur opens.")))
    origin, seed = origin_with_hub(tmp_path, url)
    subprocess.run(["advocacy-hub", "-q", "sync", "--feed", "newsroom"], cwd=seed, env=ENV,
                   check=True, timeout=300)  # fmt: skip
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "synced on main")
    git(seed, "push", "-q", "origin", "main")

    done = sync_run(origin, tmp_path / "run")
    assert done.stdout.strip().endswith("changed=false")
    assert "1 feed(s): 0 new, 0 updated, 1 unchanged" in done.stderr
    assert git(origin, "branch", "--list", "hub/sync") == ""
