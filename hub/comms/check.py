"""`advocacy-hub check`: everything comms can edit, validated before it merges.

Comms change posts, pages and data files in pull requests, often from the
web editor, without running the build. This check is the reviewer that never
tires: it reads the same files the build reads and names the exact line of
each problem, so a reviewer (or a GitHub annotation on the diff) can point at
it. It only reads; it never fixes a file, because every file is a person's.

Errors (exit 1) are things that would break the site or the policy: a wrong
type, an unknown status, a caption too long to share, a `javascript:` link, a
forbidden term. Warnings (exit 0) are things a person should look at: an
unknown key, an expired post still pinned, a placeholder left in a draft.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml
from pydantic import (
    ValidationError,
)
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from hub.config import (
    CONFIG_NAME,
    ConfigError,
    HubConfig,
    dotted,
    error_text,
    line_of,
    load_config,
)
from hub.dates import day_of
from hub.dates import option as date_option
from hub.files import code_version, write_atomic
from hub.posts import advocate
from hub.posts import schema as posts
from hub.posts.captions import LIMITS, measure, url_cost
from hub.posts.schema import KNOWN_KEYS, PostMeta
from hub.posts.share import campaign_of, tracked_url

log = logging.getLogger("hub.comms.check")

Level = Literal["error", "warning"]
# Targets the build generates (cards stage, hub.site's listings, feed and
# assets), so they do not exist when the check runs.
GENERATED_DIRS = ("cards", "category", "language", "tag", "page", "assets")
GENERATED_FILES = ("feed.xml", "sitemap.xml", "404.html")
DATA_FILES = ("advocates.yml", "recognition.yml")
PLACEHOLDER = posts.PLACEHOLDER
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


# -- findings ---------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    level: Level
    message: str

    def text(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: {self.message}"

    def github(self) -> str:
        """A workflow command GitHub turns into an annotation on the diff."""
        return (
            f"::{self.level} file={_gh_property(self.file)},line={self.line}::"
            f"{_gh_data(self.message)}"
        )


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


# -- files and lines --------------------------------------------------------


@dataclass(frozen=True)
class FrontLines:
    """Where each key of a frontmatter sits, as ruamel's round-trip reader says, without ruamel.

    The check needs two things of that slow reader (~20 ms a post: most of
    `build`'s check at 1,000 posts): whether the frontmatter is a mapping and
    the line of each key, nested. As plain dicts they can come from PyYAML's
    much faster node tree too (`_read_front`), and `line` walks them exactly
    as hub.config.line_of walks ruamel's objects.
    """

    mapping: bool
    lines: dict[Any, int]  # key or index -> 1-based line, as ruamel's .lc records it
    kids: dict[Any, FrontLines | None]  # key or index -> what it holds (None: a scalar)

    @classmethod
    def of(cls, node: Any) -> FrontLines | None:
        lc = getattr(node, "lc", None)
        if lc is None:
            return None
        data = lc.data or {}
        if isinstance(node, Mapping):
            kids = {key: cls.of(node[key]) for key in node}
        elif isinstance(node, Sequence) and not isinstance(node, str):
            kids = {index: cls.of(value) for index, value in enumerate(node)}
        else:
            kids = {}
        return cls(isinstance(node, Mapping), {k: v[0] + 1 for k, v in data.items()}, kids)

    def line(self, loc: Sequence[Any]) -> int | None:
        """The line of the deepest key in `loc` that the reader still knows."""
        line = None
        node: FrontLines | None = self
        for part in loc:
            if node is None:
                break  # inside a scalar: nothing deeper has a line
            try:
                line = node.lines[part]
                node = node.kids[part]
            except (KeyError, TypeError):
                break
        return line


@dataclass
class Document:
    """A Markdown file split so every finding can name its line in the file."""

    path: Path
    front: FrontLines | None  # the frontmatter's key lines, None without one (or if invalid)
    front_error: str | None
    body: list[str]
    body_start: int  # file line number of body[0]


class _NeedsRuamel(Exception):
    """A frontmatter the fast reader cannot answer for as ruamel would (keys that are not text)."""


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"


def _node_lines(node: yaml.Node) -> FrontLines | None:
    """`FrontLines.of` from PyYAML's node tree: the same lines, at a fraction of ruamel's cost.

    Only keys that are plain text are taken; a key of another type (a number,
    a merge key `<<`) or a repeated key (ruamel rejects it) sends the whole
    frontmatter to ruamel, so findings and their lines never differ.
    """
    if isinstance(node, yaml.MappingNode):
        lines: dict[Any, int] = {}
        kids: dict[Any, FrontLines | None] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag != _STR_TAG or key.value in lines:
                raise _NeedsRuamel
            lines[key.value] = key.start_mark.line + 1
            kids[key.value] = _node_lines(value)
        return FrontLines(True, lines, kids)
    if isinstance(node, yaml.SequenceNode):
        items = list(node.value)
        return FrontLines(False, {i: item.start_mark.line + 1 for i, item in enumerate(items)},
                          {i: _node_lines(item) for i, item in enumerate(items)})
    return None


def _read_front(front_text: str) -> tuple[FrontLines | None, str | None]:
    """The key lines, by PyYAML's C composer where it can answer (every ordinary post).

    ruamel's round-trip reader was ~20 ms a post, most of a cold `build` at
    1,000 posts; it is kept for what it says that PyYAML would not (its
    error messages, keys that are not text, repeated keys).
    """
    try:
        node = yaml.compose(front_text, Loader=_FAST_LOADER)
        return _node_lines(node) if node is not None else None, None
    except (yaml.YAMLError, _NeedsRuamel):
        pass
    try:
        return FrontLines.of(YAML(typ="rt").load(front_text)), None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or "not valid YAML"
        return None, f"{line}:frontmatter is not valid YAML: {problem}"


def load_document(path: Path, text: str) -> Document:
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return Document(path, None, None, lines, 1)
    end = next((i for i in range(1, len(lines)) if lines[i].startswith("---")), None)
    if end is None:
        return Document(path, None, None, lines, 1)
    # An empty first line stands in for the opening '---', so ruamel's 0-based
    # line numbers are the file's 1-based ones minus one, as for any file.
    front_text = "\n".join(["", *lines[1:end]])
    front, error = _read_front(front_text)
    return Document(path, front, error, lines[end + 1 :], end + 2)


def key_line(front: Any, *loc: Any) -> int:
    """The line of `loc` in a frontmatter (`FrontLines`) or a data file ruamel read."""
    if front is None:
        return 1
    found = front.line(loc) if isinstance(front, FrontLines) else line_of(front, loc)
    return found or 1


def _strip_code(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Body lines with code blocks dropped and code spans blanked: code is not prose."""
    fence: str | None = None
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        marker = re.match(r"(`{3,}|~{3,})", stripped)
        if fence:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
            continue
        if marker:
            fence = marker.group(1)
            continue
        if line.startswith("    ") and not stripped.startswith(("-", "*", "<", "[")):
            continue
        yield index, re.sub(r"`[^`]*`", lambda m: " " * len(m.group(0)), line)


_LINK_PATTERNS = (
    re.compile(
        r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?((?:[^\s()<>]|\([^\s()]*\))*)>?(?:\s+[\"'(][^)]*)?\)"
    ),
    re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?"),
    re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>"),
    re.compile(r"\b(?:href|src)\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE),
)


def body_links(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    for index, line in _strip_code(lines):
        for pattern in _LINK_PATTERNS:
            for match in pattern.finditer(line):
                yield index, match.group(1)


# -- the checker ------------------------------------------------------------


@dataclass
class Checker:
    root: Path
    config: HubConfig
    today: dt.date
    findings: list[Finding] = field(default_factory=list)
    draft: bool = False  # the post being checked is a draft: its problems are warnings

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def guidelines(self) -> Path:
        return self.root / "guidelines"

    @property
    def posts_dir(self) -> Path:
        return self.root / self.config.posts_dir

    def add(self, path: Path, line: int, level: Level, message: str) -> None:
        """Record a finding; a draft's errors are warnings, so an unapproved item never blocks."""
        if self.draft and level == "error":
            level = "warning"
        self.findings.append(Finding(display(path), line, level, message))

    # files

    def check_file(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.add(path, 1, "error", "not UTF-8 text; save the file as UTF-8")
            return
        except OSError as exc:
            self.add(path, 1, "error", f"cannot be read: {exc.strerror or exc}")
            return
        if path.suffix == ".md":
            doc = load_document(path, text)
            if _inside(path, self.posts_dir):
                self.check_post(doc, text)
            else:
                self.check_page(doc)
        elif path.name == "advocates.yml":
            self.check_advocates(path, text)
        elif path.name == "recognition.yml":
            self.check_recognition(path, text)

    def check_page(self, doc: Document) -> None:
        if doc.front_error:
            self._front_error(doc)
        self.check_body(doc, "page")

    def _front_error(self, doc: Document) -> None:
        line, message = doc.front_error.split(":", 1)  # type: ignore[union-attr]
        self.add(doc.path, int(line), "error", message)

    # posts

    def check_post(self, doc: Document, text: str) -> None:
        if doc.front_error:
            self._front_error(doc)
            return
        if doc.front is None or not doc.front.mapping:
            self.add(
                doc.path, 1, "error", "no frontmatter: a post starts with '---', its fields, '---'"
            )
            return
        try:
            meta = posts.parse_shared(text, str(doc.path)).meta  # read, never changed
        except ValueError as exc:
            self.add(doc.path, 1, "error", str(exc).split(": ", 1)[-1])
            return
        self.draft = meta.get("status") == "draft"
        try:
            self.check_post_fields(doc, meta)
        finally:
            self.draft = False

    def check_post_fields(self, doc: Document, meta: Mapping[str, Any]) -> None:
        front = doc.front
        try:
            PostMeta.model_validate(meta)
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(p for p in error["loc"] if not str(p).startswith("function-"))
                self.add(
                    doc.path, key_line(front, *loc), "error", f"{dotted(loc)}: {_message(error)}"
                )
        for key in meta:
            if key not in KNOWN_KEYS:
                self.add(
                    doc.path,
                    key_line(front, key),
                    "warning",
                    f"{key}: unknown key, the hub ignores it; check its spelling",
                )
        self.check_post_rules(doc, meta)
        self.check_body(doc, str(meta.get("status") or "draft"))

    def check_post_rules(self, doc: Document, meta: Mapping[str, Any]) -> None:
        front, path = doc.front, doc.path
        status = str(meta.get("status") or "draft")
        if meta.get("image") and not str(meta.get("image_alt") or "").strip():
            self.add(
                path,
                key_line(front, "image"),
                "error",
                "image_alt: missing; describe the card for people using screen readers",
            )
        for key in ("image", "image_square", "picture"):
            value = meta.get(key)
            if isinstance(value, str) and value and not _SCHEME.match(value):
                self.check_asset(path, key_line(front, key), key, value)
            elif (
                isinstance(value, str)
                and key == "picture"
                and not value.startswith(("http://", "https://"))
            ):
                self.add(
                    path, key_line(front, key), "error", f"{key}: only http(s) URLs are allowed"
                )
        self.check_dates(doc, meta)
        self.check_shareable(doc, meta)
        self.check_captions(doc, meta)
        self.check_terms(path, key_line(front, "title"), str(meta.get("title") or ""), "title")
        self.check_terms(
            path, key_line(front, "summary"), str(meta.get("summary") or ""), "summary"
        )
        for key in ("title", "summary"):
            if PLACEHOLDER.search(str(meta.get(key) or "")):
                self.placeholder(path, key_line(front, key), key, status)

    def check_shareable(self, doc: Document, meta: Mapping[str, Any]) -> None:
        """An approved post people are asked to share needs a URL to share."""
        if meta.get("status") != "approved" or meta.get("share") is False:
            return
        url = meta.get("canonical_url")
        if not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            self.add(
                doc.path,
                key_line(doc.front, "canonical_url") or key_line(doc.front, "status"),
                "error",
                "canonical_url: an approved post needs an http(s) URL to share; "
                "for a hub-only announcement write `share: false`",
            )

    def check_asset(self, path: Path, line: int, key: str, value: str) -> None:
        target = PurePosixPath(value.lstrip("/"))
        if target.parts and target.parts[0] in GENERATED_DIRS:
            return
        if not (self.content / target).is_file():
            self.add(path, line, "error", f"{key}: {value} is not a file in content/")

    def check_dates(self, doc: Document, meta: Mapping[str, Any]) -> None:
        dates = {k: _as_date(meta.get(k)) for k in ("date", "updated", "publish_date", "expires")}
        front, path = doc.front, doc.path
        if dates["expires"] and dates["date"] and dates["expires"] < dates["date"]:
            self.add(path, key_line(front, "expires"), "warning", "expires: before the post's date")
        if dates["updated"] and dates["date"] and dates["updated"] < dates["date"]:
            self.add(path, key_line(front, "updated"), "warning", "updated: before the post's date")
        if meta.get("pinned") is True and dates["expires"] and dates["expires"] < self.today:
            self.add(
                path,
                key_line(front, "pinned"),
                "warning",
                f"pinned: the post expired on {dates['expires']} but is still pinned; unpin it",
            )

    def check_captions(self, doc: Document, meta: Mapping[str, Any]) -> None:
        captions = meta.get("captions")
        if not isinstance(captions, Mapping):
            return
        front, path = doc.front, doc.path
        status = str(meta.get("status") or "draft")
        slug = path.stem
        target = str(meta.get("canonical_url") or "")
        for network, wordings in captions.items():
            if network not in LIMITS:
                known = ", ".join(LIMITS)
                self.add(
                    path,
                    key_line(front, "captions", network),
                    "warning",
                    f"captions.{network}: unknown network, the hub ignores it (known: {known})",
                )
                continue
            if not isinstance(wordings, list):
                continue
            url_length, url = 0, ""
            if target.startswith(("http://", "https://")):
                source = "email" if network.startswith("email") else network
                url = tracked_url(
                    target,
                    source=source,
                    medium=self.config.site.utm_medium,
                    campaign=campaign_of(meta, slug),
                ) + advocate.PARAMETER + "x" * advocate.MAX_LENGTH
                url_length = len(url)
            budget = LIMITS[network] - url_cost(network, url_length, url)
            for index, wording in enumerate(wordings):
                if not isinstance(wording, str):
                    continue
                line = key_line(front, "captions", network, index)
                size = measure(network, wording)
                if size > budget:
                    self.add(
                        path,
                        line,
                        "error",
                        f"captions.{network}[{index}]: {size} characters, over the {budget} "
                        f"that fit with the link ({LIMITS[network]} on {network}); shorten it",
                    )
                if re.search(r"https?://", wording):
                    self.add(
                        path,
                        line,
                        "warning",
                        f"captions.{network}[{index}]: contains a URL; the share link adds "
                        "the tracked URL itself",
                    )
                if PLACEHOLDER.search(wording):
                    self.placeholder(path, line, f"captions.{network}[{index}]", status)
                self.check_terms(path, line, wording, f"captions.{network}[{index}]")

    def placeholder(self, path: Path, line: int, where: str, status: str) -> None:
        level: Level = "error" if status == "approved" else "warning"
        self.add(path, line, level, f"{where}: placeholder TODO left; write the real text")

    # bodies (posts and pages)

    def check_body(self, doc: Document, status: str) -> None:
        for index, line in _strip_code(doc.body):
            number = doc.body_start + index
            self.check_terms(doc.path, number, line, "text")
            if PLACEHOLDER.search(line) and status != "page":
                self.placeholder(doc.path, number, "text", status)
        for index, link in body_links(doc.body):
            self.check_link(doc.path, doc.body_start + index, link)

    def check_link(self, path: Path, line: int, link: str) -> None:
        if not link or link.startswith("#"):
            return
        scheme = _SCHEME.match(link)
        if scheme:
            name = scheme.group(1).lower()
            if name not in ("http", "https", "mailto"):
                self.add(
                    path,
                    line,
                    "error",
                    f"link {link[:60]!r}: only http(s) and mailto links are allowed",
                )
            return
        if link.startswith("//"):
            self.add(path, line, "error", f"link {link[:60]!r}: write the full https:// URL")
            return
        if link.startswith("/"):
            self.add(
                path,
                line,
                "warning",
                f"link {link!r}: absolute path; use a link relative to this file",
            )
            return
        self.check_internal(path, line, link)

    def check_internal(self, path: Path, line: int, link: str) -> None:
        target = re.split(r"[?#]", link, maxsplit=1)[0]
        if not target:
            return
        here = self.docs_path(path)
        if here is None:
            return
        resolved = os.path.normpath(str(here.parent / target)).replace(os.sep, "/")
        if resolved.startswith("../") or resolved == "..":
            self.add(path, line, "error", self.outside_message(path, link))
            return
        if resolved.split("/")[0] in GENERATED_DIRS or resolved in GENERATED_FILES:
            return
        if not self.resolves(resolved, link.endswith("/")):
            self.add(
                path,
                line,
                "error",
                f"link {link!r}: no such file in content/ or guidelines/; fix the path",
            )

    def outside_message(self, path: Path, link: str) -> str:
        """Folder-relative links that work on disk but not in the site get the site's form."""
        real = (path.parent / re.split(r"[?#]", link, maxsplit=1)[0]).resolve()
        docs = self.docs_path(real) if real.exists() else None
        here = self.docs_path(path)
        if docs is not None and here is not None:
            site_form = os.path.relpath(str(docs), str(here.parent)).replace(os.sep, "/")
            return f"link {link!r}: the site mounts guidelines/ at its root; write {site_form!r}"
        return f"link {link!r}: points outside the site"

    def docs_path(self, path: Path) -> PurePosixPath | None:
        """Where a file sits in the site's docs tree (guidelines/ is mounted under guidelines/)."""
        for base, prefix in ((self.content, ""), (self.guidelines, "guidelines/")):
            if _inside(path, base):
                return PurePosixPath(prefix + path.resolve().relative_to(base.resolve()).as_posix())
        return None

    def resolves(self, docs: str, is_dir: bool) -> bool:
        candidates = [docs] if not is_dir else []
        candidates += [f"{docs}.md", f"{docs}/index.md", f"{docs}/README.md"]
        for candidate in candidates:
            for real in self.real_paths(candidate.strip("/") or "."):
                if real.is_file():
                    return True
        return False

    def real_paths(self, docs: str) -> list[Path]:
        paths = [self.content / docs]
        if docs.startswith("guidelines/"):
            paths.append(self.guidelines / docs[len("guidelines/") :])
        return paths

    # policy

    @functools.cached_property
    def _any_forbidden(self) -> re.Pattern[str] | None:
        return _any_term(tuple(t.term for t in self.config.policy.forbidden_terms), True)

    @functools.cached_property
    def _any_misspelled(self) -> re.Pattern[str] | None:
        return _any_term(tuple(w for s in self.config.brand.spellings for w in s.avoid), False)

    def check_terms(self, path: Path, line: int, text: str, where: str) -> None:
        if not text:
            return
        # One search for all terms first: most lines hold none (each term's
        # own search, per line of every post, was a third of `build`'s check).
        forbidden, misspelled = self._any_forbidden, self._any_misspelled
        if forbidden is not None and forbidden.search(text):
            self._forbidden_terms(path, line, text, where)
        if misspelled is not None and misspelled.search(text):
            self._misspellings(path, line, text, where)

    def _forbidden_terms(self, path: Path, line: int, text: str, where: str) -> None:
        for term in self.config.policy.forbidden_terms:
            if _term_pattern(term.term, ignore_case=True).search(text):
                reason = f" ({term.reason})" if term.reason else ""
                self.add(path, line, term.level, f"{where}: forbidden term {term.term!r}{reason}")

    def _misspellings(self, path: Path, line: int, text: str, where: str) -> None:
        for spelling in self.config.brand.spellings:
            for wrong in spelling.avoid:
                if _term_pattern(wrong, ignore_case=False).search(text):
                    self.add(
                        path, line, "warning", f"{where}: write {spelling.use!r}, not {wrong!r}"
                    )

    # data files

    def check_advocates(self, path: Path, text: str) -> None:
        data = self.load_yaml(path, text)
        if data is None:
            return
        if not isinstance(data, Mapping):
            self.add(path, 1, "error", "must map advocate codes to people (code: {name: ...})")
            return
        for code, person in data.items():
            line = key_line(data, code)
            if not advocate.valid(str(code)):
                self.add(
                    path, line, "error", f"{code!r}: an advocate code is {advocate.HELP}"
                )
            if isinstance(person, str) and person.strip():
                continue
            if not isinstance(person, Mapping) or not str(person.get("name") or "").strip():
                self.add(path, line, "error", f"{code}: give the person's name (name: ...)")
                continue
            for key in person:
                if key not in ("name", "team", "show"):
                    self.add(
                        path,
                        key_line(data, code, key),
                        "warning",
                        f"{code}.{key}: unknown key (known: name, team, show)",
                    )
            if "show" in person and not isinstance(person["show"], bool):
                self.add(path, key_line(data, code, "show"), "error", f"{code}.show: true or false")

    def check_recognition(self, path: Path, text: str) -> None:
        """The wall's data is free-form for comms; check what would break or embarrass."""
        data = self.load_yaml(path, text)
        if data is None:
            return
        if not isinstance(data, Mapping):
            self.add(
                path,
                1,
                "error",
                "must be a mapping of sections (advocate_of_the_month:, kudos:, ...)",
            )
            return
        for loc, value in _walk(data, ()):
            line = key_line(data, *loc)
            name = str(loc[-1]) if loc else ""
            where = dotted(loc)
            if not isinstance(value, str):
                continue
            if name in ("url", "link", "href") and not value.startswith(("http://", "https://")):
                self.add(path, line, "error", f"{where}: {value!r} is not an http(s) URL")
            if name in ("date", "month", "since", "until"):
                candidate = value + "-01" if re.fullmatch(r"\d{4}-\d{2}", value) else value
                if _as_date(candidate) is None:
                    self.add(path, line, "error", f"{where}: {value!r} is not a date (2026-11-20)")
            self.check_terms(path, line, value, where)

    def load_yaml(self, path: Path, text: str) -> Any:
        try:
            data = YAML(typ="rt").load(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or "not valid YAML"
            self.add(path, mark.line + 1 if mark else 1, "error", f"not valid YAML: {problem}")
            return None
        return {} if data is None else data


def _walk(node: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _walk(value, (*loc, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*loc, index))
    else:
        yield loc, posts.normalize(node)


_EXPECTED = {
    "string_type": "text (quote it: '...')",
    "bool_type": "true or false",
    "list_type": "a list ([a, b] or one '- item' per line)",
    "dict_type": "a mapping (key: value)",
}


def _message(error: Mapping[str, Any]) -> str:
    if error["type"] == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    expected = _EXPECTED.get(error["type"])
    if error["type"] == "string_type" and isinstance(error["input"], Mapping):
        return "a ': ' in unquoted text made YAML read a key; put the whole text in quotes"
    if expected:
        return f"{error['input']!r} has the wrong type; write {expected}"
    return error_text(dict(error))


def _term_words(term: str) -> str:
    return r"\s+".join(re.escape(word) for word in term.split())


@functools.lru_cache(maxsize=1024)
def _term_pattern(term: str, *, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){_term_words(term)}(?!\w)", re.IGNORECASE if ignore_case else 0)


def _any_term(terms: tuple[str, ...], ignore_case: bool) -> re.Pattern[str] | None:
    """One pattern that matches where any of `terms`' patterns would (None: no terms).

    The word-boundary checks stand once outside the alternatives: the same
    matches, 1.5-4x faster to search than each term's pattern side by side.
    """
    if not terms:
        return None
    either = "|".join(_term_words(t) for t in terms)
    return re.compile(rf"(?<!\w)(?:{either})(?!\w)", re.IGNORECASE if ignore_case else 0)


def _as_date(value: Any) -> dt.date | None:
    return day_of(value) if isinstance(value, str) else None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def display(path: Path) -> str:
    """Paths as the reader's shell (and GitHub) see them: relative to where the check runs."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# -- running ----------------------------------------------------------------


def config_findings(path: Path, error: ConfigError) -> list[Finding]:
    out = []
    for line in str(error).splitlines():
        match = re.match(r"^(.*?):(\d+): (.*)$", line)
        if match:
            out.append(Finding(display(path), int(match.group(2)), "error", match.group(3)))
        else:
            out.append(Finding(display(path), 1, "error", line.split(": ", 1)[-1]))
    return out


def _checked(child: Path, folder: Path) -> bool:
    """Whether the check reads `child`, a file found under `folder`."""
    rel = child.relative_to(folder).parts
    wanted = child.suffix == ".md" or child.name in DATA_FILES
    return wanted and child.is_file() and not any(p.startswith(".") for p in rel)


def files_to_check(paths: Iterable[Path]) -> list[Path]:
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(child for child in path.rglob("*") if _checked(child, path))
        elif path.is_file():
            found.add(path)
    return sorted(found)


def run_check(
    config_path: Path, paths: Sequence[Path] | None = None, today: dt.date | None = None,
) -> list[Finding]:
    """Every finding for the hub whose settings are `config_path`, sorted by file and line."""
    root = config_path.parent
    findings: list[Finding] = []
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        findings += config_findings(config_path, exc)
        config = HubConfig()
    today = today or dt.datetime.now(dt.UTC).date()
    checker = Checker(root=root, config=config, today=today)
    targets = list(paths) if paths else [root / "content", root / "guidelines"]
    missing = [p for p in targets if not p.exists()]
    for path in missing:
        if paths:
            findings.append(Finding(display(path), 1, "error", "no such file or folder"))
    for path in files_to_check(targets):
        checker.check_file(path)
    return sorted(set(findings + checker.findings), key=lambda f: (f.file, f.line, f.message))


def command(ns: argparse.Namespace) -> int:
    config_path = Path(ns.config or CONFIG_NAME)
    paths = [Path(p) for p in ns.paths] if ns.paths else None
    findings = run_check(config_path, paths, date_option(ns.today, "--today"))
    github = ns.format == "github" or (
        ns.format is None and os.environ.get("GITHUB_ACTIONS") == "true"
    )
    out = sys.stdout
    for finding in findings:
        out.write((finding.github() if github else finding.text()) + "\n")
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    summary = f"check: {errors} error(s), {warnings} warning(s)"
    if errors:
        log.error("%s", summary)
    else:
        log.info("%s", summary)
    return 1 if errors else 0


def inputs_key(config_path: Path, today: dt.date) -> str:
    """A digest of everything a whole-hub check reads: the settings, the text of every
    file it checks, the names of every file a link or an image may point at, the
    day and the hub's code. The same key gives the same findings."""
    root = config_path.parent
    digest = hashlib.sha256(f"{code_version()}\0{today.isoformat()}\0".encode())
    with contextlib.suppress(OSError):
        digest.update(config_path.read_bytes())
    config = None
    with contextlib.suppress(ConfigError):
        config = load_config(config_path)
    checked = [root / "content", root / "guidelines"]  # run_check's own targets
    found = {folder: list(folder.rglob("*")) for folder in checked if folder.is_dir()}
    posts_dir = root / config.posts_dir if config is not None else None
    if posts_dir is not None and posts_dir.is_dir() and not any(
            _inside(posts_dir, folder) for folder in found):
        found[posts_dir] = list(posts_dir.rglob("*"))  # posts kept outside content/
    names = sorted({str(p) for children in found.values() for p in children})
    digest.update("\0".join(names).encode("utf-8", "surrogateescape") + b"\0\0")
    read = sorted({p for folder in checked if folder in found
                   for p in found[folder] if _checked(p, folder)})
    for path in read:  # what files_to_check(checked) gives, from the same walk
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def run_check_cached(config_path: Path, cache: Path, today: dt.date | None = None
                     ) -> list[Finding]:
    """run_check for the whole hub, or the last build's findings when nothing it reads changed.

    The build checks on every run, and most runs change a few posts at most;
    this file (in the build folder, never in content/) saves reading them all again.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    key = inputs_key(config_path, today)
    try:
        old = json.loads(cache.read_text(encoding="utf-8"))
        if isinstance(old, dict) and old.get("key") == key:
            return [Finding(str(f), int(n), "error" if lv == "error" else "warning", str(m))
                    for f, n, lv, m in old["findings"]]
    except (OSError, ValueError, TypeError, KeyError):
        pass  # no cache, or one this version cannot read: check everything
    findings = run_check(config_path, today=today)
    with contextlib.suppress(OSError):
        write_atomic(cache, json.dumps({"key": key, "findings": [
            [f.file, f.line, f.level, f.message] for f in findings]}, ensure_ascii=False),
            durable=False)
    return findings


def report_as_warnings(config_path: Path, today: dt.date | None = None,
                       cache: Path | None = None) -> int:
    """Log every finding as a warning (what `build` shows); the number of findings.

    The build never fails on them: `check` in CI is the gate. But forbidden
    terms or an approved post with nothing to share are said out loud instead
    of published silently. With `cache`, an unchanged hub is not read again.
    """
    findings = (run_check(config_path, today=today) if cache is None
                else run_check_cached(config_path, cache, today))
    for finding in findings:
        log.warning("%s", finding.text().replace(f": {finding.level}: ", ": warning: ", 1))
    return len(findings)
