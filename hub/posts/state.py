"""What the sync remembers between runs, committed beside the posts.

One JSON file per feed in `<posts_dir>/.sync/`, so a fresh CI clone behaves
exactly like the last run, a pull request shows which items changed, and one
feed's memory is loaded at a time. Per item it keeps the post's path, a hash
of every field value the sync last wrote (the merge rule: a field is the
sync's only while it still holds that value), a fingerprint of the feed item
(unchanged items cost nothing) and a hash of the whole file as last written
(an untouched file needs no parsing). Per feed it keeps the HTTP validators
(ETag, Last-Modified) and a hash of the feed bytes.

If this folder is lost, the sync finds its posts again by their `source:`
block and treats every field as edited by a person: nothing is overwritten,
only new items are added.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from hub.files import write_atomic

STATE_DIR = ".sync"
VERSION = 1


@dataclass
class ItemState:
    path: str
    fingerprint: str = ""
    file: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    expires: str | None = None
    status: str | None = None


@dataclass
class FeedState:
    feed: str
    etag: str | None = None
    last_modified: str | None = None
    content: str | None = None
    items: dict[str, ItemState] = field(default_factory=dict)


def state_dir(posts_dir: Path) -> Path:
    return posts_dir / STATE_DIR


def state_path(posts_dir: Path, feed: str) -> Path:
    return state_dir(posts_dir) / f"{feed}.json"


def digest(data: bytes | str) -> str:
    blob = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(blob).hexdigest()[:20]


def load(posts_dir: Path, feed: str) -> FeedState | None:
    """The feed's state, or None when there is none (first run, or it was lost)."""
    path = state_path(posts_dir, feed)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ValueError(
            f"{path}: unreadable sync state ({exc}); delete it to start over"
        ) from None
    items = {key: ItemState(**value) for key, value in raw.get("items", {}).items()}
    return FeedState(
        feed=feed,
        etag=raw.get("etag"),
        last_modified=raw.get("last_modified"),
        content=raw.get("content"),
        items=items,
    )


def dumps(state: FeedState) -> str:
    """One item per line, keys sorted: stable bytes, and a pull request shows
    exactly which items changed. Each line goes through the C encoder (an
    indented dump would use the slow pure-Python one)."""

    def line(value: object) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    head = {
        "content": state.content,
        "etag": state.etag,
        "feed": state.feed,
        "last_modified": state.last_modified,
        "version": VERSION,
    }
    rows = [f"{line(key)}:{line(vars(item))}" for key, item in sorted(state.items.items())]
    body = ",\n".join(rows)
    return line(head)[:-1] + ',"items":{\n' + body + ("\n" if rows else "") + "}}\n"


def save(posts_dir: Path, state: FeedState) -> bool:
    """Write the state if it changed; True when written."""
    path = state_path(posts_dir, state.feed)
    text = dumps(state)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, text)
    return True
