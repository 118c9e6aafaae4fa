"""`advocacy-hub check`: each case folder under tests/data/check is a small hub
(hub.yml, content/, guidelines/) with the exact output expected beside it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from hub.cli import main
from hub.comms.check import Finding, load_document, run_check, run_check_cached

DATA = Path(__file__).parent / "data" / "check"
CASES = sorted(p.name for p in DATA.iterdir() if (p / "expected.txt").is_file())


@pytest.mark.parametrize("case", CASES)
def test_case_output_matches_expected(case, monkeypatch, capsys):
    monkeypatch.chdir(DATA / case)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code = main(["-q", "check", "--today", "2026-12-01"])
    out = capsys.readouterr().out
    expected = (DATA / case / "expected.txt").read_text(encoding="utf-8")
    assert out == expected
    assert code == (1 if " error: " in expected else 0)


def test_warnings_alone_exit_zero(tmp_path, monkeypatch, capsys):
    shutil.copytree(DATA / "clean", tmp_path, dirs_exist_ok=True)
    post = tmp_path / "content" / "posts" / "2026-11-21-zh.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace("status: draft", "status: draft\nmood: happy"),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "check", "--today", "2026-12-01"]) == 0
    assert capsys.readouterr().out == (
        "content/posts/2026-11-21-zh.md:4: warning: mood: unknown key, the hub ignores it; "
        "check its spelling\n"
    )


def test_github_annotations_when_running_in_actions(tmp_path, monkeypatch, capsys):
    shutil.copytree(DATA / "badconfig", tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["-q", "check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "::error file=hub.yml,line=2::"
        "site.utm_medium: 'not valid!' does not match ^[A-Za-z0-9._-]+$"
    )
    assert main(["-q", "check", "--format", "text"]) == 1
    assert capsys.readouterr().out.startswith("hub.yml:2: error: ")


def test_annotation_escapes_workflow_command_syntax():
    finding = Finding("a,b:c.md", 3, "warning", "50% done\nnext")
    assert finding.github() == "::warning file=a%2Cb%3Ac.md,line=3::50%25 done%0Anext"


def test_paths_argument_limits_the_check(monkeypatch, capsys):
    monkeypatch.chdir(DATA / "bad")
    assert main(["-q", "check", "guidelines"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out and all(line.startswith("guidelines/") for line in out)
    assert main(["-q", "check", "nowhere"]) == 1
    assert "nowhere:1: error: no such file or folder" in capsys.readouterr().out


def test_folder_relative_link_to_guidelines_gets_the_site_form(tmp_path):
    shutil.copytree(DATA / "clean", tmp_path, dirs_exist_ok=True)
    post = tmp_path / "content" / "posts" / "2026-11-21-zh.md"
    post.write_text(
        post.read_text(encoding="utf-8") + "[政策](../../guidelines/social-media-policy.md)\n",
        encoding="utf-8",
    )
    findings = run_check(tmp_path / "hub.yml")
    assert [f.message for f in findings] == [
        "link '../../guidelines/social-media-policy.md': the site mounts guidelines/ at its "
        "root; write '../guidelines/social-media-policy.md'"
    ]
    assert findings[0].line == 11


def test_forbidden_terms_are_whole_words_in_any_script(tmp_path):
    (tmp_path / "hub.yml").write_text(
        "policy:\n  forbidden_terms:\n    - term: Falcon\n    - term: 机密\n      level: warning\n",
        encoding="utf-8",
    )
    page = tmp_path / "guidelines" / "p.md"
    page.parent.mkdir()
    page.write_text(
        "Falconry is fine.\nBut FALCON is not.\n这是 机密 项目\n`Falcon` in code\n",
        encoding="utf-8",
    )
    findings = run_check(tmp_path / "hub.yml")
    assert [(f.line, f.level) for f in findings] == [(2, "error"), (3, "warning")]


def test_approved_post_with_placeholder_is_an_error(tmp_path):
    shutil.copytree(DATA / "clean", tmp_path, dirs_exist_ok=True)
    post = tmp_path / "content" / "posts" / "2026-11-20-hello.md"
    text = post.read_text(encoding="utf-8").replace("summary: A short", "summary: TODO A short")
    post.write_text(text, encoding="utf-8")
    findings = run_check(tmp_path / "hub.yml", today=dt.date(2026, 12, 1))
    assert [(f.line, f.level, f.message) for f in findings] == [
        (3, "error", "summary: placeholder TODO left; write the real text")
    ]


def test_build_check_cache_gives_the_findings_of_a_fresh_check(tmp_path):
    """The build's cached check answers as run_check does, through every kind of change."""
    shutil.copytree(DATA / "clean", tmp_path, dirs_exist_ok=True)
    config, cache, today = tmp_path / "hub.yml", tmp_path / ".build" / "check.json", dt.date(
        2026, 12, 1)
    post = tmp_path / "content" / "posts" / "2026-11-21-zh.md"
    original = post.read_text(encoding="utf-8")

    def same() -> list[Finding]:
        cached = run_check_cached(config, cache, today)
        assert cached == run_check(config, today=today)
        return cached

    assert same() == [] and cache.is_file()
    assert same() == []  # from the cache
    post.write_text(original + "[Missing](missing.md)\n", encoding="utf-8")
    assert [f.message for f in same()] == [
        "link 'missing.md': no such file in content/ or guidelines/; fix the path"]
    (post.parent / "missing.md").write_text("# Here now\n", encoding="utf-8")  # a new name
    assert not any("link 'missing.md'" in f.message for f in same())
    (post.parent / "missing.md").unlink()
    post.write_text(original, encoding="utf-8")
    assert same() == []
    config.write_text(config.read_text(encoding="utf-8") + "policy:\n  forbidden_terms:\n"
                      "    - term: 你好\n", encoding="utf-8")
    assert same() != []  # a setting changed
    cache.write_text("not json", encoding="utf-8")
    assert same() != []


def test_document_lines_survive_blank_lines_and_bom():
    text = "\ufeff---\n\n# comment\ntitle: x\n---\nbody line\n"
    doc = load_document(Path("p.md"), text)
    assert doc.front is not None and doc.front.line(("title",)) == 4
    assert doc.body_start == 6
    assert doc.body[0] == "body line"


FRONTMATTERS = [
    "\ntitle: x\ncaptions:\n  linkedin:\n    - one\n    - two\ntags: [a, b]\n",
    "\n# a comment\ntitle: 'quoted: x'\nsummary: >\n  folded\n  text\nimage:\n",
    "\ncaptions:\n  x: [{text: a}, {text: b}]\n  bluesky:\n  - |\n    block\n",
    "\n1: a number as a key\ntitle: x\n",          # not text: ruamel answers
    "\nbase: &b {a: 1}\nmore:\n  <<: *b\n  c: 2\n",  # a merge key: ruamel answers
    "\ntitle: x\ntitle: y\n",                     # a repeated key: ruamel's error
    "\ntitle: [x\n",                               # not YAML: ruamel's error
    "\nyes: 1\non: 2\n",                          # YAML 1.1 booleans as keys
    "\njust a scalar\n",
    "\n",
]


@pytest.mark.parametrize("front_text", FRONTMATTERS)
def test_fast_front_lines_are_ruamels(front_text):
    """PyYAML's node tree gives the same key lines (and errors) as ruamel's round-trip reader."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from hub.comms.check import FrontLines, _read_front

    front, error = _read_front(front_text)
    try:
        expected = FrontLines.of(YAML(typ="rt").load(front_text))
    except YAMLError:
        assert front is None and error and "not valid YAML" in error
        return
    assert (front, error) == (expected, None)


@pytest.mark.parametrize("case", CASES)
def test_every_fixture_post_reads_as_ruamel_reads_it(case):
    """Every frontmatter in the check fixtures: the fast reader's lines are ruamel's."""
    from ruamel.yaml import YAML

    from hub.comms.check import FrontLines, _read_front

    for path in sorted((DATA / case).rglob("*.md")):
        lines = path.read_text(encoding="utf-8").removeprefix("\ufeff").split("\n")
        end = next((i for i in range(1, len(lines)) if lines[i].startswith("---")), None)
        if lines[0].rstrip() != "---" or end is None:
            continue
        front_text = "\n".join(["", *lines[1:end]])
        front, error = _read_front(front_text)
        if error is None:
            assert front == FrontLines.of(YAML(typ="rt").load(front_text)), path
