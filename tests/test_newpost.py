"""`advocacy-hub new`: a complete draft that passes `check` once the TODOs are written."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from hub.cli import main
from hub.comms.check import run_check
from hub.comms.new import category_of, new_post
from hub.config import ConfigError, HubConfig
from hub.posts import schema as posts

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def hub_dir(tmp_path, monkeypatch):
    shutil.copy(REPO / "hub.yml", tmp_path / "hub.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_new_writes_a_draft_with_every_field(hub_dir, capsys):
    code = main(
        ["new", "Wellness week: yoga & 早餐", "--kind", "event", "--date", "2026-11-25",
         "--url", "https://www.acme.example/events/wellness"]
    )  # fmt: skip
    assert code == 0
    path = hub_dir / "content/posts/2026-11-25-wellness-week-yoga-zao-can.md"
    assert capsys.readouterr().out.strip() == str(Path("content/posts") / path.name)
    post = posts.read(path)
    meta = post.meta
    assert meta["status"] == "draft"
    assert meta["category"] == "event"
    assert meta["date"] == "2026-11-25T09:00:00Z"
    assert meta["canonical_url"] == "https://www.acme.example/events/wellness"
    assert meta["image"] == f"cards/{path.stem}.png"
    assert meta["image_alt"] == "Acme card: Event. Wellness week: yoga & 早餐. 2026-11-25."
    assert set(meta["captions"]) >= {"linkedin", "x", "bluesky", "email_subject"}
    assert all(meta["captions"][n] for n in meta["captions"])
    assert "**When:** TODO" in post.body


def test_new_post_passes_check_once_todos_are_written(hub_dir):
    assert main(["new", "Team offsite", "--kind", "culture", "--date", "2026-11-25"]) == 0
    path = hub_dir / "content/posts/2026-11-25-team-offsite.md"
    findings = run_check(hub_dir / "hub.yml", today=dt.date(2026, 11, 26))
    assert findings and all(f.level == "warning" and "TODO" in f.message for f in findings)
    text = path.read_text(encoding="utf-8")
    text = text.replace("TODO: one or two", "One or two").replace("TODO: the story", "The story")
    path.write_text(text.replace("status: draft", "status: approved"), encoding="utf-8")
    # approved with nothing to share: an error until it gets a URL or says it is hub-only
    findings = run_check(hub_dir / "hub.yml", today=dt.date(2026, 11, 26))
    assert [(f.level, f.message.split(":")[0]) for f in findings] == [("error", "canonical_url")]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: approved", "status: approved\nshare: false"), "utf-8")
    assert run_check(hub_dir / "hub.yml", today=dt.date(2026, 11, 26)) == []
    url = "status: approved\ncanonical_url: https://www.acme.example/offsite"
    path.write_text(text.replace("status: approved", url), encoding="utf-8")
    assert run_check(hub_dir / "hub.yml", today=dt.date(2026, 11, 26)) == []


def test_new_post_has_no_wording_of_hashtags_alone(hub_dir):
    assert main(["-q", "new", "Team offsite", "--kind", "culture", "--date", "2026-11-25"]) == 0
    meta = posts.parse((hub_dir / "content/posts/2026-11-25-team-offsite.md").read_text()).meta
    for network, wordings in meta["captions"].items():
        assert all("Team offsite" in w for w in wordings), network


def test_new_never_overwrites(hub_dir):
    assert main(["-q", "new", "Hello", "--date", "2026-11-25"]) == 0
    path = hub_dir / "content/posts/2026-11-25-hello.md"
    path.write_text("my own words\n", encoding="utf-8")
    assert main(["-q", "new", "Hello", "--date", "2026-11-25"]) == 2
    assert path.read_text(encoding="utf-8") == "my own words\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["2026-11-25-hello.md"]


def test_jobs_expire_and_aliases_map_to_categories():
    assert category_of("Announcement") == "internal"
    assert category_of("job") == "jobs"
    with pytest.raises(ConfigError, match="--kind 'party' is not a kind of post"):
        category_of("party")
    name, text = new_post(
        HubConfig(), title="Data engineer", category="jobs", day=dt.date(2026, 1, 2)
    )
    assert name == "2026-01-02-data-engineer.md"
    assert posts.parse(text).meta["expires"] == "2026-02-01"


def test_titles_in_any_script_get_a_usable_name():
    name, _ = new_post(
        HubConfig(), title="مرحبا بالعالم", category="internal", day=dt.date(2026, 1, 2)
    )
    assert name.startswith("2026-01-02-") and name.isascii() and len(name) > len("2026-01-02-.md")


def test_bad_url_and_date_are_one_clear_line(hub_dir):
    assert main(["new", "Hello", "--url", "javascript:alert(1)"]) == 2
    assert main(["new", "Hello", "--date", "25/11/2026"]) == 2
    assert not (hub_dir / "content").exists()
