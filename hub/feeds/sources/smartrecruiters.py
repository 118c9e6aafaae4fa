"""SmartRecruiters Posting API (`api.smartrecruiters.com/v1/companies/{id}/postings`).

The list answer is `{offset, limit, totalFound, content: [posting]}` and
carries no text; each posting's details (`.../postings/{id}`) add `jobAd.sections`
(company description, job description, qualifications, additional
information, each `{title, text}`), mapped as headings. The sync hands a
`Details` downloader (hub.feeds.fetch: same limits, conditional, one deadline
for the feed) and each posting is read with its details. A detail that
cannot be had is one warning line and the posting is kept with what the
list gives (title, link, place, type, date): the list says the job is open,
and hiding it for a sync because one request failed would be worse than a
post without its text; the read is marked partial (an earlier body is not
blanked) and to be retried (the next sync reads the list again and fills
the text). A posting states its own language, used as the item's. The job
page is `postingUrl`, else `jobs.smartrecruiters.com/{company}/{id}`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from hub.config import FeedConfig
from hub.feeds.fetch import Details, FetchError
from hub.feeds.parse import ParsedFeed
from hub.feeds.sources import common

log = logging.getLogger("hub.feeds.sources.smartrecruiters")

SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def matches(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if "jobAd" in data and "releasedDate" in data:
        return True
    content = data.get("content")
    return isinstance(content, list) and ("totalFound" in data or any(
        isinstance(p, dict) and "releasedDate" in p for p in content[:5]))  # fmt: skip


def _label(value: Any, key: str = "label") -> str | None:
    return common.text(value.get(key)) if isinstance(value, dict) else common.text(value)


def _item(feed: FeedConfig, posting: Mapping[str, Any]) -> Any:
    place = common.fields(posting.get("location"))
    company = common.fields(posting.get("company"))
    sections = ((posting.get("jobAd") or {}).get("sections") or {}) if isinstance(
        posting.get("jobAd"), dict) else {}  # fmt: skip
    blocks = [
        (s.get("title"), s.get("text"))
        for s in (sections.get(name) for name in SECTIONS)
        if isinstance(s, dict)
    ]
    pid = posting.get("id")
    link = posting.get("postingUrl") or (
        f"https://jobs.smartrecruiters.com/{company.get('identifier')}/{pid}"
        if company.get("identifier") and pid
        else None
    )
    language = posting.get("language")
    return common.job_item(
        feed,
        posting,
        id=f"smartrecruiters:{pid}" if pid else None,
        link=link,
        title=posting.get("name"),
        content_html=common.sections_html(blocks),
        location=common.text(place.get("fullLocation"))
        or common.place(place.get("city"), place.get("region"), place.get("country")),
        remote=common.yes(place.get("remote")),
        hybrid=bool(common.yes(place.get("hybrid"))),
        job_type=common.job_type(_label(posting.get("typeOfEmployment"))),
        department=_label(posting.get("department")),
        published=common.when(posting.get("releasedDate")),
        language=_label(language, "code") if isinstance(language, dict) else common.text(language),
        tags=[
            t for t in map(_label, (posting.get("function"), posting.get("experienceLevel"))) if t
        ],
    )


def detail_url(source: str, posting_id: str) -> str:
    """`.../postings/{id}` beside the list URL the feed names."""
    return f"{source.split('?', 1)[0].split('#', 1)[0].rstrip('/')}/{quote(posting_id, safe='')}"


def _with_details(
    feed: FeedConfig, source: str, postings: list[dict[str, Any]], details: Details
) -> tuple[list[dict[str, Any]], list[str]]:
    """Each posting merged with its details; the ids whose details could not be had."""
    out, failed = [], []
    for posting in postings:
        pid = posting.get("id")
        if not pid or isinstance(posting.get("jobAd"), dict):
            out.append(posting)
            continue
        url = detail_url(source, str(pid))
        try:
            detail = json.loads(details.get(url).decode("utf-8-sig"))
            if not isinstance(detail, dict):
                raise ValueError("not a JSON object")
        except FetchError as exc:
            log.warning("%s: posting %s kept without its text: %s", feed.name, pid, exc)
            failed.append(str(pid))
            out.append(posting)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            log.warning("%s: posting %s kept without its text: %s: not readable JSON (%s)",
                        feed.name, pid, url, str(exc)[:80])  # fmt: skip
            failed.append(str(pid))
            out.append(posting)
        else:
            out.append({**posting, **detail})
    return out, failed


def read(
    data: bytes, feed: FeedConfig, source: str, details: Details | None = None
) -> ParsedFeed:
    body = common.json_data(data, source, feed, "SmartRecruiters")
    listed = body.get("content") if isinstance(body.get("content"), list) else [body]
    postings = [p for p in listed if isinstance(p, dict)]
    failed: list[str] = []
    remote = source.lower().startswith(("http://", "https://"))  # a local file has no details
    if details is not None and remote and isinstance(body.get("content"), list):
        postings, failed = _with_details(feed, source, postings, details)
    warning = (
        f"{len(failed)} of {len(postings)} postings kept without their text (their details "
        f"did not download: {', '.join(failed[:5])}); the next sync tries again"
        if failed
        else None
    )
    return common.SourceFeed(
        title=feed.title or feed.name, link=None, language=None,
        items=[_item(feed, p) for p in postings], warning=warning, retry=bool(failed),
    )  # fmt: skip
