"""`advocacy-hub check`: each case folder under tests/data/check is a small hub
(hub.yml, content/, guidelines/) with the exact output expected beside it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from hub.cli import main
from hub.comms.check import Finding, load_document, run_check

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


def test_document_lines_survive_blank_lines_and_bom():
    text = "\ufeff---\n\n# comment\ntitle: x\n---\nbody line\n"
    doc = load_document(Path("p.md"), text)
    assert doc.front is not None and doc.front.line(("title",)) == 4
    assert doc.body_start == 6
    assert doc.body[0] == "body line"


@pytest.mark.parametrize("case", CASES)
def test_line_cache_gives_the_same_findings(case, tmp_path, monkeypatch):
    """`build` keeps the frontmatters' key lines between runs: cold or warm, the same findings."""
    monkeypatch.chdir(DATA / case)
    today = dt.date(2026, 12, 1)
    plain = run_check(Path("hub.yml"), today=today)
    cache = tmp_path / "check-lines.json"
    assert run_check(Path("hub.yml"), today=today, line_cache=cache) == plain
    assert run_check(Path("hub.yml"), today=today, line_cache=cache) == plain


def test_line_cache_answers_nested_keys_and_errors(tmp_path):
    """A cached entry answers like ruamel itself: nested keys, list items, a YAML error."""
    from hub.comms.check import LineCache

    text = ("---\ntitle: x\ncaptions:\n  linkedin:\n    - one\n    - two\n"
            "tags: [a, b]\n---\nbody\n")
    fresh = load_document(Path("p.md"), text)
    cold = LineCache(tmp_path / "c.json")
    load_document(Path("p.md"), text, cold)
    load_document(Path("q.md"), "---\ntitle: [x\n---\n", cold)
    cold.save()
    warm = LineCache(tmp_path / "c.json")
    cached = load_document(Path("p.md"), text, warm)
    assert fresh.front is not None and cached.front is not None
    for loc in [("title",), ("captions", "linkedin", 1), ("captions", "linkedin", 5),
                ("tags", 1), ("nope",), ("title", 0), ("captions", "x")]:
        assert cached.front.line(loc) == fresh.front.line(loc), loc
    assert fresh.front.line(("captions", "linkedin", 1)) == 6
    bad = load_document(Path("q.md"), "---\ntitle: [x\n---\n", warm)
    assert bad.front is None and bad.front_error == load_document(
        Path("q.md"), "---\ntitle: [x\n---\n").front_error
