"""The hub's own words on a post page in the post's language (gettext catalogs, Babel).

A post in Catalan or Arabic used to get English chrome ("Share this post",
"Copy caption", the card downloads, ISO dates) around a localised card.
The catalogs are plain gettext .po files in hub/site/locale/ (one per
language, `en.po` the source), read with Babel at build time: nothing is
compiled, and the same files give the same pages. A language without a
catalog, or a message a catalog lacks, falls back to English.

Material's own strings (search box, "Back to top") follow `theme.language`
for the whole site, as the renderer decides; these are only the hub's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_datetime_format
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"

Gettext = Callable[..., str]


def base_language(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower() or "en"


@cache
def catalog(language: str) -> dict[str, str]:
    """msgid -> translation for `language` (its base: pt-BR reads pt.po); {} if none."""
    path = LOCALE_DIR / f"{base_language(language)}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        messages = read_po(handle, locale=base_language(language))
    return {str(m.id): str(m.string) for m in messages
            if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


def translator(language: str) -> Gettext:
    """`_(msgid, **values)`: the translation with %(name)s values filled in."""
    found = catalog(language)

    def gettext(message: str, **values: Any) -> str:
        text = found.get(message, message)
        return text % values if values else text

    return gettext


@cache
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(base_language(language))
        except (UnknownLocaleError, ValueError):
            return None


def day_label(value: Any, language: str) -> str:
    """A YYYY-MM-DD day as the language writes it (Babel's long format); else as given."""
    text = str(value or "")[:10]
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    locale = _locale(language)
    return format_date(day, format="long", locale=locale) if locale else text


def moment_label(value: Any, language: str) -> str:
    """A day, or a day and time ("2026-12-09T09:30"), as the language writes them.

    The day in Babel's long format; a time in its short one, joined by the
    language's own pattern for a long date with a time (CLDR's
    dateTimeFormats). Event times carry no zone: they are shown as written.
    """
    text = str(value or "")
    day = day_label(text, language)
    locale = _locale(language)
    if len(text) < 16 or text[10] not in "T " or locale is None:
        return day
    try:
        moment = dt.time.fromisoformat(text[11:16])
    except ValueError:
        return day
    pattern = str(get_datetime_format("long", locale=locale)).replace("'", "")
    return pattern.replace("{0}", format_time(moment, format="short", locale=locale)).replace(
        "{1}", day
    )


def languages() -> list[str]:
    """The languages with a catalog, for tests and the docs."""
    return sorted(p.stem for p in LOCALE_DIR.glob("*.po"))
