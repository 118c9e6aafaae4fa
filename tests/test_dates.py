"""hub.dates: the one home of "today", frontmatter days and command-line days."""

from __future__ import annotations

import datetime as dt

import pytest

from hub import dates
from hub.config import ConfigError

D = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20", D),
        ("2026-11-20T09:00:00Z", D),
        ("2026-11-20T23:30:00-08:00", D),  # the written day, not the UTC one
        ("2026-11-20 09:00", D),
        ("  2026-11-20  ", D),
        (D, D),
        (dt.datetime(2026, 11, 20, 23, 59, tzinfo=dt.UTC), D),
        ("2026-11", None),
        ("20/11/2026", None),
        ("2026-02-30", None),
        ("", None),
        (None, None),
        (20261120, None),
    ],
)
def test_day_of_a_frontmatter_value(value: object, expected: dt.date | None) -> None:
    assert dates.day_of(value) == expected


def test_today_comes_from_hub_today() -> None:
    assert dates.today({"HUB_TODAY": "2026-11-22"}) == dt.date(2026, 11, 22)
    with pytest.raises(ValueError, match="HUB_TODAY='22/11/2026' is not a date; use YYYY-MM-DD"):
        dates.today({"HUB_TODAY": "22/11/2026"})


def test_today_without_hub_today_is_utc_today() -> None:
    assert dates.today({}) == dt.datetime.now(dt.UTC).date()


def test_an_option_names_itself_when_malformed() -> None:
    assert dates.option(None, "--since") is None
    assert dates.option("2026-11-20", "--since") == D
    with pytest.raises(ConfigError, match=r"^--since '20\.11\.2026': write the date as YYYY-MM-DD"):
        dates.option("20.11.2026", "--since")


def test_option_or_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_TODAY", "2026-11-22")
    assert dates.option_or_today(None) == dt.date(2026, 11, 22)
    assert dates.option_or_today("2026-11-20") == D
    monkeypatch.setenv("HUB_TODAY", "tomorrow")
    with pytest.raises(ConfigError, match="HUB_TODAY='tomorrow' is not a date"):
        dates.option_or_today(None)
