"""Benchmark the social cards against Material for MkDocs' own social plugin.

Standalone: `.venv/bin/python scripts/bench_cards.py [--posts 1000] [--material 60]`.
Everything is measured in the same run on the same titles, and reported as
ratios to the baseline (Material's plugin), so the figures compare across
machines:

- ms per 1200x630 card, median, one core (layout + draw + PNG encode + write);
- N posts (2 cards each) cold with every core, then warm (nothing changed);
- peak memory (max RSS of this process and of the worker processes);
- Material's social plugin: an MkDocs build of M pages with the plugin
  (one worker) minus the same build without it, per card. Its font is put
  in its cache first so it runs offline (see shared FIELD-NOTES).

Needs `cairosvg` (Material's imaging extra) and libcairo2 for the baseline;
without them that column says so and the rest still runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.cards import cardstyle, fonts  # noqa: E402
from hub.cards import draw as cards  # noqa: E402
from hub.cards.cardtext import card_text  # noqa: E402
from hub.config import load_config  # noqa: E402
from hub.posts import schema as posts  # noqa: E402

WORDS = [
    "employee", "advocacy", "program", "launches", "across", "twelve", "countries", "with",
    "new", "hub", "for", "sharing", "stories", "about", "cloud", "platforms", "hiring",
    "engineers", "designers", "product", "managers", "culture", "week", "results", "quarterly",
    "report", "customer", "success", "analytics", "partner", "summit", "keynote",
]


def titles(n: int) -> list[str]:
    """Deterministic titles of 4 to 16 words (a realistic spread of lengths)."""
    out = []
    for i in range(n):
        length = 4 + (i * 7) % 13
        out.append(" ".join(WORDS[(i * 3 + k * 5) % len(WORDS)] for k in range(length)).capitalize()
                   + f" {i}")
    return out


def rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def bench_single(brand, sample: list[str], out: Path) -> tuple[float, int]:
    """Median ms per landscape card in this process (one core), and the median file size."""
    palette, _ = cardstyle.plain(brand, "blog")
    logo = ROOT / "theme" / "assets" / "brand" / "acme-logo.png"
    times, sizes = [], []
    for i, title in enumerate(sample):
        meta = {"title": title, "category": "blog", "author": "Jane Doe", "language": "en"}
        job = cards.CardJob(f"s{i}", "landscape", str(out / f"s{i}.png"), card_text(meta, brand),
                            "en", palette, logo=str(logo) if logo.is_file() else None)
        start = time.perf_counter()
        result = cards.run_job(job)
        times.append(time.perf_counter() - start)
        sizes.append(result.size)
    times = times[5:]  # font loading and caches warm up on the first cards
    return statistics.median(times) * 1000, int(statistics.median(sizes))


def bench_bulk(brand, all_titles: list[str], work: Path) -> dict[str, float]:
    posts_dir, cards_dir = work / "content" / "posts", work / "content" / "cards"
    langs = ["en", "en", "en", "zh", "ar", "hi", "ja", "th", "ca", "ms"]
    for i, title in enumerate(all_titles):
        meta = {"title": title, "category": ("blog", "jobs", "event")[i % 3],
                "location": "Kuala Lumpur", "author": "Jane Doe", "date": "2026-11-20",
                "language": langs[i % len(langs)]}
        (posts_dir).mkdir(parents=True, exist_ok=True)
        (posts_dir / f"post-{i:04d}.md").write_text(posts.render(meta, "Body."), encoding="utf-8")
    start = time.perf_counter()
    cold = cards.draw_all(posts_dir, cards_dir, brand, root=ROOT)
    cold_s = time.perf_counter() - start
    start = time.perf_counter()
    warm = cards.draw_all(posts_dir, cards_dir, brand, root=ROOT)
    warm_s = time.perf_counter() - start
    assert warm.drawn == 0 and cold.failed == 0, (cold, warm)
    sizes = [p.stat().st_size for p in cards_dir.glob("*.png")
             if not p.name.endswith("-square.png")]
    return {"cards": cold.drawn, "cold_s": cold_s, "warm_s": warm_s,
            "cold_ms_per_card": cold_s * 1000 / max(cold.drawn, 1),
            "landscape_kb_median": statistics.median(sizes) / 1024,
            "landscape_kb_max": max(sizes) / 1024}


MKDOCS_YML = """\
site_name: bench
docs_dir: docs
site_dir: site
theme:
  name: material
  font: false
plugins:
{plugins}
"""

SOCIAL = """\
  - social:
      cache_dir: {cache}
      concurrency: 1
      cards_layout_options:
        font_family: Noto Sans
"""


def _mkdocs_build(folder: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml")]
    subprocess.run(command, check=True, env=env, cwd=folder, capture_output=True)
    return time.perf_counter() - start


def bench_material(sample: list[str], work: Path) -> dict[str, float] | str:
    """Per-card cost of Material's social plugin (build with minus build without)."""
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"skipped: Material's social plugin needs cairosvg and libcairo2 ({exc})"
    results = {}
    for name, plugins in (("without", "  - search\n"), ("with", None)):
        folder = work / f"material-{name}"
        docs = folder / "docs"
        docs.mkdir(parents=True)
        for i, title in enumerate(sample):
            (docs / f"p{i}.md").write_text(f"# {title}\n\nBody.\n", encoding="utf-8")
        (docs / "index.md").write_text("# Bench\n", encoding="utf-8")
        cache = folder / "cache"
        if plugins is None:
            for family in ("Noto Sans", "Roboto"):
                target = cache / "fonts" / family
                target.mkdir(parents=True)
                shutil.copy(fonts.SHIPPED / "NotoSans-Regular.ttf", target / "Regular.ttf")
                shutil.copy(fonts.SHIPPED / "NotoSans-Bold.ttf", target / "Bold.ttf")
            plugins = "  - search\n" + SOCIAL.format(cache=cache)
        (folder / "mkdocs.yml").write_text(MKDOCS_YML.format(plugins=plugins), encoding="utf-8")
        try:
            results[name] = _mkdocs_build(folder)
        except subprocess.CalledProcessError as exc:
            return f"failed: {exc.stderr.decode(errors='replace').strip().splitlines()[-1:]}"
    cards_made = len(sample) + 1
    return {"cards": cards_made, "build_with_s": results["with"],
            "build_without_s": results["without"],
            "ms_per_card": (results["with"] - results["without"]) * 1000 / cards_made}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000, help="posts for the cold/warm run")
    parser.add_argument("--single", type=int, default=105, help="cards for the one-core median")
    parser.add_argument("--material", type=int, default=60, help="pages for Material's plugin")
    args = parser.parse_args()
    brand = load_config(ROOT / "hub.yml").brand
    fonts.warn_if_no_raqm()
    all_titles = titles(max(args.posts, args.single, args.material))
    with tempfile.TemporaryDirectory(prefix="bench-cards-") as tmp:
        work = Path(tmp)
        (work / "single").mkdir()
        single_ms, single_bytes = bench_single(brand, all_titles[: args.single], work / "single")
        bulk = bench_bulk(brand, all_titles[: args.posts], work / "bulk")
        material = bench_material(all_titles[: args.material], work)
    figures = {
        "cpu_count": os.cpu_count(),
        "one_core_ms_per_landscape_card_median": round(single_ms, 2),
        "one_core_landscape_kb_median": round(single_bytes / 1024, 1),
        "bulk": {k: round(v, 3) for k, v in bulk.items()},
        "peak_rss_mb": {"main": round(rss_mb(resource.RUSAGE_SELF), 1),
                        "workers_max": round(rss_mb(resource.RUSAGE_CHILDREN), 1)},
        "material_social": material,
    }
    if isinstance(material, dict):
        figures["ratio_material_over_hub_per_card"] = round(material["ms_per_card"] / single_ms, 2)
    rows = [
        ("ms per 1200x630 card, median, one core", f"{single_ms:.1f}", "<= 20"),
        ("1200x630 card size, median KB", f"{single_bytes / 1024:.1f}", "< 150"),
        (f"cold: {bulk['cards']:.0f} cards ({args.posts} posts), all cores, s",
         f"{bulk['cold_s']:.2f}", ""),
        (f"warm: {bulk['cards']:.0f} cards unchanged, s", f"{bulk['warm_s']:.2f}", "< 1"),
        ("peak RSS main / worker, MB",
         f"{figures['peak_rss_mb']['main']} / {figures['peak_rss_mb']['workers_max']}", ""),
    ]
    if isinstance(material, dict):
        rows.append(("Material social plugin, ms per card (1 worker)",
                     f"{material['ms_per_card']:.1f}", ""))
        rows.append(("Material / hub per card", f"{figures['ratio_material_over_hub_per_card']}x",
                     ">= 3x"))
    else:
        rows.append(("Material social plugin", material, ""))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
