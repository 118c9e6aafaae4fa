"""Benchmark of the feed sync, each figure beside a baseline measured in the same run.

    .venv/bin/python scripts/bench_sync.py [--sizes 1000 5000] [--out bench-out/sync.json]

- cold sync of N items from local feeds vs feedparser.parse() of the same bytes
  alone (target: at most 3x);
- no-change re-sync of N items (target: under 1 s at 5,000), beside the same
  feedparser baseline; then a re-sync after comms retitled 1 post in 100 (the
  feed unchanged: only those files are parsed, their wordings rebuilt);
- update sync of N items (every summary changed in the feed: the path that
  writes the intent file first), and what the state's integrity bookkeeping
  costs on its own: the start-of-run scan of every state file for names
  never to reuse, and one intent file of every item;
- peak memory of syncing 2 feeds vs 10 feeds of the same size, each in a
  fresh process (target: flat: memory must not grow with the number of feeds).

Absolute times drift on shared machines: read the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = {
    "en": [
        "advocacy",
        "team",
        "customers",
        "cloud",
        "platform",
        "growth",
        "people",
        "engineering",
        "design",
        "office",
    ],
    "ca": [
        "equip",
        "clients",
        "plataforma",
        "creixement",
        "persones",
        "disseny",
        "oficina",
        "Barcelona",
    ],
    "zh": ["团队", "客户", "平台", "增长", "人才", "工程", "设计", "办公室", "上海", "创新"],
}
ITEMS_PER_FEED = 500


def item_html(i: int, lang: str) -> str:
    words = WORDS[lang]
    sentence = " ".join(words[(i + k) % len(words)] for k in range(18))
    paras = "".join(
        f"<p>{escape(sentence)} <a href='https://www.acme.example/x/{i}/{k}'>link {k}</a>"
        f" <strong>{words[k % len(words)]}</strong>.</p>"
        for k in range(8)
    )
    return (
        f"<h2>{words[i % len(words)]}</h2>{paras}<ul><li>{words[1]}</li><li>{words[2]}</li></ul>"
        f"<img src='https://www.acme.example/img/{i}.jpg' alt='{words[3]}'>"
    )


def feed_xml(feed: int, count: int) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Feed {feed}</title><link>https://www.acme.example/</link>"
    ]
    base = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for i in range(count):
        lang = ("en", "en", "ca", "zh")[i % 4]
        n = feed * 100_000 + i
        title = f"{' '.join(WORDS[lang][(i + k) % 8] for k in range(5))} {n}"
        date = (base - dt.timedelta(hours=i)).strftime("%a, %d %b %Y %H:%M:%S GMT")
        out.append(
            f"<item><guid>https://www.acme.example/p/{n}</guid><title>{escape(title)}</title>"
            f"<link>https://www.acme.example/p/{n}</link><pubDate>{date}</pubDate>"
            f"<description>{escape(title)} summary</description>"
            f"<content:encoded>{escape(item_html(i, lang))}</content:encoded></item>"
        )
    out.append("</channel></rss>")
    return "".join(out)


def make_hub(folder: Path, items: int, per_feed: int = ITEMS_PER_FEED) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    feeds = []
    lines = ["feeds:"]
    for n in range((items + per_feed - 1) // per_feed):
        path = folder / f"feed{n}.xml"
        path.write_text(feed_xml(n, min(per_feed, items - n * per_feed)), encoding="utf-8")
        feeds.append(path)
        lines.append(f"  - {{name: feed{n}, url: {path.name}, approval: auto}}")
    (folder / "hub.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return feeds


def time_feedparser(feeds: list[Path]) -> float:
    import feedparser

    blobs = [p.read_bytes() for p in feeds]
    start = time.perf_counter()
    for blob in blobs:
        feedparser.parse(blob)
    return time.perf_counter() - start


def time_sync(folder: Path) -> float:
    from hub.config import load_config
    from hub.posts.sync import sync

    config = load_config(folder / "hub.yml")
    start = time.perf_counter()
    report = sync(config, folder, today=dt.date(2026, 11, 23))
    took = time.perf_counter() - start
    assert not report.failed, report.summary()
    return took


def edit_some_posts(folder: Path, every: int = 100) -> int:
    """What comms do between syncs: retitle one post in `every` (the feed is unchanged)."""
    from hub.posts import schema as posts

    edited = 0
    for n, path in enumerate(sorted((folder / "content" / "posts").glob("*.md"))):
        if n % every == 0:
            text = path.read_text(encoding="utf-8")
            title = posts.parse(text).meta["title"]
            path.write_text(posts.update(text, {"title": f"{title}, retitled"}), encoding="utf-8")
            edited += 1
    return edited


def change_every_item(feeds: list[Path]) -> None:
    for path in feeds:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(" summary</description>", " summary, updated</description>"))


def time_bookkeeping(folder: Path) -> tuple[float, float] | None:
    """Seconds for the names scan and for writing every feed's entries as an intent."""
    from hub.posts import state

    if not hasattr(state, "known_paths"):
        return None  # a hub from before the intent file (baseline runs)
    posts_dir = folder / "content" / "posts"
    start = time.perf_counter()
    state.known_paths(posts_dir)
    scan = time.perf_counter() - start
    loaded = [
        state.load(posts_dir, p.stem) for p in sorted(state.state_dir(posts_dir).glob("*.json"))
    ]
    start = time.perf_counter()
    for feed_state in loaded:
        if feed_state is not None:
            state.save_pending(posts_dir, feed_state.feed, feed_state.items)
    intent = time.perf_counter() - start
    for feed_state in loaded:
        if feed_state is not None:
            state.clear_pending(posts_dir, feed_state.feed)
    return scan, intent


def peak_memory(feeds: int, per_feed: int) -> int:
    """Max RSS (KiB) of a fresh process syncing `feeds` feeds of `per_feed` items."""
    code = (
        f"import sys, resource; sys.path.insert(0, {str(ROOT)!r});"
        "from scripts.bench_sync import make_hub, time_sync; from pathlib import Path;"
        f"p = Path(sys.argv[1]); make_hub(p, {feeds * per_feed}, {per_feed}); time_sync(p);"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-c", code, tmp], check=True, capture_output=True, text=True
        )
    return int(out.stdout.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--out", default=str(ROOT / "bench-out" / "sync.json"))
    args = parser.parse_args()
    results = {}
    rows = []
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        for size in args.sizes:
            folder = work / f"n{size}"
            feeds = make_hub(folder, size)
            fp = time_feedparser(feeds)
            cold = time_sync(folder)
            warm = time_sync(folder)
            edited = edit_some_posts(folder)
            after_edits = time_sync(folder)
            change_every_item(feeds)
            update = time_sync(folder)
            bookkeeping = time_bookkeeping(folder)
            results[str(size)] = {
                "feedparser_s": round(fp, 3),
                "sync_cold_s": round(cold, 3),
                "items_per_s": round(size / cold, 1),
                "cold_vs_feedparser": round(cold / fp, 2),
                "resync_s": round(warm, 3),
                "resync_vs_feedparser": round(warm / fp, 3),
                "posts_edited": edited,
                "resync_after_edits_s": round(after_edits, 3),
                "update_s": round(update, 3),
                "update_vs_feedparser": round(update / fp, 2),
            }
            extra = ""
            if bookkeeping is not None:
                scan, intent = bookkeeping
                results[str(size)] |= {"names_scan_s": round(scan, 4), "intent_s": round(intent, 4)}
                extra = f" | names scan {scan:.3f} s, intent of all items {intent:.3f} s"
            rows.append(
                f"{size:>6} items | feedparser {fp:7.2f} s | sync {cold:7.2f} s "
                f"({cold / fp:4.2f}x, {size / cold:6.0f} items/s) | no-change re-sync "
                f"{warm:6.3f} s ({warm / fp:5.3f}x) | re-sync after comms retitled {edited} "
                f"posts {after_edits:6.3f} s | update {update:6.2f} s "
                f"({update / fp:4.2f}x){extra}"
            )
            print(rows[-1], flush=True)
            shutil.rmtree(folder)
        few, many = peak_memory(2, ITEMS_PER_FEED), peak_memory(10, ITEMS_PER_FEED)
        results["memory"] = {
            "feeds_2_maxrss_kib": few,
            "feeds_10_maxrss_kib": many,
            "ratio_10_vs_2": round(many / few, 2),
        }
        rows.append(
            f"peak memory: 2 feeds {few / 1024:.0f} MiB, 10 feeds {many / 1024:.0f} MiB "
            f"({many / few:.2f}x) for {ITEMS_PER_FEED} items per feed"
        )
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        rows.append(f"bench process max RSS {own} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(rows[-2:]))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
