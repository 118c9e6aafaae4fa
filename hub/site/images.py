"""Pictures in post bodies, served by the hub itself: nothing on a page is hot-linked.

A synced body keeps the feed's `![alt](https://...)`: shown as it is, every
view would ask the company's web site (or a CDN) for it, and an intranet
that filters the internet would show a broken image. So `advocacy-hub build`
downloads each one once (`fetch`, with the feeds' limits: hub.feeds.fetch)
into the cards' picture cache, the same file the cards stage uses for a
post's `picture`, and the generator (`localize`, no network) points the body
at the hub's copy, with its width and height so the page does not jump.

Only PNG, JPEG, WebP, GIF and AVIF are kept, told by what Pillow reads in
the file, not by what the server says: SVG can carry script and is never
used. A picture that is not in the cache is dropped, its alt text kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image

from hub.config import HttpConfig
from hub.files import write_atomic

log = logging.getLogger("hub.site.images")

PICTURES = ".pictures"  # hub.cards.draw.PICTURES: one cache for cards and bodies
FAILED = ".body-images-failed.json"
RETRY_AFTER = 24 * 3600  # seconds before a picture that failed is asked for again
SITE_FOLDER = "assets/hub/images"
KINDS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}

# What hub.feeds.sanitize writes for an <img>: ![alt](url), the alt text
# Markdown-escaped (so it holds no unescaped "]"), the URL without spaces.
_MD_IMAGE = re.compile(
    r"!\[((?:\\.|[^\]\\\n])*)\]\(\s*<?(https?://[^\s<>()]+)>?(?:\s+(\"[^\"\n]*\"))?\s*\)"
    r"(\{[^}\n]*\})?"
)


@dataclass(frozen=True)
class Local:
    """The hub's copy of a picture: its site-relative path and size in pixels."""

    path: str
    width: int
    height: int


def cache_name(url: str) -> str:
    """The cache file of `url`, named as hub.cards.draw names a post's picture."""
    return hashlib.sha256(url.encode()).hexdigest()[:32]


def remote_images(body: str) -> list[str]:
    """The http(s) pictures a Markdown body shows, each once, in order."""
    return list(dict.fromkeys(m.group(2) for m in _MD_IMAGE.finditer(body)))


def identify(blob: bytes) -> tuple[str, int, int] | None:
    """(file suffix, width, height) of an allowed picture; None for anything else (SVG)."""
    try:
        with Image.open(BytesIO(blob)) as picture:
            kind = KINDS.get(str(picture.format))
            width, height = picture.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    if kind is None or width < 1 or height < 1:
        return None
    return kind, width, height


def localize(body: str, lookup: Callable[[str], Local | None],
             rel: Callable[[str], str]) -> tuple[str, list[Local], list[str]]:
    """The body with each remote picture pointed at the hub's copy or, if none, its alt text.

    A picture's title (its tooltip) is kept.

    Returns the body, the copies it uses and the URLs it dropped. `rel`
    turns a site-relative path into one relative to the page.
    """
    used: list[Local] = []
    dropped: list[str] = []

    def replace(match: re.Match[str]) -> str:
        alt, url = match.group(1), match.group(2)
        local = lookup(url)
        if local is None:
            dropped.append(url)
            return alt
        if local not in used:
            used.append(local)
        title = f" {match.group(3)}" if match.group(3) else ""  # the tooltip stays
        return (f'![{alt}]({rel(local.path)}{title})'
                f'{{ width="{local.width}" height="{local.height}" }}')

    return _MD_IMAGE.sub(replace, body), used, dropped


class Cache:
    """The downloaded pictures under the cards folder, read (not fetched) by the generator."""

    def __init__(self, cards_dir: Path) -> None:
        self.folder = cards_dir / PICTURES
        self._known: dict[str, tuple[Local, Path] | None] = {}

    def file(self, url: str) -> Path:
        return self.folder / cache_name(url)

    def get(self, url: str) -> Local | None:
        if url not in self._known:
            self._known[url] = self._read(url)
        found = self._known[url]
        return found[0] if found else None

    def source(self, local: Local) -> Path:
        """The cached file behind a copy `get` returned."""
        return self.folder / Path(local.path).stem

    def _read(self, url: str) -> tuple[Local, Path] | None:
        path = self.file(url)
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        found = identify(blob)
        if found is None:
            return None
        kind, width, height = found
        return Local(f"{SITE_FOLDER}/{path.name}.{kind}", width, height), path


def fetch(urls: Iterable[str], cards_dir: Path, http: HttpConfig,
          now: Callable[[], float] = time.time) -> list[str]:
    """Download the pictures not yet in the cache; one warning line per one that failed.

    A failure is remembered for a day (in cards/.pictures/.body-images-failed.json)
    so an unreachable host costs one try a day, not one a build.
    """
    from hub.feeds.fetch import FetchError, fetch_image

    folder = cards_dir / PICTURES
    failed_file = folder / FAILED
    try:
        failed: dict[str, float] = json.loads(failed_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        failed = {}
    warnings: list[str] = []
    changed = False
    for url in dict.fromkeys(urls):
        path = folder / cache_name(url)
        if path.is_file():
            continue
        if now() - failed.get(url, -RETRY_AFTER) < RETRY_AFTER:
            continue
        try:
            blob = fetch_image(url, http)
            if identify(blob) is None:
                raise FetchError(f"{url}: not a PNG, JPEG, WebP, GIF or AVIF picture; "
                                 "link a picture in one of those formats")
        except FetchError as exc:
            warnings.append(f"picture not used: {exc}")
            failed[url] = now()
            changed = True
            continue
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, blob, durable=False)
        if failed.pop(url, None) is not None:
            changed = True
    if changed:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(failed_file, json.dumps(failed, sort_keys=True), durable=False)
    return warnings
