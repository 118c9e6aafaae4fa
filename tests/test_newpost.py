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
    # no temporary file left beside it (.sync holds the record of what `new` wrote)
    assert sorted(p.name for p in path.parent.iterdir()) == [".sync", "2026-11-25-hello.md"]


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


def _sync_posts(hub_dir: Path) -> None:
    """The real sync over the folder (no feeds: only the hand-written posts' pass runs)."""
    from hub.config import load_config
    from hub.posts.sync import sync

    config = load_config(hub_dir / "hub.yml").model_copy(update={"feeds": []})
    report = sync(config, hub_dir, today=dt.date(2026, 11, 26))
    assert not report.failed


def _fill_in(path: Path, title: str, summary: str, x_wording: str | None = None) -> None:
    """What comms do: replace the TODO title and summary (and maybe reword one X caption)."""
    meta = posts.parse(path.read_text(encoding="utf-8")).meta
    changes: dict[str, object] = {"title": title, "summary": summary}
    if x_wording is not None:
        changes["captions.x"] = [meta["captions"]["x"][0], x_wording, *meta["captions"]["x"][2:]]
    path.write_text(posts.update(path.read_text(encoding="utf-8"), changes), encoding="utf-8")


TITLE = "Two days in Girona: our team offsite"
SUMMARY = "Forty of us spent two days planning next year together. Here is what we decided."


def _unedited(meta: dict, edited: str) -> list[str]:
    return [w for ws in meta["captions"].values() for w in ws if w != edited]


def test_replacing_the_todo_text_rebuilds_every_wording_nobody_edited(hub_dir):
    assert main(["-q", "new", "Team offsite", "--kind", "culture", "--date", "2026-11-25",
                 "--url", "https://www.acme.example/offsite"]) == 0  # fmt: skip
    path = hub_dir / "content/posts/2026-11-25-team-offsite.md"
    _fill_in(path, TITLE, SUMMARY, x_wording="My own words about the offsite #LifeAtAcme")
    _sync_posts(hub_dir)
    meta = posts.parse(path.read_text(encoding="utf-8")).meta
    assert meta["captions"]["x"][1] == "My own words about the offsite #LifeAtAcme"
    wordings = _unedited(meta, "My own words about the offsite #LifeAtAcme")
    assert wordings and all("Team offsite" not in w and "TODO" not in w for w in wordings)
    assert all(TITLE in w or SUMMARY.split(".")[0] in w for w in wordings)
    assert any(SUMMARY.split(".")[0] in w for w in wordings)  # the summary reached them
    assert TITLE in meta["image_alt"]
    once = path.read_text(encoding="utf-8")
    _sync_posts(hub_dir)
    assert path.read_text(encoding="utf-8") == once  # nothing more to do
    # A later retitle reaches them again; the person's wording stays theirs.
    _fill_in(path, "Girona offsite: what we decided", SUMMARY)
    _sync_posts(hub_dir)
    meta = posts.parse(path.read_text(encoding="utf-8")).meta
    assert meta["captions"]["x"][1] == "My own words about the offsite #LifeAtAcme"
    assert any("Girona offsite: what we decided" in w for w in meta["captions"]["x"])
    assert all(TITLE not in w for w in _unedited(meta, meta["captions"]["x"][1]))


def test_a_post_new_made_before_it_kept_a_record_is_adopted(hub_dir):
    """No record (a post from an older hub): wordings `new` would write are the hub's."""
    assert main(["-q", "new", "Team offsite", "--kind", "culture", "--date", "2026-11-25"]) == 0
    path = hub_dir / "content/posts/2026-11-25-team-offsite.md"
    (hub_dir / "content/posts/.sync/_handwritten.json").unlink()
    meta = posts.parse(path.read_text(encoding="utf-8")).meta
    own = "Offsite time. Proud of this team."
    text = posts.update(path.read_text(encoding="utf-8"), {
        "summary": SUMMARY, "captions.linkedin": [own, *meta["captions"]["linkedin"][1:]],
    })
    path.write_text(text, encoding="utf-8")
    _sync_posts(hub_dir)
    meta = posts.parse(path.read_text(encoding="utf-8")).meta
    assert meta["captions"]["linkedin"][0] == own
    assert any(SUMMARY.split(".")[0] in w for w in meta["captions"]["x"])


def test_hand_written_captions_are_left_as_written(hub_dir):
    """A post a person wrote whole (the samples' hand-written posts) is never reworded."""
    folder = hub_dir / "content/posts"
    folder.mkdir(parents=True)
    sample = REPO / "content/posts/2026-wellness-week.md"
    shutil.copy(sample, folder / sample.name)
    _sync_posts(hub_dir)
    _sync_posts(hub_dir)
    assert (folder / sample.name).read_bytes() == sample.read_bytes()


def test_the_build_shows_the_rebuilt_wordings_before_any_sync(hub_dir):
    """Between the edit and the next sync (a pull request), nothing from TODO is shown."""
    from hub.config import load_config
    from hub.site.generator import read_posts

    assert main(["-q", "new", "Team offsite", "--kind", "culture", "--date", "2026-11-25",
                 "--url", "https://www.acme.example/offsite"]) == 0  # fmt: skip
    path = hub_dir / "content/posts/2026-11-25-team-offsite.md"
    _fill_in(path, TITLE, SUMMARY)
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: approved"),
                    encoding="utf-8")
    before = path.read_bytes()
    entries, _, _ = read_posts(hub_dir / "content", load_config(hub_dir / "hub.yml"),
                               dt.date(2026, 11, 26))
    meta = next(e.meta for e in entries if e.slug == path.stem)
    assert all("Team offsite" not in w for ws in meta["captions"].values() for w in ws)
    assert any(SUMMARY.split(".")[0] in w for w in meta["captions"]["linkedin"])
    assert TITLE in meta["image_alt"]
    assert path.read_bytes() == before  # the build wrote nothing into content/
