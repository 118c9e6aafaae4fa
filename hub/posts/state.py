"""What the sync remembers between runs, committed beside the posts.

One JSON file per feed in `<posts_dir>/.sync/`, so a fresh CI clone behaves
exactly like the last run, a pull request shows which items changed, and one
feed's memory is loaded at a time. Per item it keeps the post's path, a hash
of every field value the sync last wrote (the merge rule: a field is the
sync's only while it still holds that value), a fingerprint of the feed item
(unchanged items cost nothing) and a hash of the whole file as last written
(an untouched file needs no parsing). Per feed it keeps the HTTP validators
(ETag, Last-Modified) and a hash of the feed bytes.

An item is never forgotten: when its post is deleted, its entry stays (a
tombstone), so the item is not written again and its name is never given to
another item.

Before the sync changes any post it writes the new entries to
`<feed>.pending.json` (the intent); once the posts and the state are written
it removes that file. A run killed in between leaves the intent behind, and
the next run keeps, field by field, whichever of the old and new hashes the
file really holds, so a half-finished run is finished, not taken for edits.

If this folder is lost, the sync finds its posts again by their `source:`
block and treats every field as edited by a person: nothing is overwritten,
only new items are added.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.files import write_atomic

STATE_DIR = ".sync"
PENDING = ".pending.json"
# The state of hand-written posts (no feed): what `advocacy-hub new` and the
# sync wrote into their alt text and captions. Feed names are [a-z0-9-], so
# no feed can take this name.
HANDWRITTEN = "_handwritten"
VERSION = 1
# The hash of a field a person owns for sure (no value ever hashes to it):
# what a state rebuilt from the posts alone records for every field.
EDITED = "edited"


class StateError(ValueError):
    """A state file that cannot be used; the message names it and what to do."""


@dataclass
class ItemState:
    path: str
    fingerprint: str = ""
    file: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    expires: str | None = None
    status: str | None = None
    # The file's hash as the sync last read or wrote it, whoever owns its
    # fields (kept only where it differs from `file`): a file still holding
    # it has not been edited since, so a sync need not parse it to know its
    # derived fields follow its words.
    seen: str = ""

    def unchanged(self, text_digest: str) -> bool:
        """True when the file is as the sync last saw it (no edit to follow)."""
        return text_digest in {self.file, self.seen} - {""}


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


def details_path(posts_dir: Path, feed: str) -> Path:
    """Per-item documents a source needs (hub.feeds.fetch.Details), kept for conditional GETs.

    In a folder of its own: every `*.json` directly in the state folder is a feed's state.
    """
    return state_dir(posts_dir) / "details" / f"{feed}.json"


def pending_path(posts_dir: Path, feed: str) -> Path:
    return state_dir(posts_dir) / f"{feed}{PENDING}"


def digest(data: bytes | str) -> str:
    blob = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(blob).hexdigest()[:20]


def _problem(path: Path, what: str) -> StateError:
    return StateError(
        f"{path}: {what}; delete this file to start over "
        "(the sync then finds its posts by their source: block and keeps them as they are)"
    )


def _read(path: Path) -> dict[str, Any] | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise _problem(path, f"unreadable sync state ({exc})") from None
    if not isinstance(raw, dict):
        raise _problem(path, f"not a sync state (a JSON {type(raw).__name__}, not an object)")
    return raw


_TEXT_KEYS = ("fingerprint", "file", "seen")
_OPTIONAL_KEYS = ("expires", "status")


def _item(path: Path, key: str, value: Any) -> ItemState:
    """One entry, checked key by key: a wrong shape is a clear line, never a traceback."""
    where = f"item {key!r}"
    if not isinstance(value, dict):
        raise _problem(path, f"{where} is not an object")
    if not isinstance(value.get("path"), str) or not value["path"].endswith(".md"):
        raise _problem(path, f"{where} has no post path (a .md file name)")
    for name in _TEXT_KEYS:
        if not isinstance(value.get(name, ""), str):
            raise _problem(path, f"{where}: {name} is not text")
    for name in _OPTIONAL_KEYS:
        if value.get(name) is not None and not isinstance(value[name], str):
            raise _problem(path, f"{where}: {name} is not text")
    fields = value.get("fields", {})
    if not isinstance(fields, dict) or not all(isinstance(h, str) for h in fields.values()):
        raise _problem(path, f"{where}: fields is not an object of hashes")
    unknown = set(value) - {"path", "fields", *_TEXT_KEYS, *_OPTIONAL_KEYS}
    if unknown:
        raise _problem(path, f"{where} has unknown keys {sorted(unknown)}")
    return ItemState(**value)


def _items(path: Path, raw: dict[str, Any]) -> dict[str, ItemState]:
    items = raw.get("items", {})
    if not isinstance(items, dict):
        raise _problem(path, "items is not an object of item id -> entry")
    return {str(key): _item(path, key, value) for key, value in items.items()}


def _text(path: Path, raw: dict[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if value is not None and not isinstance(value, str):
        raise _problem(path, f"{name} is not text")
    return value


def load(posts_dir: Path, feed: str) -> FeedState | None:
    """The feed's state, or None when there is none (first run, or it was lost)."""
    path = state_path(posts_dir, feed)
    raw = _read(path)
    if raw is None:
        return None
    return FeedState(
        feed=feed,
        etag=_text(path, raw, "etag"),
        last_modified=_text(path, raw, "last_modified"),
        content=_text(path, raw, "content"),
        items=_items(path, raw),
    )


def load_pending(posts_dir: Path, feed: str) -> dict[str, ItemState]:
    """The entries a killed run meant to write (empty when the last run finished)."""
    path = pending_path(posts_dir, feed)
    raw = _read(path)
    return {} if raw is None else _items(path, raw)


def known_paths(posts_dir: Path, skip: str | None = None) -> set[str]:
    """Every post path any state (or intent) names: names never to give to a new item.

    `skip` leaves out one state's names (HANDWRITTEN: the paths feeds own).
    A file that cannot be read is skipped here; its feed reports it.
    """
    folder = state_dir(posts_dir)
    paths: set[str] = set()
    if not folder.is_dir():
        return paths
    for path in sorted(folder.glob("*.json")):
        if skip is not None and path.name in (f"{skip}.json", f"{skip}{PENDING}"):
            continue
        try:
            raw = _read(path)
            items = raw.get("items") if raw else None
        except StateError:
            continue
        if isinstance(items, dict):
            paths.update(
                v["path"]
                for v in items.values()
                if isinstance(v, dict) and isinstance(v.get("path"), str)
            )
    return paths


def entries_by_path(posts_dir: Path) -> dict[str, tuple[ItemState, bool]]:
    """Every remembered post by its path: its entry, and whether it is hand-written.

    For readers that only look (the site generator); a state file that
    cannot be read is left out here, and the sync reports it.
    """
    out: dict[str, tuple[ItemState, bool]] = {}
    folder = state_dir(posts_dir)
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(PENDING):
            continue
        try:
            raw = _read(path)
            items = _items(path, raw) if raw else {}
        except StateError:
            continue
        handwritten = path.stem == HANDWRITTEN
        for entry in items.values():
            out[entry.path] = (entry, handwritten)
    return out


def _line(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _entry(item: ItemState) -> dict[str, Any]:
    """An entry as stored: `seen` only where it says more than `file` (stable bytes)."""
    values = vars(item)
    if item.seen in ("", item.file):
        values = {k: v for k, v in values.items() if k != "seen"}
    return values


def _dump_items(head: dict[str, Any], items: Iterable[tuple[str, ItemState]]) -> str:
    rows = [f"{_line(key)}:{_line(_entry(item))}" for key, item in sorted(items)]
    body = ",\n".join(rows)
    return _line(head)[:-1] + ',"items":{\n' + body + ("\n" if rows else "") + "}}\n"


def dumps(state: FeedState) -> str:
    """One item per line, keys sorted: stable bytes, and a pull request shows
    exactly which items changed. Each line goes through the C encoder (an
    indented dump would use the slow pure-Python one)."""
    head = {
        "content": state.content,
        "etag": state.etag,
        "feed": state.feed,
        "last_modified": state.last_modified,
        "version": VERSION,
    }
    return _dump_items(head, state.items.items())


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


def save_pending(posts_dir: Path, feed: str, items: dict[str, ItemState]) -> None:
    """Record the entries about to be written, before any post is touched."""
    head = {"feed": feed, "pending": True, "version": VERSION}
    write_atomic(pending_path(posts_dir, feed), _dump_items(head, items.items()))


def clear_pending(posts_dir: Path, feed: str) -> None:
    pending_path(posts_dir, feed).unlink(missing_ok=True)


def resolve(
    old: ItemState | None, new: ItemState, holds: dict[str, str] | None
) -> ItemState | None:
    """After a killed run: the entry that matches what the post file really holds.

    `holds` is the hash of every tracked value in the file now (None: no
    file). A field takes the new hash only if the file holds it, else keeps
    the old one, so a value the killed run wrote follows the feed again and
    one a person wrote stays theirs.
    """
    if holds is None:
        return old  # never written (a new item is written again) or deleted by a person
    fields = {}
    for path in sorted(set(new.fields) | set(old.fields if old else {})):
        if path in new.fields and holds.get(path) == new.fields[path]:
            fields[path] = new.fields[path]
        elif old and path in old.fields:
            fields[path] = old.fields[path]
    written = fields == new.fields
    return ItemState(
        path=new.path,
        fingerprint=new.fingerprint if written else (old.fingerprint if old else ""),
        file="",
        fields=fields,
        expires=new.expires,
        status=new.status,
    )
