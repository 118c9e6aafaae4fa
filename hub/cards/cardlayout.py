"""Where every word of a card goes, as data, before a pixel is drawn.

The layout is computed by measuring text with the real fonts: titles wrap by
words in spaced scripts and between characters in Chinese and Japanese (with
the usual no-break-before-closing-punctuation rules), shrink within bounds,
and end with an ellipsis when they still do not fit. Right-to-left text is
reordered per line (a small subset of the Unicode bidi algorithm: two
levels, numbers kept left-to-right) and each run is shaped by Pillow's raqm.
Keeping the result as plain boxes lets tests check that nothing leaves the
safe margins without comparing pixels.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex
from fontTools import unicodedata as fontdata

from hub.cards.cardtext import CardText
from hub.cards.fonts import (
    Face,
    Family,
    Piece,
    pil_font,
    raqm_available,
    segment,
    strip_emoji,
    uncovered_scripts,
)
from hub.direction import is_rtl

ELLIPSIS = "…"
_CLUSTER = regex.compile(r"\X")
_CJK_SCRIPTS = frozenset({"Hani", "Hira", "Kana", "Bopo"})
# Kinsoku: never start a line with these, never end one with the opening ones.
_NO_START = frozenset(
    "、。，．・：；？！」』）】〕〉》〗〙〟’”ー…‥ゝゞヽヾ々"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.!?:;)]}%"
)
_NO_END = frozenset("「『（【〔〈《〖〘〝‘“([{")
# Scripts whose marks stack above and below: more space between lines.
_TALL = {"Arabic": 1.55, "Devanagari": 1.5, "Thai": 1.55, "CJK": 1.3}
_LEADING = 1.2
# Ink may reach past a glyph's advance (J, italics, Arabic swashes): lines are
# measured this much narrower and nudged back inside the margins.
_SLACK = 6
# Share of the free height put above a short title, so it sits a little above centre.
_TITLE_DROP = 0.35


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def inside(self, other: Box) -> bool:
        return (
            self.x0 >= other.x0 and self.y0 >= other.y0
            and self.x1 <= other.x1 and self.y1 <= other.y1
        )

    def overlaps(self, other: Box) -> bool:
        return not (
            self.x1 <= other.x0 or other.x1 <= self.x0
            or self.y1 <= other.y0 or other.y1 <= self.y0
        )

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0),
                   max(self.x1, other.x1), max(self.y1, other.y1))


@dataclass(frozen=True)
class Format:
    """A card size and its type scale."""

    name: str
    width: int
    height: int
    margin_x: int
    margin_y: int
    bar: int
    kicker: int
    title_max: int
    title_min: int
    details: int
    brand: int
    logo_height: int
    gap: int


LANDSCAPE = Format("landscape", 1200, 630, 72, 56, 14, 30, 68, 36, 30, 30, 44, 22)
SQUARE = Format("square", 1080, 1080, 84, 96, 16, 38, 92, 46, 36, 36, 56, 32)
FORMATS = {f.name: f for f in (LANDSCAPE, SQUARE)}


@dataclass(frozen=True)
class Run:
    """Text drawn in one call: one face, one direction, left edge x, on a baseline."""

    text: str
    face: Face
    size: int
    x: float
    baseline: float
    rtl: bool
    width: float
    ink: Box


@dataclass(frozen=True)
class Line:
    text: str
    runs: tuple[Run, ...]
    ink: Box


@dataclass(frozen=True)
class Block:
    role: str
    color: str
    size: int
    bold: bool
    rtl: bool
    lines: tuple[Line, ...]
    truncated: bool

    @property
    def text(self) -> str:
        """The words the block shows, in reading order (with its ellipsis if cut)."""
        return " ".join(line.text for line in self.lines)

    @property
    def ink(self) -> Box | None:
        boxes = [line.ink for line in self.lines if line.runs]
        if not boxes:
            return None
        out = boxes[0]
        for box in boxes[1:]:
            out = out.union(box)
        return out


@dataclass(frozen=True)
class Layout:
    fmt: Format
    rtl: bool
    safe: Box
    bar: Box
    blocks: tuple[Block, ...]
    logo: Box | None
    dropped: dict[str, str] = field(default_factory=dict)

    def block(self, role: str) -> Block | None:
        return next((b for b in self.blocks if b.role == role), None)


@dataclass(frozen=True)
class Style:
    """What the layout needs to know besides the words: fonts, colours, logo size."""

    families: tuple[Family, ...]
    language: str = "en"
    colors: tuple[tuple[str, str], ...] = (("kicker", "#FFFFFF"), ("text", "#FFFFFF"))
    logo_size: tuple[int, int] | None = None

    def color(self, role: str) -> str:
        return dict(self.colors)[role]


# ---- text measuring -------------------------------------------------------


def _cluster_dir(cluster: str) -> str:
    kind = unicodedata.bidirectional(cluster[0])
    if kind in ("R", "AL"):
        return "R"
    if kind == "AN":
        return "EN"
    return kind if kind in ("L", "EN", "CS", "ES", "ET") else "N"


def _resolve_numbers(kinds: list[str], base: str) -> list[str]:
    """Bidi rules W4, W5 and W7: 2.0, 10% and numbers after Latin read as Latin."""
    n = len(kinds)
    for i in range(1, n - 1):  # W4: one separator between digits joins them
        if kinds[i] in ("CS", "ES") and kinds[i - 1] == "EN" and kinds[i + 1] == "EN":
            kinds[i] = "EN"
    for i in range(n):  # W5: % and currency signs next to digits
        if kinds[i] == "ET" and (
            (i > 0 and kinds[i - 1] == "EN") or (i + 1 < n and kinds[i + 1] == "EN")
        ):
            kinds[i] = "EN"
    strong = base
    for i in range(n):  # W7: digits after Latin (or in a Latin paragraph) are Latin
        if kinds[i] in ("L", "R"):
            strong = kinds[i]
        elif kinds[i] == "EN" and strong == "L":
            kinds[i] = "L"
    return ["N" if k in ("CS", "ES", "ET") else k for k in kinds]


def first_strong_rtl(text: str) -> bool | None:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return None


def _visual(pieces: Sequence[Piece], base_rtl: bool) -> list[tuple[str, int, bool]]:
    """Runs (text, family, rtl) of one line in left-to-right drawing order."""
    clusters: list[tuple[str, int, str]] = []
    for piece in pieces:
        if piece.family is None:
            continue
        for cluster in _CLUSTER.findall(piece.text):
            clusters.append((cluster, piece.family, _cluster_dir(cluster)))
    base = "R" if base_rtl else "L"
    kinds = _resolve_numbers([d for _, _, d in clusters], base)
    # N1: for the spaces and punctuation between them, digits count as right-to-left.
    strong = [("R" if d == "EN" else d) if d != "N" else None for d in kinds]
    resolved: list[bool] = []
    for i, kind in enumerate(kinds):
        if kind == "L":
            resolved.append(False)
        elif kind == "R":
            resolved.append(True)
        elif kind == "EN":
            resolved.append(False)
        else:
            before = next((s for s in reversed(strong[:i]) if s), base)
            after = next((s for s in strong[i + 1:] if s), base)
            resolved.append((before if before == after else base) == "R")
    runs: list[tuple[str, int, bool]] = []
    for (cluster, family, _), rtl in zip(clusters, resolved, strict=True):
        if runs and runs[-1][1] == family and runs[-1][2] == rtl:
            runs[-1] = (runs[-1][0] + cluster, family, rtl)
        else:
            runs.append((cluster, family, rtl))
    return _reorder(runs, base_rtl)


def _reorder(runs: list[tuple[str, int, bool]], base_rtl: bool) -> list[tuple[str, int, bool]]:
    """Two-level bidi: reverse the runs against the base direction, keep the rest."""
    groups: list[list[tuple[str, int, bool]]] = []
    for run in runs:
        if groups and groups[-1][0][2] == run[2]:
            groups[-1].append(run)
        else:
            groups.append([run])
    if base_rtl:
        groups.reverse()
        return [run for group in groups for run in (reversed(group) if group[0][2] else group)]
    return [run for group in groups for run in (reversed(group) if group[0][2] else group)]


@functools.lru_cache(maxsize=65536)
def _run_width(text: str, face: Face, size: int, rtl: bool, language: str) -> float:
    font = pil_font(face, size)
    if raqm_available():
        return font.getlength(text, direction="rtl" if rtl else "ltr", language=language)
    return font.getlength(text)


def _run_ink(text: str, face: Face, size: int, rtl: bool, language: str) -> Box:
    """The run's ink relative to its left end on the baseline (only for placed lines)."""
    font = pil_font(face, size)
    if raqm_available():
        direction = "rtl" if rtl else "ltr"
        x0, y0, x1, y1 = font.getbbox(text, anchor="ls", direction=direction, language=language)
    else:
        x0, y0, x1, y1 = font.getbbox(text, anchor="ls")
    return Box(x0, y0, x1, y1)


def _basic_text(text: str, rtl: bool) -> str:
    """Without raqm, at least put right-to-left letters in visual order."""
    return "".join(reversed(_CLUSTER.findall(text))) if rtl else text


@functools.lru_cache(maxsize=65536)
def _shape(
    text: str, families: tuple[Family, ...], bold: bool, size: int, base_rtl: bool, language: str
) -> tuple[float, tuple[tuple[str, Face, bool, float], ...]]:
    """Width of a line and its visual runs (text, face, rtl, width)."""
    out = []
    total = 0.0
    for run_text, family, rtl in _visual(segment(text, families, bold), base_rtl):
        face = families[family].face(bold)
        if not raqm_available():
            run_text = _basic_text(run_text, rtl)
        width = _run_width(run_text, face, size, rtl, language)
        out.append((run_text, face, rtl, width))
        total += width
    return total, tuple(out)


def _leading(text: str, families: tuple[Family, ...], bold: bool) -> float:
    leading = _LEADING
    for piece in segment(text, families, bold):
        if piece.family is None:
            continue
        name = families[piece.family].face(bold).name
        for key, value in _TALL.items():
            if key in name:
                leading = max(leading, value)
    return leading


# ---- line breaking --------------------------------------------------------


def _is_cjk(cluster: str) -> bool:
    code = ord(cluster[0])
    if code < 0x2E80:
        return False
    return 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or _cjk_script(cluster[0])


@functools.lru_cache(maxsize=16384)
def _cjk_script(char: str) -> bool:
    return fontdata.script(char) in _CJK_SCRIPTS


def break_units(text: str) -> list[str]:
    """Pieces a line may break after (each keeps its trailing spaces)."""
    return list(_break_units(text))


@functools.lru_cache(maxsize=4096)
def _break_units(text: str) -> tuple[str, ...]:
    units: list[str] = []
    current = ""
    prev = ""
    for cluster in _CLUSTER.findall(text):
        space = cluster.isspace()
        breakable = bool(current) and not space and (
            prev.isspace()
            or ((_is_cjk(prev) or _is_cjk(cluster))
                and cluster not in _NO_START and prev not in _NO_END)
        )
        if breakable:
            units.append(current)
            current = ""
        current += cluster
        prev = cluster
    if current:
        units.append(current)
    return tuple(units)


class _Measure:
    def __init__(self, style: Style, bold: bool, size: int, base_rtl: bool) -> None:
        self.style = style
        self.bold = bold
        self.size = size
        self.base_rtl = base_rtl

    def width(self, text: str) -> float:
        return _shape(text, self.style.families, self.bold, self.size, self.base_rtl,
                      self.style.language)[0]


def wrap(text: str, measure: _Measure, max_width: float) -> tuple[list[str], bool]:
    """Greedy line filling by measured width; a unit wider than a line breaks between clusters.

    Also says whether a word had to be broken, so the caller can try a smaller size first.
    """
    broke = False
    lines: list[str] = []
    current = ""
    queue = deque(break_units(text))
    while queue:
        unit = queue.popleft()
        candidate = current + unit
        if measure.width(candidate.rstrip()) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current.rstrip())
            current = ""
            queue.appendleft(unit)
            continue
        clusters = _CLUSTER.findall(unit)
        if len(clusters) == 1:
            current = unit
            continue
        broke = True
        cut = len(clusters) - 1
        while cut > 1 and measure.width("".join(clusters[:cut]).rstrip()) > max_width:
            cut -= 1
        queue.appendleft("".join(clusters[cut:]))
        lines.append("".join(clusters[:cut]).rstrip())
    if current.strip():
        lines.append(current.rstrip())
    return lines, broke


def with_ellipsis(text: str, measure: _Measure, max_width: float) -> str:
    """The longest start of `text` that fits with an ellipsis, cut at a word if possible."""
    units = break_units(text)
    while units:
        candidate = "".join(units).rstrip() + ELLIPSIS
        if measure.width(candidate) <= max_width:
            return candidate
        if len(units) == 1:
            break
        units.pop()
    clusters = _CLUSTER.findall(units[0] if units else "")
    while clusters:
        candidate = "".join(clusters).rstrip() + ELLIPSIS
        if measure.width(candidate) <= max_width:
            return candidate
        clusters.pop()
    return ELLIPSIS


def fit_lines(
    text: str, measure: _Measure, max_width: float, max_lines: int
) -> tuple[list[str], bool, bool]:
    """Lines of at most `max_width`, the last one with an ellipsis when there are too many.

    Returns the lines, whether the text was cut, whether a word was broken.
    """
    lines, broke = wrap(text, measure, max_width)
    if len(lines) <= max_lines:
        return lines, False, broke
    keep = lines[: max_lines - 1]
    keep.append(with_ellipsis(lines[max_lines - 1], measure, max_width))
    return keep, True, broke


# ---- the card -------------------------------------------------------------


def _clean(text: str, families: tuple[Family, ...], bold: bool, dropped: dict[str, str]) -> str:
    """Text with emoji and characters no font covers removed (those are reported)."""
    text = strip_emoji(text)
    pieces = segment(text, families, bold)
    missing = uncovered_scripts(pieces)
    if not missing and all(p.family is not None for p in pieces):
        return text
    for script, example in missing.items():
        dropped.setdefault(script, example)
    return " ".join("".join(p.text for p in pieces if p.family is not None).split())


def _place(
    lines: Sequence[str], measure: _Measure, top: float, left: float, right: float,
    align_right: bool, pitch: float,
) -> tuple[tuple[Line, ...], float]:
    """Lines placed from `top`; returns them and the y just below the last one."""
    out = []
    size = measure.size
    baseline = top + (pitch - size) / 2 + 0.88 * size
    for text in lines:
        width, shaped = _shape(text, measure.style.families, measure.bold, size,
                               measure.base_rtl, measure.style.language)
        x = right - width if align_right else left
        runs = []
        ink: Box | None = None
        for run_text, face, rtl, run_width in shaped:
            box = _run_ink(run_text, face, size, rtl, measure.style.language)
            run_ink = Box(x + box.x0, baseline + box.y0, x + box.x1, baseline + box.y1)
            runs.append(Run(run_text, face, size, x, baseline, rtl, run_width, run_ink))
            if box.x1 > box.x0:
                ink = run_ink if ink is None else ink.union(run_ink)
            x += run_width
        shift = 0.0
        if ink is not None and ink.x0 < left:
            shift = left - ink.x0
        elif ink is not None and ink.x1 > right:
            shift = right - ink.x1
        if shift and ink is not None:
            runs = [_shifted(run, shift) for run in runs]
            ink = Box(ink.x0 + shift, ink.y0, ink.x1 + shift, ink.y1)
        out.append(Line(text, tuple(runs), ink or Box(left, baseline, left, baseline)))
        baseline += pitch
    return tuple(out), top + pitch * len(lines)


def _shifted(run: Run, dx: float) -> Run:
    ink = Box(run.ink.x0 + dx, run.ink.y0, run.ink.x1 + dx, run.ink.y1)
    return Run(run.text, run.face, run.size, run.x + dx, run.baseline, run.rtl, run.width, ink)


def _one_line_block(
    role: str, text: str, style: Style, size: int, bold: bool, rtl: bool, top: float,
    safe: Box, max_width: float, color: str,
) -> tuple[Block | None, float]:
    if not text:
        return None, top
    base = first_strong_rtl(text)
    base_rtl = rtl if base is None else base
    measure = _Measure(style, bold, size, base_rtl)
    lines, cut, _ = fit_lines(text, measure, max_width - _SLACK, 1)
    pitch = size * _leading(text, style.families, bold)
    left = safe.x1 - max_width if rtl else safe.x0
    placed, bottom = _place(lines, measure, top, left, left + max_width, rtl, pitch)
    return Block(role, color, size, bold, base_rtl, placed, cut), bottom


def layout(text: CardText, fmt: Format, style: Style) -> Layout:
    """Every block of a card placed inside the safe margins."""
    dropped: dict[str, str] = {}
    families = style.families
    kicker = _clean(text.kicker, families, True, dropped)
    title = _clean(text.title, families, True, dropped)
    details = _clean(text.details, families, False, dropped)
    brand = _clean(text.brand, families, True, dropped)
    base = first_strong_rtl(title)
    rtl = is_rtl(style.language) if base is None else base
    W, H = fmt.width, fmt.height
    safe = Box(fmt.margin_x, fmt.margin_y, W - fmt.margin_x, H - fmt.margin_y)
    bar = Box(W - fmt.bar, 0, W, H) if rtl else Box(0, 0, fmt.bar, H)
    width = safe.x1 - safe.x0
    blocks: list[Block] = []

    # Footer: the logo, or the brand name, on the reading-start side.
    logo_box = None
    footer_top = safe.y1
    if style.logo_size:
        lw, lh = style.logo_size
        scale = fmt.logo_height / lh
        w = min(lw * scale, width * 0.4)
        h = lh * (w / lw)
        x0 = safe.x1 - w if rtl else safe.x0
        logo_box = Box(round(x0), round(safe.y1 - h), round(x0 + w), round(safe.y1))
        footer_top = logo_box.y0
    elif brand:
        pitch = fmt.brand * _LEADING
        block, _ = _one_line_block("brand", brand, style, fmt.brand, True, rtl,
                                   safe.y1 - pitch, safe, width * 0.6, style.color("text"))
        if block:
            blocks.append(block)
            footer_top = safe.y1 - pitch

    kicker_block, y = _one_line_block("kicker", kicker, style, fmt.kicker, True, rtl, safe.y0,
                                      safe, width, style.color("kicker"))
    if kicker_block:
        blocks.append(kicker_block)
        y += fmt.gap

    details_pitch = fmt.details * _leading(details, families, False) if details else 0
    title_bottom = footer_top - fmt.gap - (details_pitch + fmt.gap * 0.5 if details else 0)
    if title:
        base_rtl = rtl if base is None else base
        leading = _leading(title, families, True)
        whole: tuple[int, list[str], bool] | None = None
        smallest: tuple[int, list[str], bool] | None = None
        for size in range(fmt.title_max, fmt.title_min - 1, -2):
            measure = _Measure(style, True, size, base_rtl)
            max_lines = max(1, int((title_bottom - y) // (size * leading)))
            lines, cut, broke = fit_lines(title, measure, width - _SLACK, max_lines)
            smallest = (size, lines, cut)
            if not cut and whole is None:
                whole = smallest
            if not cut and not broke:
                whole = smallest
                break
        size, lines, cut = whole or smallest  # type: ignore[misc]
        measure = _Measure(style, True, size, base_rtl)
        spare = title_bottom - y - size * leading * len(lines)
        y += max(0.0, spare) * _TITLE_DROP
        placed, y = _place(lines, measure, y, safe.x0, safe.x1, rtl, size * leading)
        blocks.append(Block("title", style.color("text"), size, True, base_rtl, placed, cut))
        y += fmt.gap * 0.5
    if details:
        block, _ = _one_line_block("details", details, style, fmt.details, False, rtl, y, safe,
                                   width, style.color("text"))
        if block:
            blocks.append(block)
    return Layout(fmt, rtl, safe, bar, tuple(blocks), logo_box, dropped)
