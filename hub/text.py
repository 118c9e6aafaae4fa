"""Shortening text for people to read: the one place that cuts a string.

Summaries, captions, digest lines and chart labels are all read by people who
may share them, so a cut never splits a grapheme (an emoji with its
modifiers, a Devanagari cluster), never a word in scripts that space words,
and prefers a sentence end. Chinese and Japanese have no spaces: there a
sentence mark (。！？) is the best place and any grapheme boundary the next.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

ELLIPSIS = "…"
_GRAPHEME = regex.compile(r"\X")
# A sentence ends after . ! ? (and their full-width forms) or a line break.
_SENTENCE = regex.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|(?<=[。！？])|\n+")
_SPACED = regex.compile(r"\s")
# Letters and digits of scripts that put spaces between words; CJK, Thai,
# Lao, Khmer and Myanmar do not, so any grapheme boundary there is a word's.
_WORD_CHAR = regex.compile(
    r"(?![\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}])[\p{L}\p{N}\p{M}]"
)
_LOOSE_END = " ,;:.-–—、，：；"

Measure = Callable[[str], int]


def graphemes(text: str) -> list[str]:
    """User-perceived characters: the unit Bluesky counts and cuts never split."""
    return _GRAPHEME.findall(text)


def grapheme_count(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def sentences(text: str) -> list[str]:
    """`text` split after each sentence end, each piece stripped, none empty."""
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def _join(head: str, sentence: str) -> str:
    if not head:
        return sentence
    if head.endswith(("。", "！", "？")):
        return head + sentence
    return f"{head} {sentence}"


def whole_sentences(text: str, limit: int, measure: Measure = grapheme_count) -> str:
    """The opening sentences of `text` that fit in `limit`, or "" if the first does not."""
    out = ""
    for sentence in sentences(text):
        candidate = _join(out, sentence)
        if measure(candidate) > limit:
            break
        out = candidate
    return out


def cut(text: str, limit: int, measure: Measure = grapheme_count, ellipsis: str = ELLIPSIS) -> str:
    """`text` within `limit`: unchanged if it fits, else cut where a reader would stop.

    Whole sentences when at least half the room holds them; otherwise the
    last whole word (the last whole grapheme in unspaced scripts) and an
    ellipsis. Never inside a grapheme.
    """
    if measure(text) <= limit:
        return text
    if limit <= 0:
        return ""
    kept = whole_sentences(text, limit, measure)
    if kept and measure(kept) * 2 >= limit:
        return kept
    room = limit - measure(ellipsis)
    if room <= 0:
        return ""
    clusters = graphemes(text)
    # Binary search the longest grapheme prefix that fits (measure is monotonic).
    lo, hi = 0, len(clusters)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure("".join(clusters[:mid])) <= room:
            lo = mid
        else:
            hi = mid - 1
    head = "".join(clusters[:lo])
    following = clusters[lo] if lo < len(clusters) else ""
    if _mid_word(head, following):
        space = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
        if space > 0:  # one word longer than the room is cut between graphemes
            head = head[:space]
    head = head.rstrip(_LOOSE_END + "\n\t")
    return head + ellipsis if head else ""


def _mid_word(head: str, following: str) -> bool:
    """True when the cut falls between two letters of a word in a spaced script."""
    if not head or not following:
        return False
    return bool(_WORD_CHAR.match(head[-1]) and _WORD_CHAR.match(following))


def lead(text: str, limit: int) -> str:
    """The opening of `text` as one paragraph of whole sentences within `limit` graphemes."""
    flat = " ".join(text.split())
    if grapheme_count(flat) <= limit:
        return flat
    return whole_sentences(flat, limit) or cut(flat, limit)
