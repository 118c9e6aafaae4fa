"""Pictures in synced post bodies, copied to the hub instead of hot-linked.

A feed body keeps `![alt](https://www.acme.example/...)`: left as it is, every
view of the post asks another host for the picture (a third-party request
the hub promises not to make) and shows a broken image wherever the
intranet filters the internet. So each picture is downloaded once, with
the same limits as feeds (hub.feeds.fetch.fetch_image: size cap, timeouts,
image/* only), checked by its bytes (PNG, JPEG, WebP, GIF or AVIF; SVG never:
it can carry script), stored under a name made of its content hash, and
written back into the Markdown with its width and height (attr_list) so the
page does not jump while it loads. A picture that cannot be had is dropped
with one warning line and its alt text stays in the body as plain text.

Pure apart from `fetch` (injected) and the writes into `directory`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from hub.feeds.fetch import FetchError
from hub.files import write_atomic

log = logging.getLogger("hub.images")

# Pillow's format name -> the file extension the hub serves it under.
ALLOWED = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}

# markdownify's image syntax: ![alt](url) or ![alt](url "title"); alt and
# title with backslash escapes, as hub.feeds.sanitize writes them.
MD_IMAGE = re.compile(
    r'!\[(?P<alt>(?:\\.|[^\]\\])*)\]\((?P<url>https?://[^\s)]+)(?:\s+"(?P<title>(?:\\.|[^"\\])*)")?\)'
)


class ImageError(ValueError):
    """Bytes that are not a picture the hub serves."""


@dataclass(frozen=True)
class Stored:
    name: str
    width: int
    height: int


def identify(data: bytes) -> tuple[str, int, int]:
    """(extension, width, height) from the bytes themselves, not from what the server claimed."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format or "", image.size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImageError("not a PNG, JPEG, WebP, GIF or AVIF picture") from exc
    if kind not in ALLOWED:
        raise ImageError(f"{kind} pictures are not served; use PNG, JPEG, WebP, GIF or AVIF")
    return ALLOWED[kind], width, height


def store(data: bytes, directory: Path) -> Stored:
    """Write the picture once under its content hash (same bytes, same name, every run)."""
    ext, width, height = identify(data)
    name = f"{hashlib.sha256(data).hexdigest()[:20]}.{ext}"
    path = directory / name
    if not path.exists():
        write_atomic(path, data)
    return Stored(name, width, height)


def localise_markdown(
    markdown: str, fetch: Callable[[str], bytes], directory: Path, prefix: str, where: str,
) -> str:
    """The Markdown with every remote picture replaced by the hub's copy (or by its alt text).

    `prefix` is how the Markdown file reaches `directory` (for example
    `images/`); `where` names the post or feed item in warnings. One fetch per
    distinct URL.
    """
    done: dict[str, Stored | None] = {}

    def replace(match: re.Match[str]) -> str:
        url = match.group("url")
        if url not in done:
            try:
                done[url] = store(fetch(url), directory)
            except (FetchError, OSError, ValueError) as exc:
                log.warning("%s: picture %s dropped (%s); its alt text stays", where, url, exc)
                done[url] = None
        stored = done[url]
        alt = match.group("alt")
        if stored is None:
            return alt
        title = f' "{match.group("title")}"' if match.group("title") is not None else ""
        return (
            f"![{alt}]({prefix}{stored.name}{title})"
            f'{{ width="{stored.width}" height="{stored.height}" }}'
        )

    return MD_IMAGE.sub(replace, markdown)
