"""The sync end to end on real feed files: new posts, edits kept, nothing lost, same bytes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from filelock import FileLock
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hub.cli import main
from hub.config import parse_config
from hub.posts import derive, state
from hub.posts import schema as posts
from hub.posts.sync import SyncError, merge, sync
from tests.support.feedserver import DATA

TODAY = dt.date(2026, 11, 23)


def rss(items: list[dict], lang: str = "en") -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:job="https://www.acme.example/ns/job">',
        f"<channel><title>Acme</title><link>https://www.acme.example/</link><language>{lang}</language>",
    ]
    for it in items:
        out.append("<item>")
        out.append(f'<guid isPermaLink="false">{escape(it["id"])}</guid>')
        out.append(f"<title>{escape(it['title'])}</title>")
        out.append(
            f"<link>{escape(it.get('link', 'https://www.acme.example/p/' + it['id']))}</link>"
        )
        out.append(
            f"<description>{escape(it.get('summary', 'Summary of ' + it['title']))}</description>"
        )
        out.append(f"<content:encoded>{escape(it.get('html', '<p>Body.</p>'))}</content:encoded>")
        out.append(f"<pubDate>{it.get('date', 'Mon, 16 Nov 2026 09:00:00 GMT')}</pubDate>")
        if "valid" in it:
            out.append(f"<job:validThrough>{it['valid']}</job:validThrough>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


class Hub:
    """A small hub in a temporary folder: hub.yml, feed files, posts."""

    def __init__(self, root: Path, feeds: str = ""):
        self.root = root
        self.posts = root / "content" / "posts"
        feeds = feeds or (
            "  - {name: blog, url: blog.xml, category: blog, approval: auto, hashtags: [Acme]}\n"
            "  - {name: jobs, url: jobs.xml, category: jobs, approval: draft}\n"
        )
        (root / "hub.yml").write_text("feeds:\n" + feeds, encoding="utf-8")

    def feed(self, name: str, items: list[dict], lang: str = "en") -> None:
        (self.root / f"{name}.xml").write_text(rss(items, lang), encoding="utf-8")

    def sync(self, **kw):
        config = parse_config((self.root / "hub.yml").read_text())
        return sync(config, self.root, today=kw.pop("today", TODAY), **kw)

    def post(self, stem: str) -> posts.PostFile:
        return posts.read(self.posts / f"{stem}.md")

    def snapshot(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.root).as_posix(): p.read_bytes()
            for p in sorted(self.root.rglob("*"))
            if p.is_file() and p.name != "lock"
        }


@pytest.fixture
def hub(tmp_path: Path) -> Hub:
    h = Hub(tmp_path)
    h.feed("blog", [{"id": "a", "title": "Hello Barcelona"}, {"id": "b", "title": "你好，上海"}])
    h.feed("jobs", [{"id": "j1", "title": "Data Engineer", "valid": "2026-12-31"}])
    return h


def test_first_sync_writes_one_post_per_item(hub: Hub):
    report = hub.sync()
    assert report.summary() == "2 feed(s): 3 new, 0 updated, 0 unchanged, 0 archived, 0 failed"
    post = hub.post("hello-barcelona")
    assert post.meta["title"] == "Hello Barcelona"
    assert post.meta["status"] == "approved"
    assert post.meta["canonical_url"] == "https://www.acme.example/p/a"
    assert post.meta["source"] == {"feed": "blog", "id": "a", "url": "https://www.acme.example/p/a"}
    assert post.meta["image"] == "cards/hello-barcelona.png"
    assert set(post.meta["captions"]) >= {"linkedin", "x", "bluesky", "email_subject"}
    assert all(len(v) >= 2 for v in post.meta["captions"].values())
    assert post.body.strip() == "Body."
    assert hub.post("ni-hao-shang-hai").meta["title"] == "你好，上海"
    job = hub.post("data-engineer").meta
    assert (job["status"], job["expires"], job["category"]) == ("draft", "2026-12-31", "jobs")
    text = (hub.posts / "hello-barcelona.md").read_text()
    assert text.startswith("---\n# Synced from the feed 'blog'.")


def test_resync_with_nothing_new_writes_nothing(hub: Hub):
    hub.sync()
    before = hub.snapshot()
    mtimes = {p: p.stat().st_mtime_ns for p in hub.posts.rglob("*") if p.is_file()}
    report = hub.sync()
    assert report.total("new") == report.total("updated") == 0
    assert hub.snapshot() == before
    assert {p: p.stat().st_mtime_ns for p in hub.posts.rglob("*") if p.is_file()} == mtimes


def test_same_inputs_give_identical_bytes(tmp_path: Path):
    trees = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        h = Hub(tmp_path / name)
        h.feed("blog", [{"id": str(i), "title": f"Post {i} · Català"} for i in range(5)])
        h.feed("jobs", [])
        h.sync()
        trees.append(h.snapshot())
    assert trees[0] == trees[1]


def test_edits_are_kept_and_untouched_fields_follow_the_feed(hub: Hub):
    hub.sync()
    path = hub.posts / "hello-barcelona.md"
    text = path.read_text()
    text = text.replace("title: Hello Barcelona", "title: Hola Barcelona  # comms' wording")
    text = text.replace("status: approved", "status: approved\npinned_note: keep me")
    text = text.replace("Body.", "Body, rewritten by comms.")
    path.write_text(text)
    hub.feed(
        "blog",
        [
            {
                "id": "a",
                "title": "Hello Barcelona!",
                "summary": "New summary",
                "html": "<p>New</p>",
            },
            {"id": "b", "title": "你好，上海"},
        ],
    )
    report = hub.sync()
    assert report.total("updated") == 1
    post = hub.post("hello-barcelona")
    assert post.meta["title"] == "Hola Barcelona"
    assert post.meta["summary"] == "New summary"
    assert post.meta["pinned_note"] == "keep me"
    assert "Body, rewritten by comms." in post.body
    assert "# comms' wording" in path.read_text()


def test_one_edited_caption_does_not_freeze_the_others(hub: Hub):
    hub.sync()
    path = hub.posts / "hello-barcelona.md"
    meta = hub.post("hello-barcelona").meta
    mine = ["Our own X wording"]
    path.write_text(posts.update(path.read_text(), {"captions.x": mine}))
    hub.feed("blog", [{"id": "a", "title": "A new title"}, {"id": "b", "title": "你好，上海"}])
    hub.sync()
    after = hub.post("hello-barcelona").meta
    assert after["captions"]["x"] == mine
    assert after["captions"]["linkedin"] != meta["captions"]["linkedin"]
    assert any("A new title" in c for c in after["captions"]["linkedin"])


@pytest.mark.parametrize(
    ("field", "value", "shows"),
    [
        ("title", "Hola Barcelona, from comms", "Hola Barcelona, from comms"),
        ("summary", "Comms wrote this summary. It is better.", "Comms wrote this summary."),
        ("hashtags", ["AcmeBarcelona"], "#AcmeBarcelona"),
    ],
)
def test_an_edit_reaches_every_unedited_wording_on_the_next_sync(hub: Hub, field, value, shows):
    """The feed item is unchanged (the feed is not even re-read): the edit alone is enough."""
    hub.sync()
    path = hub.posts / "hello-barcelona.md"
    before = hub.post("hello-barcelona").meta
    mine = "Our own words for X #Acme"
    edited = posts.update(path.read_text(), {
        field: value, "captions.x": [mine, *before["captions"]["x"][1:]],
    })
    path.write_text(edited)
    report = hub.sync()
    assert report.feeds[0].not_modified and report.total("updated") == 1
    after = hub.post("hello-barcelona").meta
    assert after[field] == value  # the person's edit stays
    assert after["captions"]["x"][0] == mine
    # Every other wording and the alt text are what the post's words now give.
    config = parse_config((hub.root / "hub.yml").read_text())
    expected = derive.derived_fields(after, config, "hello-barcelona")
    assert after["image_alt"] == expected["image_alt"]
    assert {n: w for n, w in after["captions"].items() if n != "x"} == {
        n: w for n, w in expected["captions"].items() if n != "x"}
    assert after["captions"]["x"][1:] == expected["captions"]["x"][1:]
    assert any(shows in w for ws in after["captions"].values() for w in ws if w != mine)
    if field == "title":
        assert shows in after["image_alt"]
    state_text = (hub.posts / ".sync" / "blog.json").read_text()
    again = hub.sync()
    assert again.total("updated") == 0
    assert (hub.posts / ".sync" / "blog.json").read_text() == state_text  # the file is known


def test_an_untouched_post_is_not_parsed_on_a_no_change_sync(hub: Hub, monkeypatch):
    """A re-sync reads each post and hashes it; only an edited one is parsed."""
    hub.sync()
    path = hub.posts / "hello-barcelona.md"
    path.write_text(posts.update(path.read_text(), {"title": "Hola"}))
    hub.sync()  # follows the edit, and remembers the file as it left it
    parsed: list[str] = []
    real = posts.parse

    def counting(text: str, source: str = "<post>") -> posts.PostFile:
        parsed.append(source)
        return real(text, source)

    monkeypatch.setattr(posts, "parse", counting)
    hub.sync()
    assert parsed == []


def test_vanished_items_stay_expired_jobs_are_archived_hand_written_untouched(hub: Hub):
    hand = hub.posts / "2026-town-hall.md"
    hub.posts.mkdir(parents=True)
    hand.write_text("---\ntitle: Town hall\nstatus: approved\nexpires: 2020-01-01\n---\nHi\n")
    hub.sync()
    hub.feed("blog", [{"id": "b", "title": "你好，上海"}])
    hub.sync(today=dt.date(2027, 2, 1))
    assert hub.post("hello-barcelona").meta["status"] == "approved"
    assert hub.post("data-engineer").meta["status"] == "archived"
    assert hand.read_text().endswith("expires: 2020-01-01\n---\nHi\n")


def test_deleted_post_is_not_brought_back(hub: Hub):
    hub.sync()
    (hub.posts / "hello-barcelona.md").unlink()
    hub.feed("blog", [{"id": "a", "title": "Hello again"}, {"id": "b", "title": "你好，上海"}])
    hub.sync()
    assert not (hub.posts / "hello-barcelona.md").exists()
    assert not (hub.posts / "hello-again.md").exists()


def test_duplicate_titles_get_distinct_stable_files(hub: Hub):
    items = [{"id": f"d{i}", "title": "Same title"} for i in range(3)]
    hub.feed("blog", items)
    hub.sync()
    names = sorted(p.name for p in hub.posts.glob("same-title*.md"))
    assert names == ["same-title-2.md", "same-title-3.md", "same-title.md"]
    assert hub.post("same-title-2").meta["source"]["id"] == "d1"


def test_non_http_links_are_rejected_with_a_reason(hub: Hub, caplog):
    hub.feed("blog", [{"id": "x", "title": "Bad", "link": "javascript:alert(1)"}])
    report = hub.sync()
    assert report.feeds[0].rejected
    assert not list(hub.posts.glob("bad*.md"))
    assert "rejected item" in caplog.text


def test_lost_state_never_overwrites(hub: Hub):
    hub.sync()
    for f in (hub.posts / ".sync").glob("*.json"):
        f.unlink()
    hub.feed("blog", [{"id": "a", "title": "Changed title"}, {"id": "c", "title": "Brand new"}])
    report = hub.sync()
    assert hub.post("hello-barcelona").meta["title"] == "Hello Barcelona"
    assert (hub.posts / "brand-new.md").exists()
    assert report.total("new") == 1


def test_a_broken_feed_does_not_stop_the_others(hub: Hub, caplog):
    (hub.root / "jobs.xml").write_text("this is not a feed")
    hub.feed("blog", [{"id": "a", "title": "Hello Barcelona"}, {"id": "n", "title": "Newer"}])
    code = main(["--config", str(hub.root / "hub.yml"), "sync", "--today", "2026-11-23"])
    assert code == 1
    assert (hub.posts / "newer.md").exists()
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert errors and all("\n" not in r.getMessage() for r in errors)
    assert any("jobs" in r.getMessage() for r in errors)


def test_missing_local_feed_is_one_clear_line(hub: Hub, caplog):
    (hub.root / "jobs.xml").unlink()
    assert main(["--config", str(hub.root / "hub.yml"), "-q", "sync"]) == 1
    assert any("jobs.xml" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")


def test_lock_keeps_two_syncs_apart(hub: Hub):
    lock = hub.posts / ".sync" / "lock"
    lock.parent.mkdir(parents=True)
    with FileLock(str(lock)), pytest.raises(SyncError, match="another sync"):
        hub.sync(lock_timeout=0.2)
    results = []
    threads = [threading.Thread(target=lambda: results.append(hub.sync())) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.total("new") for r in results) == 3
    assert len(list(hub.posts.glob("*.md"))) == 3


def test_try_writes_to_scratch_never_content(hub: Hub, tmp_path: Path):
    out = tmp_path / "scratch"
    code = main(
        [
            "--config",
            str(hub.root / "hub.yml"),
            "try",
            str(hub.root / "blog.xml"),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert (out / "content" / "posts" / "hello-barcelona.md").exists()
    assert not hub.posts.exists()


# --- the merge rule, property-based -----------------------------------------

FIELDS = ["title", "summary", "captions.x", "body"]
values = st.text(alphabet="abc中", min_size=1, max_size=3)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rounds=st.lists(
        st.tuples(
            st.dictionaries(st.sampled_from(FIELDS), values),
            st.dictionaries(st.sampled_from(FIELDS), values),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_merge_never_overwrites_a_person_and_tracks_the_feed(rounds):
    feed = {f: "v0" for f in FIELDS}
    written = {f: posts.value_hash("v0") for f in FIELDS}
    file = dict(feed)
    for human, feed_change in rounds:
        file.update(human)
        feed.update(feed_change)
        # a field is a person's while it differs from what the sync last wrote
        edited = {f for f in FIELDS if posts.value_hash(file[f]) != written[f]}
        before = dict(file)
        result = merge(file, written, feed)
        file.update(result.changes)
        if result.body is not None:
            file["body"] = result.body
        written = result.hashes
        for field in FIELDS:
            if field in edited:
                assert file[field] == before[field]
            else:
                assert file[field] == feed[field]


def test_refresh_rederives_unchanged_items_but_keeps_edits(hub: Hub):
    hub.sync()
    path = hub.posts / "hello-barcelona.md"
    path.write_text(posts.update(path.read_text(), {"summary": "Ours"}))
    settings_file = hub.root / "hub.yml"
    settings_file.write_text(settings_file.read_text().replace("[Acme]", "[Acme, Barcelona]"))
    # Feed unchanged: the feed's new hashtag waits for --refresh; only the edited
    # post is rewritten, its captions following its new summary.
    assert hub.sync().total("updated") == 1
    assert hub.post("hello-barcelona").meta["hashtags"] == ["Acme"]
    assert any("Ours" in c for c in hub.post("hello-barcelona").meta["captions"]["x"])
    report = hub.sync(refresh=True)
    assert report.total("updated") == 2
    post = hub.post("hello-barcelona").meta
    assert post["hashtags"] == ["Acme", "Barcelona"]
    assert all("#Barcelona" in c for c in post["captions"]["x"])
    assert post["summary"] == "Ours"


# --- many sync/edit rounds on real files ----------------------------------------

words = st.sampled_from(["Hello", "Hola", "你好", "مرحبا", "नमस्ते", "Bon dia", "Selamat"])
feed_round = st.fixed_dictionaries({"title": words, "summary": words, "html": words})
edit_round = st.tuples(
    st.dictionaries(st.sampled_from(["title", "summary", "captions.x"]), words, max_size=2),
    st.booleans(),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds=st.lists(st.tuples(edit_round, feed_round), min_size=2, max_size=5))
def test_rounds_of_edits_and_feed_changes_on_real_files(tmp_path_factory, rounds):
    hub = Hub(
        tmp_path_factory.mktemp("rounds"), "  - {name: blog, url: blog.xml, approval: auto}\n"
    )
    hub.feed("blog", [{"id": "a", "title": "Start"}])
    hub.sync()
    path = hub.posts / "start.md"
    mine: dict[str, object] = {}  # fields a person owns, with their value
    written = {
        k: posts.get_path(hub.post("start").meta, k) for k in ("title", "summary", "captions.x")
    }
    noted = False
    for (edits, note), feed in rounds:
        changes = {k: ([v] if k == "captions.x" else v) for k, v in edits.items()}
        if changes or note:
            path.write_text(
                posts.update(path.read_text(), changes)
                + ("\n<!-- comms note -->\n" if note else "")
            )
            noted = noted or note
            for key, value in changes.items():
                if key in mine or value != written[key]:
                    mine[key] = value
                if value == written[key]:
                    mine.pop(key, None)  # back to exactly what the sync wrote: the sync's again
        html = f"<p>{feed['html']}</p>"
        hub.feed(
            "blog", [{"id": "a", "title": feed["title"], "summary": feed["summary"], "html": html}]
        )
        hub.sync()
        post = hub.post("start")
        for key, value in mine.items():
            assert posts.get_path(post.meta, key) == value
        for key in written:
            if key not in mine:
                written[key] = posts.get_path(post.meta, key)
        if "title" not in mine:
            assert post.meta["title"] == feed["title"]
        if "summary" not in mine:
            assert post.meta["summary"] == feed["summary"]
        if noted:
            assert "<!-- comms note -->" in post.body
        else:
            assert post.body.strip() == feed["html"]
    assert [p.name for p in hub.posts.glob("*.md")] == ["start.md"]


def test_a_bad_date_is_one_clear_line(hub: Hub, caplog, monkeypatch):
    config = str(hub.root / "hub.yml")
    assert main(["--config", config, "sync", "--today", "23/11/2026"]) == 2
    assert "--today '23/11/2026': write the date as YYYY-MM-DD" in caplog.text
    monkeypatch.setenv("HUB_TODAY", "tomorrow")
    assert main(["--config", config, "sync"]) == 2
    assert "HUB_TODAY='tomorrow' is not a date" in caplog.text


# --- integrity: one item, one file; lost state; wrong-shaped state (issue 9) --------


def test_a_deleted_posts_name_is_never_given_to_another_item(hub: Hub):
    hub.feed("blog", [{"id": "a", "title": "Weekly update"}])
    hub.sync()
    (hub.posts / "weekly-update.md").unlink()
    hub.feed("blog", [{"id": "a", "title": "Weekly update"}, {"id": "b", "title": "Weekly update"}])
    hub.sync()
    assert not (hub.posts / "weekly-update.md").exists()
    assert hub.post("weekly-update-2").meta["source"]["id"] == "b"
    hub.feed("blog", [{"id": "a", "title": "Weekly update", "summary": "a changed"},
                      {"id": "b", "title": "Weekly update"}])  # fmt: skip
    hub.sync()
    assert hub.post("weekly-update-2").meta["summary"] == "Summary of Weekly update"
    assert not (hub.posts / "weekly-update.md").exists()


def test_a_name_another_feed_remembers_is_not_reused(hub: Hub):
    hub.feed("jobs", [{"id": "j1", "title": "Hello Barcelona", "valid": "2026-12-31"}])
    hub.sync()
    (hub.posts / "hello-barcelona.md").unlink()  # the blog's post, deleted by comms
    (hub.posts / "hello-barcelona-2.md").unlink()  # the job's post
    hub.feed(
        "blog", [{"id": "a", "title": "Hello Barcelona"}, {"id": "z", "title": "Hello Barcelona"}]
    )
    hub.sync()
    assert sorted(p.name for p in hub.posts.glob("hello-barcelona*")) == ["hello-barcelona-3.md"]
    assert hub.post("hello-barcelona-3").meta["source"]["id"] == "z"


def test_after_state_loss_an_edit_survives_every_later_sync(hub: Hub):
    hub.sync()
    path = hub.posts / "hello-barcelona.md"
    path.write_text(path.read_text().replace("title: Hello Barcelona", "title: Hola Barcelona"))
    for f in (hub.posts / ".sync").glob("*.json"):
        f.unlink()
    for title in ("Changed once", "Changed twice", "Changed thrice"):
        hub.feed(
            "blog",
            [{"id": "a", "title": title, "summary": title}, {"id": "b", "title": "你好，上海"}],
        )
        hub.sync()
        meta = hub.post("hello-barcelona").meta
        assert meta["title"] == "Hola Barcelona"
        assert meta["summary"] == "Summary of Hello Barcelona"  # every field is comms' now


@pytest.mark.parametrize(
    "text, what",
    [
        ("[]", "not an object"),
        ("null", "not an object"),
        ('{"items": []}', "items is not an object"),
        ('{"items": {"a": {"fields": {}}}}', "has no post path"),
        ('{"items": {"a": {"path": "x.md", "fields": []}}}', "fields is not an object"),
        ('{"items": {"a": "x.md"}}', "is not an object"),
        ("{not json", "unreadable sync state"),
    ],
)
def test_a_wrong_shaped_state_is_one_line_and_the_other_feeds_go_on(hub: Hub, caplog, text, what):
    (hub.posts / ".sync").mkdir(parents=True)
    (hub.posts / ".sync" / "blog.json").write_text(text)
    code = main(["--config", str(hub.root / "hub.yml"), "sync", "--today", "2026-11-23"])
    assert code == 1
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "\n" not in errors[0]
    assert "blog.json" in errors[0] and what in errors[0] and "delete this file" in errors[0]
    assert (hub.posts / "data-engineer.md").exists()  # the jobs feed synced
    assert (hub.posts / ".sync" / "blog.json").read_text() == text  # left for a person to judge


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_posts_folder_is_one_line(hub: Hub, caplog):
    hub.sync()
    hub.feed("blog", [{"id": "n", "title": "Newer"}])
    for folder in (hub.posts, hub.posts / ".sync"):
        folder.chmod(0o555)
    try:
        code = main(["--config", str(hub.root / "hub.yml"), "sync", "--today", "2026-11-23"])
    finally:
        for folder in (hub.posts, hub.posts / ".sync"):
            folder.chmod(0o755)
    assert code in (1, 2)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors and all("\n" not in e and "writable" in e for e in errors)
    assert not (hub.posts / "newer.md").exists()


def test_an_unwritable_state_folder_is_one_line(hub: Hub, caplog):
    hub.posts.mkdir(parents=True)
    (hub.posts / ".sync").write_text("a file where the state folder goes")
    assert main(["--config", str(hub.root / "hub.yml"), "sync", "--today", "2026-11-23"]) == 2
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and ".sync" in errors[0] and "writable" in errors[0]


def test_a_read_only_state_file_stops_only_its_feed(hub: Hub, caplog):
    """The posts folder writable, the blog's state not replaceable: the jobs feed goes on."""
    hub.sync()
    hub.feed("blog", [{"id": "n", "title": "Newer"}])
    hub.feed("jobs", [{"id": "j2", "title": "Designer", "valid": "2026-12-31"}])
    blocker = hub.posts / ".sync" / "blog.pending.json"
    blocker.mkdir()  # a folder where the intent file goes: its write fails
    code = main(["--config", str(hub.root / "hub.yml"), "sync", "--today", "2026-11-23"])
    assert code == 1
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "blog" in errors[0]
    assert (hub.posts / "designer.md").exists()


@pytest.mark.parametrize("word", ["No", "yes", "on", "OFF", "12:30", "~", "1_000", "0o17", "null"])
def test_yaml_1_1_words_stay_text_and_keep_following_the_feed(hub: Hub, word: str):
    hub.sync()
    hub.feed("blog", [{"id": "a", "title": word}, {"id": "b", "title": "你好，上海"}], lang="no")
    hub.sync()
    meta = hub.post("hello-barcelona").meta
    assert (meta["title"], meta["language"]) == (word, "no")
    hub.feed("blog", [{"id": "a", "title": "Later"}, {"id": "b", "title": "你好，上海"}], lang="nb")
    hub.sync()
    meta = hub.post("hello-barcelona").meta
    assert (meta["title"], meta["language"]) == ("Later", "nb")  # still the sync's


def test_global_options_after_the_subcommand(hub: Hub, caplog):
    config = str(hub.root / "hub.yml")
    assert main(["sync", "-q", "--config", config, "--today", "2026-11-23"]) == 0
    assert (hub.posts / "hello-barcelona.md").exists()
    assert not [r for r in caplog.records if r.levelname == "INFO" and r.name.startswith("hub")]
    assert main(["sync", "--config", config, "-v"]) == 0
    assert main(["-q", "sync", "--config", config]) == 0


@pytest.mark.parametrize(
    "command",
    [["sync"], ["try", "feed.xml", "--out", "x"], ["cards"], ["build"], ["check"],
     ["new", "Title"], ["digest"], ["import-analytics", "a.csv"]],
)  # fmt: skip
def test_every_command_takes_the_global_options_after_it(command: list[str]):
    from hub.cli import COMMANDS, _parser

    assert command[0] in COMMANDS
    ns = _parser().parse_args([*command, "-q", "--config", "other.yml"])
    assert (ns.quiet, ns.verbose, ns.config) == (True, False, "other.yml")
    ns = _parser().parse_args(["-v", "--config", "a.yml", *command])
    assert (ns.quiet, ns.verbose, ns.config) == (False, True, "a.yml")


def test_stale_temporary_files_of_a_killed_write_are_cleaned(hub: Hub):
    hub.sync()
    stale = [hub.posts / ".hello-barcelona.md.k1lled.tmp", hub.posts / ".sync" / ".blog.json.x.tmp"]
    for path in stale:
        path.write_text("half")
    before = {k: v for k, v in hub.snapshot().items() if not k.endswith(".tmp")}
    hub.sync()
    assert not any(p.exists() for p in stale)
    assert hub.snapshot() == before


def test_an_unfinished_intent_is_finished_not_taken_for_edits(hub: Hub):
    """A run killed after its intent and the post of "a", before b's post and the state."""
    hub.sync()
    first = hub.snapshot()
    hub.feed("blog", [{"id": "a", "title": "New A"}, {"id": "b", "title": "New B"}])
    hub.sync()
    reference = hub.snapshot()
    intent = state.dumps(state.load(hub.posts, "blog"))
    for name in ("content/posts/.sync/blog.json", "content/posts/ni-hao-shang-hai.md"):
        (hub.root / name).write_bytes(first[name])
    (hub.posts / ".sync" / "blog.pending.json").write_text(intent)
    hub.sync()
    assert hub.snapshot() == reference
    # and the fields "a" got from the killed run still follow the feed
    hub.feed("blog", [{"id": "a", "title": "Newer A"}, {"id": "b", "title": "New B"}])
    hub.sync()
    assert hub.post("hello-barcelona").meta["title"] == "Newer A"


# --- rounds with deletes, same titles, removal/return, --refresh, state loss ----------

IDS = ["a", "b", "c", "d"]
TITLES = st.sampled_from(["Weekly update", "Hola", "你好", "مرحبا"])
feed_items = st.dictionaries(st.sampled_from(IDS), st.tuples(TITLES, words), max_size=4)
world_round = st.fixed_dictionaries(
    {
        "feed": feed_items,
        "edits": st.lists(
            st.tuples(st.sampled_from(IDS), st.sampled_from(["title", "summary"])), max_size=3
        ),
        "deletes": st.sets(st.sampled_from(IDS), max_size=2),
        "lose_state": st.booleans(),
        "refresh": st.booleans(),
    }
)


def _files_by_id(hub: Hub) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in hub.posts.glob("*.md"):
        out.setdefault(posts.read(path).meta["source"]["id"], []).append(path.name)
    return out


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds=st.lists(world_round, min_size=1, max_size=6))
def test_rounds_with_deletes_same_titles_returns_refresh_and_state_loss(tmp_path_factory, rounds):
    hub = Hub(tmp_path_factory.mktemp("world"), "  - {name: blog, url: blog.xml, approval: auto}\n")
    name: dict[str, str] = {}  # item -> its one file, for ever (unless the state is lost)
    deleted: set[str] = set()
    mine: dict[str, dict[str, str]] = {}  # item -> fields comms own, with their value
    frozen: set[str] = set()  # items whose every field is comms' (found again after a loss)
    for number, step in enumerate(rounds):
        for item, key in step["edits"]:
            if item in name and item not in deleted:
                value = f"Ours {number} {key}"  # never a value the feed gives
                path = hub.posts / name[item]
                path.write_text(posts.update(path.read_text(), {key: value}))
                mine.setdefault(item, {})[key] = value
        for item in step["deletes"]:
            if item in name and item not in deleted:
                (hub.posts / name[item]).unlink()
                deleted.add(item)
        if step["lose_state"] and (hub.posts / ".sync").exists():
            for f in (hub.posts / ".sync").glob("*.json"):
                f.unlink()
            frozen |= set(name) - deleted
            for item in deleted:  # nothing remembers these any more: they may come back
                name.pop(item)
                mine.pop(item, None)
            deleted.clear()
        feed = [{"id": i, "title": t, "summary": s} for i, (t, s) in sorted(step["feed"].items())]
        hub.feed("blog", feed)
        hub.sync(refresh=step["refresh"])

        files = _files_by_id(hub)
        assert all(len(names) == 1 for names in files.values()), files  # one item, one file
        for item, names in files.items():
            assert name.setdefault(item, names[0]) == names[0]  # never another file
        for item in deleted:
            assert item not in files and not (hub.posts / name[item]).exists()
        assert len(set(name.values())) == len(name)  # no name shared by two items
        remembered = [e.path for e in state.load(hub.posts, "blog").items.values()]
        assert len(remembered) == len(set(remembered))
        for item, (title, summary) in step["feed"].items():
            if item not in files:
                continue
            meta = hub.post(files[item][0].removesuffix(".md")).meta
            for key, value in mine.get(item, {}).items():
                assert meta[key] == value
            if item in frozen:
                continue
            if "title" not in mine.get(item, {}):
                assert meta["title"] == title
            if "summary" not in mine.get(item, {}):
                assert meta["summary"] == summary


# --- a real sync process killed at random points, then run again --------------------

KILL_ITEMS = 100


def _kill_feed(hub: Hub, version: int) -> None:
    hub.feed(
        "blog",
        [
            {
                "id": f"k{i}",
                "title": f"Post {i} v{version} · Català",
                "html": f"<p>v{version} {i}</p>",
            }
            for i in range(KILL_ITEMS)
        ],
    )


def _run_sync(hub: Hub, kill_after: float | None = None) -> None:
    command = [sys.executable, "-m", "hub.cli", "--config", str(hub.root / "hub.yml"), "-q",
               "sync", "--today", "2026-11-23"]  # fmt: skip
    process = subprocess.Popen(command, cwd=hub.root, stderr=subprocess.DEVNULL)
    if kill_after is None:
        assert process.wait(timeout=120) == 0
        return
    try:
        process.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)


def _comms_edit(hub: Hub, round_: int) -> None:
    for i in range(0, KILL_ITEMS, 37):
        path = next(hub.posts.glob(f"post-{i}-v*.md"))
        path.write_text(posts.update(path.read_text(), {"summary": f"Ours {round_} {i}"}))


def _killed_story(root: Path, kill_first: float | None, kill_update: float | None) -> dict:
    """First sync, comms edit, the feed changes, sync, edit again, change, sync."""
    hub = Hub(root, "  - {name: blog, url: blog.xml, approval: auto}\n")
    _kill_feed(hub, 1)
    if kill_first is not None:
        _run_sync(hub, kill_first)
    _run_sync(hub)
    _comms_edit(hub, 1)
    _kill_feed(hub, 2)
    if kill_update is not None:
        _run_sync(hub, kill_update)
    _run_sync(hub)
    _comms_edit(hub, 2)
    _kill_feed(hub, 3)
    _run_sync(hub)
    return {k: v for k, v in hub.snapshot().items() if not k.endswith(".xml")}


class Story:
    """The uninterrupted story's files (short repr: hypothesis prints it on failure)."""

    def __init__(self, tree: dict[str, bytes], one_run: float):
        self.tree, self.one_run = tree, one_run

    def __repr__(self) -> str:
        return f"Story({len(self.tree)} files, {self.one_run:.2f} s a run)"


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> Story:
    started = time.perf_counter()
    tree = _killed_story(tmp_path_factory.mktemp("whole"), None, None)
    return Story(tree, (time.perf_counter() - started) / 3)


@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(first=st.floats(0.05, 1.0), update=st.floats(0.05, 1.0))
def test_a_sync_killed_at_any_point_converges_to_the_uninterrupted_bytes(
    tmp_path_factory, uninterrupted, first, update
):
    reference, one_run = uninterrupted.tree, uninterrupted.one_run
    tree = _killed_story(tmp_path_factory.mktemp("killed"), first * one_run, update * one_run)
    assert tree.keys() == reference.keys()
    assert [k for k in tree if tree[k] != reference[k]] == []
    assert not [k for k in tree if k.endswith(".tmp") or k.endswith(".pending.json")]


# --- slow, empty and broken feeds from a real HTTP server ---------------------------


def _http_hub(root: Path, url: str, http: str = "") -> Hub:
    feeds = (
        f"  - {{name: remote, url: '{url}', approval: auto}}\n  - {{name: blog, url: blog.xml}}\n"
    )
    hub = Hub(root, feeds)
    if http:
        (root / "hub.yml").write_text(f"http: {{{http}}}\n" + (root / "hub.yml").read_text())
    hub.feed("blog", [{"id": "a", "title": "Hello Barcelona"}])
    return hub


def test_a_truncated_body_never_damages_earlier_posts(tmp_path: Path, feed_server):
    """The project's RSS 2.0 specimen, served whole, then cut at every 150th byte."""
    data = (DATA / "rss20-blog.xml").read_bytes()
    url = feed_server.add("/cut.xml", data)
    hub = _http_hub(tmp_path, url)
    hub.sync()
    before = {p.name: p.read_bytes() for p in hub.posts.glob("*.md")}
    for end in range(300, len(data) - 20, 150):
        feed_server.add("/cut.xml", data[:end])
        hub.sync()
        after = {p.name: p.read_bytes() for p in hub.posts.glob("*.md")}
        assert after == before, f"cut at byte {end}"


def test_an_empty_body_is_one_line_and_the_other_feeds_go_on(tmp_path: Path, feed_server, caplog):
    hub = _http_hub(tmp_path, feed_server.add("/empty.xml", b""))
    assert main(["--config", str(hub.root / "hub.yml"), "sync", "--today", "2026-11-23"]) == 1
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "empty" in errors[0] and "/empty.xml" in errors[0]
    assert (hub.posts / "hello-barcelona.md").exists()


def test_an_empty_local_file_is_one_line(hub: Hub, caplog):
    (hub.root / "jobs.xml").write_text("")
    assert main(["--config", str(hub.root / "hub.yml"), "sync", "--today", "2026-11-23"]) == 1
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and errors[0].startswith("jobs: jobs.xml: the feed is empty")
    assert (hub.posts / "hello-barcelona.md").exists()


def test_a_slow_drip_cannot_hold_the_run(tmp_path: Path, feed_server, caplog):
    url = feed_server.add("/drip-sync.xml", (DATA / "rss20-blog.xml").read_bytes(), drip=0.5)
    hub = _http_hub(tmp_path, url, "read_timeout: 2, retries: 0, deadline: 2")
    started = time.monotonic()
    assert main(["--config", str(hub.root / "hub.yml"), "sync", "--today", "2026-11-23"]) == 1
    assert time.monotonic() - started < 6
    assert (hub.posts / "hello-barcelona.md").exists()  # the feed after it synced
    assert "http.deadline" in caplog.text
    with FileLock(str(hub.posts / ".sync" / "lock"), timeout=0):
        pass  # and the lock is free again


def test_a_cut_job_feed_never_moves_a_closing_day(hub: Hub):
    hub.sync()
    jobs = [{"id": "j1", "title": "Data Engineer", "valid": "2026-12-31"},
            {"id": "j2", "title": "Designer", "valid": "2027-01-31"}]  # fmt: skip
    text = rss(jobs)
    cut = text[: text.index("<title>Designer")]  # the body stops inside the second job
    (hub.root / "jobs.xml").write_text(cut.replace("Data Engineer", "Data Engineer (m/f/d)"))
    hub.sync()
    job = hub.post("data-engineer").meta
    assert (job["title"], job["expires"]) == ("Data Engineer (m/f/d)", "2026-12-31")
    assert not (hub.posts / "designer.md").exists()
