"""hub.yml validation: every mistake is one line naming the file, line, key and what is allowed."""

from pathlib import Path

import pytest

from hub.config import ConfigError, load_config, parse_config

ROOT = Path(__file__).resolve().parent.parent


def test_repo_settings_load():
    config = load_config(ROOT / "hub.yml")
    assert [f.name for f in config.feeds] == ["acme-blog", "acme-jobs", "acme-newsroom"]
    assert config.feed("acme-jobs").jobs.expires_after_days == 45


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "feeds:\n  - name: blog\n    url: a.xml\n    category: blogg\n",
            "hub.yml:4: feeds[0].category: 'blogg' is not allowed; use one of 'blog', 'product'",
        ),
        (
            "feeds:\n  - name: blog\n    url: a.xml\n    colour: red\n",
            "hub.yml:4: feeds[0].colour: this key is not known",
        ),
        ("feeds:\n  - url: a.xml\n", "hub.yml:2: feeds[0].name: this key is required"),
        (
            "feeds:\n  - name: Bad Name\n    url: a.xml\n",
            "hub.yml:2: feeds[0].name: 'Bad Name' does not match",
        ),
        (
            "feeds:\n  - name: a\n    url: a.xml\n    approval: sometimes\n",
            "hub.yml:4: feeds[0].approval: 'sometimes' is not allowed; "
            "use one of 'auto' or 'draft'",
        ),
        ("site:\n  utm_medium: 'has space'\n", "hub.yml:2: site.utm_medium:"),
        ("brand:\n  colors:\n    primary: blue\n", "hub.yml:3: brand.colors.primary:"),
        ("feeds: [\n", "hub.yml:2: not valid YAML"),
        ("- just\n- a list\n", "hub.yml: the file must be a mapping"),
        (
            "feeds:\n  - {name: a, url: x}\n  - {name: a, url: y}\n",
            "hub.yml:1: feeds: feed name 'a' is used twice; names must be unique",
        ),
    ],
)
def test_errors_name_line_key_and_allowed(text, expected):
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message.strip()


def test_every_problem_reported_at_once():
    text = "feeds:\n  - name: a\n    url: x\n    category: nope\n    approval: maybe\n"
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert len(str(info.value).splitlines()) == 2


def test_hashtags_drop_leading_hash_and_reject_spaces():
    config = parse_config("feeds:\n  - {name: a, url: x, hashtags: ['#Acme', Hiring]}\n")
    assert config.feeds[0].hashtags == ["Acme", "Hiring"]
    with pytest.raises(ConfigError, match="not a hashtag"):
        parse_config("feeds:\n  - {name: a, url: x, hashtags: ['two words']}\n")


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match="not found; run from the hub's folder"):
        load_config(tmp_path / "hub.yml")


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://ftp.example.org/feed.xml", "javascript:alert(1)",
     "JavaScript:alert(1)", "data:text/xml,<rss/>", "https:///no-host"],
)  # fmt: skip
def test_feed_urls_are_http_or_local_files(url):
    with pytest.raises(ConfigError) as info:
        parse_config(f"feeds:\n  - name: a\n    url: '{url}'\n")
    message = str(info.value)
    assert message.startswith("hub.yml:3: feeds[0].url: ") and "\n" not in message
    assert "http(s) URL" in message


@pytest.mark.parametrize(
    "url", ["feeds/blog.xml", "blog.xml", "/srv/feeds/blog.xml", "C:\\feeds\\blog.xml",
            "https://www.acme.example/feed.xml", "HTTP://acme.example/rss"],
)  # fmt: skip
def test_http_urls_and_local_paths_pass(url):
    config = parse_config(f"feeds:\n  - name: a\n    url: '{url}'\n")
    assert config.feeds[0].url == url


def test_http_deadline_has_a_default_and_a_range():
    assert parse_config("").http.deadline == 60
    assert parse_config("http: {deadline: 5}\n").http.deadline == 5
    with pytest.raises(ConfigError, match=r"hub\.yml:1: http\.deadline"):
        parse_config("http: {deadline: 0}\n")
