"""Post files: the Markdown + YAML frontmatter that every later stage reads.

A post file is the contract between the sync, comms, the cards and the site.
Comms own a file once it exists, so this module also holds the merge rule:
the sync may change a field only while it still holds exactly the value the
sync wrote last time (known from a hash kept in the sync state); anything a
person changed is theirs for good.

One dialect, YAML 1.1, for the whole hub: `parse` (PyYAML's C loader, fast
for thousands of posts) is the one reader of post fields. New files are
written by PyYAML too; updates go through ruamel.yaml round-trip, which keeps
a person's comments, key order and quoting when the sync updates one field,
but speaks YAML 1.2, so every text it writes that YAML 1.1 would read as
something else (`no`, `On`, `12:30`, `1_000`) is quoted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

from hub.config import Category

# Where the cards stage draws a post's cards, relative to the content folder:
# the `image`/`image_square` a new post points at, by card format.
CARDS_DIR = "cards"
CARD_SUFFIX = {"landscape": ".png", "square": "-square.png"}


def card_path(slug: str, fmt: str) -> str:
    """A post's drawn card, content-relative (`fmt`: a CARD_SUFFIX key)."""
    return f"{CARDS_DIR}/{slug}{CARD_SUFFIX[fmt]}"


def card_fields(slug: str) -> dict[str, str]:
    """The `image` and `image_square` a new post gets: the cards the cards stage draws."""
    return {"image": card_path(slug, "landscape"), "image_square": card_path(slug, "square")}


# -- the post schema --------------------------------------------------------
# One declaration of a post's fields: their types (what `check` validates),
# their order (how every writer lays out a file) and who writes them (SYNCED:
# the sync, while nobody has edited them; the rest: people, `new` for drafts).

SYNCED: dict[str, Any] = {"synced": True}
_HASHTAG = re.compile(r"^[^\s#!$%^&*+.,;:?/\\|<>()\[\]{}'\"`~=@]+$")


def _iso_datetime(value: str) -> str:
    text = value.replace("Z", "+00:00") if value.endswith("Z") else value
    try:
        if "T" in text or " " in text.strip():
            dt.datetime.fromisoformat(text)
        else:
            dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{value!r} is not a date; write '2026-11-20' or '2026-11-20T09:00:00Z'"
        ) from None
    return value


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or len(value) < 10:
        raise ValueError(f"{value!r} is not an http(s) URL; only http:// and https:// are allowed")
    return value


def _hashtag(value: str) -> str:
    if value.startswith("#"):
        raise ValueError(f"{value!r}: write hashtags without '#'")
    if not _HASHTAG.match(value):
        raise ValueError(f"{value!r} is not a hashtag: letters, digits and _ only")
    return value


IsoDate = Annotated[StrictStr, AfterValidator(_iso_datetime)]
HttpUrl = Annotated[StrictStr, AfterValidator(_http_url)]
Hashtag = Annotated[StrictStr, AfterValidator(_hashtag)]


class SourceMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    feed: StrictStr
    id: StrictStr
    url: HttpUrl | None = None


class EventMeta(BaseModel):
    """When and where an event happens (hub.posts.events)."""

    model_config = ConfigDict(extra="forbid")

    start: IsoDate
    end: IsoDate | None = None
    place: StrictStr | None = None


class PostMeta(BaseModel):
    """The post frontmatter contract (see README "Post files")."""

    model_config = ConfigDict(extra="allow")

    title: StrictStr = Field(min_length=1, json_schema_extra=SYNCED)
    summary: StrictStr | None = Field(None, json_schema_extra=SYNCED)
    status: Literal["draft", "approved", "archived"]
    pinned: StrictBool = False
    date: IsoDate = Field(json_schema_extra=SYNCED)
    updated: IsoDate | None = Field(None, json_schema_extra=SYNCED)
    publish_date: IsoDate | None = None
    expires: IsoDate | None = Field(None, json_schema_extra=SYNCED)
    category: Category = Field(json_schema_extra=SYNCED)
    tags: list[StrictStr] = Field([], json_schema_extra=SYNCED)
    hashtags: list[Hashtag] = Field([], json_schema_extra=SYNCED)
    language: Annotated[StrictStr, Field(pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")] = Field(
        "en", json_schema_extra=SYNCED
    )
    author: StrictStr | None = Field(None, json_schema_extra=SYNCED)
    campaign: StrictStr | None = Field(None, json_schema_extra=SYNCED)
    location: StrictStr | None = Field(None, json_schema_extra=SYNCED)
    job_type: StrictStr | None = Field(None, json_schema_extra=SYNCED)
    canonical_url: HttpUrl | None = Field(None, json_schema_extra=SYNCED)
    image: StrictStr | None = None
    image_square: StrictStr | None = None
    image_alt: StrictStr | None = None
    picture: StrictStr | None = Field(None, json_schema_extra=SYNCED)
    captions: dict[str, list[StrictStr]] = Field({}, json_schema_extra=SYNCED)
    share: StrictBool = True  # false: a hub-only announcement, no share panel
    event: EventMeta | None = None
    source: SourceMeta | None = None


KNOWN_KEYS = frozenset(PostMeta.model_fields)
# The order keys are written in, so a new file reads top-down like a form.
FIELD_ORDER = tuple(PostMeta.model_fields)
# Fields the sync keeps up to date from the feed while nobody has edited them.
# `captions.<network>` entries are tracked one network at a time, so editing
# the X wording does not freeze the LinkedIn one.
SYNCED_FIELDS = tuple(
    name for name, info in PostMeta.model_fields.items() if info.json_schema_extra == SYNCED
)

STATUSES = ("draft", "approved", "archived")

# The marker of text still to be written (`advocacy-hub new` fills fields with
# it): `check` errors on it, and captions are never built from it.
PLACEHOLDER = re.compile(r"\bTODO\b")

HEADER = (
    "Synced from the feed {feed!r}. Edit any field: the sync updates a field only\n"
    "while it still holds the value the sync wrote, so your changes are kept."
)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096
    y.allow_unicode = True
    y.indent(mapping=2, sequence=2, offset=0)  # PyYAML's layout, so updates stay minimal
    y.preserve_quotes = True
    return y


def normalize(value: Any) -> Any:
    """Plain JSON-able data: dates as ISO text, ruamel types as dict/list/str."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): normalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


# A field holding one of these says nothing: sync and derive treat it as not filled in.
EMPTY: tuple[Any, ...] = (None, "", [], {})


def value_hash(value: Any) -> str:
    """A short fingerprint of a field's value, as the sync state keeps it."""
    blob = json.dumps(normalize(value), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def field_paths(meta: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """The (path, value) pairs the sync tracks, captions split per network."""
    for name in SYNCED_FIELDS:
        if name == "captions":
            captions = meta.get("captions") or {}
            for network in sorted(captions):
                yield f"captions.{network}", captions[network]
        else:
            yield name, meta.get(name)


def get_path(meta: Mapping[str, Any], path: str) -> Any:
    node: Any = meta
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


@dataclass
class PostFile:
    meta: dict[str, Any]
    body: str


def split(text: str) -> tuple[str, str]:
    """Frontmatter text and body of a post file (frontmatter may be empty)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return "", text
    end = text.find("\n---", 3)
    if end < 0:
        return "", text
    front = text[3:end].lstrip("\n")
    rest = text[end + 4 :]
    newline = rest.find("\n")
    body = rest[newline + 1 :] if newline >= 0 else ""
    return front, body


def parse(text: str, source: str = "<post>") -> PostFile:
    """Read a post quickly; raise ValueError naming the file on bad YAML."""
    front, body = split(text)
    try:
        meta = yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 2}" if mark else ""
        raise ValueError(f"{source}{line}: frontmatter is not valid YAML") from None
    if not isinstance(meta, dict):
        raise ValueError(f"{source}: frontmatter must be a mapping of fields")
    return PostFile(normalize(meta), body)


def read(path: Path) -> PostFile:
    return parse(path.read_text(encoding="utf-8"), str(path))


_SHARED: dict[str, PostFile] = {}


def parse_shared(text: str, source: str = "<post>") -> PostFile:
    """`parse`, once per process for the same text: only for readers that never change it.

    `build` reads every post three times (its check, the pictures it
    fetches, the site); the YAML was a tenth of each. Bad YAML is never kept,
    so its error always names the file at hand.
    """
    found = _SHARED.get(text)
    if found is None:
        if len(_SHARED) >= 1 << 15:
            _SHARED.clear()
        found = _SHARED[text] = parse(text, source)
    return found


def _ordered(meta: Mapping[str, Any]) -> dict[str, Any]:
    out = {key: meta[key] for key in FIELD_ORDER if meta.get(key) is not None}
    for key in sorted(k for k in meta if k not in FIELD_ORDER and meta[k] is not None):
        out[key] = meta[key]
    return out


def _dump(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Multi-line text (captions, email bodies) as literal blocks: readable, editable."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _fast_dump(data: Mapping[str, Any]) -> str:
    """New files go through PyYAML's C emitter: a hundred times faster than ruamel.

    Its layout is the one `_yaml()` is set to, so a later round-trip update
    of one field changes only that field's lines.
    """
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
        default_flow_style=False,
    )


def render(meta: Mapping[str, Any], body: str, feed: str | None = None) -> str:
    """A new post file: header comment, ordered frontmatter, body."""
    data = _ordered(normalize(meta))
    header = ""
    if feed is not None:
        header = "".join(f"# {line}\n" for line in HEADER.format(feed=feed).splitlines())
    text = "---\n" + header + _fast_dump(data) + "---\n"
    body = body.strip("\n")
    return text + ("\n" + body + "\n" if body else "")


def update(text: str, changes: Mapping[str, Any], body: str | None = None) -> str:
    """Apply field changes to an existing file, keeping everything else as written.

    `changes` maps field paths (`title`, `captions.x`) to new values; None
    removes the key. The body is replaced only when `body` is given.
    """
    front, old_body = split(text)
    y = _yaml()
    data = y.load(front) if front.strip() else CommentedMap()
    if data is None:
        data = CommentedMap()
    for path, value in changes.items():
        parts = path.split(".")
        node = data
        for part in parts[:-1]:
            if part not in node or not isinstance(node[part], dict):
                node[part] = CommentedMap()
            node = node[part]
        key = parts[-1]
        if value is None:
            node.pop(key, None)
        elif key in node:
            node[key] = _literal(normalize(value))
        else:
            _insert_in_order(node, key, _literal(normalize(value)), top=node is data)
    new_front = _dump(data) if data else ""
    out = "---\n" + new_front + "---\n"
    new_body = (
        old_body if body is None else ("\n" + body.strip("\n") + "\n" if body.strip() else "")
    )
    return out + new_body


_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


def reads_as_text(value: str) -> bool:
    """Whether the reader (YAML 1.1) takes `value`, written plain, for text."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR


def _literal(value: Any) -> Any:
    """Multi-line text as a literal block, as new files write it; YAML 1.1 words quoted."""
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, str) and not reads_as_text(value):
        return SingleQuotedScalarString(value)
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    return value


def _insert_in_order(node: CommentedMap, key: str, value: Any, top: bool) -> None:
    if not top or key not in FIELD_ORDER:
        node[key] = value
        return
    rank = FIELD_ORDER.index(key)
    position = len(node)
    for index, existing in enumerate(node):
        if existing in FIELD_ORDER and FIELD_ORDER.index(existing) > rank:
            position = index
            break
    node.insert(position, key, value)


def iter_posts(folder: Path) -> Iterable[Path]:
    """Post files in a stable order (hidden files and folders skipped)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*.md")
        if not any(part.startswith(".") for part in p.parts[len(folder.parts) :])
    )
