"""Every item's language, where neither the item nor hub.yml says.

Most job systems state no language and many blogs declare one channel
language for posts in several, so captions would come out in the wrong
language. Here the title and lead are run through py3langid (a naive Bayes model over byte
n-grams that ships inside its 4 MB wheel: no download at run time, same text
-> same answer). On the labelled set in tests/data/language/ it was both more
accurate and ten times cheaper than lingua-language-detector, and
fasttext-langdetect downloads its model on first use (see
scripts/bench_language.py).

The rules, in order:
1. A feed's `language:` in hub.yml forces it.
2. A language the item itself declares (xml:lang, a posting's own field) is
   kept, whether or not it has a caption catalog.
3. An item whose only declaration is the channel's keeps it unless its text
   clearly disagrees: at least MIN_LETTERS letters and the detector at least
   SURE of another language that has a caption catalog. A short or mixed
   title never flips a declared feed.
4. An undeclared item gets a detected language that has a caption catalog
   (hub.posts.captions) when the detector is at least DETECT_CONFIDENCE sure.
5. A detected language without a caption catalog is never returned: the
   item falls back, to the channel's language where the feed declares one,
   else to none, so the post takes the hub's default (`en`), as issue 14
   asks ("only for languages with a caption catalog or the fallback").
   Detection only chooses among caption languages it is sure of; a language
   it cannot caption is for a person to set (`language:` on the feed).
The detector is still asked among CANDIDATES, not only the catalog
languages, so Portuguese is recognised as Portuguese (and falls back)
instead of being forced into Spanish and getting Spanish captions.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import unicodedata
from typing import Any

from hub.config import FeedConfig
from hub.feeds.parse import Item

log = logging.getLogger("hub.feeds.language")

MIN_LETTERS = 20
DETECT_CONFIDENCE = 0.5
SURE = 0.9
LEAD_CHARS = 200
# Languages the detector chooses among (ISO 639-1): the caption catalogs plus
# the languages most often mistaken for them or met in company feeds.
CANDIDATES = (
    "ar", "ca", "cs", "da", "de", "el", "en", "es", "fi", "fr", "he", "hi", "hu", "id",
    "it", "ja", "ko", "ms", "nl", "nb", "pl", "pt", "ro", "ru", "sv", "th", "tr", "uk",
    "vi", "zh",
)  # fmt: skip


def catalogs() -> frozenset[str]:
    """Languages with their own caption wording (hub.posts.captions)."""
    from hub.posts.captions import TEMPLATES

    return frozenset(TEMPLATES)


@functools.cache
def _identifier() -> Any:  # py3langid's own identifier type (untyped)
    import py3langid

    identifier = py3langid.langid.LanguageIdentifier.from_model_file(
        py3langid.langid.MODEL_FILE, norm_probs=True
    )
    # py3langid names Norwegian Bokmål "no".
    identifier.set_languages(["no" if c == "nb" else c for c in CANDIDATES])
    return identifier


def _letters(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch).startswith("L"))


def detect(text: str) -> tuple[str | None, float]:
    """The most likely language of `text` (ISO 639-1) and the detector's confidence."""
    if not text.strip():
        return None, 0.0
    found, confidence = _identifier().classify(text)
    return ("nb" if found == "no" else str(found)), float(confidence)


def item_text(item: Item) -> str:
    return f"{item.title}. {(item.summary or '')[:LEAD_CHARS]}".strip(". ")


def choose(
    text: str, declared: str | None, forced: str | None, own: bool, known: frozenset[str]
) -> str | None:
    """The language an item gets (see the module's rules); pure, for the tests."""
    if forced:
        return forced
    if declared and own:
        return declared
    letters = _letters(text)
    if letters == 0:
        return declared
    found, confidence = detect(text)
    if found not in known:
        return declared  # rule 5: no catalog, no detected language
    if declared:
        base = declared.split("-")[0].lower()
        sure = letters >= MIN_LETTERS and confidence >= SURE
        return found if sure and found != base else declared
    return found if confidence >= DETECT_CONFIDENCE else None


def settle(item: Item, feed: FeedConfig, channel: str | None) -> Item:
    """The item with its language decided.

    `channel` is the feed's one declared language: an item whose language
    equals it is taken as declaring nothing of its own (RSS items inherit
    the channel's), so it is the one case the text may overrule.
    """
    language = choose(
        item_text(item),
        declared=item.language if item.language != feed.language else None,
        forced=feed.language,
        own=item.language is not None and item.language != channel,
        known=catalogs(),
    )
    if language == item.language:
        return item
    if item.language and language != item.language:
        log.info("%s: %s: language %s (text), not %s", feed.name, item.id, language, item.language)
    return dataclasses.replace(item, language=language)
