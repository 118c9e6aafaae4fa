"""Which languages are written right to left: one list for cards, post pages and the digest.

Before this module the card drawer, the post page and the digest each kept
their own list, and the three disagreed (Dhivehi and Sorani were
right-to-left on a card but left-to-right on the page beside it). A BCP 47
tag decides by its script subtag when it has one (`sd-Deva` is Sindhi in
Devanagari, left to right; `az-Arab` is Azerbaijani in Arabic script, right
to left), else by its language.
"""

from __future__ import annotations

import re
from typing import Literal

from markupsafe import Markup, escape

# Languages whose default script is written right to left (CLDR likely
# subtags: each resolves to Arab, Hebr, Thaa or Syrc). "iw" is Hebrew's
# withdrawn code, still sent by some systems.
RTL_LANGUAGES = frozenset({
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi",
})

# ISO 15924 codes of right-to-left scripts in use (Unicode's bidi class R/AL).
RTL_SCRIPTS = frozenset({"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand", "samr"})


def is_rtl(language: str) -> bool:
    """True when text tagged `language` ("ar", "fa-IR", "ku-Arab", "he_IL") reads right to left."""
    parts = language.strip().replace("_", "-").lower().split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part in RTL_SCRIPTS
    return parts[0] in RTL_LANGUAGES


def direction_of(language: str) -> Literal["rtl", "ltr"]:
    """The HTML `dir` value for text tagged `language`."""
    return "rtl" if is_rtl(language) else "ltr"


# A hashtag in running text: "#" at the start or after a space or an opening
# mark, then the characters a hashtag may hold (hub.posts.schema's rule).
HASHTAG_IN_TEXT = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[{\"'«“]))#[^\s#!$%^&*+.,;:?/\\|<>()\[\]{}'\"`~=@]+"
)


def hashtags_isolated(text: str) -> Markup:
    """`text` escaped, each hashtag in a <bdi> so a right-to-left caption shows
    "#LifeAtAcme", not "LifeAtAcme#" (the "#" is a weak character the Unicode bidi
    algorithm would place by the Arabic around it).

    Markup, not isolate characters (U+2068/U+2069) in the text: the text itself
    (what Copy and the share links send, read by hub.js from textContent) stays
    exactly the caption, with no invisible characters that would break the
    hashtag on the network.
    """
    out: list[str] = []
    last = 0
    for found in HASHTAG_IN_TEXT.finditer(text):
        out.append(escape(text[last:found.start()]))
        out.append(f"<bdi>{escape(found.group(0))}</bdi>")
        last = found.end()
    out.append(escape(text[last:]))
    return Markup("".join(out))
