"""import-analytics and the program page, on exports in tests/data/analytics
(expected output beside each export)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
import zipfile
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


HISTORY = Path("content/_data/analytics-history.yml")
EXPORTS = sorted(
    p.name for p in DATA.iterdir() if p.is_file() and p.suffix in {".csv", ".tsv", ".zip"}
)


def _expected(export: str) -> Path:
    return DATA / f"{export.rsplit('.', 1)[0]}.expected.yml"


def test_every_export_shape_has_its_expected_output_and_source():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert len(EXPORTS) >= 12
    for export in EXPORTS:
        assert _expected(export).is_file(), export
        assert f"`{export}`" in readme, f"README.md names no source for {export}"


@pytest.mark.parametrize("export", EXPORTS)
def test_export_gives_expected_analytics(hub_dir, export):
    assert main(["-q", "import-analytics", str(DATA / export)]) == 0
    expected = _expected(export).read_text(encoding="utf-8")
    assert (hub_dir / OUTPUT).read_text(encoding="utf-8") == expected


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]


def test_bad_rows_are_reported_with_their_line_and_skipped(hub_dir, caplog):
    assert main(["import-analytics", str(DATA / "ga4.csv")]) == 0
    bad = [m for m in _warnings(caplog) if ": skipped: " in m]
    assert [m.split(": ", 1)[0].rsplit(":", 1)[1] for m in bad] == ["15", "16"]
    assert "'many' is not a whole number" in bad[1]
    # the exploration's totals row: empty dimensions, `Grand total` in a trailing cell
    assert any(m.endswith("skipped line 8: a totals row, not traffic") for m in _warnings(caplog))


def test_every_skipped_row_is_named_without_verbose(hub_dir, caplog):
    """Totals rows and rows of another medium are skipped too, each with its line."""
    assert main(["import-analytics", str(DATA / "ga4-ui-traffic-acquisition.csv")]) == 0
    lines = _warnings(caplog)
    assert any(m.endswith("skipped line 11: a totals row, not traffic") for m in lines)
    assert any(m.endswith("skipped line 15: medium is not employee-advocacy") for m in lines)


def test_fathom_counts_visitors_and_names_its_untagged_row(hub_dir, caplog):
    """Fathom's export has visitors, uniques and pageviews: visitors are the sessions."""
    assert main(["import-analytics", str(DATA / "fathom.csv")]) == 0
    lines = _warnings(caplog)
    assert any(m.endswith("skipped line 7: no utm values (not from a share link)") for m in lines)
    assert not any("totals row" in m for m in lines)
    data = yaml.safe_load((hub_dir / OUTPUT).read_text(encoding="utf-8"))
    assert data["totals"]["sessions"] == 118 + 39 + 1012 + 25 + 7


def test_a_file_lacking_a_dimension_imports_what_it_has_and_says_so(hub_dir, caplog):
    assert main(["import-analytics", str(DATA / "matomo-source-medium-utf16.tsv")]) == 0
    said = [m for m in _warnings(caplog) if "imported what it has" in m]
    assert len(said) == 1
    assert "campaign (no campaign or post breakdown)" in said[0]
    assert "content (no advocate leaderboard)" in said[0]
    data = yaml.safe_load((hub_dir / OUTPUT).read_text(encoding="utf-8"))
    assert data["by_network"] == [
        {"network": "linkedin", "sessions": 1150},
        {"network": "x", "sessions": 40},
    ]


def test_reimporting_a_month_replaces_that_month_only(hub_dir):
    """ga4.csv covers November and December; looker-studio.csv November only."""
    assert main(["-q", "import-analytics", str(DATA / "ga4.csv")]) == 0
    assert main(["-q", "import-analytics", str(DATA / "looker-studio.csv")]) == 0
    data = yaml.safe_load((hub_dir / OUTPUT).read_text(encoding="utf-8"))
    assert data["by_month"] == [
        {"month": "2026-11", "sessions": 1197},
        {"month": "2026-12", "sessions": 3},
    ]
    assert main(["-q", "import-analytics", str(DATA / "looker-studio.csv")]) == 0
    again = yaml.safe_load((hub_dir / OUTPUT).read_text(encoding="utf-8"))
    assert again == data
    history = (hub_dir / HISTORY).read_text(encoding="utf-8")
    assert "stranger" not in history and "jdoe" not in history


def test_a_zip_is_read_as_a_zip(hub_dir, tmp_path, caplog):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("report.txt", "hello")
    broken = tmp_path / "broken.zip"
    broken.write_bytes((DATA / "plausible.zip").read_bytes()[:60])
    assert main(["-q", "import-analytics", str(other)]) == 1
    assert main(["-q", "import-analytics", str(broken)]) == 1
    assert "a zip without utm_sources.csv, utm_campaigns.csv, utm_contents.csv" in caplog.text
    assert "broken.zip: a damaged zip" in caplog.text
    assert "UTF-8" not in caplog.text
    assert not (hub_dir / OUTPUT).exists()


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
        "binary.csv": b"utm_source,utm_campaign,visits\nlinkedin,\x81\x8d\x90,3\n",
        "header.csv": b"source,when,clicked\nlinkedin,today,3\n",
        "nodimension.csv": b"when,visits\ntoday,3\n",
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
    assert "binary.csv: not UTF-8, UTF-16 or Windows-1252 text" in messages
    assert "header.csv:1: the header lacks a count column" in messages
    assert "nodimension.csv:1: the header lacks every dimension" in messages
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
    command = "<code>advocacy-hub import-analytics export.csv</code>"
    assert render(HubConfig(), tmp_path) == (
        "<p>" + EMPTY.replace("%(command)s", command) + "</p>\n"
    )
    catalan = render(HubConfig(), tmp_path, "ca")
    assert "Encara no s&#39;han importat dades" in catalan and command in catalan


def test_program_page_source_holds_the_placeholder():
    text = (Path(__file__).resolve().parents[1] / "content" / "program.md").read_text("utf-8")
    assert "\n<!-- hub:program -->\n" in text
