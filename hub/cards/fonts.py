"""Which font draws which character on a card.

Pillow has no font fallback: a font without a glyph draws a box. So the cards
keep an ordered chain of faces (comms' own brand fonts first, then the Noto
fonts shipped in hub/data/fonts and the CJK collection from the
`noto-cjk-sans-otc` package) and give every grapheme cluster to the first
face whose character map has it. Emoji are dropped before that: no colour
emoji font is shipped, and a dropped emoji reads better than a tofu box.

Coverage comes from each face's cmap (read once per process with fontTools),
not from drawing and comparing glyphs, so it is exact and cheap.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex
from fontTools import unicodedata as fontdata
from fontTools.ttLib import TTFont
from PIL import ImageFont, features

log = logging.getLogger("hub.cards.fonts")

SHIPPED = Path(__file__).parent.parent / "data" / "fonts"

# Shipped families, in fallback order; CJK and symbols are appended per language.
_SHIPPED_FAMILIES = ("NotoSans", "NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari",
                     "NotoSansThai")

# Face index inside NotoSansCJK-Regular.ttc, by the post's language.
_CJK_INDEX = {"ja": 0, "ko": 1, "zh": 2, "zh-tw": 3, "zh-hant": 3, "zh-hk": 4, "zh-mo": 4}

# Characters that never need a glyph of their own: they join or select forms.
_JOINERS = frozenset({0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF}) | frozenset(
    range(0xFE00, 0xFE10)
)

_EMOJI = regex.compile(
    r"[\U0001F1E6-\U0001F1FF]"  # regional indicators (flags)
    r"|\p{Emoji_Presentation}[\U0001F3FB-\U0001F3FF]?"
    r"|\p{Extended_Pictographic}\uFE0F"
    r"|[\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F\u20E3]"
)
_CLUSTER = regex.compile(r"\X")


@dataclass(frozen=True, order=True)
class Face:
    """One font file (and face index inside a collection)."""

    path: str
    index: int = 0

    @property
    def name(self) -> str:
        stem = Path(self.path).stem
        return f"{stem}#{self.index}" if self.path.endswith((".ttc", ".otc")) else stem


@dataclass(frozen=True)
class Family:
    """A regular and a bold face that cover the same characters."""

    regular: Face
    bold: Face

    def face(self, bold: bool) -> Face:
        return self.bold if bold else self.regular


def raqm_available() -> bool:
    return bool(features.check("raqm"))


@functools.cache
def warn_if_no_raqm() -> bool:
    """Say once per process when Pillow cannot shape complex scripts."""
    if raqm_available():
        return True
    log.warning(
        "Pillow's text layout library raqm is not usable here (it needs libfribidi: on Debian "
        "`apt-get install libfribidi0`, or build Pillow with libraqm); cards in Arabic and "
        "Hebrew will be drawn unjoined and backwards, Devanagari and Thai without shaping"
    )
    return False


def cjk_collection() -> Path | None:
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(noto_cjk_sans_otc.__file__).parent / "NotoSansCJK-Regular.ttc"
    return path if path.is_file() else None


def _lang_key(language: str) -> str:
    return language.lower().replace("_", "-")


def chain(language: str = "en", brand_fonts: Sequence[Path] = ()) -> tuple[Family, ...]:
    """The fallback chain for a post's language: brand fonts, shipped Noto, CJK, symbols."""
    families = [Family(Face(str(p)), Face(str(p))) for p in brand_fonts]
    for name in _SHIPPED_FAMILIES:
        regular, bold = SHIPPED / f"{name}-Regular.ttf", SHIPPED / f"{name}-Bold.ttf"
        families.append(Family(Face(str(regular)), Face(str(bold))))
    cjk = cjk_collection()
    if cjk is not None:
        key = _lang_key(language)
        index = _CJK_INDEX.get(key, _CJK_INDEX.get(key.split("-")[0], 2))
        families.append(Family(Face(str(cjk), index), Face(str(cjk), index)))
    symbols = Face(str(SHIPPED / "NotoSansSymbols2-Regular.ttf"))
    families.append(Family(symbols, symbols))
    return tuple(families)


@functools.cache
def coverage(face: Face) -> frozenset[int]:
    """Code points the face has a glyph for (its best cmap)."""
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    try:
        return frozenset(font.getBestCmap() or ())
    finally:
        font.close()


@functools.cache
def pil_font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """A Pillow font per face and size, kept for the life of the process (one per worker)."""
    engine = ImageFont.Layout.RAQM if raqm_available() else ImageFont.Layout.BASIC
    return ImageFont.truetype(face.path, size, index=face.index, layout_engine=engine)


def file_digest(paths: Iterable[str]) -> str:
    """A fingerprint of font files' bytes, so a changed font redraws its cards."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(path.encode())
        with open(path, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def strip_emoji(text: str) -> str:
    """Text without emoji, joiners left dangling by them, or doubled spaces."""
    cleaned = _EMOJI.sub("", text)
    cleaned = regex.sub(r"\u200D(?=\s|$)|(?<=\s|^)\u200D|\uFE0F", "", cleaned)
    return " ".join(cleaned.split())


def script_of(char: str) -> str:
    return fontdata.script_name(fontdata.script(char))


def _neutral(char: str) -> bool:
    return fontdata.script(char) in ("Zyyy", "Zinh")


@dataclass(frozen=True)
class Piece:
    """A stretch of text drawn with one face (face None: nothing covers it)."""

    text: str
    family: int | None


def _covers(cov: frozenset[int], cluster: str) -> bool:
    return all(ord(c) in cov or ord(c) in _JOINERS for c in cluster)


@functools.cache
def _clusters_of(families: tuple[Family, ...], bold: bool) -> dict[str, tuple[int | None, bool]]:
    """Per chain: cluster -> (first family that draws it, is it script-neutral); filled lazily."""
    return {}


def _classify(
    cluster: str, families: tuple[Family, ...], bold: bool
) -> tuple[int | None, bool]:
    covs = [coverage(f.face(bold)) for f in families]
    first = next((i for i, cov in enumerate(covs) if _covers(cov, cluster)), None)
    if first is None:
        first = next((i for i, cov in enumerate(covs) if ord(cluster[0]) in cov), None)
    return first, _neutral(cluster[0])


def segment(text: str, families: Sequence[Family], bold: bool = False) -> list[Piece]:
    """Split text into pieces, each drawn by the first family that has all its glyphs.

    Spaces, digits and punctuation stay with the face before them when it has
    them, so an Arabic comma is drawn in Arabic and a CJK full stop in CJK.
    """
    families = tuple(families)
    known = _clusters_of(families, bold)
    pieces: list[Piece] = []
    current: int | None = -1
    buf: list[str] = []
    for cluster in _CLUSTER.findall(text):
        info = known.get(cluster)
        if info is None:
            info = known[cluster] = _classify(cluster, families, bold)
        first, neutral = info
        if neutral and current is not None and current >= 0 and _covers(
            coverage(families[current].face(bold)), cluster
        ):
            choice: int | None = current
        else:
            choice = first
        if choice != current and buf:
            pieces.append(Piece("".join(buf), current))
            buf = []
        current = choice
        buf.append(cluster)
    if buf:
        pieces.append(Piece("".join(buf), current))
    return pieces


def uncovered_scripts(pieces: Iterable[Piece]) -> dict[str, str]:
    """Script name -> an example character, for text that no face covers."""
    out: dict[str, str] = {}
    for piece in pieces:
        if piece.family is None:
            for char in piece.text:
                if not unicodedata.category(char).startswith(("Z", "C", "M")):
                    out.setdefault(script_of(char), char)
    return out
