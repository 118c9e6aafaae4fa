"""The hub's settings: one file, `hub.yml`, that comms edit in pull requests.

Every section is declared once here as a pydantic model and validated when the
file is loaded, so a typo fails the build at once with one line naming the
file, the line, the key and what is allowed, instead of surfacing later as a
strange page or a silent default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

CONFIG_NAME = "hub.yml"

Category = Literal[
    "blog",
    "product",
    "case-study",
    "event",
    "jobs",
    "culture",
    "thought-leadership",
    "internal",
]
CATEGORIES: tuple[str, ...] = get_args(Category)
# How a category reads on the site, in the digest and on the program page.
CATEGORY_LABELS = {
    "blog": "Blog",
    "product": "Product news",
    "case-study": "Case study",
    "event": "Event",
    "jobs": "Job opening",
    "culture": "Culture",
    "thought-leadership": "Thought leadership",
    "internal": "Announcement",
}

Network = Literal[
    "linkedin", "x", "facebook", "bluesky", "threads", "mastodon", "whatsapp", "xing", "email"
]
NETWORKS: tuple[Network, ...] = get_args(Network)
# The share links offered when hub.yml names none. Xing is left out: its share
# endpoint stopped working in May 2026 (heiseonline/shariff issue #451, still
# open: Xing's support wrote that the button no longer works as before because
# Xing moved from a social network towards a job board). A hub that still wants
# it lists it in `site.networks`.
DEFAULT_NETWORKS: tuple[Network, ...] = tuple(n for n in NETWORKS if n != "xing")


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category.replace("-", " ").capitalize())


_NAME = r"^[a-z0-9][a-z0-9-]{0,62}$"
_HASHTAG = re.compile(r"^[^\s#!$%^&*+.,;:?/\\|<>()\[\]{}'\"`~=@]+$")
_COLOR = r"^#[0-9a-fA-F]{6}$"
# A URL scheme (RFC 3986); one letter is a Windows drive (C:\feeds\blog.xml), not a scheme.
_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
Color = Annotated[str, Field(pattern=_COLOR)]


class ConfigError(Exception):
    """A settings problem, already worded as the one line a person should read."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JobFields(_Strict):
    """Where a job board keeps the facts a job card and expiry need.

    Boards have no standard, so each entry lists candidate feedparser keys
    (namespaced elements arrive as `prefix_localname`, with the feed's own
    prefix); the first one present wins. The defaults cover the common shapes:
    a `job:` namespace, Google Base `g:` fields, plain elements and
    schema.org JobPosting JSON-LD in the item HTML.
    """

    expires: list[str] = [
        "job_validthrough",
        "job_closingdate",
        "job_expires",
        "g_expiration_date",
        "expires_at",
        "expires",
        "closing_date",
        "validthrough",
    ]
    location: list[str] = ["job_location", "g_location", "location", "region", "jobs_location"]
    job_type: list[str] = ["job_type", "job_jobtype", "g_job_type", "type", "employmenttype"]


class JobsConfig(_Strict):
    """How a job feed decides when a post closes."""

    expires_after_days: int = Field(30, ge=1, le=365)
    fields: JobFields = JobFields()


SourceFormat = Literal[
    "rss", "indeed-xml", "personio", "recruitee", "greenhouse", "lever", "smartrecruiters"
]
SOURCE_FORMATS: tuple[str, ...] = get_args(SourceFormat)
# Systems with one fixed address per account: `board` is enough, `url` may be left out.
BOARD_URLS = {
    "personio": "https://{board}.jobs.personio.de/xml",
    "recruitee": "https://{board}.recruitee.com/api/offers/",
    "greenhouse": "https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true",
    "lever": "https://api.lever.co/v0/postings/{board}?mode=json",
    "smartrecruiters": "https://api.smartrecruiters.com/v1/companies/{board}/postings",
}


class FeedConfig(_Strict):
    """One approved feed."""

    name: str = Field(pattern=_NAME)
    title: str | None = None
    url: str = Field(min_length=1)
    category: Category = "blog"
    language: str | None = Field(None, pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
    hashtags: list[str] = []
    campaign: str | None = Field(None, pattern=_NAME)
    approval: Literal["auto", "draft"] = "draft"
    max_items: int | None = Field(None, ge=1)
    jobs: JobsConfig = JobsConfig()
    # How the response is read; unset = detected from the response itself.
    format: SourceFormat | None = None
    # The account/board token of an applicant tracking system (builds `url`).
    board: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

    @model_validator(mode="before")
    @classmethod
    def _url_from_board(cls, data: Any) -> Any:
        """A feed may name its system and board instead of a URL; build the URL then."""
        if not isinstance(data, dict) or data.get("url"):
            return data
        kind, board = data.get("format"), data.get("board")
        if kind in BOARD_URLS and isinstance(board, str) and board:
            return {**data, "url": BOARD_URLS[kind].format(board=board)}
        if kind in BOARD_URLS:
            raise ValueError(f"url: missing; give `url`, or `board` (the {kind} account name)")
        return data

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        """http(s) or a local path, nothing else: checked here, before any lock or state."""
        scheme = _URL_SCHEME.match(value.strip())
        if scheme is None:
            return value  # a local file, relative to hub.yml (or absolute)
        if scheme.group(1).lower() not in ("http", "https"):
            raise ValueError(
                f"{value[:80]!r} is not allowed; give an http(s) URL or a path to a local file"
            )
        if not urlsplit(value.strip()).hostname:
            raise ValueError(f"{value[:80]!r} has no host name; give a full http(s) URL")
        return value

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, value: list[str]) -> list[str]:
        cleaned = [tag.lstrip("#") for tag in value]
        for tag in cleaned:
            if not tag or not _HASHTAG.match(tag):
                raise ValueError(f"{tag!r} is not a hashtag: letters, digits and _ only")
        return cleaned

    @property
    def is_remote(self) -> bool:
        return self.url.startswith(("http://", "https://"))


class HttpConfig(_Strict):
    """Limits for every download (feeds and feed images alike)."""

    connect_timeout: float = Field(5.0, gt=0, le=60)
    read_timeout: float = Field(20.0, gt=0, le=300)
    max_bytes: int = Field(10_000_000, ge=1_000)
    max_redirects: int = Field(5, ge=0, le=20)
    retries: int = Field(2, ge=0, le=10)
    backoff: float = Field(0.5, ge=0, le=30)
    # Whole download, retries and waits included: a slow drip cannot hold the run.
    deadline: float = Field(60.0, gt=0, le=3600)
    user_agent: str = "AdvocacyHub/0.1 (+https://github.com/advocacy-hub/advocacy-hub; feed sync)"


class Spelling(_Strict):
    use: str
    avoid: list[str] = []


class CategoryLayout(_Strict):
    """What a category's card says above the title."""

    label: str | None = None
    show: list[Literal["author", "location", "job_type", "date", "category"]] = []
    background: Color | None = None  # card background for this category (else colors.background)


class CardStyle(_Strict):
    """How the social cards use a post's picture (see hub/cards/draw.py)."""

    pictures: bool = True  # draw a post's `picture` behind the text when it has one
    scrim: float = Field(0.6, ge=0.3, le=0.95)  # lightest overlay on a picture


class BrandConfig(_Strict):
    """The brand: one source for the cards and the brand style guide page."""

    name: str = "Acme"
    tagline: str | None = None
    colors: dict[str, Color] = {
        "primary": "#0B3D91",
        "accent": "#FFB81C",
        "background": "#0B3D91",
        "text": "#FFFFFF",
    }
    logo: str | None = None
    fonts: list[str] = []
    hashtags: list[str] = []
    spellings: list[Spelling] = []
    layouts: dict[Category, CategoryLayout] = {}
    # `logo`: a PNG (or an SVG with a PNG of the same name beside it), relative to hub.yml.
    # `fonts`: font files (TTF/OTF) relative to hub.yml, tried before the shipped Noto fonts.
    card: CardStyle = CardStyle()


class SuggestConfig(_Strict):
    """Where "Suggest a post" sends employees."""

    kind: Literal["github", "gitlab", "email", "none"] = "none"
    repo_url: str | None = Field(None, pattern=r"^https?://")
    email: str | None = None


class SiteConfig(_Strict):
    title: str = "Advocacy Hub"
    url: str | None = Field(None, pattern=r"^https?://")
    utm_medium: str = Field("employee-advocacy", pattern=r"^[A-Za-z0-9._-]+$")
    networks: list[Network] = list(DEFAULT_NETWORKS)
    posts_per_page: int = Field(24, ge=1, le=500)
    new_days: int = Field(7, ge=1, le=90)
    company_followers: int | None = Field(None, ge=0)
    suggest: SuggestConfig = SuggestConfig()


class ForbiddenTerm(_Strict):
    term: str = Field(min_length=1)
    reason: str = ""
    level: Literal["error", "warning"] = "error"


class PolicyConfig(_Strict):
    """Terms the social media policy forbids, checked in every pull request."""

    forbidden_terms: list[ForbiddenTerm] = []


class HubConfig(_Strict):
    posts_dir: str = "content/posts"
    http: HttpConfig = HttpConfig()
    feeds: list[FeedConfig] = []
    site: SiteConfig = SiteConfig()
    brand: BrandConfig = BrandConfig()
    policy: PolicyConfig = PolicyConfig()

    @field_validator("feeds")
    @classmethod
    def _unique_names(cls, feeds: list[FeedConfig]) -> list[FeedConfig]:
        seen: set[str] = set()
        for feed in feeds:
            if feed.name in seen:
                raise ValueError(f"feed name {feed.name!r} is used twice; names must be unique")
            seen.add(feed.name)
        return feeds

    def feed(self, name: str) -> FeedConfig:
        for feed in self.feeds:
            if feed.name == name:
                return feed
        known = ", ".join(f.name for f in self.feeds) or "none"
        raise ConfigError(f"no feed named {name!r} in {CONFIG_NAME} (known: {known})")


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest key in `loc` that ruamel still knows."""
    line = None
    node = data
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if lc is not None:
                line = (lc.item(part) if isinstance(part, int) else lc.key(part))[0] + 1
            node = node[part]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def dotted(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as a person writes the key: feeds[2].url."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def error_text(error: Mapping[str, Any]) -> str:
    """One pydantic error as what to write instead (shared by config and post checks)."""
    kind = error["type"]
    if kind == "extra_forbidden":
        return "this key is not known; check its spelling against the README's reference"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{error['input']!r} is not allowed; use one of {expected}"
    if kind == "string_pattern_mismatch":
        return f"{error['input']!r} does not match {error['ctx']['pattern']}"
    if kind == "missing":
        return "this key is required"
    message = error["msg"].removeprefix("Value error, ")
    return message[0].lower() + message[1:]


def format_errors(source: str, data: Any, exc: ValidationError) -> list[str]:
    """One line per problem: `file:line: key: what is allowed`."""
    lines = []
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if p not in ("function-after",))
        line = line_of(data, loc)
        where = f"{source}:{line}" if line else source
        lines.append(f"{where}: {dotted(loc)}: {error_text(error)}")
    return lines


def parse_config(text: str, source: str = CONFIG_NAME) -> HubConfig:
    """Validate settings text; raise ConfigError with every problem, one per line."""
    try:
        data = YAML(typ="rt").load(text) or {}
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{where}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the file must be a mapping of sections (feeds:, site:, ...)")
    try:
        return HubConfig.model_validate(_plain(data))
    except ValidationError as exc:
        raise ConfigError("\n".join(format_errors(source, data, exc))) from None


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def load_config(path: str | Path = CONFIG_NAME) -> HubConfig:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: not found; run from the hub's folder or pass --config PATH"
        ) from None
    return parse_config(text, str(path))
