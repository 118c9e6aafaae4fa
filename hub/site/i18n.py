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
import gettext as stdlib_gettext
import math
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_datetime_format
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent, get_plus_sign_symbol
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from markupsafe import Markup, escape

LOCALE_DIR = Path(__file__).resolve().parent / "locale"

Gettext = Callable[..., str]
# ngettext(singular, plural, n, **values): the form the language uses for n.
NGettext = Callable[..., str]


def base_language(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower() or "en"


@cache
def _read(language: str) -> Catalog | None:
    path = LOCALE_DIR / f"{base_language(language)}.po"
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=base_language(language))


@cache
def catalog(language: str) -> dict[str, str]:
    """msgid -> translation for `language` (its base: pt-BR reads pt.po); {} if none."""
    messages = _read(language)
    if messages is None:
        return {}
    return {str(m.id): str(m.string) for m in messages
            if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


@cache
def plurals(language: str) -> dict[str, tuple[str, ...]]:
    """Singular msgid -> the language's plural forms (msgstr[0..n]); {} if none.

    A message with a count ("3 posts") has as many forms as the catalog's
    Plural-Forms header says (Arabic six, Japanese one); `ngettext` picks one.
    """
    messages = _read(language)
    if messages is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for m in messages:
        if isinstance(m.id, tuple) and isinstance(m.string, tuple) and not m.fuzzy:
            forms = tuple(str(text) for text in m.string)
            if len(forms) == messages.num_plurals and all(forms):
                out[str(m.id[0])] = forms
    return out


@cache
def plural_index(language: str) -> Callable[[int], int]:
    """n -> which plural form the language uses (its catalog's Plural-Forms, else English's)."""
    messages = _read(language)
    return stdlib_gettext.c2py(messages.plural_expr if messages else "(n != 1)")


def translator(language: str) -> Gettext:
    """`_(msgid, **values)`: the translation with %(name)s values filled in."""
    found = catalog(language)

    def gettext(message: str, **values: Any) -> str:
        text = found.get(message, message)
        return text % values if values else text

    return gettext


def html_translator(language: str) -> Callable[..., Markup]:
    """`_` for templates whose messages hold markup values ("%(reach)s people ..." around an
    <output>): the translation escaped, then its values filled in, each escaped unless it
    is already Markup (rendered by a template or built with Markup.format)."""
    _ = translator(language)

    def gettext(message: str, **values: Any) -> Markup:
        return _as_markup(_(message), values)

    return gettext


def _as_markup(text: str, values: dict[str, Any]) -> Markup:
    """A translation escaped, then its values filled in (each escaped unless already Markup)."""
    markup = Markup(escape(text))
    return markup % values if values else markup


def plural_translator(language: str) -> NGettext:
    """`ngettext(singular, plural, n, **values)`: the form for n, values filled in.

    English's two forms where the catalog lacks the message.
    """
    found, index = plurals(language), plural_index(language)

    def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
        forms = found.get(singular)
        if forms is None:
            text = singular if n == 1 else plural
        else:
            text = forms[min(index(n), len(forms) - 1)]
        return text % values if values else text

    return ngettext


def html_plural_translator(language: str) -> Callable[..., Markup]:
    """`ngettext` for messages with markup values (a count in <strong>): the form for n
    escaped, then its values filled in, each escaped unless it is already Markup."""
    ngettext = plural_translator(language)

    def translate(singular: str, plural: str, n: int, **values: Any) -> Markup:
        return _as_markup(ngettext(singular, plural, n), values)

    return translate


def names_list(names: Sequence[str], language: str) -> str:
    """"Facebook, Xing and LinkedIn" as the language joins a list (CLDR, Babel)."""
    locale = _locale(language)
    return format_list(list(names), locale=locale) if locale else ", ".join(names)


@cache
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(base_language(language))
        except (UnknownLocaleError, ValueError):
            return None


def number_label(value: float, language: str, pattern: str | None = None) -> str:
    """33,800 / 33.800 / 33 800 as the language groups digits (CLDR, Babel); `pattern`
    for a fixed number of decimals ("0.0")."""
    locale = _locale(language)
    if locale is None:
        return f"{value:,}" if pattern is None else f"{value:.1f}"
    return str(format_decimal(value, format=pattern, locale=locale))


def signed_percent_label(percent: float, language: str) -> str:
    """+1,590% / +1.590 % / -50 %: a rounded change in percent, signed, as the language writes
    percentages; zero unsigned (the calculator's script, Intl's signDisplay "exceptZero")."""
    rounded = math.floor(percent + 0.5)  # half up, as the script's Math.round
    locale = _locale(language) or _locale("en")
    text = str(format_percent(rounded / 100, locale=locale))
    return f"{get_plus_sign_symbol(locale)}{text}" if rounded > 0 else text


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
