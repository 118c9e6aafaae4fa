"""import-analytics and the program page, on exports in tests/data/analytics
(expected output beside each export)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest
import yaml

from hub.cli import main
from hub.config import HubConfig
from hub.site.program import EMPTY, render

DATA = Path(__file__).parent / "data" / "analytics"
OUTPUT = Path("content/_data/analytics.yml")


@pytest.fixture
def hub_dir(tmp_path, monkeypatch):
    shutil.copytree(DATA / "hubroot", tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("export", sorted(p.stem for p in DATA.glob("*.csv")))
def test_export_gives_expected_analytics(hub_dir, export):
    assert main(["-q", "import-analytics", str(DATA / f"{export}.csv")]) == 0
    expected = (DATA / f"{export}.expected.yml").read_text(encoding="utf-8")
    assert (hub_dir / OUTPUT).read_text(encoding="utf-8") == expected


def test_bad_rows_are_reported_with_their_line_and_skipped(hub_dir, caplog):
    assert main(["import-analytics", str(DATA / "ga4.csv")]) == 0
    bad = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert [m.split(": ", 1)[0].rsplit(":", 1)[1] for m in bad] == ["13", "14"]
    assert "'many' is not a whole number" in bad[1]


def test_only_mapped_advocates_are_named(hub_dir):
    assert main(["-q", "import-analytics", str(DATA / "ga4.csv")]) == 0
    text = (hub_dir / OUTPUT).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert [a["name"] for a in data["leaderboard"]["overall"]] == ["Jane Doe", "Amin Rahman"]
    assert "stranger" not in text and "hidden" not in text and "Private Person" not in text
    assert data["totals"]["anonymous_advocates"] == 2
    assert data["totals"]["anonymous_sessions"] == 28


def test_unreadable_or_unusable_exports_write_nothing(hub_dir, tmp_path, caplog):
    (hub_dir / OUTPUT).write_text("previous: kept\n", encoding="utf-8")
    cases = {
        "missing.csv": None,
        "latin1.csv": "utm_source,utm_campaign,visits\nlinkedin,caf\xe9,3\n".encode("latin-1"),
        "header.csv": b"source,when,visits\nlinkedin,today,3\n",
        "empty.csv": b"# only a comment\n\n",
        "bad.csv": b"utm_source,utm_campaign,visits\nlinkedin,a,lots\n",
    }
    for name, blob in cases.items():
        path = tmp_path / name
        if blob is not None:
            path.write_bytes(blob)
        assert main(["-q", "import-analytics", str(path)]) == 1, name
    assert (hub_dir / OUTPUT).read_text(encoding="utf-8") == "previous: kept\n"
    messages = caplog.text
    assert "not UTF-8" in messages
    assert "the header lacks campaign: utm campaign or session campaign" in messages
    assert "no usable rows (1 bad" in messages


def test_month_option_dates_an_undated_export(hub_dir):
    assert main(["-q", "import-analytics", str(DATA / "matomo.csv"), "--month", "2026-10"]) == 0
    data = yaml.safe_load((hub_dir / OUTPUT).read_text(encoding="utf-8"))
    assert data["by_month"] == [{"month": "2026-10", "sessions": 16}]
    assert list(data["leaderboard"]["by_month"]) == ["2026-10"]


def test_program_page_draws_escaped_accessible_svg(hub_dir):
    assert main(["-q", "import-analytics", str(DATA / "ga4.csv")]) == 0
    text = render(HubConfig(), hub_dir)
    assert "**" not in text and "## " not in text  # HTML: the site inserts it after Markdown
    html = markdown.markdown(text, extensions=["tables", "toc"])
    assert "<script" not in html and "我们的新办公室 &lt;b&gt;" in html
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "")
    svgs = [part.split("</svg>")[0] + "</svg>" for part in html.split("<svg")[1:]]
    assert len(svgs) == 4  # network, category, week, top posts
    for svg in svgs:
        root = ET.fromstring("<svg" + svg)
        assert root.get("role") == "img"
        ids = root.get("aria-labelledby").split()
        found = {el.get("id") for el in root.iter() if el.get("id")}
        assert set(ids) <= found
        # At its narrowest the chart still draws its labels at 12 px or more.
        style = dict(part.split(":", 1) for part in root.get("style").split(";"))
        font = int(style["font"].split("px")[0])
        narrowest = int(style["min-width"].removesuffix("px"))
        assert font * narrowest / float(root.get("viewBox").split()[2]) >= 12
    assert html.count('class="hub-chart-box" tabindex="0" role="region"') == 4
    assert html.count('<table class="hub-table">') == 4
    assert render(HubConfig(), hub_dir) == text  # deterministic


def test_program_page_without_data_explains_what_to_do(tmp_path):
    assert render(HubConfig(), tmp_path) == EMPTY + "\n"


def test_program_page_source_holds_the_placeholder():
    text = (Path(__file__).resolve().parents[1] / "content" / "program.md").read_text("utf-8")
    assert "\n<!-- hub:program -->\n" in text
