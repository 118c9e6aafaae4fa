"""`advocacy-hub import-analytics`: credit web traffic to the people who shared.

Every share link carries utm_source (network), utm_medium, utm_campaign (the
post's campaign, else its slug) and, when the employee entered one, their
advocate code in utm_content. A web-analytics export grouped by those values
is therefore enough to say who shared what, where, and what it brought. This
module turns such a CSV into `content/_data/analytics.yml`, the one data file
the recognition wall and the program page draw from.

Accepted CSV columns (header names are matched case-insensitively; spaces and
underscores are the same):

| meaning         | accepted headers                                                        |
|-----------------|-------------------------------------------------------------------------|
| network         | utm_source, Session source, Source, First user source                   |
| campaign / post | utm_campaign, Session campaign, Campaign                                |
| advocate code   | utm_content, Session manual ad content, Manual ad content, Ad content   |
| count           | Sessions, Visits, Clicks, Views, Pageviews, Count (the first present)   |
| medium (opt.)   | utm_medium, Session medium, Medium: rows of another medium are ignored  |
| date (opt.)     | Date, Day: 2026-11-20 or 20261120 (GA4); without it use --month         |
| page (opt.)     | Landing page, Page path, Entry page, URL: finds the post of a campaign  |

Lines starting with '#' (GA4's header notes) are skipped; a blank line after
the table ends it (GA4 appends other tables). Bad rows are reported with
their line number and skipped. Codes that comms map to a person in
`content/_data/advocates.yml` are shown by name; others are counted, never
named, and their codes are not written anywhere.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from hub.config import ConfigError, HubConfig, load_config
from hub.files import write_atomic
from hub.posts import advocate
from hub.posts import schema as posts

log = logging.getLogger("hub.comms.analytics")

DATA_DIR = Path("content") / "_data"
OUTPUT = DATA_DIR / "analytics.yml"
ADVOCATES = DATA_DIR / "advocates.yml"
TOP = 10
COLUMNS: dict[str, tuple[str, ...]] = {
    "source": ("utm source", "session source", "source", "first user source"),
    "campaign": ("utm campaign", "session campaign", "campaign", "session campaign name"),
    "content": ("utm content", "session manual ad content", "manual ad content", "ad content"),
    "count": ("sessions", "visits", "clicks", "views", "pageviews", "count"),
    "medium": ("utm medium", "session medium", "medium"),
    "date": ("date", "day"),
    "page": (
        "landing page",
        "landing page + query string",
        "page path",
        "entry page",
        "page",
        "url",
    ),
}
REQUIRED = ("source", "campaign", "count")
NOT_SET = frozenset({"", "(not set)", "(none)", "(direct)", "(organic)", "(referral)", "(other)"})
NETWORK_ALIASES = {
    "lnkd.in": "linkedin",
    "linkedin.com": "linkedin",
    "www.linkedin.com": "linkedin",
    "t.co": "x",
    "twitter": "x",
    "twitter.com": "x",
    "x.com": "x",
    "facebook.com": "facebook",
    "m.facebook.com": "facebook",
    "l.facebook.com": "facebook",
    "lm.facebook.com": "facebook",
    "bsky.app": "bluesky",
    "threads.net": "threads",
    "threads.com": "threads",
    "wa.me": "whatsapp",
    "mail": "email",
}


class ExportError(Exception):
    """The export cannot be used at all; nothing is written."""


@dataclass(frozen=True)
class Person:
    name: str
    team: str | None = None


@dataclass(frozen=True)
class PostInfo:
    slug: str
    title: str
    category: str
    campaign: str
    path: str  # canonical URL path, to match landing pages


@dataclass(frozen=True)
class Row:
    line: int
    network: str
    campaign: str
    code: str | None
    count: int
    day: dt.date | None
    page: str | None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    ignored: int = 0


# -- reading ----------------------------------------------------------------


def _norm(header: str) -> str:
    return re.sub(r"[\s_]+", " ", header.strip().lower())


def _decode(blob: bytes, source: str) -> str:
    if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
        return blob.decode("utf-16")
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExportError(f"{source}: not UTF-8 text; export the CSV as UTF-8") from None


def _columns(header: Sequence[str], source: str, line: int) -> dict[str, int]:
    names = [_norm(h) for h in header]
    found: dict[str, int] = {}
    for key, candidates in COLUMNS.items():
        for candidate in candidates:
            if candidate in names:
                found[key] = names.index(candidate)
                break
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        wanted = "; ".join(f"{k}: {' or '.join(COLUMNS[k][:3])}" for k in missing)
        raise ExportError(f"{source}:{line}: the header lacks {wanted}")
    return found


def _count(text: str) -> int:
    cleaned = re.sub(r"[\s,_\u00a0']", "", text)
    value = float(cleaned)
    if value < 0 or value != int(value):
        raise ValueError
    return int(value)


def _date(text: str) -> dt.date:
    text = text.strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return dt.date.fromisoformat(text[:10])


def network_of(source: str) -> str:
    source = source.strip().lower()
    return NETWORK_ALIASES.get(source, source)


def read_export(text: str, source: str, medium: str, month: dt.date | None = None) -> Report:
    """Parse an analytics export; raise ExportError when it is unusable as a whole."""
    lines = text.splitlines()
    start = 0
    while start < len(lines) and (not lines[start].strip() or lines[start].startswith("#")):
        start += 1
    if start >= len(lines):
        raise ExportError(f"{source}: no table found (the file is empty or only comments)")
    header_line = lines[start]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    body: list[tuple[int, str]] = []
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if not line.strip():
            break
        if not line.startswith("#"):
            body.append((number + 1, line))
    header = next(csv.reader([header_line], delimiter=delimiter))
    columns = _columns(header, source, start + 1)
    report = Report()
    for number, line in body:
        fields = next(csv.reader([line], delimiter=delimiter), [])
        row = _row(fields, columns, number, source, medium, month, report)
        if row is not None:
            report.rows.append(row)
    return report


def _row(
    fields: Sequence[str],
    columns: Mapping[str, int],
    number: int,
    source: str,
    medium: str,
    month: dt.date | None,
    report: Report,
) -> Row | None:
    def get(key: str) -> str | None:
        index = columns.get(key)
        if index is None:
            return None
        return fields[index].strip() if index < len(fields) else ""

    where = f"{source}:{number}"
    if max(columns.values()) >= len(fields):
        report.bad.append(f"{where}: skipped: {len(fields)} fields, the header has more")
        return None
    row_medium = get("medium")
    if row_medium is not None and row_medium.lower() != medium.lower():
        report.ignored += 1
        return None
    raw_count = get("count") or ""
    try:
        count = _count(raw_count)
    except ValueError:
        report.bad.append(f"{where}: skipped: count {raw_count!r} is not a whole number")
        return None
    network = network_of(get("source") or "")
    campaign = (get("campaign") or "").strip()
    if network in NOT_SET or campaign.lower() in NOT_SET:
        report.ignored += 1
        return None
    day = month
    raw_date = get("date")
    if raw_date:
        try:
            day = _date(raw_date)
        except ValueError:
            report.bad.append(
                f"{where}: skipped: date {raw_date!r} is not a date (YYYY-MM-DD or YYYYMMDD)"
            )
            return None
    code = (get("content") or "").strip()
    if code.lower() in NOT_SET:
        code = ""
    elif not advocate.valid(code):
        report.bad.append(f"{where}: skipped: advocate code {code[:40]!r} has other characters")
        return None
    page = get("page") or None
    return Row(number, network, campaign, code.lower() or None, count, day, page)


def load_advocates(path: Path) -> dict[str, Person]:
    """code -> person, for codes comms chose to show by name."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        raise ConfigError(f"{path}: not valid YAML; run `advocacy-hub check`") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must map advocate codes to people; run `advocacy-hub check`")
    people = {}
    for code, person in data.items():
        if isinstance(person, str) and person.strip():
            people[str(code).lower()] = Person(person.strip())
        elif isinstance(person, dict) and str(person.get("name") or "").strip():
            if person.get("show") is False:
                continue
            team = person.get("team")
            people[str(code).lower()] = Person(
                str(person["name"]).strip(), str(team) if team else None
            )
    return people


def load_posts(folder: Path) -> dict[str, PostInfo]:
    out = {}
    for path in posts.iter_posts(folder):
        try:
            meta = posts.read(path).meta
        except ValueError:
            continue
        slug = path.stem
        url = str(meta.get("canonical_url") or "")
        out[slug] = PostInfo(
            slug=slug,
            title=" ".join(str(meta.get("title") or slug).split()),
            category=str(meta.get("category") or "blog"),
            campaign=str(meta.get("campaign") or slug),
            path=urlsplit(url).path.rstrip("/") if url else "",
        )
    return out


# -- aggregating ------------------------------------------------------------


def _ranked(counter: Mapping[str, int], key: str, limit: int | None = None) -> list[dict[str, Any]]:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{key: name, "sessions": total} for name, total in items[:limit]]


def _week(day: dt.date) -> tuple[str, str]:
    year, week, _ = day.isocalendar()
    monday = day - dt.timedelta(days=day.weekday())
    return f"{year}-W{week:02d}", monday.isoformat()


def _post_of(
    row: Row,
    known: Mapping[str, PostInfo],
    by_path: Mapping[str, PostInfo],
    single: Mapping[str, PostInfo],
) -> PostInfo | None:
    """The post a row's traffic went to: by slug, by landing page, or the campaign's only post."""
    if row.campaign in known:
        return known[row.campaign]
    if row.page:
        path = (
            urlsplit(row.page).path.rstrip("/")
            if "://" in row.page
            else row.page.split("?")[0].rstrip("/")
        )
        if path in by_path:
            return by_path[path]
    return single.get(row.campaign)


def _category_of(row: Row, post: PostInfo | None, campaigns: Mapping[str, str]) -> str:
    if post is not None:
        return post.category
    return campaigns.get(row.campaign, "unknown")


def aggregate(
    rows: Iterable[Row], people: Mapping[str, Person], known: Mapping[str, PostInfo]
) -> dict[str, Any]:
    """analytics.yml's content: plain data, sorted, so the same export gives the same file."""
    by_path = {p.path: p for p in known.values() if p.path}
    groups: dict[str, set[str]] = defaultdict(set)
    for post in known.values():
        groups[post.campaign].add(post.category)
    members: dict[str, list[PostInfo]] = defaultdict(list)
    for post in known.values():
        members[post.campaign].append(post)
    single = {c: m[0] for c, m in members.items() if len(m) == 1}
    campaigns = {c: next(iter(cats)) if len(cats) == 1 else "mixed" for c, cats in groups.items()}

    totals: Counter[str] = Counter()
    month: Counter[str] = Counter()
    week: Counter[str] = Counter()
    week_start: dict[str, str] = {}
    network: Counter[str] = Counter()
    campaign: Counter[str] = Counter()
    category: Counter[str] = Counter()
    post_sessions: Counter[str] = Counter()
    advocate: Counter[str] = Counter()
    adv_month: dict[str, Counter[str]] = defaultdict(Counter)
    adv_network: dict[str, Counter[str]] = defaultdict(Counter)
    adv_campaign: dict[str, Counter[str]] = defaultdict(Counter)
    anonymous_codes: set[str] = set()
    dates: list[dt.date] = []

    for row in rows:
        totals["sessions"] += row.count
        network[row.network] += row.count
        campaign[row.campaign] += row.count
        post = _post_of(row, known, by_path, single)
        category[_category_of(row, post, campaigns)] += row.count
        if post is not None:
            post_sessions[post.slug] += row.count
        if row.day is not None:
            dates.append(row.day)
            month[row.day.strftime("%Y-%m")] += row.count
            label, start = _week(row.day)
            week[label] += row.count
            week_start[label] = start
        if row.code is None:
            totals["untracked_sessions"] += row.count
            continue
        if row.code not in people:
            anonymous_codes.add(row.code)
            totals["anonymous_sessions"] += row.count
            continue
        advocate[row.code] += row.count
        if row.day is not None:
            adv_month[row.day.strftime("%Y-%m")][row.code] += row.count
        adv_network[row.network][row.code] += row.count
        adv_campaign[row.campaign][row.code] += row.count

    def board(counter: Mapping[str, int], limit: int | None = TOP) -> list[dict[str, Any]]:
        out = []
        for entry in _ranked(counter, "code", limit):
            person = people[entry["code"]]
            item = {"code": entry["code"], "name": person.name}
            if person.team:
                item["team"] = person.team
            item["sessions"] = entry["sessions"]
            out.append(item)
        return out

    top_posts = []
    for entry in _ranked(post_sessions, "slug", TOP):
        info = known[entry["slug"]]
        top_posts.append(
            {
                "slug": info.slug,
                "title": info.title,
                "category": info.category,
                "sessions": entry["sessions"],
            }
        )
    return {
        "period": {
            "start": min(dates).isoformat() if dates else None,
            "end": max(dates).isoformat() if dates else None,
        },
        "totals": {
            "sessions": totals["sessions"],
            "advocates": len(advocate) + len(anonymous_codes),
            "named_advocates": len(advocate),
            "anonymous_advocates": len(anonymous_codes),
            "anonymous_sessions": totals["anonymous_sessions"],
            "untracked_sessions": totals["untracked_sessions"],
        },
        "by_month": [{"month": m, "sessions": month[m]} for m in sorted(month)],
        "by_week": [{"week": w, "start": week_start[w], "sessions": week[w]} for w in sorted(week)],
        "by_network": _ranked(network, "network"),
        "by_category": _ranked(category, "category"),
        "by_campaign": _ranked(campaign, "campaign"),
        "top_posts": top_posts,
        "leaderboard": {
            "overall": board(advocate),
            "by_month": {m: board(adv_month[m]) for m in sorted(adv_month)},
            "by_network": {n: board(adv_network[n]) for n in sorted(adv_network)},
            "by_campaign": {c: board(adv_campaign[c]) for c in sorted(adv_campaign)},
        },
    }


HEADER = (
    "# Written by `advocacy-hub import-analytics {source}`. Do not edit by hand:\n"
    "# import the export again. Only advocates named in advocates.yml appear here.\n"
)


def dump(data: Mapping[str, Any], source: str) -> str:
    body = yaml.safe_dump(
        dict(data), sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096
    )
    return HEADER.format(source=source) + body


# -- command ----------------------------------------------------------------


def _month(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise ConfigError(f"--month {value!r}: write the month as YYYY-MM") from None


def import_file(
    csv_path: Path, root: Path, config: HubConfig, month: dt.date | None = None
) -> tuple[dict[str, Any], Report]:
    """Read, check and aggregate an export; raise ExportError if nothing usable."""
    try:
        blob = csv_path.read_bytes()
    except OSError as exc:
        raise ExportError(f"{csv_path}: cannot be read: {exc.strerror or exc}") from None
    try:
        report = read_export(
            _decode(blob, str(csv_path)), str(csv_path), config.site.utm_medium, month
        )
    except csv.Error as exc:
        raise ExportError(f"{csv_path}: not a CSV table: {exc}") from None
    if not report.rows:
        raise ExportError(
            f"{csv_path}: no usable rows ({len(report.bad)} bad, {report.ignored} of another "
            f"medium or untracked); nothing was written"
        )
    people = load_advocates(root / ADVOCATES)
    known = load_posts(root / config.posts_dir)
    return aggregate(report.rows, people, known), report


def command(ns: argparse.Namespace) -> int:
    config_path = Path(ns.config)
    config = load_config(config_path)
    root = config_path.parent
    csv_path = Path(ns.csv)
    try:
        data, report = import_file(csv_path, root, config, _month(getattr(ns, "month", None)))
    except ExportError as exc:
        log.error("%s", exc)
        return 1
    for line in report.bad:
        log.warning("%s", line)
    write_atomic(root / OUTPUT, dump(data, csv_path.name))
    totals = data["totals"]
    log.info(
        "analytics: %d rows, %d sessions, %d advocates (%d named) -> %s; %d bad row(s) skipped",
        len(report.rows),
        totals["sessions"],
        totals["advocates"],
        totals["named_advocates"],
        OUTPUT,
        len(report.bad),
    )
    return 0
