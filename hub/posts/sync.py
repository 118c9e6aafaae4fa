"""The sync: approved feeds become post files, without ever losing a person's edit.

For each feed, one at a time (memory stays flat however many feeds there
are): fetch (conditional GET; an unchanged local file is not even parsed),
parse, then for each item either write a new post, update the fields the
sync still owns, or leave it alone. Items that vanish from a feed stay; posts
past `expires` become archived; nothing is ever deleted. One feed failing is
reported and the others go on.

One item, one file, for ever: a new item never gets a name that is on disk
or that any feed's state names (a deleted post's name included). The writes
of a feed are ordered so that a run killed at any point is finished by the
next one: intent (state.save_pending), posts, state, then the intent is
removed; temporary files a kill left behind are cleaned under the lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from hub import dates
from hub.config import BrandConfig, FeedConfig, HubConfig, load_config
from hub.files import write_atomic
from hub.posts import captions, derive, events, state
from hub.posts import schema as posts
from hub.posts.captions import lead
from hub.posts.derive import derived_fields
from hub.posts.slugs import post_slug

log = logging.getLogger("hub.posts.sync")

LOCK_TIMEOUT = 120.0
BODY = "body"
_FEED_KEY = re.compile(r"^\s*feed:\s*['\"]?([^'\"\s]+)['\"]?\s*$", re.M)


@dataclass
class FeedReport:
    feed: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    kept: int = 0  # fields a person edited that the feed also changed
    rejected: list[str] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None
    not_modified: bool = False


@dataclass
class SyncReport:
    feeds: list[FeedReport] = field(default_factory=list)
    handwritten: FeedReport | None = None  # hand-written posts whose derived fields followed

    @property
    def failed(self) -> list[FeedReport]:
        return [f for f in self.feeds if f.error]

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.feeds)

    def summary(self) -> str:
        return (
            f"{len(self.feeds)} feed(s): {self.total('new')} new, {self.total('updated')} updated, "
            f"{self.total('unchanged')} unchanged, {self.total('archived')} archived, "
            f"{len(self.failed)} failed"
        )


# --- pure parts: from a feed item to the post's fields ----------------------


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return posts.normalize(value)


def job_expiry(item: Any, feed: FeedConfig) -> str | None:
    """The closing day of a job: the feed's own date, else posted + the configured days."""
    explicit = getattr(item, "expires", None)
    if explicit:
        return str(explicit)[:10]
    posted = getattr(item, "date_posted", None) or item.published or item.updated
    if posted is None:
        return None
    day = dates.day_of(posted)
    if day is None:
        return None
    return (day + dt.timedelta(days=feed.jobs.expires_after_days)).isoformat()


def unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value and value.lower() not in (v.lower() for v in out):
            out.append(value)
    return out


def fresh_fields(item: Any, feed: FeedConfig, config: HubConfig, slug: str) -> dict[str, Any]:
    """Every field the feed item gives the post, before merging with the file."""
    # A job found in another feed (its fields present) gets the job layout.
    job_fields = getattr(item, "job_type", None) or getattr(item, "expires", None)
    is_job = feed.category == "jobs" or bool(job_fields)
    event = getattr(item, "event", None)
    published = _iso(item.published or item.updated)
    updated = _iso(item.updated) if item.updated and item.updated != item.published else None
    meta: dict[str, Any] = {
        "title": item.title,
        "summary": lead(item.summary or "") or None,
        "date": published,
        "updated": updated,
        "expires": job_expiry(item, feed) if is_job else events.last_day(event),
        "category": "jobs" if is_job else ("event" if event else feed.category),
        "event": event,
        "tags": list(item.tags) or None,
        "hashtags": unique([*feed.hashtags, *config.brand.hashtags]) or None,
        "language": feed.language or item.language or "en",
        "author": item.author or None,
        "campaign": feed.campaign,
        "location": getattr(item, "location", None) or None,
        "job_type": getattr(item, "job_type", None) or None,
        "canonical_url": item.link,
        "picture": getattr(item, "image_url", None) or None,
    }
    meta.update(derived_fields(meta, config, slug))
    return meta


def creation_fields(feed: FeedConfig, slug: str, item: Any) -> dict[str, Any]:
    """Fields written once, when the post is created, then left to comms."""
    return {
        "status": "approved" if feed.approval == "auto" else "draft",
        "pinned": False,
        **posts.card_fields(slug),
        "source": {"feed": feed.name, "id": item.id, "url": item.link},
    }


def tracked(meta: Mapping[str, Any], body: str) -> dict[str, Any]:
    """The values the sync owns, by field path, body included."""
    values = dict(posts.field_paths(meta))
    values["image_alt"] = meta.get("image_alt")
    values[BODY] = body.strip("\n")
    return values


_DERIVED = ("captions", "image_alt")  # fields hub.posts.derive rebuilds from the others
# Job facts read from the raw XML, which a broken document does not give: a
# job's closing day is never moved by a feed that did not parse cleanly.
_FROM_RAW_XML = ("expires", "location", "job_type")


def owned(hashes: Mapping[str, str], values: Mapping[str, Any]) -> bool:
    """True when every tracked value in a file is exactly what the sync wrote.

    Only then may the file's hash stand for "all fields the sync's" and let a
    later run skip parsing it; a value with no hash (a person added it) or a
    hash a rebuilt state marks as edited makes the file a person's.
    """
    return all(posts.value_hash(values.get(p)) == h for p, h in hashes.items()) and all(
        p in hashes for p, v in values.items() if v not in posts.EMPTY
    )


def file_hashes(text: str, source: str) -> dict[str, str] | None:
    """The hash of each tracked value a post file holds (None if it cannot be read)."""
    try:
        parsed = posts.parse(text, source)
    except ValueError:
        return None
    hashes = {p: posts.value_hash(v) for p, v in tracked(parsed.meta, parsed.body).items()}
    # captions are owned per wording (hub.posts.captions): each wording's hash too
    for network, wordings in (parsed.meta.get("captions") or {}).items():
        if isinstance(wordings, list):
            for index, wording in enumerate(wordings):
                hashes[captions.wording_path(network, index)] = posts.value_hash(wording)
    return hashes


@dataclass
class Merge:
    changes: dict[str, Any]
    body: str | None
    hashes: dict[str, str]
    kept: int


def merge(
    current: Mapping[str, Any] | None, written: Mapping[str, str], fresh: Mapping[str, Any]
) -> Merge:
    """Which fresh values may replace the file's, and the hashes to remember.

    `current` is the file's tracked values (None when the file is exactly as
    the sync last wrote it), `written` the hashes of what the sync wrote,
    `fresh` the feed's values now. A field changes only if the file still
    holds the sync's last value; a field the sync never wrote is filled only
    while the file has none.
    """
    changes: dict[str, Any] = {}
    hashes = dict(written)
    body = None
    kept = 0
    for path in sorted(set(fresh) | {p for p in written if p.startswith("captions.")}):
        new = fresh.get(path)
        new_hash = posts.value_hash(new)
        if path in written:
            untouched = current is None or posts.value_hash(current.get(path)) == written[path]
        else:
            untouched = current is None or current.get(path) in posts.EMPTY
        if not untouched:
            if new_hash != written.get(path):
                kept += 1
            continue
        if new_hash == written.get(path):
            continue
        if path == BODY:
            body = new or ""
        else:
            changes[path] = new
        hashes[path] = new_hash
    return Merge(changes, body, hashes, kept)


# --- I/O: one feed at a time -------------------------------------------------


class Syncer:
    """Syncs feeds into one posts folder, holding the lock for the whole run."""

    def __init__(
        self,
        config: HubConfig,
        root: Path,
        posts_dir: Path,
        today: dt.date,
        lock_timeout: float = LOCK_TIMEOUT,
        refresh: bool = False,
    ):
        self.lock_timeout = lock_timeout
        self.refresh = refresh
        self.config = config
        self.root = root
        self.posts_dir = posts_dir
        self.today = today
        self.taken: set[str] = set()
        self.created: set[str] = set()  # post files this run created for feed items
        self._by_feed: dict[str, list[Path]] | None = None

    def _scan_taken(self) -> None:
        """Names no new item may get: posts on disk and every name a state remembers."""
        if self.posts_dir.is_dir():
            self.taken = {p.stem for p in self.posts_dir.glob("*.md")}
        self.taken |= {Path(p).stem for p in state.known_paths(self.posts_dir)}

    def _clean_temporary(self) -> None:
        """Remove the half-written files a killed run left (write_atomic's names).

        Called under the lock, so no other sync is writing them.
        """
        folders = (self.posts_dir, state.state_dir(self.posts_dir))
        for folder, pattern in zip(folders, (".*.md.*.tmp", ".*.json.*.tmp"), strict=True):
            for stale in folder.glob(pattern):
                try:
                    stale.unlink(missing_ok=True)
                except OSError:
                    continue  # a read-only folder: reported when a write fails

    def run(self, feeds: Iterable[FeedConfig], offline: bool = False) -> SyncReport:
        lock = acquire_lock(self.posts_dir, self.lock_timeout)
        try:
            self._clean_temporary()
            self._scan_taken()
            report = SyncReport()
            progress = Progress()
            for feed in feeds:
                if offline and feed.is_remote:
                    log.info("%s: skipped (offline)", feed.name)
                    continue
                progress.start(feed.name)
                result = self._sync_feed_safely(feed)
                progress.done(result)
                report.feeds.append(result)
            report.handwritten = self._sync_handwritten()
            return report
        finally:
            lock.release()

    def _sync_feed_safely(self, feed: FeedConfig) -> FeedReport:
        """One feed; a file the sync cannot write is that feed's error, not the run's."""
        try:
            return self.sync_feed(feed)
        except OSError as exc:
            report = FeedReport(feed.name)
            report.error = (
                f"{feed.name}: {exc.filename or self.posts_dir}: cannot write "
                f"({exc.strerror}); make the posts folder writable and sync again"
            )
            return report

    def sync_feed(self, feed: FeedConfig) -> FeedReport:
        from hub.feeds.fetch import Details, FetchError, fetch
        from hub.feeds.parse import FeedError
        from hub.feeds.sources import read_feed

        report = FeedReport(feed.name)
        try:
            previous = state.load(self.posts_dir, feed.name)
            pending = state.load_pending(self.posts_dir, feed.name)
        except state.StateError as exc:
            report.error = f"{feed.name}: {exc}"
            return report
        feed_state = previous or self._recover(feed)
        if pending:
            self._finish_killed_run(feed_state, pending)
        try:
            result = fetch(
                feed.url,
                http=self.config.http,
                base_dir=self.root,
                etag=None if self.refresh else feed_state.etag,
                last_modified=None if self.refresh else feed_state.last_modified,
            )
        except FetchError as exc:
            report.error = str(exc)
            self._archive_expired(feed_state, report)
            state.save(self.posts_dir, feed_state)
            state.clear_pending(self.posts_dir, feed.name)
            return report
        content_hash = state.digest(result.content) if result.content is not None else None
        whole = True
        if result.status == "not-modified" or (
            not self.refresh and content_hash is not None and content_hash == feed_state.content
        ):
            report.not_modified = True
            report.unchanged = len(feed_state.items)
        else:
            assert result.content is not None  # fetch's "ok" always carries the body
            details_path = state.details_path(self.posts_dir, feed.name)
            details = Details(self.config.http, self.root, kept=Details.load(details_path))
            try:
                parsed = read_feed(result.content, feed, source=feed.url, details=details)
            except FeedError as exc:
                report.error = str(exc)
                self._archive_expired(feed_state, report)
                state.save(self.posts_dir, feed_state)
                state.clear_pending(self.posts_dir, feed.name)
                return report
            report.warning = parsed.warning
            if parsed.warning:
                log.warning("%s: %s", feed.name, parsed.warning)
            self._sync_items(feed, parsed.items, feed_state, report, partial=bool(parsed.warning))
            if details.used or details.kept:
                details_path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(details_path, details.dumps())
            # Part of it still to be had (a job's details): not recorded as seen,
            # so the next run reads the feed again instead of getting a 304.
            whole = not getattr(parsed, "retry", False)  # hub.feeds.sources.common.SourceFeed
            if whole:
                feed_state.content = content_hash
            else:
                feed_state.content = feed_state.etag = feed_state.last_modified = None
        if whole:
            feed_state.etag = result.etag or feed_state.etag
            feed_state.last_modified = result.last_modified or feed_state.last_modified
        self._archive_expired(feed_state, report)
        state.save(self.posts_dir, feed_state)
        state.clear_pending(self.posts_dir, feed.name)
        return report

    def _finish_killed_run(
        self, feed_state: state.FeedState, pending: dict[str, state.ItemState]
    ) -> None:
        """Take from a killed run's intent exactly what its post files show it wrote."""
        for item_id, new in sorted(pending.items()):
            path = self.posts_dir / new.path
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                holds = None
            else:
                holds = file_hashes(text, str(path)) or {}
            old = feed_state.items.get(item_id)
            resolved = state.resolve(old, new, holds)
            if resolved is not None:
                feed_state.items[item_id] = resolved
        state.save(self.posts_dir, feed_state)
        state.clear_pending(self.posts_dir, feed_state.feed)

    def _files_naming(self, feed: str) -> list[Path]:
        """Post files whose text names `feed` (candidates, checked by parsing).

        The folder is read once per run, on the first feed that has no state,
        not once per such feed: a first sync of many feeds stays linear.
        """
        if self._by_feed is None:
            self._by_feed = {}
            for path in posts.iter_posts(self.posts_dir):
                try:
                    text = path.read_text(encoding="utf-8")
                except OSError:
                    continue
                for name in set(_FEED_KEY.findall(text)):
                    self._by_feed.setdefault(name, []).append(path)
        return self._by_feed.get(feed, [])

    def _recover(self, feed: FeedConfig) -> state.FeedState:
        """Without state, find this feed's posts by their `source:` block.

        Their fields are all treated as edited by a person (no hash is known),
        so a lost state can never cause an overwrite.
        """
        recovered = state.FeedState(feed=feed.name)
        for path in self._files_naming(feed.name):
            try:
                parsed = posts.read(path)
            except (ValueError, OSError):
                continue
            meta = parsed.meta
            source = meta.get("source") or {}
            if isinstance(source, dict) and source.get("feed") == feed.name and source.get("id"):
                recovered.items[str(source["id"])] = state.ItemState(
                    path=path.relative_to(self.posts_dir).as_posix(),
                    fields=dict.fromkeys(tracked(meta, parsed.body), state.EDITED),
                    expires=meta.get("expires"),
                    status=meta.get("status"),
                )
        if recovered.items:
            log.warning(
                "%s: no sync state in %s; found %d existing post(s) and will keep them as they are",
                feed.name,
                state.state_dir(self.posts_dir),
                len(recovered.items),
            )
        return recovered

    def _sync_items(
        self,
        feed: FeedConfig,
        items: list[Any],
        feed_state: state.FeedState,
        report: FeedReport,
        partial: bool = False,
    ) -> None:
        """Plan every write, record the intent, then write the posts.

        `partial`: the feed did not parse cleanly, so an empty value in it may
        be a cut, not a change: it never blanks a field of a post that exists.
        """
        from hub.feeds.sanitize import clean_html, to_markdown

        writes: list[_Write] = []
        seen: set[str] = set()
        limit = feed.max_items or len(items)
        for item in items[:limit]:
            reason = getattr(item, "rejected", None)
            if reason or not item.link:
                report.rejected.append(f"{item.title or item.id}: {reason or 'no http(s) link'}")
                continue
            if item.id in seen:
                report.rejected.append(f"{item.title}: duplicate id {item.id!r} in the feed")
                continue
            seen.add(item.id)
            known = feed_state.items.get(item.id)
            if known and known.fingerprint == item.fingerprint and not self.refresh:
                report.unchanged += 1
                continue
            slug = Path(known.path).stem if known else post_slug(item.title, item.id, self.taken)
            fresh = fresh_fields(item, feed, self.config, slug)
            body = to_markdown(clean_html(item.content_html or "", item.link))
            if known is None:
                writes.append(self._create(feed, item, slug, fresh, body))
                report.new += 1
                continue
            write, kept = self._update(item.id, known, fresh, body, partial, slug)
            known.fingerprint = item.fingerprint
            report.kept += kept
            if write is not None:
                write.entry.fingerprint = item.fingerprint
                writes.append(write)
                report.updated += 1
            else:
                report.unchanged += 1
        for line in report.rejected:
            log.warning("%s: rejected item %s", feed.name, line)
        self._write(feed_state, writes)

    def _write(self, feed_state: state.FeedState, writes: list[_Write]) -> None:
        """Intent first, then the posts; the caller saves the state, then drops the intent."""
        if not writes:
            return
        state.save_pending(self.posts_dir, feed_state.feed, {w.item_id: w.entry for w in writes})
        for w in writes:
            if w.text is not None:
                write_atomic(self.posts_dir / w.entry.path, w.text, durable=w.durable)
            feed_state.items[w.item_id] = w.entry

    def _create(
        self, feed: FeedConfig, item: Any, slug: str, fresh: dict[str, Any], body: str
    ) -> _Write:
        meta = {**fresh, **creation_fields(feed, slug, item)}
        text = posts.render(meta, body, feed=feed.name)
        self.taken.add(slug)
        self.created.add(f"{slug}.md")
        hashes = {k: posts.value_hash(v) for k, v in tracked(fresh, body).items()}
        hashes.update(captions.merge_wordings(None, {}, fresh["captions"], posts.value_hash).hashes)
        entry = state.ItemState(
            path=f"{slug}.md",
            fingerprint=item.fingerprint,
            file=state.digest(text),
            fields=hashes,
            expires=meta.get("expires"),
            status=meta["status"],
        )
        return _Write(item.id, entry, text, durable=False)

    def _update(
        self, item_id: str, known: state.ItemState, fresh: dict[str, Any], body: str, partial: bool,
        slug: str,
    ) -> tuple[_Write | None, int]:
        """The write that brings a post up to date (None: nothing to write), and edits kept."""
        path = self.posts_dir / known.path
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None, 0  # a person deleted it: that is their decision, and the name stays theirs
        fresh_values = tracked(fresh, body)
        if partial:  # what a broken feed leaves out may be a cut, not a change
            fresh_values = {
                k: v for k, v in fresh_values.items()
                if v not in posts.EMPTY and k not in _FROM_RAW_XML
            }
        if state.digest(text) == known.file:
            current = None
        else:
            try:
                parsed = posts.parse(text, str(path))
            except ValueError as exc:
                log.warning("%s; left as it is", exc)
                return None, 0
            current = tracked(parsed.meta, parsed.body.strip("\n"))
            # A file whose every tracked value is the sync's is the sync's again
            # (a person changed only `pinned`, say): the next run need not parse it.
            known.file = state.digest(text) if owned(known.fields, current) else ""
        result = merge(
            current,
            {k: v for k, v in known.fields.items() if not k.startswith(_DERIVED)},
            {k: v for k, v in fresh_values.items() if not k.startswith(_DERIVED)},
        )
        # Alt text and captions follow the post as it now reads, per wording (hub.posts.derive).
        now = {**posts.parse(text).meta, **result.changes}
        derived = derive.reconcile(now, known.fields, self.config, slug, untouched=current is None)
        result.changes.update(derived.changes)
        result.hashes.update(derived.hashes)
        result.kept += derived.kept
        if not result.changes and result.body is None:
            known.fields = result.hashes
            known.seen = state.digest(text)
            return None, result.kept
        new_text = posts.update(text, result.changes, body=result.body)
        written = posts.parse(new_text)
        meta = written.meta
        # Remember the file's hash only while every tracked field is the sync's:
        # that hash lets the next run skip parsing and treat all fields as ours.
        ours = owned(result.hashes, tracked(meta, written.body))
        entry = state.ItemState(
            path=known.path,
            fingerprint=known.fingerprint,
            file=state.digest(new_text) if ours else "",
            fields=result.hashes,
            expires=meta.get("expires"),
            status=meta.get("status"),
            seen=state.digest(new_text),
        )
        return _Write(item_id, entry, new_text if new_text != text else None), result.kept

    def _sync_handwritten(self) -> FeedReport:
        """Hand-written posts (no feed): alt text and unedited wordings follow their words.

        `advocacy-hub new` records what it wrote (state HANDWRITTEN); a post
        the hub has no record of is adopted (hub.posts.derive.adopted_fields:
        only wordings `new` would have written are the hub's). A post is read
        only when its file changed since the sync last saw it.
        """
        report = FeedReport("hand-written posts")
        try:
            hand = state.load(self.posts_dir, state.HANDWRITTEN)
            pending = state.load_pending(self.posts_dir, state.HANDWRITTEN)
        except state.StateError as exc:
            report.error = str(exc)
            log.error("%s", exc)
            return report
        hand = hand or state.FeedState(feed=state.HANDWRITTEN)
        if pending:
            self._finish_killed_run(hand, pending)
        feeds_own = state.known_paths(self.posts_dir, skip=state.HANDWRITTEN) | self.created
        writes: list[_Write] = []
        for path in sorted(self.posts_dir.glob("*.md")) if self.posts_dir.is_dir() else ():
            name = path.name
            if name in feeds_own:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                continue
            known = hand.items.get(name)
            if known is not None and known.unchanged(state.digest(text)):
                report.unchanged += 1
                continue
            try:
                parsed = posts.parse(text, str(path))
            except ValueError as exc:
                log.warning("%s; left as it is", exc)
                continue
            if parsed.meta.get("source"):
                continue  # a feed's post whose state was lost: that feed's recovery keeps it
            fields = known.fields if known else derive.adopted_fields(parsed.meta, self.config)
            derived = derive.reconcile(parsed.meta, fields, self.config, path.stem)
            report.kept += derived.kept
            if not derived.changes:
                hand.items[name] = state.ItemState(
                    path=name, fields=derived.hashes, seen=state.digest(text)
                )
                report.unchanged += 1
                continue
            new_text = posts.update(text, derived.changes)
            entry = state.ItemState(path=name, fields=derived.hashes, seen=state.digest(new_text))
            writes.append(_Write(name, entry, new_text))
            report.updated += 1
        self._write(hand, writes)
        if hand.items:
            state.save(self.posts_dir, hand)
        state.clear_pending(self.posts_dir, state.HANDWRITTEN)
        if report.updated or report.kept:
            log.info(
                "hand-written posts: %d updated from their words, %d edited wording(s) kept",
                report.updated, report.kept,
            )
        return report

    def _archive_expired(self, feed_state: state.FeedState, report: FeedReport) -> None:
        """Every post of the feed on disk, on every run, whatever the feed did.

        A post edited since the sync last saw it (its hash is neither `file`
        nor `seen`) gets its alt text and unedited wordings rebuilt from its
        words as they now read (hub.posts.derive), so comms' edit to a title,
        summary or hashtags reaches them on the next sync even when the feed
        item did not change. Posts past their `expires` day become archived
        (never deleted). Untouched posts cost one read and one hash.
        """
        today = self.today.isoformat()
        writes: list[_Write] = []
        for item_id, known in feed_state.items.items():
            path = self.posts_dir / known.path
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                continue
            if not known.unchanged(state.digest(text)):
                try:
                    parsed = posts.parse(text, str(path))
                except ValueError:
                    continue
                known.expires, known.status = parsed.meta.get("expires"), parsed.meta.get("status")
                write = self._follow(item_id, known, text, parsed, today, report)
                if write is not None:
                    writes.append(write)
                continue
            expires = str(known.expires or "")[:10]
            if not expires or expires >= today or known.status == "archived":
                continue
            new_text = posts.update(text, {"status": "archived"})
            write_atomic(path, new_text)
            known.file = state.digest(new_text) if known.file else ""
            known.seen = state.digest(new_text)
            known.status = "archived"
            report.archived += 1
        self._write(feed_state, writes)

    def _follow(
        self, item_id: str, known: state.ItemState, text: str, parsed: posts.PostFile,
        today: str, report: FeedReport,
    ) -> _Write | None:
        """The write that brings an edited post's derived fields (and status) up to date."""
        derived = derive.reconcile(parsed.meta, known.fields, self.config, Path(known.path).stem)
        hashes = {k: v for k, v in known.fields.items() if not k.startswith(_DERIVED)}
        hashes.update(derived.hashes)
        report.kept += derived.kept
        changes = dict(derived.changes)
        expires = str(known.expires or "")[:10]
        archive = bool(expires) and expires < today and known.status != "archived"
        if archive:
            changes["status"] = "archived"
        if not changes:
            known.fields = hashes
            ours = owned(hashes, tracked(parsed.meta, parsed.body))
            known.file = state.digest(text) if ours else ""
            known.seen = state.digest(text)
            return None
        new_text = posts.update(text, changes)
        written = posts.parse(new_text)
        ours = owned(hashes, tracked(written.meta, written.body))
        entry = state.ItemState(
            path=known.path, fingerprint=known.fingerprint,
            file=state.digest(new_text) if ours else "", fields=hashes,
            expires=written.meta.get("expires"), status=written.meta.get("status"),
            seen=state.digest(new_text),
        )
        report.archived += archive
        if derived.changes:  # counted once: no longer among the unchanged
            report.updated += 1
            report.unchanged = max(0, report.unchanged - 1)
        return _Write(item_id, entry, new_text)


@dataclass
class _Write:
    """A planned post write and the state entry that goes with it."""

    item_id: str
    entry: state.ItemState
    text: str | None  # None: only the entry changes (the file already says it)
    durable: bool = True


class SyncError(Exception):
    pass


class Progress:
    """Per-feed progress on a terminal; plain log lines in CI and pipes."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty() and not os.environ.get("CI")
        self.started = 0.0

    def start(self, name: str) -> None:
        self.started = time.perf_counter()
        if self.live:
            sys.stderr.write(f"\r\x1b[K  syncing {name}…")
            sys.stderr.flush()

    def done(self, r: FeedReport) -> None:
        if self.live:
            sys.stderr.write("\r\x1b[K")
        took = time.perf_counter() - self.started
        if r.error:
            return  # reported once, in the summary at the end
        what = (
            "not modified"
            if r.not_modified
            else (f"{r.new} new, {r.updated} updated, {r.unchanged} unchanged")
        )
        extra = f", {r.archived} archived" if r.archived else ""
        extra += f", {len(r.rejected)} rejected" if r.rejected else ""
        extra += f", kept {r.kept} edited field(s)" if r.kept else ""
        log.info("%s: %s%s (%.2f s)", r.feed, what, extra, took)


def parse_today(value: str | None) -> dt.date:
    """The day expiry is judged by: --today, else the build's today (HUB_TODAY or UTC)."""
    return dates.option_or_today(value, "--today")


def sync(
    config: HubConfig,
    root: Path,
    *,
    posts_dir: Path | None = None,
    only: Iterable[str] | None = None,
    today: dt.date | None = None,
    offline: bool = False,
    lock_timeout: float = LOCK_TIMEOUT,
    refresh: bool = False,
) -> SyncReport:
    """Sync the configured feeds (or those named in `only`) into the posts folder."""
    feeds = [config.feed(name) for name in only] if only else list(config.feeds)
    target = posts_dir or (root / config.posts_dir)
    syncer = Syncer(config, root, target, today or parse_today(None), lock_timeout, refresh)
    return syncer.run(feeds, offline=offline)


def acquire_lock(posts_dir: Path, timeout: float) -> FileLock:
    """The sync's lock on `posts_dir`, held by whatever writes its posts or state.

    One sync at a time, and `advocacy-hub new` recording a post never
    interleaves with one; every failure is one line that says what to do.
    """
    lock_path = state.state_dir(posts_dir) / "lock"
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(lock_path), timeout=timeout)
        lock.acquire()
    except Timeout:
        raise SyncError(
            f"{lock_path}: another sync has held the lock for {timeout:g} s; "
            "wait for it to finish (or delete the lock file if no sync is running)"
        ) from None
    except OSError as exc:
        raise SyncError(
            f"{exc.filename or lock_path}: cannot write ({exc.strerror}); "
            f"make {posts_dir} writable for the sync"
        ) from None
    return lock


def record_handwritten(
    posts_dir: Path, name: str, text: str, lock_timeout: float = LOCK_TIMEOUT
) -> None:
    """Remember what the hub wrote into a new hand-written post (`advocacy-hub new`).

    With it, the sync knows which wordings and alt text are still the hub's
    when comms replace the TODO title and summary, and rebuilds exactly those.
    Taken under the sync's lock, so a running sync never loses the entry.
    """
    lock = acquire_lock(posts_dir, lock_timeout)
    try:
        hand = state.load(posts_dir, state.HANDWRITTEN) or state.FeedState(feed=state.HANDWRITTEN)
        fields = derive.written_fields(posts.parse(text, name).meta)
        hand.items[name] = state.ItemState(path=name, fields=fields, seen=state.digest(text))
        state.save(posts_dir, hand)
    finally:
        lock.release()


def _finish(report: SyncReport) -> int:
    for failed in report.failed:
        log.error("%s", failed.error)
    log.info("sync: %s", report.summary())
    return 1 if report.failed else 0


def command(args: Any) -> int:
    config_path = Path(args.config)
    config = load_config(config_path)
    try:
        report = sync(
            config,
            config_path.resolve().parent,
            only=args.feed,
            today=parse_today(args.today),
            offline=args.offline,
            refresh=args.refresh,
        )
    except SyncError as exc:
        log.error("%s", exc)
        return 2
    return _finish(report)


def try_command(args: Any) -> int:
    """Sync a candidate feed into a scratch folder, so comms see it before approving it."""
    config_path = Path(args.config)
    base = load_config(config_path) if config_path.exists() else HubConfig()
    out = Path(args.out)
    feed = FeedConfig(
        name="candidate",
        title=args.source,
        url=str(Path(args.source).resolve()) if Path(args.source).exists() else args.source,
        category=args.category,
        language=args.language,
        approval=args.approval,
    )
    config = base.model_copy(update={"feeds": [feed]})
    posts_dir = out / "content" / "posts"
    try:
        report = sync(config, Path.cwd(), posts_dir=posts_dir, today=parse_today(args.today))
    except SyncError as exc:
        log.error("%s", exc)
        return 2
    code = _finish(report)
    log.info("candidate posts written to %s", posts_dir)
    if args.preview and not report.failed:
        from hub.site.build import preview

        code = preview(config_path, out) or code
    return code


__all__ = ["BrandConfig", "SyncReport", "command", "merge", "sync", "try_command"]
