"""The hub's own words (share panel, badges, card downloads, navigation) in a page's language.

The posts come in many languages and their cards are drawn in them; the
words around a post must follow, or an Arabic post is shared from an
English panel. The words live in gettext catalogs (hub/site/locale/<lang>/
LC_MESSAGES/hub.po, read with Babel, the Python ecosystem's standard), so a
translator edits a .po file, not code. The .po files are read as they are
(no compiled .mo to fall out of step); a language without a catalog, or a
word missing from one, falls back to English. Dates go through Babel's
CLDR data for the same language. Material's own words follow theme.language.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.pofile import read_po


LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "hub"


def base_language(language: str) -> str:
    """`zh-Hant-TW` -> `zh`: the catalogs are per language, not per region or script."""
    return (language or "en").replace("_", "-").split("-")[0].lower()


def languages() -> list[str]:
    """The languages that have a catalog, sorted."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


@cache
def catalog(language: str) -> dict[str, str]:
    """msgid -> translation for one language ({} when it has no catalog)."""
    path = LOCALE_DIR / base_language(language) / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, domain=DOMAIN)
    return {
        str(m.id): str(m.string)
        for m in po
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def gettext(language: str, message: str) -> str:
    """The message in the language, or the English message when it is not translated."""
    return catalog(language).get(message, message)




def date_text(value: dt.date, language: str) -> str:
    """A day as a reader of the language writes it ("1 de desembre de 2026", "2026年12月1日")."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    return format_date(value, format="long", locale=locale)


def isolate(text: str) -> str:
    """Text wrapped in Unicode first-strong isolates (FSI ... PDI).

    For strings that cannot carry `<bdi>` (titles, aria labels, captions
    copied to the clipboard): "(1) العربية" and "#LifeAtAcme" keep their
    order inside a right-to-left line, and vice versa.
    """
    return f"\u2068{text}\u2069"
