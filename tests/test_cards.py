"""Social cards: what they look like, where text goes, which font draws it, what is redrawn.

Goldens live in tests/data/cards/golden/; regenerate them after an intended
change with `HUB_UPDATE_GOLDENS=1 .venv/bin/pytest tests/test_cards.py` and
look at them before committing.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image, ImageChops, ImageStat

from hub.cards import cardlayout, cardstyle, fonts
from hub.cards import draw as cards
from hub.cards.cardtext import card_text
from hub.cli import main
from hub.config import BrandConfig, CardStyle, CategoryLayout, load_config
from hub.posts import schema as posts

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "cards"
GOLDEN = DATA / "golden"
TITLES = yaml.safe_load((DATA / "titles.yml").read_text(encoding="utf-8"))
BRAND = load_config(ROOT / "hub.yml").brand
# Pictures on, whatever the sample hub.yml says.
PICTURES = BRAND.model_copy(update={"card": CardStyle(pictures=True)})
LOGO = str(ROOT / "theme" / "assets" / "brand" / "acme-logo.png")
ELLIPSIS = cardlayout.ELLIPSIS


def _meta(case: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in case.items() if k not in ("name", "face", "rtl")}


def _layout(case: dict[str, Any], fmt: cardlayout.Format, logo: bool = True) -> cardlayout.Layout:
    meta = _meta(case)
    palette, _ = cardstyle.plain(BRAND, meta["category"])
    job = cards.CardJob("x", fmt.name, "", card_text(meta, BRAND), meta["language"], palette,
                        logo=LOGO if logo else None)
    return cardlayout.layout(job.text, fmt, cards._style(job))


def _draw(posts_dir: Path, cards_dir: Path, brand: BrandConfig, jobs: int = 1,
          force: bool = False) -> cards.CardsReport:
    return cards.draw_all(posts_dir, cards_dir, brand, jobs=jobs, force=force, root=ROOT)


def _write_post(folder: Path, slug: str, **meta: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    path.write_text(posts.render(meta, "Body."), encoding="utf-8")
    return path


# ---- geometry ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", [cardlayout.LANDSCAPE, cardlayout.SQUARE], ids=lambda f: f.name)
@pytest.mark.parametrize("case", TITLES, ids=lambda c: c["name"])
def test_every_text_box_is_inside_the_safe_margins(case: dict[str, Any], fmt: Any) -> None:
    layout = _layout(case, fmt)
    canvas = cardlayout.Box(0, 0, fmt.width, fmt.height)
    assert layout.safe.inside(canvas)
    boxes = []
    for block in layout.blocks:
        assert block.lines, block.role
        previous = None
        for line in block.lines:
            assert line.ink.inside(layout.safe), (block.role, line.text, line.ink, layout.safe)
            for run in line.runs:
                assert run.ink.inside(layout.safe), (run.text, run.ink)
            if previous is not None:  # lines of a block never collide
                assert line.ink.y0 >= previous.ink.y1 - 0.15 * block.size, (previous, line)
            previous = line
        boxes.append((block.role, block.ink))
    if layout.logo:
        assert layout.logo.inside(layout.safe)
        boxes.append(("logo", layout.logo))
    for i, (role_a, a) in enumerate(boxes):
        for role_b, b in boxes[i + 1:]:
            assert not a.overlaps(b), f"{role_a} {a} overlaps {role_b} {b}"


@pytest.mark.parametrize("case", TITLES, ids=lambda c: c["name"])
def test_title_is_shown_whole_or_cut_with_an_ellipsis(case: dict[str, Any]) -> None:
    layout = _layout(case, cardlayout.LANDSCAPE)
    title = layout.block("title")
    assert title is not None
    shown = "".join(title.text.split())
    wanted = "".join(fonts.strip_emoji(case["title"]).split())
    if title.truncated:
        assert shown.endswith(ELLIPSIS)
        assert wanted.startswith(shown[:-1]), (shown, wanted)
        assert title.size == cardlayout.LANDSCAPE.title_min
    else:
        assert shown == wanted


def test_a_long_title_shrinks_then_ends_with_an_ellipsis() -> None:
    case = next(c for c in TITLES if c["name"] == "long")
    case = {**case, "title": " ".join([case["title"]] * 2)}
    title = _layout(case, cardlayout.LANDSCAPE).block("title")
    assert title is not None and title.truncated
    assert title.lines[-1].text.endswith(ELLIPSIS)
    assert title.size < cardlayout.LANDSCAPE.title_max


def test_chinese_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    units = cardlayout.break_units("我们的团队，正在招聘「工程师」。")
    assert "我" in units and "们" in units
    assert "队，" in units  # a comma never starts a line
    assert "「工" in units  # an opening bracket never ends one
    assert units[-1] == "师」。"
    case = next(c for c in TITLES if c["name"] == "zh")
    title = _layout(case, cardlayout.LANDSCAPE).block("title")
    assert title is not None and len(title.lines) > 1
    assert not any(line.text[0] in "，。：、" for line in title.lines)


def test_arabic_reads_right_to_left_with_numbers_left_to_right() -> None:
    case = next(c for c in TITLES if c["name"] == "mixed")
    layout = _layout(case, cardlayout.LANDSCAPE)
    assert layout.rtl
    assert layout.bar.x0 > layout.fmt.width / 2  # the accent bar moves to the right edge
    title = layout.block("title")
    assert title is not None
    line = title.lines[0]
    assert line.ink.x1 == pytest.approx(layout.safe.x1, abs=8)  # right-aligned
    runs = [(run.text.strip(), run.rtl) for run in line.runs if run.text.strip()]
    # Visual order, left to right: the logical end of the line comes first.
    assert line.text.startswith("إطلاق Acme Cloud 2.0 في")
    assert runs[0][1] and line.text.endswith(runs[0][0])
    assert runs[1] == ("Acme Cloud 2.0", False)
    assert runs[-1] == ("إطلاق", True)


def test_a_word_wider_than_the_card_is_broken_not_overflowing() -> None:
    case = next(c for c in TITLES if c["name"] == "unbreakable")
    title = _layout(case, cardlayout.LANDSCAPE).block("title")
    assert title is not None and len(title.lines) > 1
    assert "".join(line.text for line in title.lines) == case["title"]


# ---- coverage ---------------------------------------------------------------


@pytest.mark.parametrize("case", TITLES, ids=lambda c: c["name"])
def test_every_character_is_drawn_by_a_font_that_has_its_glyph(case: dict[str, Any]) -> None:
    for fmt in (cardlayout.LANDSCAPE, cardlayout.SQUARE):
        layout = _layout(case, fmt)
        assert layout.dropped == {}
        for block in layout.blocks:
            for line in block.lines:
                for run in line.runs:
                    have = fonts.coverage(run.face)
                    missing = [c for c in run.text if ord(c) not in have and not c.isspace()]
                    assert not missing, (run.face.name, missing)
    title = _layout(case, cardlayout.LANDSCAPE).block("title")
    assert title is not None
    faces = {run.face.name for line in title.lines for run in line.runs}
    assert case["face"] in faces
    assert title.rtl == bool(case.get("rtl"))


def test_emoji_are_dropped_cleanly_and_text_symbols_kept() -> None:
    case = next(c for c in TITLES if c["name"] == "emoji")
    title = _layout(case, cardlayout.LANDSCAPE).block("title")
    assert title is not None
    assert title.text == "Team offsite was a blast ★ see you next year!"
    assert any("★" in run.text for line in title.lines for run in line.runs)


def test_shipped_fonts_cover_every_script_the_hub_promises() -> None:
    families = fonts.chain("en")
    for sample in ("Çà ñ ø ł ğ ș ț ő ŭ ễ", "Ωμέγα", "Привет", "مرحبا", "שלום", "नमस्ते",
                   "สวัสดี", "你好", "→ ✓ ★"):
        pieces = fonts.segment(sample, families, bold=True)
        assert all(piece.family is not None for piece in pieces), sample
    assert fonts.raqm_available(), "Pillow cannot shape Arabic here: install libfribidi0"


def test_a_script_no_font_covers_is_one_warning_naming_it(tmp_path: Path,
                                                           caplog: Any) -> None:
    posts_dir = tmp_path / "content" / "posts"
    for i in range(3):
        _write_post(posts_dir, f"khmer-{i}", title=f"ភាសាខ្មែរ news {i}", category="blog",
                    language="km")
    with caplog.at_level(logging.WARNING, logger="hub.cards.draw"):
        report = _draw(posts_dir, tmp_path / "content" / "cards", BRAND)
    khmer = [w for w in report.warnings if "Khmer" in w]
    assert len(khmer) == 1
    assert "brand.fonts" in khmer[0] and "3 post(s)" in khmer[0]
    assert report.drawn == 6


# ---- contrast ---------------------------------------------------------------


def test_brand_colours_that_fail_contrast_are_replaced_and_reported() -> None:
    brand = BrandConfig(colors={"background": "#777777", "text": "#888888",
                                "accent": "#FFB81C", "primary": "#777777"})
    palette, warnings = cardstyle.plain(brand, "blog")
    assert cardstyle.contrast(palette.text, palette.background) >= 4.5
    assert cardstyle.contrast(palette.kicker, palette.background) >= 4.5
    assert len(warnings) == 1 and "brand.colors.text" in warnings[0] and "4.5" in warnings[0]
    ok, none = cardstyle.plain(BRAND, "blog")
    assert none == [] and ok.kicker == "#FFB81C"


def test_category_background_comes_from_its_layout() -> None:
    brand = BRAND.model_copy(update={"layouts": {"jobs": CategoryLayout(background="#114411")}})
    palette, _ = cardstyle.plain(brand, "jobs")
    assert palette.background == "#114411"


def test_text_over_a_white_picture_still_meets_aa(tmp_path: Path) -> None:
    picture = tmp_path / "white.png"
    Image.new("RGB", (1600, 900), (255, 255, 255)).save(picture)
    palette = cardstyle.over_picture(BRAND, 255)
    case = {"language": "en", "category": "blog", "title": "A title over a photo"}
    job = cards.CardJob("p", "landscape", "", card_text(case, BRAND), "en", palette,
                        picture=str(picture))
    image, _layout_unused, problem = cards.draw_card(job)
    assert problem is None
    rgb = image.convert("RGB")
    background = "#{:02X}{:02X}{:02X}".format(*rgb.getpixel((600, 600)))
    assert cardstyle.contrast(palette.text, background) >= 4.5
    assert cardstyle.contrast(palette.kicker, background) >= 4.5


# ---- goldens ----------------------------------------------------------------

GOLDENS = [
    ("en-blog", "landscape", {"language": "en", "category": "blog", "author": "Jane Doe",
                              "title": "Building a faster hub: what we learned shipping "
                                       "1,000 cards in a second"}),
    ("ar-event", "square", {"language": "ar", "category": "event", "date": "2026-11-20",
                            "title": "كيف نبني مركزًا أسرع؟ ما تعلمناه من إنشاء 1000 بطاقة"}),
    ("zh-jobs", "landscape", {"language": "zh", "category": "jobs", "location": "上海",
                              "job_type": "全职",
                              "title": "我们正在招聘高级软件工程师，欢迎加入上海团队！"}),
]


@pytest.mark.parametrize(("name", "fmt", "meta"), GOLDENS, ids=[g[0] for g in GOLDENS])
def test_cards_match_their_golden_images(name: str, fmt: str, meta: dict[str, Any]) -> None:
    palette, _ = cardstyle.plain(BRAND, meta["category"])
    job = cards.CardJob(name, fmt, "", card_text(meta, BRAND), meta["language"], palette,
                        logo=LOGO)
    image, _, _ = cards.draw_card(job)
    assert image.size == (cardlayout.FORMATS[fmt].width, cardlayout.FORMATS[fmt].height)
    golden = GOLDEN / f"{name}.png"
    if os.environ.get("HUB_UPDATE_GOLDENS") or not golden.exists():
        golden.write_bytes(cards.encode(image))
        if not os.environ.get("HUB_UPDATE_GOLDENS"):
            pytest.fail(f"{golden} was missing and has been written; look at it and commit it")
    expected = Image.open(golden).convert("RGB")
    diff = ImageChops.difference(image.convert("RGB"), expected)
    mean = sum(ImageStat.Stat(diff).mean) / 3
    changed = sum(diff.convert("L").point(lambda v: 255 if v > 64 else 0).histogram()[255:])
    assert mean < 0.5 and changed < 0.0005 * image.width * image.height, (mean, changed)


def test_same_inputs_give_byte_identical_cards() -> None:
    meta = GOLDENS[0][2]
    palette, _ = cardstyle.plain(BRAND, "blog")
    job = cards.CardJob("d", "landscape", "", card_text(meta, BRAND), "en", palette, logo=LOGO)
    assert cards.encode(cards.draw_card(job)[0]) == cards.encode(cards.draw_card(job)[0])


# ---- the incremental run ------------------------------------------------------


@pytest.fixture
def hub_folder(tmp_path: Path) -> Path:
    posts_dir = tmp_path / "content" / "posts"
    for case in TITLES[:6]:
        _write_post(posts_dir, case["name"], **_meta(case))
    return tmp_path


def test_an_unchanged_rebuild_draws_nothing(hub_folder: Path) -> None:
    posts_dir, cards_dir = hub_folder / "content" / "posts", hub_folder / "content" / "cards"
    first = _draw(posts_dir, cards_dir, BRAND, jobs=2)
    assert (first.drawn, first.unchanged, first.failed) == (12, 0, 0)
    for slug in ("zh", "ar"):
        for suffix in (".png", "-square.png"):
            with Image.open(cards_dir / f"{slug}{suffix}") as image:
                assert image.format == "PNG" and image.mode == "P"
                assert image.size in ((1200, 630), (1080, 1080))
    assert (cards_dir / "zh.png").stat().st_size < 150_000
    assert oct((cards_dir / "zh.png").stat().st_mode & 0o777) == "0o644"
    again = _draw(posts_dir, cards_dir, BRAND, jobs=2)
    assert (again.drawn, again.unchanged) == (0, 12)


def test_a_changed_colour_redraws_all_and_a_changed_title_one(hub_folder: Path) -> None:
    posts_dir, cards_dir = hub_folder / "content" / "posts", hub_folder / "content" / "cards"
    _draw(posts_dir, cards_dir, BRAND)
    recoloured = BRAND.model_copy(update={"colors": {**BRAND.colors, "background": "#002244"}})
    assert _draw(posts_dir, cards_dir, recoloured).drawn == 12
    post = posts_dir / "zh.md"
    post.write_text(posts.update(post.read_text(encoding="utf-8"), {"title": "新标题"}),
                    encoding="utf-8")
    report = _draw(posts_dir, cards_dir, recoloured)
    assert (report.drawn, report.unchanged) == (2, 10)


def test_a_lost_cache_only_costs_a_redraw_and_gone_posts_lose_their_cards(
    hub_folder: Path,
) -> None:
    posts_dir, cards_dir = hub_folder / "content" / "posts", hub_folder / "content" / "cards"
    _draw(posts_dir, cards_dir, BRAND)
    (cards_dir / cards.MANIFEST).unlink()
    assert _draw(posts_dir, cards_dir, BRAND).drawn == 12
    (posts_dir / "th.md").unlink()
    report = _draw(posts_dir, cards_dir, BRAND)
    assert report.removed == 2
    assert not (cards_dir / "th.png").exists() and not (cards_dir / "th-square.png").exists()


def test_a_card_comms_replaced_is_not_drawn_and_their_file_is_left_alone(tmp_path: Path) -> None:
    posts_dir, cards_dir = tmp_path / "content" / "posts", tmp_path / "content" / "cards"
    own = tmp_path / "content" / "images" / "launch.png"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"theirs")
    _write_post(posts_dir, "launch", title="Launch", category="product",
                image="images/launch.png", image_square="cards/launch-square.png")
    report = _draw(posts_dir, cards_dir, BRAND)
    assert report.drawn == 1
    assert (cards_dir / "launch-square.png").exists() and not (cards_dir / "launch.png").exists()
    assert own.read_bytes() == b"theirs"


def test_a_bad_post_is_reported_and_the_others_drawn(tmp_path: Path) -> None:
    posts_dir, cards_dir = tmp_path / "content" / "posts", tmp_path / "content" / "cards"
    _write_post(posts_dir, "good", title="Good", category="blog")
    (posts_dir / "bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    report = _draw(posts_dir, cards_dir, BRAND)
    assert report.drawn == 2
    assert len(report.warnings) == 1 and "bad.md" in report.warnings[0]


# ---- pictures -------------------------------------------------------------------


def test_a_remote_picture_is_fetched_once_and_used(tmp_path: Path, feed_server: Any) -> None:
    photo = Image.new("RGB", (800, 420), (240, 200, 40))
    from io import BytesIO

    blob = BytesIO()
    photo.save(blob, "JPEG")
    url = feed_server.add("/photo.jpg", blob.getvalue(), content_type="image/jpeg")
    posts_dir, cards_dir = tmp_path / "content" / "posts", tmp_path / "content" / "cards"
    _write_post(posts_dir, "pic", title="Over a photo", category="blog", picture=url)
    first = _draw(posts_dir, cards_dir, PICTURES)
    assert first.drawn == 2 and first.warnings == []
    with Image.open(cards_dir / "pic.png") as card:
        pixel = card.convert("RGB").getpixel((600, 600))
    assert pixel != cardstyle.rgb(BRAND.colors["background"])  # the photo, darkened
    assert pixel[0] > pixel[2]
    again = _draw(posts_dir, cards_dir, PICTURES, force=True)
    assert again.drawn == 2
    assert feed_server.count("/photo.jpg") == 1


def test_a_broken_picture_falls_back_to_the_plain_card(tmp_path: Path, feed_server: Any) -> None:
    posts_dir, cards_dir = tmp_path / "content" / "posts", tmp_path / "content" / "cards"
    (tmp_path / "content" / "img").mkdir(parents=True)
    (tmp_path / "content" / "img" / "broken.png").write_bytes(b"not a png")
    _write_post(posts_dir, "a", title="A", category="blog", picture="img/broken.png")
    _write_post(posts_dir, "b", title="B", category="blog", picture="../../etc/passwd")
    url = feed_server.add("/page", "<html></html>", content_type="text/html")
    _write_post(posts_dir, "c", title="C", category="blog", picture=url)
    report = _draw(posts_dir, cards_dir, PICTURES)
    assert report.drawn == 6 and report.failed == 0
    text = "\n".join(report.warnings)
    assert "a.md: picture not an image" in text
    assert "b.md: picture '../../etc/passwd' not found inside content/" in text
    assert "c.md: picture not used" in text and "not an image" in text


# ---- the command ----------------------------------------------------------------


def test_the_cards_command_draws_into_content_cards(tmp_path: Path) -> None:
    config = (ROOT / "hub.yml").read_text(encoding="utf-8")
    (tmp_path / "hub.yml").write_text(config, encoding="utf-8")
    brand_dir = tmp_path / "theme" / "assets" / "brand"
    brand_dir.mkdir(parents=True)
    (brand_dir / "acme-logo.png").write_bytes(Path(LOGO).read_bytes())
    _write_post(tmp_path / "content" / "posts", "hello", title="Hello", category="blog")
    assert main(["--config", str(tmp_path / "hub.yml"), "-q", "cards", "--jobs", "1"]) == 0
    assert (tmp_path / "content" / "cards" / "hello.png").is_file()
    assert main(["--config", str(tmp_path / "hub.yml"), "-q", "cards", "--force"]) == 0


def test_a_failed_picture_is_not_fetched_again_for_a_day(tmp_path, feed_server):
    broken = feed_server.add("/cards/missing.jpg", b"gone", status=404, content_type="text/plain")
    posts_dir = tmp_path / "content" / "posts"
    posts_dir.mkdir(parents=True)
    (posts_dir / "p.md").write_text(f"---\ntitle: P\npicture: {broken}\n---\n", encoding="utf-8")
    brand = BRAND.model_copy(update={"card": BRAND.card.model_copy(update={"pictures": True})})
    first = cards.draw_all(posts_dir, tmp_path / "content" / "cards", brand, jobs=1)
    assert first.drawn == 2 and any("picture not used" in w for w in first.warnings)
    hits = feed_server.count("/cards/missing.jpg")
    second = cards.draw_all(posts_dir, tmp_path / "content" / "cards", brand, jobs=1, force=True)
    assert feed_server.count("/cards/missing.jpg") == hits
    assert any("failed less than a day ago" in w for w in second.warnings)
