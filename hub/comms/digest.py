"""`advocacy-hub digest`: the weekly reminder of what is new and ready to share.

Programs fail when people forget the hub exists; a short weekly message in
the inbox or the team chat, with one-click share links, is what keeps them
sharing. One set of posts is rendered four ways: an HTML email that survives
Outlook (tables, inline CSS, no images needed), its plain-text twin, Slack
Block Kit and a Teams Adaptive Card. Everything from a feed is untrusted, so
each format escapes for its own syntax.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import requests

from hub import dates
from hub import text as texts
from hub.config import ConfigError, HubConfig, category_label, load_config
from hub.direction import direction_of
from hub.files import write_atomic
from hub.posts import schema as posts
from hub.posts.share import ShareLink, campaign_of, share_links, tracked_url
from hub.site import listing

log = logging.getLogger("hub.comms.digest")

WEBHOOK_ENV = "HUB_WEBHOOK_URL"
TIMEOUT = (5.0, 20.0)
MAX_CHAT_POSTS = 12  # Slack allows 50 blocks; each post takes 3
CHAT_NETWORKS = 5  # share buttons per post in chat, besides "Open"
SUMMARY_CHARS = 300
# Microsoft's limit for one Teams message, card included ("28 KB"); kept a
# little under so headers and rounding never tip it over.
TEAMS_LIMIT = 27 * 1024
EMAIL_LIMIT = 100 * 1000  # Gmail clips HTML mail over ~102 KB
MAX_LINE = 998  # RFC 5322 2.1.1, octets
EMAIL_NETWORKS = 6  # share links per post in the email when the hub page has the rest


@dataclass(frozen=True)
class DigestPost:
    slug: str
    title: str
    summary: str
    category: str
    language: str
    direction: str
    day: str
    read_url: str  # the article, tracked as coming from this channel
    hub_url: str | None  # the post's page on the hub, where the captions are
    links: Sequence[ShareLink]


@dataclass(frozen=True)
class Digest:
    site_title: str
    site_url: str | None
    since: dt.date
    today: dt.date
    posts: Sequence[DigestPost]
    brand: str
    colors: Mapping[str, str]


def _day(meta: Mapping[str, Any]) -> dt.date | None:
    return dates.day_of(meta.get("publish_date")) or dates.day_of(meta.get("date"))


def _short(text: str, limit: int = SUMMARY_CHARS) -> str:
    return texts.cut(" ".join(str(text or "").split()), limit, len)


def select(
    items: Sequence[tuple[str, Mapping[str, Any]]], since: dt.date, today: dt.date, new_days: int
) -> list[listing.Entry]:
    """Share-ready today and published (or out of embargo) on or after `since`."""
    entries = [listing.entry(slug, meta, today, new_days) for slug, meta in items]
    fresh = []
    for item in listing.share_ready(entries):
        day = _day(item.meta)
        if day is not None and since <= day <= today:
            fresh.append(item)
    return fresh


def digest_post(item: listing.Entry, config: HubConfig, channel: str) -> DigestPost:
    meta, site = item.meta, config.site
    target = str(meta.get("canonical_url") or "")
    read_url = ""
    if target.startswith(("http://", "https://")):
        read_url = tracked_url(
            target, source=channel, medium=site.utm_medium, campaign=campaign_of(meta, item.slug)
        )
    hub_url = f"{site.url.rstrip('/')}/posts/{item.slug}/" if site.url else None
    language = str(meta.get("language") or "en")
    return DigestPost(
        slug=item.slug,
        title=" ".join(str(meta.get("title") or item.slug).split()),
        summary=_short(str(meta.get("summary") or "")),
        category=category_label(str(meta.get("category") or "")),
        language=language,
        direction=direction_of(language),
        day=str(_day(meta) or ""),
        read_url=read_url,
        hub_url=hub_url,
        links=share_links(meta, site, slug=item.slug),
    )


def build(
    config: HubConfig,
    items: Sequence[tuple[str, Mapping[str, Any]]],
    since: dt.date,
    today: dt.date,
    channel: str,
) -> Digest:
    chosen = select(items, since, today, config.site.new_days)
    return Digest(
        site_title=config.site.title,
        site_url=config.site.url,
        since=since,
        today=today,
        posts=[digest_post(item, config, channel) for item in chosen],
        brand=config.brand.name,
        colors=dict(config.brand.colors),
    )


# -- email ------------------------------------------------------------------


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hub.comms", "templates/digest"),
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    # a share link longer than a mail line is left to the hub page
    env.tests["short"] = lambda href: len(str(href)) <= MAX_LINE - 100
    return env


def fold(text: str, limit: int = MAX_LINE) -> str:
    """Break lines longer than `limit` octets at a space (RFC 5322: 998 per line).

    In HTML a newline is whitespace like the space it replaces, and URLs hold
    no spaces (they are %-encoded), so folding changes nothing on screen.
    """
    out = []
    for line in text.split("\n"):
        while len(line.encode("utf-8")) > limit:
            cut = line.encode("utf-8")[:limit].decode("utf-8", "ignore").rfind(" ")
            if cut <= 0:
                break
            out.append(line[:cut])
            line = line[cut + 1 :]
        out.append(line)
    return "\n".join(out)


def email_html(digest: Digest) -> str:
    """The most posts whose email stays under EMAIL_LIMIT (Gmail clips ~102 KB)."""
    template = _env().get_template("email.html.j2")
    count = len(digest.posts)
    while True:
        shown = digest.posts[:count]
        html = fold(template.render(d=digest, shown=shown, networks=EMAIL_NETWORKS))
        if count == 0 or len(html.encode("utf-8")) <= EMAIL_LIMIT:
            return html
        count -= 1


def email_text(digest: Digest) -> str:
    return fold(_env().get_template("email.txt.j2").render(d=digest))


def subject(digest: Digest) -> str:
    count = len(digest.posts)
    noun = "post" if count == 1 else "posts"
    return f"{digest.site_title}: {count} new {noun} to share"


# -- chat -------------------------------------------------------------------


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _chat_links(post: DigestPost) -> list[tuple[str, str]]:
    """(label, url) buttons: the hub page first, then the first share networks."""
    out = []
    if post.hub_url:
        out.append(("Open on the hub", post.hub_url))
    elif post.read_url:
        out.append(("Read", post.read_url))
    shares = [link for link in post.links if link.href.startswith("https://")]
    out += [(f"Share on {link.label}", link.href) for link in shares[:CHAT_NETWORKS]]
    return out


def slack_message(digest: Digest, slack_posts: Sequence[DigestPost]) -> dict[str, Any]:
    """Slack Block Kit for an incoming webhook (`text` is the notification fallback)."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": subject(digest)[:150]}},
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": _slack_escape(f"New since {digest.since.isoformat()}")}
            ],
        },
    ]
    for post in slack_posts[:MAX_CHAT_POSTS]:
        title = _slack_escape(post.title)
        if post.read_url:
            title = f"<{post.read_url}|{title.replace('|', '¦')}>"
        text = f"*{title}*\n_{_slack_escape(post.category)}_"
        if post.summary:
            text += f"\n{_slack_escape(post.summary)}"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}})
        buttons = [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": label[:75]},
                "url": url,
                "action_id": f"{post.slug}-{index}"[:255],
            }
            for index, (label, url) in enumerate(_chat_links(post))
            if len(url) <= 3000
        ]
        if buttons:
            blocks.append({"type": "actions", "elements": buttons})
        blocks.append({"type": "divider"})
    shown = min(len(slack_posts), MAX_CHAT_POSTS)
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _more(digest, shown)}})
    return {"text": subject(digest), "blocks": blocks}


def _more(digest: Digest, shown: int) -> str:
    hidden = max(0, len(digest.posts) - shown)
    lead = f"…and {hidden} more. " if hidden else ""
    if not digest.site_url:
        return lead + "Share in your own words: every caption is only a suggestion."
    return f"{lead}<{digest.site_url}|Browse every share-ready post on the hub>"


def _run(text: str, **style: Any) -> dict[str, Any]:
    """A TextRun: Adaptive Cards render its text as is, never as Markdown.

    A TextBlock would turn a title like "1. Foo" or "- Foo" into a list and
    [x](y) into a link, and Teams shows backslash escapes literally; TextRun
    has no Markdown to escape.
    """
    return {"type": "TextRun", "text": text, **style}


def _rich(*runs: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": list(runs), **props}


def _body(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def teams_size(payload: Mapping[str, Any]) -> int:
    """Bytes of the body post_webhook sends: what Teams' 28 KB limit counts."""
    return len(_body(payload))


def teams_message(digest: Digest, teams_posts: Sequence[DigestPost]) -> dict[str, Any]:
    """The most posts (up to MAX_CHAT_POSTS) whose message stays under TEAMS_LIMIT."""
    count = min(len(teams_posts), MAX_CHAT_POSTS)
    while True:
        payload = _teams_payload(digest, teams_posts[:count])
        if count == 0 or teams_size(payload) <= TEAMS_LIMIT:
            return payload
        count -= 1


def _teams_payload(digest: Digest, shown: Sequence[DigestPost]) -> dict[str, Any]:
    """A Teams incoming-webhook message carrying one Adaptive Card (1.5, for `rtl`)."""
    body: list[dict[str, Any]] = [
        _rich(_run(subject(digest), size="Large", weight="Bolder")),
        _rich(_run(f"New since {digest.since.isoformat()}", isSubtle=True), spacing="None"),
    ]
    for post in shown:
        items: list[dict[str, Any]] = [
            _rich(_run(post.title, weight="Bolder")),
            _rich(_run(post.category, isSubtle=True), spacing="None"),
        ]
        if post.summary:
            items.append(_rich(_run(post.summary)))
        actions = [
            {"type": "Action.OpenUrl", "title": label, "url": url}
            for label, url in _chat_links(post)
        ]
        if actions:
            items.append({"type": "ActionSet", "actions": actions})
        # `rtl` on a Column: the 1.5 schema spells Container's "rtl?" (a typo),
        # so a Container with `rtl` fails validation; Column's is sound.
        column = {"type": "Column", "rtl": post.direction == "rtl", "items": items}
        body.append({
            "type": "ColumnSet",
            "separator": True,
            "spacing": "Medium",
            "columns": [column],
        })  # fmt: skip
    hidden = len(digest.posts) - len(shown)
    if digest.site_url:
        lead = f"…and {hidden} more on the hub. " if hidden else ""
        link = {"type": "Action.OpenUrl", "url": digest.site_url}
        body.append(_rich(
            _run(lead), _run("Browse every share-ready post on the hub", selectAction=link)
        ))  # fmt: skip
    else:
        body.append(_rich(_run(_more(digest, len(shown)))))
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": body,
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


class WebhookError(Exception):
    """Posting failed; the message is the one line to show (it never holds the secret URL)."""


def post_webhook(payload: Mapping[str, Any], url: str, kind: str) -> None:
    """POST the chat JSON to a Slack or Teams incoming webhook."""
    parts = urlsplit(url)
    where = f"{parts.scheme}://{parts.hostname}" if parts.hostname else "the webhook"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(f"${WEBHOOK_ENV} is not an http(s) URL; paste the {kind} webhook URL")
    try:
        response = requests.post(
            url,
            data=_body(payload),
            headers={"Content-Type": "application/json"},
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise WebhookError(
            f"digest: posting to the {kind} webhook at {where} failed: {type(exc).__name__}"
        ) from None
    if not 200 <= response.status_code < 300:
        detail = " ".join(response.text.split())[:120]
        raise WebhookError(
            f"digest: the {kind} webhook at {where} answered HTTP {response.status_code}"
            + (f": {detail}" if detail else "")
        )
    if kind == "teams":
        _teams_answer(response.text, where)


def _teams_answer(text: str, where: str) -> None:
    """Teams' connectors answer 200 to everything and put the failure in the body.

    Success is "1" (or an empty 202 from a Workflows webhook); a failure reads
    "Webhook message delivery failed with error: Microsoft Teams endpoint
    returned HTTP error 413 with ContextId ..." (MicrosoftDocs/msteams-docs #1810).
    """
    detail = " ".join(text.split())
    if detail in ("", "1"):
        return
    if "fail" in detail.lower() or "error" in detail.lower():
        raise WebhookError(
            f"digest: the teams webhook at {where} answered 200 but did not deliver: {detail[:160]}"
        )


# -- command ----------------------------------------------------------------


def load_items(folder: Path) -> list[tuple[str, Mapping[str, Any]]]:
    items: list[tuple[str, Mapping[str, Any]]] = []
    for path in posts.iter_posts(folder):
        try:
            items.append((path.stem, posts.read(path).meta))
        except ValueError as exc:
            log.warning("%s (skipped; run `advocacy-hub check`)", exc)
    return items


def write_digest(
    config: HubConfig,
    items: Sequence[tuple[str, Mapping[str, Any]]],
    since: dt.date,
    today: dt.date,
    out: Path,
) -> dict[str, dict[str, Any]]:
    """Write the four files; return the chat payloads by channel."""
    email = build(config, items, since, today, "email")
    slack = build(config, items, since, today, "slack")
    teams = build(config, items, since, today, "teams")
    payloads = {
        "slack": slack_message(slack, slack.posts),
        "teams": teams_message(teams, teams.posts),
    }
    write_atomic(out / "digest.html", email_html(email))
    write_atomic(out / "digest.txt", email_text(email))
    for name, payload in payloads.items():
        write_atomic(out / f"{name}.json", json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    log.info("digest: %d post(s) since %s written to %s", len(email.posts), since, out)
    return payloads


def command(ns: argparse.Namespace) -> int:
    config_path = Path(ns.config)
    config = load_config(config_path)
    today = dates.option_or_today(ns.today, "--today")
    since = dates.option(ns.since, "--since") or today - dt.timedelta(days=7)
    items = load_items(config_path.parent / config.posts_dir)
    payloads = write_digest(config, items, since, today, Path(ns.out))
    if ns.post:
        url = os.environ.get(WEBHOOK_ENV, "").strip()
        if not url:
            raise ConfigError(f"--post {ns.post}: set ${WEBHOOK_ENV} to the {ns.post} webhook URL")
        if not select(items, since, today, config.site.new_days):
            log.info("digest: nothing new since %s; nothing posted", since)
            return 0
        try:
            post_webhook(payloads[ns.post], url, ns.post)
        except WebhookError as exc:
            log.error("%s", exc)
            return 1
        log.info("digest: posted to %s", ns.post)
    return 0
