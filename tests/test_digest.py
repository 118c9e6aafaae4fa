"""`advocacy-hub digest`: four renderings of the week's share-ready posts, and the
webhook post, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest

from hub.cli import main
from hub.comms import digest
from hub.posts import schema as posts
from tests.support.browser import in_ci

REPO = Path(__file__).resolve().parents[1]
EVIL = "<script>alert(1)</script> [click](javascript:alert(1)) *bold* & <b>"

POSTS = {
    "2026-11-20-new-office": dict(title="Our new office", summary="Kuala Lumpur opens.",
                                  status="approved", date="2026-11-20T09:00:00Z",
                                  category="internal", campaign="office-2026"),
    "2026-11-19-evil": dict(title=EVIL, summary=EVIL, status="approved",
                            date="2026-11-19T09:00:00Z", category="blog"),
    "2026-11-18-arabic": dict(title="مرحبا بالعالم", summary="ملخص قصير", status="approved",
                              date="2026-11-18T09:00:00Z", category="blog", language="ar"),
    "2026-11-17-chinese": dict(title="我们的新办公室", status="approved",
                               date="2026-11-17T09:00:00Z", category="culture", language="zh"),
    "2026-11-21-draft": dict(title="Draft", status="draft", date="2026-11-21T09:00:00Z",
                             category="blog"),
    "2026-11-21-embargo": dict(title="Embargoed", status="approved", date="2026-11-21T09:00:00Z",
                               publish_date="2026-11-30", category="blog"),
    "2026-11-20-closed": dict(title="Closed job", status="approved", date="2026-11-20T09:00:00Z",
                              expires="2026-11-21", category="jobs"),
    "2026-10-01-old": dict(title="Old news", status="approved", date="2026-10-01T09:00:00Z",
                           category="blog"),
}  # fmt: skip
FRESH = ["2026-11-20-new-office", "2026-11-19-evil", "2026-11-18-arabic", "2026-11-17-chinese"]


@pytest.fixture
def hub_dir(tmp_path, monkeypatch):
    shutil.copy(REPO / "hub.yml", tmp_path / "hub.yml")
    folder = tmp_path / "content" / "posts"
    folder.mkdir(parents=True)
    for slug, meta in POSTS.items():
        meta = {**meta, "canonical_url": f"https://www.acme.example/{slug}"}
        meta["captions"] = {"linkedin": [f"Caption for {slug}"], "x": ["Short"]}
        (folder / f"{slug}.md").write_text(posts.render(meta, "Body"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HUB_WEBHOOK_URL", raising=False)
    return tmp_path


def run_digest(*extra: str) -> int:
    return main(["-q", "digest", "--today", "2026-11-23", "--out", "out", *extra])


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_selects_share_ready_posts_new_in_the_last_seven_days(hub_dir):
    assert run_digest() == 0
    text = (hub_dir / "out" / "digest.txt").read_text(encoding="utf-8")
    titles = [
        line.split(". ", 1)[1] for line in text.splitlines() if line[:2] in ("1.", "2.", "3.", "4.")
    ]
    assert titles == [POSTS[s]["title"] for s in FRESH]
    assert text.startswith("Acme Advocacy Hub: 4 new posts to share since 2026-11-16\n")
    assert run_digest("--since", "2026-11-19") == 0
    text = (hub_dir / "out" / "digest.txt").read_text(encoding="utf-8")
    assert "Our new office" in text and "مرحبا" not in text


def test_email_html_is_outlook_safe_escaped_and_tracked(hub_dir):
    assert run_digest() == 0
    html = (hub_dir / "out" / "digest.html").read_text(encoding="utf-8")
    parsed = _Collect()
    parsed.feed(html)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "style" not in tags and "link" not in tags
    assert "img" not in tags  # nothing to download, nothing blocked
    assert all(attrs.get("role") == "presentation" for t, attrs in parsed.tags if t == "table")
    assert EVIL in "".join(parsed.text)  # shown as text, not markup
    hrefs = [a["href"] for t, a in parsed.tags if t == "a"]
    assert all(h.startswith(("https://", "mailto:")) for h in hrefs)
    read = next(h for h in hrefs if h.startswith("https://www.acme.example/2026-11-20-new-office"))
    assert parse_qs(urlsplit(read).query) == {
        "utm_source": ["email"],
        "utm_medium": ["employee-advocacy"],
        "utm_campaign": ["office-2026"],
    }
    assert "https://hub.acme.example/posts/2026-11-20-new-office/" in hrefs
    linkedin = [h for h in hrefs if h.startswith("https://www.linkedin.com/")]
    assert len(linkedin) == 4 and "utm_source%3Dlinkedin" in linkedin[0]
    arabic = [a for t, a in parsed.tags if t == "h2" and a.get("lang") == "ar"]
    assert arabic and arabic[0]["dir"] == "rtl"


SLACK_SCHEMA = {
    "type": "object",
    "required": ["text", "blocks"],
    "properties": {
        "text": {"type": "string", "minLength": 1},
        "blocks": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "required": ["type"],
                "properties": {
                    "type": {"enum": ["header", "context", "section", "actions", "divider"]},
                    "text": {
                        "type": "object",
                        "required": ["type", "text"],
                        "properties": {
                            "type": {"enum": ["plain_text", "mrkdwn"]},
                            "text": {"type": "string", "minLength": 1, "maxLength": 3000},
                        },
                    },
                    "elements": {
                        "type": "array",
                        "maxItems": 25,
                        "items": {
                            "type": "object",
                            "required": ["type"],
                            "properties": {
                                "type": {"enum": ["button", "mrkdwn", "plain_text"]},
                                "url": {
                                    "type": "string",
                                    "pattern": "^https://",
                                    "maxLength": 3000,
                                },
                                "action_id": {"type": "string", "maxLength": 255},
                            },
                        },
                    },
                },
            },
        },
    },
}
TEAMS_SCHEMA = {
    "type": "object",
    "required": ["type", "attachments"],
    "properties": {
        "type": {"const": "message"},
        "attachments": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
                "type": "object",
                "required": ["contentType", "content"],
                "properties": {
                    "contentType": {"const": "application/vnd.microsoft.card.adaptive"},
                    "content": {
                        "type": "object",
                        "required": ["type", "version", "body"],
                        "properties": {
                            "type": {"const": "AdaptiveCard"},
                            "version": {"const": "1.5"},
                            "body": {"type": "array", "items": {"$ref": "#/$defs/element"}},
                        },
                    },
                },
            },
        },
    },
    "$defs": {
        "element": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"enum": ["RichTextBlock", "ColumnSet", "Column", "ActionSet"]},
                "items": {"type": "array", "items": {"$ref": "#/$defs/element"}},
                "columns": {"type": "array", "items": {"$ref": "#/$defs/element"}},
                "actions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["type", "title", "url"],
                        "properties": {
                            "type": {"const": "Action.OpenUrl"},
                            "url": {"type": "string", "pattern": "^https://"},
                        },
                    },
                },
            },
        }
    },
}


def _runs(teams: dict) -> list[dict]:
    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "TextRun":
                yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    return list(walk(teams))


def test_chat_json_has_the_slack_and_teams_shapes(hub_dir):
    assert run_digest() == 0
    slack = json.loads((hub_dir / "out" / "slack.json").read_text(encoding="utf-8"))
    teams = json.loads((hub_dir / "out" / "teams.json").read_text(encoding="utf-8"))
    jsonschema.validate(slack, SLACK_SCHEMA)
    jsonschema.validate(teams, TEAMS_SCHEMA)
    slack_text = json.dumps(slack, ensure_ascii=False)
    assert "<script>" not in slack_text and "&lt;script&gt;" in slack_text
    buttons = [e for b in slack["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["url"] == "https://hub.acme.example/posts/2026-11-20-new-office/"
    assert any("utm_source%3Dlinkedin" in b["url"] for b in buttons)
    runs = [r["text"] for r in _runs(teams)]
    assert EVIL in runs  # as is: a TextRun is never Markdown, so nothing to escape
    assert "\\" not in json.dumps(teams, ensure_ascii=False).replace('\\"', "")


def test_outputs_are_deterministic(hub_dir):
    assert run_digest() == 0
    first = {p.name: p.read_bytes() for p in (hub_dir / "out").iterdir()}
    assert sorted(first) == ["digest.html", "digest.txt", "slack.json", "teams.json"]
    assert run_digest() == 0
    assert first == {p.name: p.read_bytes() for p in (hub_dir / "out").iterdir()}


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, dict]]] = []
    status = 200
    reply: bytes | None = None

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        type(self).received.append((self.headers["Content-Type"], body))
        self.send_response(type(self).status)
        self.end_headers()
        reply = type(self).reply
        self.wfile.write(reply if reply is not None else
                         b"ok" if type(self).status == 200 else b"invalid_payload")

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    _Hook.received = []
    _Hook.status = 200
    _Hook.reply = None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/secret-token", _Hook
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("kind", ["slack", "teams"])
def test_posts_the_chat_json_to_the_webhook(hub_dir, webhook, monkeypatch, kind):
    url, hook = webhook
    monkeypatch.setenv("HUB_WEBHOOK_URL", url)
    assert run_digest("--post", kind) == 0
    [(content_type, body)] = hook.received
    assert content_type == "application/json"
    written = json.loads((hub_dir / "out" / f"{kind}.json").read_text(encoding="utf-8"))
    assert body == written
    jsonschema.validate(body, SLACK_SCHEMA if kind == "slack" else TEAMS_SCHEMA)


def test_webhook_failure_is_one_line_without_the_secret(hub_dir, webhook, monkeypatch, caplog):
    url, hook = webhook
    hook.status = 400
    monkeypatch.setenv("HUB_WEBHOOK_URL", url)
    assert run_digest("--post", "slack") == 1
    assert "answered HTTP 400: invalid_payload" in caplog.text
    assert "secret-token" not in caplog.text


def test_unreachable_webhook_and_missing_variable(hub_dir, monkeypatch, caplog):
    assert run_digest("--post", "teams") == 2
    assert "set $HUB_WEBHOOK_URL" in caplog.text
    monkeypatch.setenv("HUB_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    assert run_digest("--post", "teams") == 1
    assert "posting to the teams webhook at http://127.0.0.1 failed" in caplog.text


# Microsoft's Adaptive Card 1.5 schema, vendored from microsoft/AdaptiveCards
# (schemas/1.5.0/adaptive-card.json, MIT): tests/data/adaptive-cards/README.md.
CARD_SCHEMA = REPO / "tests" / "data" / "adaptive-cards" / "adaptive-card-1.5.json"


def _many_posts(hub_dir: Path, count: int, language: str = "en") -> None:
    """Posts as long as real ones: an 80-character title, a 300-character summary."""
    folder = hub_dir / "content" / "posts"
    shutil.rmtree(folder)
    folder.mkdir()
    for i in range(count):
        slug = f"2026-11-{10 + i % 10:02d}-a-post-about-something-important-{i}"
        meta = dict(
            title=f"{i}. Our engineers explain how the new platform makes releases faster",
            summary=("- We rebuilt the release pipeline from the ground up. " * 8)[:300],
            status="approved", date=f"2026-11-{10 + i % 10:02d}T09:00:00Z", category="blog",
            language=language, canonical_url=f"https://www.acme.example/blog/2026/11/{slug}",
            captions={"linkedin": ["A caption " * 20], "x": ["Short caption for X"]},
        )  # fmt: skip
        (folder / f"{slug}.md").write_text(posts.render(meta, "Body"), encoding="utf-8")


def _teams(hub_dir: Path) -> dict:
    return json.loads((hub_dir / "out" / "teams.json").read_text(encoding="utf-8"))


def test_teams_payload_stays_under_28_kb_with_a_link_to_the_rest(hub_dir):
    _many_posts(hub_dir, 12)
    assert main(["-q", "digest", "--today", "2026-11-23", "--since", "2026-11-01",
                 "--out", "out"]) == 0  # fmt: skip
    teams = _teams(hub_dir)
    size = digest.teams_size(teams)
    assert size <= digest.TEAMS_LIMIT < 28 * 1024, size
    containers = [b["columns"][0] for b in teams["attachments"][0]["content"]["body"]
                  if b["type"] == "ColumnSet"]  # fmt: skip
    assert 0 < len(containers) < 12
    last = teams["attachments"][0]["content"]["body"][-1]["inlines"]
    assert last[0]["text"] == f"…and {12 - len(containers)} more on the hub. "
    assert last[1]["selectAction"]["url"].rstrip("/") == "https://hub.acme.example"
    # a title like "1. Foo" and a summary like "- Foo" stay text, not lists
    texts = [r["text"] for r in _runs(teams)]
    assert any(re.match(r"\d+\. Our engineers", t) for t in texts)
    assert any(t.startswith("- We rebuilt") for t in texts)


def test_right_to_left_posts_are_rtl_in_teams(hub_dir):
    assert run_digest() == 0
    containers = [b["columns"][0] for b in _teams(hub_dir)["attachments"][0]["content"]["body"]
                  if b["type"] == "ColumnSet"]  # fmt: skip
    by_title = {c["items"][0]["inlines"][0]["text"]: c["rtl"] for c in containers}
    assert by_title["مرحبا بالعالم"] is True and by_title["Our new office"] is False


def _card_validator() -> jsonschema.Draft6Validator:
    """The schema says draft-06; its `uri` formats are checked too, so a bad link fails."""
    schema = json.loads(CARD_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft6Validator.check_schema(schema)
    checker = jsonschema.Draft6Validator.FORMAT_CHECKER
    return jsonschema.Draft6Validator(schema, format_checker=checker)


@pytest.mark.parametrize("count", [4, 12])
def test_teams_card_validates_against_the_adaptive_card_schema(hub_dir, count):
    """The real schema, at the sample's four posts and at 12, where "…and N more" is added."""
    if count == 4:
        assert run_digest() == 0
    else:
        _many_posts(hub_dir, count)
        assert _run_wide() == 0
    teams = _teams(hub_dir)
    card = teams["attachments"][0]["content"]
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _card_validator().iter_errors(card)]
    assert errors == []
    assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"
    assert digest.teams_size(teams) <= digest.TEAMS_LIMIT < 28 * 1024


def test_the_vendored_schema_rejects_a_broken_card():
    """The validation has teeth: an unknown element, a misspelt property, a raw `<` in a URL."""
    validator = _card_validator()
    good = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "x"}]}
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors({**good, "body": [{"type": "Paragraph", "text": "x"}]}))
    assert list(validator.iter_errors({**good, "bodyy": []}))
    link = {"type": "Action.OpenUrl", "title": "Open", "url": "https://hub.acme.example/a"}
    assert list(validator.iter_errors({**good, "actions": [link]})) == []
    raw = {**link, "url": "https://hub.acme.example/<2>"}
    assert list(validator.iter_errors({**good, "actions": [raw]}))


def test_teams_error_inside_an_http_200_is_a_failure(hub_dir, webhook, monkeypatch, caplog):
    """Teams' connectors answer 200 with the error in the body (msteams-docs #1810)."""
    url, hook = webhook
    hook.reply = (b"Webhook message delivery failed with error: Microsoft Teams endpoint "
                  b"returned HTTP error 413 with ContextId tcid=0,server=msgapi-canary-eus2-0,"
                  b"cv=deadbeef.0..")  # fmt: skip
    monkeypatch.setenv("HUB_WEBHOOK_URL", url)
    assert run_digest("--post", "teams") == 1
    assert "answered 200 but did not deliver: Webhook message delivery failed" in caplog.text
    assert "secret-token" not in caplog.text
    hook.reply = b"1"
    assert run_digest("--post", "teams") == 0


def _run_wide() -> int:
    return main(["-q", "digest", "--today", "2026-11-23", "--since", "2026-11-01", "--out", "out"])


def test_email_stays_under_100_kb_with_a_link_to_the_rest(hub_dir):
    _many_posts(hub_dir, 25)
    assert _run_wide() == 0
    html = (hub_dir / "out" / "digest.html").read_bytes()
    assert len(html) <= digest.EMAIL_LIMIT, len(html)
    shown = html.count(b"<h2 ")
    assert 0 < shown <= 25
    if shown < 25:
        assert f"…and {25 - shown} more".encode() in html
        assert b'browse them on the hub</a>' in html


def test_no_email_line_is_over_998_octets(hub_dir):
    """RFC 5322 2.1.1, even for a feed's 3,000-character title and caption."""
    _many_posts(hub_dir, 3)
    folder = hub_dir / "content" / "posts"
    path = sorted(folder.glob("*.md"))[0]
    meta = posts.read(path).meta
    meta["title"] = "مرحبا " * 500
    meta["captions"] = {"linkedin": ["word " * 600], "x": ["Short"]}
    path.write_text(posts.render(meta, "Body"), encoding="utf-8")
    assert _run_wide() == 0
    for name in ("digest.html", "digest.txt"):
        lines = (hub_dir / "out" / name).read_bytes().split(b"\n")
        assert max(len(line) for line in lines) <= 998, name


def test_email_is_fluid_at_375_px_even_where_tables_ignore_max_width(hub_dir, browser):
    """iOS Mail ignores max-width on tables: the layout must not need it."""
    _many_posts(hub_dir, 3)
    assert _run_wide() == 0
    html = (hub_dir / "out" / "digest.html").read_text(encoding="utf-8")
    ios = html.replace("</head>", "<style>table{max-width:none!important}</style></head>")
    context = browser.new_context(viewport={"width": 375, "height": 700})
    try:
        page = context.new_page()
        page.route("**/*", lambda route: route.abort())
        page.set_content(ios, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        widest = page.evaluate(
            "Math.max(...[...document.querySelectorAll('table,div,td')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
    finally:
        context.close()
    assert width <= 375 and widest <= 375, (width, widest)


# --- the email through an email-client linter --------------------------------

DOIUSE = REPO / ".cache" / "node" / "node_modules" / "doiuse-email" / "bin" / "cli.js"
# The clients a company's staff read mail in. doiuse-email 0.4.1 (pinned in
# scripts/test-deps.sh) stops with "Feature ... not found" on clients whose Can I
# email data lacks a feature the email uses (thunderbird, orange, sfr, laposte,
# hey, mail-ru), so those are left out rather than crash the lint.
EMAIL_CLIENTS = ("apple-mail.*", "gmail.*", "outlook.*", "yahoo.*", "aol.*", "samsung-email.*",
                 "protonmail.*", "fastmail.*")  # fmt: skip
# What the lint reports and why each finding is accepted (Can I email's notes
# quoted in brackets). Anything not here fails the test: fix it, or add it with
# a reason.
ACCEPTED_UNSUPPORTED = {
    "overflow-wrap": "progressive enhancement: `word-wrap:break-word` before it is what "
                     "these clients apply; where `anywhere` works a long URL cannot widen a cell",
    "border-radius": "Outlook for Windows draws the share button square; cosmetic, no VML",
    "<body> element": "clients that drop or replace <body> lose nothing: its background and "
                      "spacing are repeated on the outer 100% table (bgcolor, padding)",
    "role attribute": "Windows Mail ignores role=presentation; its tables are layout only and "
                      "read in order, so nothing is lost but the hint",
    "text-decoration": "ProtonMail for iOS underlines the share button's link; still readable",
}  # fmt: skip
ACCEPTED_PARTIAL = {
    "<body> element": "[replaced by a <div>]: see above",
    "align attribute": "[<img> wrapped in a span]: the email has no <img>",
    "border-radius": "[no elliptical `/` shorthand]: not used",
    "dir attribute": "[buggy on <a> in Outlook; Gmail mobile web turns the whole email rtl]: "
                     "dir is on the h2/p around the link, never on <a>",
    "font-weight": "[numeric values]: only `bold` is used",
    "lang attribute": "[not on <td>]: lang is on h2 and p only",
    "letter-spacing": "[em values smaller in Outlook]: px is used",
    "line-height": "[px uneven in Outlook]: mso-line-height-rule:exactly is set for Outlook",
    "margin": "[no negative values, no `auto` in Outlook]: none negative; Outlook centres by "
              "the 600 px ghost table instead of margin:auto",
    "max-width": "[not on <table> in iOS, only on <table> in Outlook]: the hybrid layout "
                 "puts it on a div and gives Outlook a fixed-width table",
    "overflow-wrap": "see above",
    "padding": "[table cells only, row-equal in Outlook]: padding is only on td (and body 0)",
    "role attribute": "[only on <table>]: role is only on tables",
    "text-decoration": "[one value only, not for non-Gmail accounts]: one value each",
    "text-transform": "[no lowercase]: only uppercase",
    "width attribute": "[img width in Outlook]: width attributes are on tables, no <img>",
}  # fmt: skip
_FINDING = re.compile(r"`(.+?)` is (not|only partially) supported by `(.+?)`")


def _doiuse(html_file: Path, clients: tuple[str, ...] = EMAIL_CLIENTS) -> dict[str, set[str]]:
    """doiuse-email's findings as {'not: feature' or 'partial: feature': clients}."""
    node = shutil.which("node")
    if node is None or not DOIUSE.is_file():
        reason = f"node or {DOIUSE} missing (run scripts/test-deps.sh)"
        if in_ci():
            pytest.fail(f"{reason}; CI=true: the email lint must run")
        pytest.skip(reason)
    done = subprocess.run([node, str(DOIUSE), "--email-clients", ",".join(clients),
                           str(html_file)], capture_output=True, text=True, timeout=120,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    found: dict[str, set[str]] = {}
    for line in [*result.get("errors", []), *result.get("warnings", [])]:
        match = _FINDING.fullmatch(line)
        assert match, line
        kind = "not" if match[2] == "not" else "partial"
        found.setdefault(f"{kind}: {match[1]}", set()).add(match[3])
    return found


def test_email_client_lint_finds_only_accepted_features(hub_dir):
    """doiuse-email (Can I email's data) on the 25-post digest, the one comms send."""
    _many_posts(hub_dir, 25)
    assert _run_wide() == 0
    found = _doiuse(hub_dir / "out" / "digest.html")
    unsupported = {key.split(": ", 1)[1] for key in found if key.startswith("not: ")}
    partial = {key.split(": ", 1)[1] for key in found if key.startswith("partial: ")}
    assert unsupported - ACCEPTED_UNSUPPORTED.keys() == set(), found
    assert partial - ACCEPTED_PARTIAL.keys() == set(), found
    # Outlook for Windows (Word's renderer) lacks nothing else
    outlook = {key for key, clients in found.items() if "outlook.windows" in clients}
    assert {k for k in outlook if k.startswith("not: ")} == {
        "not: overflow-wrap",
        "not: border-radius",
    }


def test_email_client_lint_really_lints(tmp_path):
    """The lint has teeth: flexbox and a fixed position are flagged for Outlook and Gmail."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><div style="display:flex;position:fixed">'
                    "x</div></body></html>", encoding="utf-8")  # fmt: skip
    found = _doiuse(page, ("outlook.windows", "gmail.desktop-webmail"))
    assert "outlook.windows" in found.get("not: display:flex", set()), found
    assert "gmail.desktop-webmail" in found.get("not: position", set()), found
