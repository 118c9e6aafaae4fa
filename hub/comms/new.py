"""`advocacy-hub new`: start a hand-written post with every field filled in.

Comms write announcements, events and culture stories by hand. Starting from
a complete file (captions for every network, alt text, the card paths) means
the post passes `check` as soon as the TODO markers are replaced, and nobody
has to remember the frontmatter contract. What it wrote is recorded in the
sync's state (hub.posts.state.HANDWRITTEN), so when comms replace the TODO
title and summary the next sync rebuilds the wordings and alt text they did
not edit themselves (and the build shows them so before that sync).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from hub import dates
from hub.config import CATEGORIES, ConfigError, HubConfig, load_config
from hub.posts import schema as posts
from hub.posts.derive import derived_fields
from hub.posts.slugs import short_hash, slugify_title
from hub.posts.sync import SyncError, record_handwritten

log = logging.getLogger("hub.comms.new")

# Words comms use for a kind of post -> the category it is filed under.
ALIASES = {
    "announcement": "internal",
    "news": "internal",
    "job": "jobs",
    "hiring": "jobs",
    "story": "culture",
    "case": "case-study",
    "insight": "thought-leadership",
    "opinion": "thought-leadership",
    "launch": "product",
}
SUMMARY = "TODO: one or two sentences people read before they share (under 300 characters)."
BODY = {
    "event": (
        "TODO: what the event is, for whom, and why to come.\n\n"
        "- **When:** TODO\n- **Where:** TODO\n- **Register:** TODO link\n"
    ),
    "jobs": "TODO: the role in three lines, and who to contact.\n",
}
DEFAULT_BODY = "TODO: the story. Short paragraphs; say what happened and why it matters.\n"


def category_of(kind: str) -> str:
    kind = kind.strip().lower()
    category = ALIASES.get(kind, kind)
    if category not in CATEGORIES:
        known = ", ".join([*CATEGORIES, *ALIASES])
        raise ConfigError(f"--kind {kind!r} is not a kind of post; use one of: {known}")
    return category


def new_post(
    config: HubConfig,
    *,
    title: str,
    category: str,
    day: dt.date,
    url: str | None = None,
) -> tuple[str, str]:
    """The file name and text of a new draft post (no I/O)."""
    title = " ".join(title.split())
    if not title:
        raise ConfigError("the title is empty; give the post a title in quotes")
    if url and not url.startswith(("http://", "https://")):
        raise ConfigError(f"--url {url!r}: only http:// and https:// URLs can be shared")
    slug = f"{day.isoformat()}-{slugify_title(title) or 'post-' + short_hash(title)}"
    hashtags = list(config.brand.hashtags)
    meta: dict[str, Any] = {
        "title": title,
        "summary": SUMMARY,
        "status": "draft",
        "pinned": False,
        "date": f"{day.isoformat()}T09:00:00Z",
        "category": category,
        "tags": [],
        "hashtags": hashtags,
        "language": "en",
        "canonical_url": url,
        **posts.card_fields(slug),
    }
    if category == "jobs":
        meta["expires"] = (day + dt.timedelta(days=30)).isoformat()
    # The TODO summary is no caption (hub.posts.captions.post_input); once comms
    # replace it, the sync rebuilds every wording they have not edited.
    meta.update(derived_fields(meta, config, slug))
    text = posts.render(meta, BODY.get(category, DEFAULT_BODY))
    return f"{slug}.md", text


def write_new(folder: Path, name: str, text: str) -> Path:
    """Create the file, atomically, failing if it exists: a person's post is never replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    fd, temp = tempfile.mkstemp(prefix=".new-", suffix=".md", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.link(temp, target)
    except FileExistsError:
        raise ConfigError(
            f"{target}: already exists and is kept as it is; "
            "choose another title or --date, or edit that file"
        ) from None
    finally:
        os.unlink(temp)
    return target


def _day(value: str | None) -> dt.date:
    return dates.option_or_today(value, "--date")


def command(ns: argparse.Namespace) -> int:
    config_path = Path(ns.config)
    config = load_config(config_path)
    name, text = new_post(
        config, title=ns.title, category=category_of(ns.kind), day=_day(ns.date), url=ns.url
    )
    folder = config_path.parent / config.posts_dir
    path = write_new(folder, name, text)
    try:
        record_handwritten(folder, name, text)
    except SyncError as exc:
        log.warning("%s; the post is written, but until then the sync treats its captions "
                    "as written by a person", exc)
    log.info("new post: %s (draft; replace the TODO lines, then set status: approved)", path)
    print(path)
    return 0
