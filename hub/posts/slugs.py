"""File names for posts: readable, stable, unique and safe on every OS.

Latin titles keep their words; other scripts are transliterated to ASCII
(Chinese becomes pinyin syllables, Arabic and Devanagari a romanization),
which keeps names meaningful, safe in URLs and free of Unicode normalization
traps (macOS writes NFD, git on Linux NFC). When a title gives nothing usable
the item's id gives a short hash, so the name is still stable.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection

from slugify import slugify

MAX_LENGTH = 72  # characters; ASCII, so bytes too: far below every OS's 255-byte limit
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9]|index|page|tags?|category|cards)$")


def slugify_title(title: str, max_length: int = MAX_LENGTH) -> str:
    """A readable ASCII slug for a title, or '' when the title has no letters at all."""
    slug = slugify(
        title or "",
        max_length=max_length,
        word_boundary=True,
        save_order=True,
        lowercase=True,
    )
    return slug.strip("-")


def short_hash(key: str, length: int = 8) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:length]


def post_slug(title: str, key: str, taken: Collection[str]) -> str:
    """The slug for a new item, unique among `taken` (existing file stems).

    `key` is the item's stable id: it names title-less items and breaks ties,
    so the same feed gives the same names on every machine.
    """
    base = slugify_title(title) or f"post-{short_hash(key)}"
    if _RESERVED.match(base):
        base = f"{base}-post"
    if base not in taken:
        return base
    for n in range(2, 1000):
        candidate = f"{base[: MAX_LENGTH - 4]}-{n}"
        if candidate not in taken:
            return candidate
    return f"{base[: MAX_LENGTH - 9]}-{short_hash(key)}"
