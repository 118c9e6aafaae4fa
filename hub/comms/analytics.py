"""`advocacy-hub import-analytics`: credit web traffic to the people who shared.

Every share link carries utm_source (network), utm_medium, utm_campaign (the
post's campaign, else its slug) and, when the employee entered one, their
advocate code in utm_content. A web-analytics export grouped by those values
is therefore enough to say who shared what, where, and what it brought. This
module turns such a CSV into `content/_data/analytics.yml`, the one data file
the recognition wall and the program page draw from.

Accepted exports: CSV or TSV in UTF-8, UTF-16 with a BOM (Matomo) or
Windows-1252 (Excel), separated by ',', ';' or tabs; or Plausible's dashboard
zip. Header names are matched case-insensitively; spaces, underscores and
camelCase (GA4 Data API) are the same:

| meaning         | accepted headers                                                        |
|-----------------|-------------------------------------------------------------------------|
| network         | utm_source, Session source, Source, First user source                   |
| source / medium | Session source / medium (GA4), Label "linkedin - employee-advocacy"     |
| campaign / post | utm_campaign, Session campaign, Campaign, Label (Matomo campaigns)      |
| advocate code   | utm_content, Session manual ad content, Manual ad content, Ad content   |
| count           | Sessions, Visits, Visitors, Clicks, Views, Pageviews, Count: the first  |
|                 | present, so Fathom's visitors count beside its uniques and pageviews    |
| medium (opt.)   | utm_medium, Session medium, Medium: rows of another medium are skipped  |
| date (opt.)     | Date, Day: 2026-11-20, 20261120, "Nov 2, 2026", 02.11.2026; or --month  |
| page (opt.)     | Landing page, Page path, Entry page, URL: finds the post of a campaign  |

Lines starting with '#' (GA4's header notes), totals rows and dated rows with
every dimension empty (Fathom's untagged traffic) are skipped; a
blank line after the table ends it (GA4 appends other tables). A file needs a
count and one dimension; the dimensions it lacks are named and the rest
imported. Every skipped row is reported with its line and reason. Each import
merges into `analytics-history.yml`: the months it covers replace those
months, the others stay. Codes that comms map to a person in
`content/_data/advocates.yml` are shown by name; others are counted, never
named, and kept only as digests.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import logging
import re
import zipfile
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
HISTORY = DATA_DIR / "analytics-history.yml"
ADVOCATES = DATA_DIR / "advocates.yml"
TOP = 10
COLUMNS: dict[str, tuple[str, ...]] = {
    "source": ("utm source", "session source", "source", "first user source", "referrer"),
    "campaign": (
        "utm campaign",
        "session campaign",
        "campaign",
        "session campaign name",
        "campaign name",
    ),
    "content": ("utm content", "session manual ad content", "manual ad content", "ad content"),
    # GA4 "Session source / medium" and Matomo's flattened "Source - Medium" label
    "combined": (
        "session source / medium",
        "source / medium",
        "first user source / medium",
        "session source/medium",
    ),
    "label": ("label", "source - medium", "campaign source - medium"),
    "count": ("sessions", "visits", "visitors", "clicks", "views", "pageviews", "count"),
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
# Plausible's dashboard zip: one CSV per report, `name` is the report's dimension
PLAUSIBLE = {
    "utm_sources.csv": "source",
    "utm_campaigns.csv": "campaign",
    "utm_contents.csv": "content",
}
DIMENSIONS = ("source", "campaign", "content", "medium", "date")
TOTALS = frozenset({"", "total", "totals", "grand total", "gesamt", "total général"})
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
    """One export row; None is a dimension the file does not have.

    code is the advocate code's digest (_code_key), "" when the row's link had
    none. part is "" for a full row, else the one dimension of a Plausible
    report table (its rows count only towards that dimension).
    """

    line: int
    network: str | None
    campaign: str | None
    code: str | None
    count: int
    day: dt.date | None
    page: str | None
    part: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    skipped: list[tuple[str, int, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    has_medium: bool = False

    def skip(self, source: str, line: int, reason: str) -> None:
        self.skipped.append((source, line, reason))

    def skipped_lines(self) -> list[str]:
        """One line per file and reason, naming every skipped line."""
        grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
        for source, line, reason in self.skipped:
            grouped[(source, reason)].append(line)
        return [
            f"{source}: skipped line{'s' if len(lines) > 1 else ''} "
            f"{', '.join(map(str, lines))}: {reason}"
            for (source, reason), lines in grouped.items()
        ]

    @property
    def ignored(self) -> int:
        return len(self.skipped)


# -- reading ----------------------------------------------------------------


def _norm(header: str) -> str:
    """'sessionSource', 'Session_source' and 'session source' are one header."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header.strip().lstrip("\ufeff"))
    return re.sub(r"[\s_]+", " ", spaced.lower())


def _decode(blob: bytes, source: str) -> str:
    """UTF-16 with a BOM (Matomo's default), UTF-8, else Windows-1252 (Excel's 'CSV')."""
    if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
        return blob.decode("utf-16")
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return blob.decode("cp1252")
    except UnicodeDecodeError:
        raise ExportError(
            f"{source}: not UTF-8, UTF-16 or Windows-1252 text; export the CSV as UTF-8"
        ) from None


def _columns(header: Sequence[str], source: str, line: int) -> dict[str, int]:
    """Column index per meaning; at least a count and one dimension."""
    names = [_norm(h) for h in header]
    found: dict[str, int] = {}
    for key, candidates in COLUMNS.items():
        for candidate in candidates:
            if candidate in names:
                found[key] = names.index(candidate)
                break
    if "count" not in found:
        raise ExportError(
            f"{source}:{line}: the header lacks a count column "
            f"({', '.join(COLUMNS['count'][:4])}); export a report with Sessions or Visits"
        )
    if not {"source", "campaign", "content", "combined", "label"} & found.keys():
        wanted = "; ".join(f"{k}: {' or '.join(COLUMNS[k][:3])}" for k in DIMENSIONS)
        raise ExportError(f"{source}:{line}: the header lacks every dimension ({wanted})")
    return found


def _count(text: str) -> int:
    cleaned = re.sub(r"[\s,_\u00a0\u202f']", "", text)
    value = float(cleaned)
    if value < 0 or value != int(value):
        raise ValueError
    return int(value)


DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y%m%d",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
)


def _date(text: str) -> dt.date:
    """GA4 (20261102), ISO (Matomo, Plausible) and Looker Studio ('Nov 2, 2026')."""
    text = " ".join(text.split())
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(text)


def network_of(source: str) -> str:
    source = source.strip().lower()
    return NETWORK_ALIASES.get(source, source)


def _code_key(code: str) -> str:
    """The advocate code as kept in the history: a digest, so unnamed codes are never written."""
    return hashlib.sha256(code.lower().encode("utf-8")).hexdigest()[:16]


def _table(text: str, source: str) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """Header line number, header and numbered rows of the export's first table."""
    lines = text.splitlines()
    start = 0
    while start < len(lines) and (not lines[start].strip() or lines[start].startswith("#")):
        start += 1
    if start >= len(lines):
        raise ExportError(f"{source}: no table found (the file is empty or only comments)")
    header_line = lines[start]
    delimiter = max(("\t", ",", ";"), key=header_line.count)
    body: list[tuple[int, str]] = []
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if not line.strip():
            break
        if not line.startswith("#"):
            body.append((number + 1, line))
    header = next(csv.reader([header_line], delimiter=delimiter))
    rows = [(n, next(csv.reader([line], delimiter=delimiter), [])) for n, line in body]
    return start + 1, header, rows


def read_export(
    text: str, source: str, medium: str, month: dt.date | None = None, part: str = ""
) -> Report:
    """Parse an analytics export; raise ExportError when it is unusable as a whole."""
    line, header, rows = _table(text, source)
    part = part or next((d for n, d in PLAUSIBLE.items() if source.endswith(n)), "")
    if part:
        header = [f"utm_{part}" if _norm(h) == "name" else h for h in header]
    columns = _columns(header, source, line)
    report = Report()
    for number, fields in rows:
        row = _row(fields, columns, number, source, medium, month, report, part)
        if row is not None:
            report.rows.append(row)
    report.missing = _missing(report.rows, report.has_medium)
    return report


def _missing(rows: Sequence[Row], has_medium: bool) -> list[str]:
    """The dimensions no row had: imported anyway, and said."""
    missing = []
    for key, attr in (("source", "network"), ("campaign", "campaign"), ("content", "code")):
        if all(getattr(r, attr) is None for r in rows):
            missing.append(key)
    if not has_medium:
        missing.append("medium")
    if all(r.day is None for r in rows):
        missing.append("date")
    return missing


def _split(value: str, separator: str) -> tuple[str, str | None]:
    if separator in value:
        first, _, second = value.rpartition(separator)
        return first.strip(), second.strip()
    return value.strip(), None


def _row(
    fields: Sequence[str],
    columns: Mapping[str, int],
    number: int,
    source: str,
    medium: str,
    month: dt.date | None,
    report: Report,
    part: str = "",
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
    dims = [get(k) for k in ("source", "campaign", "content", "combined", "label") if k in columns]
    if all((d or "").lower() in TOTALS for d in dims):
        # A totals row leaves the date empty too; a dated row with every
        # dimension empty is untagged traffic (Fathom groups it that way).
        dated = "date" in columns and bool(get("date"))
        reason = "no utm values (not from a share link)" if dated else "a totals row, not traffic"
        report.skip(source, number, reason)
        return None
    raw_source, row_medium, campaign = get("source"), get("medium"), get("campaign")
    if "combined" in columns:
        raw_source, row_medium = _split(get("combined") or "", "/")
    elif "label" in columns:
        # Matomo's label is the report's dimension: "Source - Medium" when
        # flattened from the campaign source/medium report, else a campaign name.
        label = get("label") or ""
        if " - " in label:
            raw_source, row_medium = _split(label, " - ")
        elif campaign is None:
            campaign = label
    if row_medium is not None:
        report.has_medium = True
    if row_medium is not None and row_medium.lower() != medium.lower():
        report.skip(source, number, f"medium is not {medium}")
        return None
    raw_count = get("count") or ""
    try:
        count = _count(raw_count)
    except ValueError:
        report.bad.append(f"{where}: skipped: count {raw_count!r} is not a whole number")
        return None
    network = network_of(raw_source) if raw_source is not None else None
    if (network or "").lower() in NOT_SET - {""} or (campaign or "").lower() in NOT_SET - {""}:
        report.skip(source, number, "not from a share link (source or campaign not set)")
        return None
    if network == "" or campaign == "":
        report.skip(source, number, "source or campaign empty")
        return None
    day = month
    raw_date = get("date")
    if raw_date:
        try:
            day = _date(raw_date)
        except ValueError:
            report.bad.append(
                f"{where}: skipped: date {raw_date!r} is not a date "
                "(YYYY-MM-DD, YYYYMMDD or 'Nov 2, 2026')"
            )
            return None
    code = get("content")
    if code is not None:
        if code.lower() in NOT_SET:
            code = ""
        elif not advocate.valid(code):
            report.bad.append(f"{where}: skipped: advocate code {code[:40]!r} has other characters")
            return None
    page = get("page") or None
    key = _code_key(code) if code else ("" if code == "" else None)
    return Row(number, network, campaign, key, count, day, page, part)


def _read_zip(blob: bytes, source: str, medium: str, month: dt.date | None) -> Report:
    """Plausible's dashboard export: one single-dimension CSV per report, no dates."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
    except zipfile.BadZipFile:
        raise ExportError(f"{source}: a damaged zip; download the export again") from None
    names = {Path(n).name: n for n in archive.namelist()}
    wanted = [n for n in PLAUSIBLE if n in names]
    if not wanted:
        raise ExportError(
            f"{source}: a zip without {', '.join(PLAUSIBLE)}; "
            "export Plausible's dashboard (Export as zip) or import one CSV"
        )
    report = Report()
    for name in wanted:
        text = _decode(archive.read(names[name]), f"{source}:{name}")
        part = read_export(text, f"{source}:{name}", medium, month, PLAUSIBLE[name])
        report.rows.extend(part.rows)
        report.bad.extend(part.bad)
        report.skipped.extend(part.skipped)
    report.missing = _missing(report.rows, False)
    return report


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
    if row.campaign is not None and row.campaign in known:
        return known[row.campaign]
    if row.page:
        path = (
            urlsplit(row.page).path.rstrip("/")
            if "://" in row.page
            else row.page.split("?")[0].rstrip("/")
        )
        if path in by_path:
            return by_path[path]
    return single.get(row.campaign) if row.campaign is not None else None


def _category_of(row: Row, post: PostInfo | None, campaigns: Mapping[str, str]) -> str:
    if post is not None:
        return post.category
    return campaigns.get(row.campaign, "unknown") if row.campaign is not None else "unknown"


def aggregate(
    rows: Iterable[Row], people: Mapping[str, Person], known: Mapping[str, PostInfo]
) -> dict[str, Any]:
    """analytics.yml's content: plain data, sorted, so the same export gives the same file."""
    by_path = {p.path: p for p in known.values() if p.path}
    groups: dict[str, set[str]] = defaultdict(set)
    for info in known.values():
        groups[info.campaign].add(info.category)
    members: dict[str, list[PostInfo]] = defaultdict(list)
    for info in known.values():
        members[info.campaign].append(info)
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

    named = {_code_key(code): code for code in people}
    for row in rows:
        whole = row.part in ("", "campaign")
        if whole:
            totals["sessions"] += row.count
        if row.network is not None and row.part in ("", "source"):
            network[row.network] += row.count
        if row.campaign is not None:
            campaign[row.campaign] += row.count
        if whole:
            post = _post_of(row, known, by_path, single)
            category[_category_of(row, post, campaigns)] += row.count
            if post is not None:
                post_sessions[post.slug] += row.count
        if row.day is not None and whole:
            dates.append(row.day)
            month[row.day.strftime("%Y-%m")] += row.count
            label, start = _week(row.day)
            week[label] += row.count
            week_start[label] = start
        if row.code is None or row.part not in ("", "content"):
            continue
        if row.code == "":
            totals["untracked_sessions"] += row.count
            continue
        code = named.get(row.code)
        if code is None:
            anonymous_codes.add(row.code)
            totals["anonymous_sessions"] += row.count
            continue
        advocate[code] += row.count
        if row.day is not None:
            adv_month[row.day.strftime("%Y-%m")][code] += row.count
        if row.network is not None:
            adv_network[row.network][code] += row.count
        if row.campaign is not None:
            adv_campaign[row.campaign][code] += row.count

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


UNDATED = "undated"
MISSING = {
    "source": "no network breakdown",
    "campaign": "no campaign or post breakdown",
    "content": "no advocate leaderboard",
    "medium": "rows of other mediums cannot be told apart",
    "date": "no months or weeks; give --month YYYY-MM",
}


def _month_key(row: Row) -> str:
    return row.day.strftime("%Y-%m") if row.day is not None else UNDATED


def _row_data(row: Row) -> dict[str, Any]:
    return {
        "line": row.line,
        "network": row.network,
        "campaign": row.campaign,
        "code": row.code,
        "count": row.count,
        "day": row.day.isoformat() if row.day else None,
        "page": row.page,
        "part": row.part,
    }


def load_history(path: Path) -> dict[str, list[Row]]:
    """Rows of earlier imports by month, so a new import replaces only its own months."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        months = data.get("months") or {}
        return {
            str(month): [
                Row(
                    int(r["line"]),
                    r["network"],
                    r["campaign"],
                    r["code"],
                    int(r["count"]),
                    dt.date.fromisoformat(r["day"]) if r["day"] else None,
                    r["page"],
                    r.get("part") or "",
                )
                for r in rows
            ]
            for month, rows in months.items()
        }
    except (yaml.YAMLError, AttributeError, KeyError, TypeError, ValueError):
        raise ExportError(
            f"{path}: not a history this command wrote; move it away to start the history anew"
        ) from None


def merge(history: Mapping[str, list[Row]], rows: Iterable[Row]) -> dict[str, list[Row]]:
    """The history with every month the new rows cover replaced by them."""
    fresh: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        fresh[_month_key(row)].append(row)
    merged = {m: list(r) for m, r in history.items() if m not in fresh}
    merged.update(fresh)
    return dict(sorted(merged.items()))


def dump_history(months: Mapping[str, list[Row]]) -> str:
    data = {"months": {m: [_row_data(r) for r in rows] for m, rows in months.items()}}
    return HISTORY_HEADER + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096
    )


HISTORY_HEADER = (
    "# Written by `advocacy-hub import-analytics`: the rows of every month imported,\n"
    "# advocate codes as digests. A new import replaces only the months it covers.\n"
)


def read_file(path: Path, medium: str, month: dt.date | None = None) -> Report:
    """An export file, CSV or zip, as rows; raise ExportError if nothing usable."""
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        if blob.startswith(b"PK\x03\x04"):
            report = _read_zip(blob, str(path), medium, month)
        else:
            report = read_export(_decode(blob, str(path)), str(path), medium, month)
    except csv.Error as exc:
        raise ExportError(f"{path}: not a CSV table: {exc}") from None
    if not report.rows:
        raise ExportError(
            f"{path}: no usable rows ({len(report.bad)} bad, {report.ignored} skipped); "
            "nothing was written"
        )
    return report


def import_file(
    csv_path: Path, root: Path, config: HubConfig, month: dt.date | None = None
) -> tuple[dict[str, Any], Report, dict[str, list[Row]]]:
    """Read an export, merge it into the history and aggregate the whole history."""
    report = read_file(csv_path, config.site.utm_medium, month)
    months = merge(load_history(root / HISTORY), report.rows)
    people = load_advocates(root / ADVOCATES)
    known = load_posts(root / config.posts_dir)
    rows = [row for month_rows in months.values() for row in month_rows]
    return aggregate(rows, people, known), report, months


def command(ns: argparse.Namespace) -> int:
    config_path = Path(ns.config)
    config = load_config(config_path)
    root = config_path.parent
    csv_path = Path(ns.csv)
    try:
        data, report, months = import_file(
            csv_path, root, config, _month(getattr(ns, "month", None))
        )
    except ExportError as exc:
        log.error("%s", exc)
        return 1
    for line in report.bad + report.skipped_lines():
        log.warning("%s", line)
    if report.missing:
        lacks = "; ".join(f"{k} ({MISSING[k]})" for k in report.missing)
        log.warning("%s: imported what it has; it lacks %s", csv_path, lacks)
    write_atomic(root / HISTORY, dump_history(months))
    write_atomic(root / OUTPUT, dump(data, csv_path.name))
    totals = data["totals"]
    log.info(
        "analytics: %d rows, %d sessions in %d month(s), %d advocates (%d named) -> %s; "
        "%d bad and %d other row(s) skipped",
        len(report.rows),
        totals["sessions"],
        len(months),
        totals["advocates"],
        totals["named_advocates"],
        OUTPUT,
        len(report.bad),
        report.ignored,
    )
    return 0
