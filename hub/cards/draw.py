"""Social cards: a branded 1200x630 and 1080x1080 PNG for every post.

`draw_all` is what the site build and `advocacy-hub cards` call. It is
incremental: each card's cache key hashes everything the picture is made
from (its words, language, colours, logo, picture bytes, font files, this
code and Pillow's version), kept in `<cards>/.manifest.json`; a rebuild draws
only cards whose key changed, and losing the manifest only costs a redraw.
Cold runs spread cards over processes that keep their fonts loaded.

Files: `<cards>/<slug>.png` and `<slug>-square.png`, slug = the post file's
stem, as the `image`/`image_square` fields say. When comms point `image` (or
`image_square`) at a file of their own, that card is not drawn (and a card
drawn earlier for it is removed): theirs is the one shared. The cards folder
is generated and gitignored; only files listed in the manifest are ever
deleted.

Drawing uses a palette from the start: text is rasterised as antialiasing
masks, one per colour, turned into palette indices (16 levels per colour),
so a plain card needs no quantising and saves as a small indexed PNG. A card
over a picture is composed in RGB and quantised.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import time
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, cast

import PIL
from PIL import Image, ImageChops, ImageDraw, ImageOps

from hub.cards import cardlayout, cardstyle, cardtext, fonts
from hub.cards.cardlayout import FORMATS, Layout, Style
from hub.cards.cardstyle import Palette
from hub.cards.cardtext import CardText, card_text
from hub.config import BrandConfig, HttpConfig, load_config
from hub.files import write_atomic
from hub.posts import schema as posts

log = logging.getLogger("hub.cards.draw")

MANIFEST = ".manifest.json"
RETRY_PICTURES_AFTER = 24 * 3600  # seconds before a picture that failed is fetched again
# Every post field a card (and `card_text`) reads.
CARD_FIELDS = (
    "title", "category", "language", "author", "location", "job_type", "date", "picture",
    "image", "image_square",
)
PICTURES = ".pictures"
LEVELS = 16  # antialiasing levels per text colour in the palette
MAX_PICTURE_PIXELS = 40_000_000


def code_version() -> str:
    """A hash of the code that decides what a card looks like, and the engine that draws it."""
    digest = hashlib.sha256()
    for module in (cardlayout, cardstyle, cardtext, fonts):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(f"{PIL.__version__} raqm={fonts.raqm_available()}".encode())
    return digest.hexdigest()[:16]


# ---- drawing (runs in the workers) ------------------------------------------


@dataclass(frozen=True)
class CardJob:
    """Everything one worker needs to draw one card; small and picklable."""

    slug: str
    fmt: str
    out: str
    text: CardText
    language: str
    palette: Palette
    brand_fonts: tuple[str, ...] = ()
    logo: str | None = None
    picture: str | None = None
    key: str = ""


@dataclass(frozen=True)
class CardResult:
    slug: str
    fmt: str
    key: str
    size: int = 0
    dropped: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def _blend(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


@functools.lru_cache(maxsize=8)
def _logo(path: str) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGBA")


def _draw_masks(layout: Layout) -> dict[str, Image.Image]:
    """One antialiasing mask per text colour, all blocks drawn."""
    size = (layout.fmt.width, layout.fmt.height)
    masks: dict[str, Image.Image] = {}
    raqm = fonts.raqm_available()
    for block in layout.blocks:
        mask = masks.get(block.color)
        if mask is None:
            mask = masks[block.color] = Image.new("L", size, 0)
        draw = ImageDraw.Draw(mask)
        for line in block.lines:
            for run in line.runs:
                font = fonts.pil_font(run.face, run.size)
                if raqm:
                    draw.text((run.x, run.baseline), run.text, fill=255, font=font, anchor="ls",
                              direction="rtl" if run.rtl else "ltr")
                else:
                    draw.text((run.x, run.baseline), run.text, fill=255, font=font, anchor="ls")
    return masks


def _logo_fitted(layout: Layout, logo: str | None) -> Image.Image | None:
    if not logo or layout.logo is None:
        return None
    box = layout.logo
    return _logo_resized(logo, (int(box.x1 - box.x0), int(box.y1 - box.y0)))


@functools.lru_cache(maxsize=8)
def _logo_resized(logo: str, size: tuple[int, int]) -> Image.Image:
    return _logo(logo).resize(size, Image.Resampling.LANCZOS)


@functools.lru_cache(maxsize=16)
def _logo_indexed(
    logo: str, size: tuple[int, int], bg: tuple[int, int, int]
) -> tuple[list[tuple[int, int, int]], Image.Image]:
    """The logo flattened on the background as up to 48 palette colours (0-based indices)."""
    fitted = _logo_resized(logo, size)
    flat = Image.new("RGB", fitted.size, bg)
    flat.paste(fitted, mask=fitted.getchannel("A"))
    quant = flat.quantize(colors=48, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette = quant.getpalette() or []
    used = int(cast("tuple[int, int]", quant.getextrema())[1]) + 1
    colors = [tuple(palette[i * 3:i * 3 + 3]) for i in range(used)]
    return colors, Image.frombytes("L", quant.size, quant.tobytes())  # type: ignore[return-value]


def render_plain(layout: Layout, palette: Palette, logo: str | None = None) -> Image.Image:
    """A card on a flat background, drawn straight into palette indices."""
    W, H = layout.fmt.width, layout.fmt.height
    bg = cardstyle.rgb(palette.background)
    colors: list[tuple[int, int, int]] = [bg, cardstyle.rgb(palette.bar)]
    index = Image.new("L", (W, H), 0)
    ImageDraw.Draw(index).rectangle(
        (layout.bar.x0, layout.bar.y0, layout.bar.x1 - 1, layout.bar.y1 - 1), fill=1
    )
    for color, mask in _draw_masks(layout).items():
        start = len(colors)
        ink = cardstyle.rgb(color)
        colors.extend(_blend(bg, ink, level / (LEVELS - 1)) for level in range(1, LEVELS))
        levels = [round(v * (LEVELS - 1) / 255) for v in range(256)]
        lut = [start + level - 1 if level else 0 for level in levels]
        index = ImageChops.lighter(index, mask.point(lut))
    if logo and layout.logo is not None:
        box = layout.logo
        logo_colors, indices = _logo_indexed(logo, (int(box.x1 - box.x0), int(box.y1 - box.y0)), bg)
        start = len(colors)
        colors.extend(logo_colors)
        index.paste(indices.point(lambda v: v + start), (int(box.x0), int(box.y0)))
    card = Image.frombytes("P", (W, H), index.tobytes())
    card.putpalette([c for rgb in colors for c in rgb])
    return card


def _cover(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    picture = ImageOps.exif_transpose(picture) or picture
    return ImageOps.fit(picture.convert("RGB"), size, Image.Resampling.BILINEAR)


def load_picture(path: str, size: tuple[int, int]) -> Image.Image:
    """A picture scaled to cover the card; raises ValueError with the reason if unusable."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                if image.width * image.height > MAX_PICTURE_PIXELS:
                    raise ValueError(f"{image.width}x{image.height} pixels is too large")
                image.draft("RGB", (size[0], size[1]))
                return _cover(image, size)
        except (OSError, SyntaxError, Image.DecompressionBombError,
                Image.DecompressionBombWarning) as exc:
            raise ValueError(f"not an image Pillow can read ({exc.__class__.__name__})") from None


def brightest(picture: Image.Image) -> int:
    return max(high for _, high in picture.getextrema())  # type: ignore[misc]


def render_picture(
    layout: Layout, palette: Palette, picture: Image.Image, logo: str | None = None
) -> Image.Image:
    """A card over a darkened picture (scrim from the palette), quantised to 128 colours."""
    card = Image.blend(picture, Image.new("RGB", picture.size, (0, 0, 0)), palette.scrim)
    draw = ImageDraw.Draw(card)
    draw.rectangle((layout.bar.x0, layout.bar.y0, layout.bar.x1 - 1, layout.bar.y1 - 1),
                   fill=palette.bar)
    for color, mask in _draw_masks(layout).items():
        card.paste(color, mask=mask)
    fitted = _logo_fitted(layout, logo)
    if fitted is not None and layout.logo is not None:
        card.paste(fitted, (int(layout.logo.x0), int(layout.logo.y0)), fitted.getchannel("A"))
    return card.quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def _style(job: CardJob) -> Style:
    families = fonts.chain(job.language, [Path(p) for p in job.brand_fonts])
    logo_size = None
    if job.logo:
        logo_size = _logo(job.logo).size
    return Style(
        families,
        job.language,
        (("kicker", job.palette.kicker), ("text", job.palette.text)),
        logo_size,
    )


def draw_card(job: CardJob) -> tuple[Image.Image, Layout, str | None]:
    """The card image and its layout; a picture that cannot be used is reported, not fatal."""
    fmt = FORMATS[job.fmt]
    style = _style(job)
    size = (fmt.width, fmt.height)
    problem = None
    if job.picture:
        try:
            picture = load_picture(job.picture, size)
        except ValueError as exc:
            problem = f"picture {exc}; drawn on the plain background"
        else:
            layout = cardlayout.layout(job.text, fmt, style)
            return render_picture(layout, job.palette, picture, job.logo), layout, None
    layout = cardlayout.layout(job.text, fmt, style)
    return render_plain(layout, job.palette, job.logo), layout, problem


def encode(card: Image.Image) -> bytes:
    out = BytesIO()
    card.save(out, "PNG", compress_level=3)  # level 6 saves ~4 KB a card for twice the time
    return out.getvalue()


def run_job(job: CardJob) -> CardResult:
    """Draw one card to its file (worker entry point)."""
    try:
        card, layout, problem = draw_card(job)
        blob = encode(card)
        write_atomic(Path(job.out), blob, durable=False)
    except Exception as exc:  # one bad card must not stop the others
        return CardResult(job.slug, job.fmt, "", problem=f"could not draw the card: {exc}")
    return CardResult(job.slug, job.fmt, job.key, len(blob), layout.dropped, problem)


def _worker_init() -> None:
    for family in fonts.chain("en")[:1]:
        fonts.coverage(family.regular)
        fonts.coverage(family.bold)


# ---- planning (parent process) ------------------------------------------------


@dataclass
class CardsReport:
    drawn: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    warnings: list[str] = field(default_factory=list)


def _sha_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class _Manifest:
    """The cache: card keys per slug, fetched pictures, local file hashes."""

    def __init__(self, cards_dir: Path) -> None:
        self.path = cards_dir / MANIFEST
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        self.cards: dict[str, dict[str, Any]] = data.get("cards", {})
        self.pictures: dict[str, str] = data.get("pictures", {})
        self.files: dict[str, list[Any]] = data.get("files", {})
        self.posts: dict[str, list[Any]] = data.get("posts", {})
        self.failed: dict[str, float] = data.get("failed", {})
        self.seen_posts: set[str] = set()

    def card_meta(self, path: Path) -> dict[str, Any]:
        """The fields a card is made from, re-read only when the post file changed.

        Keyed by (size, mtime): this cache is local (never committed), so
        mtimes are this machine's own; a warm run parses no YAML at all.
        """
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        key = str(path)
        self.seen_posts.add(key)
        known = self.posts.get(key)
        if known and known[:2] == stamp:
            return dict(known[2])
        meta = posts.read(path).meta
        fields = {k: meta[k] for k in CARD_FIELDS if meta.get(k) is not None}
        self.posts[key] = [*stamp, fields]
        return fields

    def file_hash(self, path: Path) -> str:
        """sha256 of a file, remembered by (size, mtime) so warm runs read nothing."""
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        known = self.files.get(str(path))
        if known and known[:2] == stamp:
            return str(known[2])
        digest = _sha_file(path)
        self.files[str(path)] = [*stamp, digest]
        return digest

    def save(self) -> None:
        blob = json.dumps(
            {
                "cards": self.cards,
                "pictures": self.pictures,
                "files": self.files,
                "posts": {k: v for k, v in self.posts.items() if k in self.seen_posts},
                "failed": self.failed,
            },
            sort_keys=True, ensure_ascii=False, indent=0,
        )
        write_atomic(self.path, blob, durable=False)


def _resolve_logo(brand: BrandConfig, root: Path, report: CardsReport) -> Path | None:
    if not brand.logo:
        return None
    path = (root / brand.logo).resolve()
    if path.suffix.lower() == ".svg":
        path = path.with_suffix(".png")
    if path.is_file():
        return path
    report.warnings.append(
        f"hub.yml brand.logo: {brand.logo} has no PNG to draw ({path} not found); "
        "cards show the brand name instead: add a PNG of the logo"
    )
    return None


def _brand_fonts(brand: BrandConfig, root: Path, report: CardsReport) -> tuple[str, ...]:
    out = []
    for entry in brand.fonts:
        path = (root / entry).resolve()
        if path.is_file() and path.suffix.lower() in (".ttf", ".otf", ".ttc"):
            out.append(str(path))
        else:
            report.warnings.append(
                f"hub.yml brand.fonts: {entry!r} is not a font file next to hub.yml; cards use "
                "the shipped Noto fonts instead: give the path of a .ttf or .otf file"
            )
    return tuple(out)


def _picture_file(
    source: str, content_dir: Path, cards_dir: Path, manifest: _Manifest,
    http: HttpConfig | None, where: str, report: CardsReport,
) -> Path | None:
    """The local file holding a post's picture (downloaded once, then reused)."""
    if source.startswith(("http://", "https://")):
        name = hashlib.sha256(source.encode()).hexdigest()[:32]
        path = cards_dir / PICTURES / name
        if manifest.pictures.get(source) == name and path.is_file():
            return path
        failed_at = manifest.failed.get(source)
        if failed_at is not None and time.time() - failed_at < RETRY_PICTURES_AFTER:
            report.warnings.append(
                f"{where}: picture {source} not used: it failed less than a day ago "
                f"(delete {manifest.path} to try again now)"
            )
            return None
        try:
            from hub.feeds.fetch import FetchError, fetch_image
        except ImportError:
            report.warnings.append(f"{where}: picture {source} not fetched (hub.fetch missing)")
            return None
        try:
            blob = fetch_image(source, http or HttpConfig())
        except FetchError as exc:
            report.warnings.append(f"{where}: picture not used: {exc}")
            manifest.failed[source] = time.time()
            return None
        manifest.failed.pop(source, None)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, blob, durable=False)
        manifest.pictures[source] = name
        return path
    if ":" in source.split("/")[0]:
        report.warnings.append(
            f"{where}: picture {source!r} is neither an http(s) URL nor a path inside content/; "
            "drawn without it"
        )
        return None
    path = (content_dir / source).resolve()
    if not path.is_relative_to(content_dir.resolve()) or not path.is_file():
        report.warnings.append(
            f"{where}: picture {source!r} not found inside content/; drawn without it: "
            "give a path relative to content/ or an http(s) URL"
        )
        return None
    return path


def _wanted(meta: dict[str, Any], slug: str) -> list[str]:
    """Formats to draw: not the ones comms replaced with a file of their own."""
    out = []
    for fmt, fieldname in (("landscape", "image"), ("square", "image_square")):
        own = meta.get(fieldname)
        if not own or str(own).lstrip("/") == posts.card_path(slug, fmt):
            out.append(fmt)
    return out


def _key(parts: dict[str, Any]) -> str:
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


def plan(
    posts_dir: Path, cards_dir: Path, brand: BrandConfig, *, force: bool = False,
    http: HttpConfig | None = None, root: Path | None = None,
) -> tuple[list[CardJob], _Manifest, CardsReport, dict[str, dict[str, Any]]]:
    """Which cards need drawing, and the manifest entries the run will leave."""
    report = CardsReport()
    root = root or posts_dir.parent.parent
    content_dir = posts_dir.parent
    manifest = _Manifest(cards_dir)
    logo = _resolve_logo(brand, root, report)
    brand_fonts = _brand_fonts(brand, root, report)
    shipped = sorted(str(p) for p in fonts.SHIPPED.glob("*.tt[fc]"))
    cjk = fonts.cjk_collection()
    font_files = [*brand_fonts, *shipped, *([str(cjk)] if cjk else [])]
    base = {
        "code": code_version(),
        "fonts": _key({p: manifest.file_hash(Path(p)) for p in font_files}),
        "logo": manifest.file_hash(logo) if logo else None,
    }
    jobs: list[CardJob] = []
    entries: dict[str, dict[str, Any]] = {}
    seen: dict[str, Path] = {}
    for path in posts.iter_posts(posts_dir):
        slug = path.stem
        if slug in seen:
            report.warnings.append(
                f"{path}: same file name as {seen[slug]}; its card would overwrite the other: "
                "rename one of them"
            )
            continue
        seen[slug] = path
        try:
            meta = manifest.card_meta(path)
        except (ValueError, OSError, UnicodeDecodeError) as exc:
            report.warnings.append(f"{exc}; no card drawn" if isinstance(exc, ValueError)
                                   else f"{path}: cannot read ({exc}); no card drawn")
            continue
        text = card_text(meta, brand)
        language = str(meta.get("language") or "en")
        category = str(meta.get("category") or "blog")
        picture = None
        if brand.card.pictures and meta.get("picture"):
            picture = _picture_file(str(meta["picture"]), content_dir, cards_dir, manifest, http,
                                    str(path), report)
        palette, problems = cardstyle.plain(brand, category)
        report.warnings.extend(problems)
        picture_hash = manifest.file_hash(picture) if picture else None
        if picture is not None:
            try:
                bright = brightest(load_picture(str(picture), (120, 63)))
            except ValueError as exc:
                report.warnings.append(f"{path}: picture {exc}; drawn on the plain background")
                picture = picture_hash = None
            else:
                palette = cardstyle.over_picture(brand, bright)
        entry: dict[str, Any] = {}
        for fmt in _wanted(meta, slug):
            key = _key({**base, "fmt": fmt, "text": asdict(text), "language": language,
                        "palette": asdict(palette), "picture": picture_hash,
                        "brand_fonts": brand_fonts})
            out = cards_dir / f"{slug}{posts.CARD_SUFFIX[fmt]}"
            entry[fmt] = key
            old = manifest.cards.get(slug, {})
            if not force and old.get(fmt) == key and out.is_file():
                report.unchanged += 1
                continue
            jobs.append(CardJob(slug, fmt, str(out), text, language, palette, brand_fonts,
                                str(logo) if logo else None, str(picture) if picture else None,
                                key))
        entries[slug] = entry
    return jobs, manifest, report, entries


def _run(jobs: Sequence[CardJob], workers: int) -> list[CardResult]:
    if workers <= 1 or len(jobs) < 4 * workers:
        return [run_job(job) for job in jobs]
    chunk = max(1, min(32, len(jobs) // (workers * 4)))
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_init
    ) as pool:
        return list(pool.map(run_job, jobs, chunksize=chunk))


def draw_all(
    posts_dir: Path, cards_dir: Path, brand: BrandConfig, *, jobs: int = 0, force: bool = False,
    http: HttpConfig | None = None, root: Path | None = None,
) -> CardsReport:
    """Draw every post's cards that changed; remove cards of posts that are gone.

    `root` is the folder of hub.yml (brand.logo and brand.fonts are relative
    to it; default: the parent of content/). Remote pictures are fetched
    with `http`'s limits, once.
    """
    posts_dir, cards_dir = Path(posts_dir), Path(cards_dir)
    cards_dir.mkdir(parents=True, exist_ok=True)
    fonts.warn_if_no_raqm()
    todo, manifest, report, entries = plan(posts_dir, cards_dir, brand, force=force, http=http,
                                           root=root)
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    dropped: dict[str, tuple[str, list[str]]] = {}
    failed: set[tuple[str, str]] = set()
    for result in _run(todo, workers):
        if result.problem:
            report.warnings.append(f"{posts_dir / result.slug}.md: {result.problem}")
        if not result.key:
            report.failed += 1
            failed.add((result.slug, result.fmt))
            continue
        report.drawn += 1
        for script, example in result.dropped.items():
            dropped.setdefault(script, (example, []))[1].append(result.slug)
    for script, (example, slugs) in sorted(dropped.items()):
        names = sorted(set(slugs))
        report.warnings.append(
            f"no font covers {script} (e.g. {example!r}, in {len(names)} post(s): "
            f"{', '.join(names[:3])}{', ...' if len(names) > 3 else ''}); it is left off the "
            f"cards: add a font file covering {script} to brand.fonts in hub.yml (e.g. a Noto "
            f"Sans {script} TTF from Debian's fonts-noto-core)"
        )
    for slug, fmt in failed:
        entries.get(slug, {}).pop(fmt, None)
    for slug, old in manifest.cards.items():
        for fmt in posts.CARD_SUFFIX:
            if fmt in old and fmt not in entries.get(slug, {}) and (slug, fmt) not in failed:
                (cards_dir / f"{slug}{posts.CARD_SUFFIX[fmt]}").unlink(missing_ok=True)
                report.removed += 1
    manifest.cards = entries
    manifest.files = {k: v for k, v in manifest.files.items() if Path(k).exists()}
    manifest.save()
    report.warnings = list(dict.fromkeys(report.warnings))
    for message in report.warnings:
        log.warning("%s", message)
    return report


def command(args: argparse.Namespace) -> int:
    """`advocacy-hub cards [--jobs N] [--force]`."""
    config_path = Path(args.config)
    config = load_config(config_path)
    root = config_path.resolve().parent
    posts_dir = root / config.posts_dir
    cards_dir = posts_dir.parent / posts.CARDS_DIR
    report = draw_all(posts_dir, cards_dir, config.brand, jobs=args.jobs, force=args.force,
                      http=config.http, root=root)
    log.info("cards: %d drawn, %d unchanged, %d removed, %d failed (%s)", report.drawn,
             report.unchanged, report.removed, report.failed, cards_dir)
    return 1 if report.failed else 0
