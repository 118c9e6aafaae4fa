"""Days: the build's "today", days read from frontmatter, days typed on the command line.

One home, so every command agrees on what "today" is (HUB_TODAY pins it for
reproducible builds and tests) and on how lenient a frontmatter date is.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

from hub.config import ConfigError

TODAY_ENV = "HUB_TODAY"


def today(environ: Mapping[str, str] | None = None) -> dt.date:
    """The build's "today": HUB_TODAY (YYYY-MM-DD) for reproducible builds, else UTC today."""
    environ = os.environ if environ is None else environ
    value = environ.get(TODAY_ENV, "").strip()
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{TODAY_ENV}={value!r} is not a date; use YYYY-MM-DD") from None
    return dt.datetime.now(dt.UTC).date()


def day_of(value: Any) -> dt.date | None:
    """The day a frontmatter value names, or None when it names none.

    YAML hands over a date, a datetime or a string ("2026-11-20",
    "2026-11-20T09:00:00Z"); only the first ten characters decide, so a time
    or zone never moves a post to another day.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if len(text) < 10:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def option(value: str | None, name: str) -> dt.date | None:
    """A YYYY-MM-DD command-line date (None when not given), or one clear error naming it."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{name} {value!r}: write the date as YYYY-MM-DD") from None


def option_or_today(value: str | None, name: str = "--today") -> dt.date:
    """The day a command works for: the option when given, else the build's today."""
    try:
        return option(value, name) or today()
    except ValueError as exc:  # a malformed HUB_TODAY
        raise ConfigError(str(exc)) from None
