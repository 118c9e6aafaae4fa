#!/usr/bin/env python3
"""Site benchmark: the hub's full build at 1,000 and 5,000 posts, beside plain renderer builds.

Why a baseline in the same run: absolute seconds depend on the machine, so
every figure that matters is a ratio to a plain build of the same Markdown
(posts out of the nav, no hooks) run back to back with the hub build on the
same cores, for several rounds, alternating the order: the hub with MkDocs
against a plain `mkdocs build` (Material), the hub with Zensical against a
plain `zensical build`, and, given --baseline-src, another checkout's build
(e.g. main) against the same plain MkDocs build. Each ratio is the median of
the rounds' ratios, for wall time and for CPU time (user + sys of the whole
process tree). Targets (issue 10): hub build <= 1.3x its plain build, CPU
<= 1.5x; per-post cost at 5,000 within 1.2x of that at 1,000; a post page
under 50 KB of HTML; search payload before the first result under 500 KB.

Posts come from synthetic feeds (several languages and scripts, ~2.7 KB of
HTML an item, a job feed with expiry dates) through the real sync when it
exists, else they are written directly as post files. Every command runs in
its own process so its peak memory can be read from the kernel.

    .venv/bin/python scripts/bench_site.py                 # 1,000 and 5,000
    .venv/bin/python scripts/bench_site.py --sizes 200 --no-blog   # quick look
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TODAY = "2026-11-23"
SITE_INPUTS = ("content", "guidelines", "theme", "hub.yml", "mkdocs.yml")
# A baseline checkout (--baseline-src) built the site with a hook named by a path.
BASELINE_INPUTS = ("theme", "hub", "mkdocs.yml")
TARGETS = {
    "build_ratio": 1.3,
    "zensical_build_ratio": 1.3,
    "cpu_ratio": 1.5,
    "per_post_ratio": 1.2,
    "post_page_kb": 50.0,
    "search_payload_kb": 500.0,
}

# --- synthetic content -------------------------------------------------------

_VOCABULARY = {
    "en": (
        "platform team customers cloud data security release growth people "
        "engineering partners design launch insight product service network "
        "delivery quality support operations journey community training open "
        "source analytics performance mobile experience scale migration"
    ),
    "ca": (
        "plataforma equip clients núvol dades seguretat llançament creixement "
        "persones enginyeria socis disseny servei xarxa qualitat suport "
        "operacions comunitat formació rendiment experiència migració"
    ),
    "it": (
        "piattaforma squadra clienti cloud dati sicurezza rilascio crescita "
        "persone ingegneria partner progettazione servizio rete qualità "
        "supporto operazioni comunità formazione prestazioni esperienza"
    ),
    "ms": (
        "platform pasukan pelanggan awan data keselamatan pelancaran "
        "pertumbuhan orang kejuruteraan rakan reka bentuk perkhidmatan "
        "rangkaian kualiti sokongan operasi komuniti latihan prestasi"
    ),
    "zh": (
        "平台 团队 客户 云计算 数据 安全 发布 增长 员工 工程 合作伙伴 设计 "
        "服务 网络 质量 支持 运营 社区 培训 性能 体验 迁移 创新 数字化"
    ),
    "ar": (
        "منصة فريق عملاء سحابة بيانات أمان إطلاق نمو موظفين هندسة شركاء "
        "تصميم خدمة شبكة جودة دعم عمليات مجتمع تدريب أداء تجربة"
    ),
    "hi": (
        "मंच टीम ग्राहक क्लाउड डेटा सुरक्षा लॉन्च विकास लोग इंजीनियरिंग "
        "साझेदार डिज़ाइन सेवा नेटवर्क गुणवत्ता सहायता संचालन समुदाय प्रशिक्षण"
    ),
}
WORDS = {lang: tuple(text.split()) for lang, text in _VOCABULARY.items()}
# (feed name, language, category, share of all items)
FEEDS = (
    ("bench-blog-en", "en", "blog", 0.40),
    ("bench-jobs-en", "en", "jobs", 0.10),
    ("bench-news-zh", "zh", "product", 0.15),
    ("bench-blog-ca", "ca", "blog", 0.07),
    ("bench-blog-it", "it", "culture", 0.07),
    ("bench-blog-ms", "ms", "event", 0.07),
    ("bench-blog-ar", "ar", "blog", 0.07),
    ("bench-blog-hi", "hi", "thought-leadership", 0.07),
)
QUERIES = {"latin": "platform", "chinese": "平台"}


def _sentence(rng: random.Random, lang: str, n: int) -> str:
    words = [rng.choice(WORDS[lang]) for _ in range(n)]
    if lang == "zh":
        return "".join(words) + "。"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, lang: str) -> str:
    return " ".join(_sentence(rng, lang, rng.randint(8, 16)) for _ in range(rng.randint(3, 5)))


def item_html(rng: random.Random, lang: str, n: int) -> str:
    """About 2.7 KB of feed HTML: paragraphs, a heading, a list, a link."""
    parts = [f"<p>{escape(_paragraph(rng, lang))}</p>" for _ in range(4)]
    parts.append(f"<h2>{escape(_sentence(rng, lang, 4))}</h2>")
    items = "".join(f"<li>{escape(_sentence(rng, lang, 6))}</li>" for _ in range(4))
    parts.append(f"<ul>{items}</ul>")
    parts.append(f"<p>{escape(_paragraph(rng, lang))} ")
    link = escape(_sentence(rng, lang, 3))
    parts.append(f'<a href="https://www.acme.example/{lang}/more/{n}">{link}</a></p>')
    return "".join(parts)


@dataclass
class Item:
    feed: str
    lang: str
    category: str
    n: int
    title: str
    summary: str
    html: str
    link: str
    date: dt.datetime
    expires: str | None = None


def synthetic_items(total: int, seed: int = 4) -> list[Item]:
    """`total` items spread over the feeds; the same `total` always gives the same items."""
    rng = random.Random(seed)
    today = dt.datetime.fromisoformat(TODAY + "T12:00:00+00:00")
    out: list[Item] = []
    n = 0
    for feed, lang, category, share in FEEDS:
        count = max(1, round(total * share)) if feed != FEEDS[-1][0] else total - n
        for _ in range(count):
            n += 1
            title = f"{_sentence(rng, lang, rng.randint(4, 8)).rstrip('.。')} {n}"
            expires = None
            if category == "jobs":
                expires = (today + dt.timedelta(days=rng.randint(-30, 60))).date().isoformat()
            out.append(
                Item(
                    feed=feed,
                    lang=lang,
                    category=category,
                    n=n,
                    title=title,
                    summary=_sentence(rng, lang, 20)[:280],
                    html=item_html(rng, lang, n),
                    link=f"https://www.acme.example/{lang}/{category}/{n}",
                    date=today - dt.timedelta(minutes=37 * n + rng.randint(0, 30)),
                    expires=expires,
                )
            )
    return out


def rss(feed: str, lang: str, items: list[Item]) -> str:
    entries = []
    for it in items:
        extra = f"<job:validThrough>{it.expires}</job:validThrough>" if it.expires else ""
        entries.append(
            "<item>"
            f"<title>{escape(it.title)}</title><link>{it.link}</link>"
            f'<guid isPermaLink="false">{feed}-{it.n}</guid>'
            f"<pubDate>{it.date.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
            f"<category>{escape(WORDS[lang][it.n % len(WORDS[lang])])}</category>"
            f"<description><![CDATA[{it.html}]]></description>{extra}"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:job="https://jobs.acme.example/ns">'
        f"<channel><title>{feed}</title><link>https://www.acme.example/</link>"
        f"<description>{feed}</description><language>{lang}</language>"
        + "".join(entries)
        + "</channel></rss>\n"
    )


# --- preparing a work folder -------------------------------------------------


def copy_inputs(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("cards", "__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / name)


def write_feeds(workdir: Path, items: list[Item]) -> None:
    """Feed files plus a hub.yml whose feeds are exactly these (the rest of it kept)."""
    from ruamel.yaml import YAML

    feeds_dir = workdir / "bench-feeds"
    feeds_dir.mkdir(parents=True, exist_ok=True)
    yml = YAML(typ="rt")
    config = yml.load((workdir / "hub.yml").read_text(encoding="utf-8"))
    config["feeds"] = []
    for feed, lang, category, _ in FEEDS:
        mine = [it for it in items if it.feed == feed]
        (feeds_dir / f"{feed}.xml").write_text(rss(feed, lang, mine), encoding="utf-8")
        config["feeds"].append(
            {
                "name": feed,
                "url": f"bench-feeds/{feed}.xml",
                "category": category,
                "language": lang,
                "approval": "auto",
                "hashtags": ["LifeAtAcme"],
            }
        )
    with (workdir / "hub.yml").open("w", encoding="utf-8") as fh:
        yml.dump(config, fh)


def write_posts_directly(workdir: Path, items: list[Item]) -> None:
    """Without a sync: the post files it would write, converted with markdownify."""
    from markdownify import markdownify

    from hub.posts import schema as posts
    from hub.posts.captions import CaptionInput, build_captions
    from hub.posts.slugs import post_slug

    posts_dir = workdir / "content" / "posts"
    posts_dir.mkdir(parents=True, exist_ok=True)
    taken = {p.stem for p in posts_dir.glob("*.md")}
    for it in items:
        slug = post_slug(it.title, f"{it.feed}-{it.n}", taken)
        taken.add(slug)
        captions = build_captions(
            CaptionInput(
                title=it.title,
                summary=it.summary,
                hashtags=["LifeAtAcme"],
                brand="Acme",
                language=it.lang,
                is_job=it.category == "jobs",
            )
        )
        meta: dict[str, Any] = {
            "title": it.title,
            "summary": it.summary,
            "status": "approved",
            "pinned": False,
            "date": it.date.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "category": it.category,
            "tags": [WORDS[it.lang][it.n % len(WORDS[it.lang])]],
            "hashtags": ["LifeAtAcme"],
            "language": it.lang,
            "canonical_url": it.link,
            "image": f"cards/{slug}.png",
            "image_square": f"cards/{slug}-square.png",
            "captions": captions,
            "source": {"feed": it.feed, "id": f"{it.feed}-{it.n}", "url": it.link},
        }
        if it.expires:
            meta["expires"] = it.expires
        body = markdownify(it.html, heading_style="ATX", escape_misc=True).strip() + "\n"
        (posts_dir / f"{slug}.md").write_text(posts.render(meta, body, it.feed), encoding="utf-8")


PLAIN_YML = """site_name: Plain baseline
theme:
  name: material
  font: false
nav:
  - Home: index.md
not_in_nav: |
  /posts/
"""

BLOG_YML = """site_name: Blog plugin baseline
theme:
  name: material
  font: false
plugins:
  - search
  - blog:
      post_excerpt: optional
"""


def write_plain(dest: Path, posts_dir: Path) -> None:
    """The same Markdown, built by stock MkDocs + Material with posts out of the nav."""
    docs = dest / "docs"
    shutil.copytree(posts_dir, docs / "posts")
    (docs / "index.md").write_text("# Plain baseline\n\nThe same posts, no hub.\n", "utf-8")
    (dest / "mkdocs.yml").write_text(PLAIN_YML, encoding="utf-8")


def write_plain_zensical(dest: Path, posts_dir: Path) -> None:
    """The same Markdown for a stock `zensical build` (it reads mkdocs.yml too)."""
    write_plain(dest, posts_dir)


def write_blog(dest: Path, posts_dir: Path) -> None:
    """The same posts as Material blog posts (its plugin needs real YAML dates)."""
    import yaml

    from hub.posts import schema as posts

    target = dest / "docs" / "blog" / "posts"
    target.mkdir(parents=True)
    for path in sorted(posts_dir.glob("*.md")):
        post = posts.read(path)
        meta = {
            "title": post.meta.get("title") or path.stem,
            "date": dt.date.fromisoformat(str(post.meta.get("date", TODAY))[:10]),
            "categories": [post.meta.get("category") or "blog"],
        }
        head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        (target / path.name).write_text(f"---\n{head}---\n\n{post.body}", encoding="utf-8")
    (dest / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (dest / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(BLOG_YML, encoding="utf-8")


# --- running and measuring ---------------------------------------------------


@dataclass
class Run:
    what: str
    seconds: float | None
    peak_mb: float | None
    code: int | None
    note: str = ""
    cpu_seconds: float | None = None  # user + sys of the process and every child it waited for


def run(what: str, cmd: list[str], cwd: Path, timeout: float | None = None,
        pythonpath: Path = REPO) -> Run:
    """One command in its own process: wall time, CPU time and peak RSS (from wait4).

    wait4's usage covers the process and the children it waited for (the
    renderer, Pagefind), so CPU is the whole build's.
    """
    env = {
        **os.environ,
        "HUB_TODAY": TODAY,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": str(pythonpath),
        "PYTHONHASHSEED": "0",
    }
    log = cwd / f"{what.replace(' ', '-')}.log"
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / 1024
    cpu = round(usage.ru_utime + usage.ru_stime, 2)
    if code != 0:
        tail = log.read_text("utf-8", "replace").strip().splitlines()[-1:]
        killed = timeout is not None and code < 0
        note = f"timed out after {timeout:.0f} s" if killed else " | ".join(tail)
        print(f"  {what}: exit {code}: {note} (log: {log})", file=sys.stderr)
        return Run(what, None, round(peak, 1), code, note)
    print(f"  {what}: {seconds:.1f} s, CPU {cpu:.1f} s, peak {peak:.0f} MB", file=sys.stderr)
    return Run(what, round(seconds, 2), round(peak, 1), code, cpu_seconds=cpu)


def hub_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "hub.cli", "--config", "hub.yml", "-q", *args]


def mkdocs_cmd(site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(site_dir)]


def zensical_cmd() -> list[str]:
    return [sys.executable, "-m", "zensical", "build", "--clean", "-f", "mkdocs.yml"]


def kb(path: Path) -> float:
    return round(path.stat().st_size / 1024, 1)


def post_pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "posts").rglob("index.html") if p.parent != site / "posts")


_POST_LANG = re.compile(r'<h1[^>]*\blang="([^"]+)"')


def page_sizes(site: Path) -> dict[str, Any]:
    """Home page and post page HTML sizes; post pages also per language (scripts differ)."""
    pages = post_pages(site) if (site / "posts").is_dir() else []
    sizes = [p.stat().st_size / 1024 for p in pages]
    by_lang: dict[str, list[float]] = {}
    for page, size in zip(pages, sizes, strict=True):
        found = _POST_LANG.search(page.read_text(encoding="utf-8"))
        by_lang.setdefault(found.group(1) if found else "?", []).append(size)
    home = site / "index.html"
    return {
        "home_kb": kb(home) if home.is_file() else None,
        "post_pages": len(pages),
        "post_median_kb": round(statistics.median(sizes), 1) if sizes else None,
        "post_max_kb": round(max(sizes), 1) if sizes else None,
        "post_max_kb_by_language": {k: round(max(v), 1) for k, v in sorted(by_lang.items())},
    }


def dir_kb(folder: Path) -> float | None:
    if not folder.is_dir():
        return None
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024, 1)


SEARCH_JS = """async ([bundle, query]) => {
    const pagefind = await import(bundle + 'pagefind.js');
    await pagefind.init();
    const found = await pagefind.search(query);
    if (!found.results.length) return {count: 0, title: null};
    const first = await found.results[0].data();
    return {count: found.results.length, title: first.meta.title || first.url};
}"""


def search_page(site: Path) -> str | None:
    """The hub's search page (the one holding Pagefind's UI), relative to the site."""
    for html in sorted(site.rglob("index.html")):
        if 'id="hub-search"' in html.read_text(encoding="utf-8"):
            rel = html.parent.relative_to(site).as_posix()
            return "" if rel == "." else rel + "/"
    return None


def _query(page: Any, served: Any, site: Path, bundle: str, query: str) -> dict[str, Any]:
    """Type the query where an employee would; fall back to Pagefind's API without a UI."""
    where = search_page(site)
    if where is None:
        page.goto(served.url(""), wait_until="load")
        return page.evaluate(SEARCH_JS, [served.url(bundle), query]) | {"via": "api"}
    page.goto(served.url(where), wait_until="load")
    page.locator(".pagefind-ui__search-input").fill(query)
    first = page.locator(".pagefind-ui__result-link").first
    first.wait_for(timeout=30_000)
    count = page.locator(".pagefind-ui__result").count()
    return {"count": count, "title": first.inner_text().strip(), "via": f"ui /{where}"}


def search_payload(site: Path) -> dict[str, Any]:
    """Bytes a visitor downloads for search, from opening the search page to the first result.

    Pagefind loads its UI, entry file, wasm, the index chunks for the query
    and the fragments of the first results; every file below the bundle
    folder counts, nothing else (the theme's own assets are cached site-wide).
    """
    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, NetworkGuard, serve

    bundles = sorted(site.rglob("pagefind.js"))
    if not bundles:
        return {"error": "no pagefind.js in the built site"}
    if not CHROMIUM.is_file():
        return {"error": f"{CHROMIUM} missing"}
    from playwright.sync_api import sync_playwright

    bundle_rel = bundles[0].parent.relative_to(site).as_posix() + "/"
    out: dict[str, Any] = {"bundle": bundle_rel, "bundle_kb": dir_kb(bundles[0].parent)}
    with serve(site) as served, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for name, query in QUERIES.items():
                context = browser.new_context()
                guard = NetworkGuard()
                context.route("**/*", guard.route)
                page = context.new_page()
                served.log.clear()
                found = _query(page, served, site, bundle_rel, query)
                loaded = [(p, n) for p, n in served.log if f"/{bundle_rel}" in p]
                out[name] = {
                    "query": query,
                    "via": found["via"],
                    "results": found["count"],
                    "first": found["title"],
                    "requests": len(loaded),
                    "kb": round(sum(n for _, n in loaded) / 1024, 1),
                    "files": {p.rsplit("/", 1)[-1]: round(n / 1024, 1) for p, n in loaded},
                    "foreign_requests": guard.foreign,
                }
                context.close()
        finally:
            browser.close()
    out["kb"] = max(out[q]["kb"] for q in QUERIES)
    return out


# (name, the plain build it is measured against)
CONTENDERS = (
    ("hub build", "plain build"),
    ("hub build zensical", "plain zensical"),
    ("hook build", "plain build"),  # today's MkDocs-hook build (--baseline-src), if given
)


@dataclass
class SizeResult:
    posts: int
    via: str
    runs: dict[str, Run] = field(default_factory=dict)
    # every round's runs per name (plain and hub builds, back to back)
    rounds: dict[str, list[Run]] = field(default_factory=dict)
    # hub build / plain build per round, the two run back to back
    pair_ratios: list[float] = field(default_factory=list)
    plain_seconds: list[float] = field(default_factory=list)  # each round's plain build
    hub_pages: dict[str, Any] = field(default_factory=dict)
    plain_pages: dict[str, Any] = field(default_factory=dict)
    plain_search_index_kb: float | None = None
    search: dict[str, Any] = field(default_factory=dict)

    def seconds(self, *names: str) -> float | None:
        values = [self.runs[n].seconds if n in self.runs else None for n in names]
        return round(sum(values), 2) if all(v is not None for v in values) else None

    def round_ratios(self, name: str, plain: str, *, cpu: bool = False) -> list[float]:
        """name / plain per round, from the runs of one round (back to back)."""
        def value(r: Run) -> float | None:
            return r.cpu_seconds if cpu else r.seconds

        pairs = zip(self.rounds.get(plain, []), self.rounds.get(name, []), strict=False)
        return [round(value(h) / value(p), 3) for p, h in pairs
                if p.code == 0 and h.code == 0 and value(p) and value(h)]

    def median_of(self, name: str, what: str) -> float | None:
        values = [getattr(r, what) for r in self.rounds.get(name, [])
                  if r.code == 0 and getattr(r, what) is not None]
        return round(statistics.median(values), 2) if values else None


def best(runs: list[Run]) -> Run:
    """The fastest successful run: other processes on the machine only ever add time."""
    ok = [r for r in runs if r.code == 0 and r.seconds is not None]
    return min(ok, key=lambda r: r.seconds or 0) if ok else runs[-1]


def baseline_copy(dest: Path, work: Path, baseline: Path) -> None:
    """The same posts, cards and settings in the layout of the baseline checkout."""
    shutil.copytree(work / "content", dest / "content", symlinks=False,
                    ignore=shutil.ignore_patterns(".sync"))
    for name in ("guidelines", "hub.yml"):
        src = work / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    for name in BASELINE_INPUTS:
        src = baseline / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / name)


def bench_size(n: int, out: Path, *, blog: bool, blog_timeout: float, repeat: int,
               baseline: Path | None = None, zensical: bool = True) -> SizeResult:
    print(f"== {n} posts", file=sys.stderr)
    base = out / str(n)
    shutil.rmtree(base, ignore_errors=True)
    work = base / "hub"
    copy_inputs(work)
    items = synthetic_items(n)
    has_sync = importlib.util.find_spec("hub.posts.sync") is not None
    result = SizeResult(posts=n, via="sync" if has_sync else "direct")
    runs = result.runs
    if has_sync:
        write_feeds(work, items)
        runs["sync cold"] = run("sync cold", hub_cmd("sync", "--today", TODAY), work)
        runs["sync warm"] = run("sync warm", hub_cmd("sync", "--today", TODAY), work)
        if runs["sync cold"].code != 0:
            result.via = "direct (sync failed)"
    if result.via != "sync":
        write_posts_directly(work, items)
    if importlib.util.find_spec("hub.cards.draw") is not None:
        runs["cards cold"] = run("cards cold", hub_cmd("cards"), work)
        runs["cards warm"] = run("cards warm", hub_cmd("cards"), work)

    plain = base / "plain"
    write_plain(plain, work / "content" / "posts")
    contenders: list[tuple[str, list[str], Path, Path]] = [
        ("plain build", mkdocs_cmd(plain / "site"), plain, REPO),
        ("hub build", hub_cmd("build", "--site-dir", "site"), work, REPO),
    ]
    if zensical:
        plain_z = base / "plain-zensical"
        write_plain_zensical(plain_z, work / "content" / "posts")
        contenders += [
            ("plain zensical", zensical_cmd(), plain_z, REPO),
            ("hub build zensical",
             hub_cmd("build", "--renderer", "zensical", "--site-dir", "site-zensical"), work, REPO),
        ]
    if baseline is not None:
        hook = base / "hook"
        baseline_copy(hook, work, baseline)
        contenders.append(("hook build", hub_cmd("build", "--site-dir", "site"), hook, baseline))
    for i in range(repeat):
        for what, cmd, cwd, path in contenders if i % 2 == 0 else reversed(contenders):
            result.rounds.setdefault(what, []).append(run(what, cmd, cwd, pythonpath=path))
    for what, every in result.rounds.items():
        runs[what] = best(every)
    result.pair_ratios = result.round_ratios("hub build", "plain build")
    result.plain_seconds = [r.seconds for r in result.rounds["plain build"]
                            if r.code == 0 and r.seconds]

    result.plain_pages = page_sizes(plain / "site")
    index = plain / "site" / "search" / "search_index.json"
    result.plain_search_index_kb = kb(index) if index.is_file() else None
    if runs["hub build"].code == 0:
        result.hub_pages = page_sizes(work / "site")
        result.search = search_payload(work / "site")
    if blog:
        blog_dir = base / "blog"
        write_blog(blog_dir, work / "content" / "posts")
        runs["blog plugin"] = run(
            "blog plugin", mkdocs_cmd(blog_dir / "site"), blog_dir, timeout=blog_timeout
        )
    return result


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _rest(total: float | None, *parts: float | None) -> float | None:
    if total is None or any(p is None for p in parts):
        return None
    return round(total - sum(p for p in parts if p is not None), 2)


def summarize(results: list[SizeResult]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for r in results:
        full = r.seconds("sync warm", "hub build") if r.via == "sync" else r.seconds("hub build")
        summary[str(r.posts)] = {
            "build_s": r.seconds("hub build"),
            "full_s": full,
            "plain_s": r.seconds("plain build"),
            # The median of per-round ratios: each round's two builds ran back
            # to back, so a slow spell on a shared machine hits both; the
            # best-of-each ratio can pair a lucky plain run with an unlucky hub one.
            "build_ratio": round(statistics.median(r.pair_ratios), 2) if r.pair_ratios else None,
            "build_ratio_rounds": r.pair_ratios,
            "build_ratio_best_of_each": ratio(r.seconds("hub build"), r.seconds("plain build")),
            # sync (warm) + hub build against the plain build, per round as above
            "full_ratio": round(statistics.median(
                hub_over_plain + (r.seconds("sync warm") or 0) / plain
                for hub_over_plain, plain in zip(r.pair_ratios, r.plain_seconds, strict=True)
            ), 2) if r.pair_ratios and r.via == "sync" else ratio(full, r.seconds("plain build")),
            "full_ms_per_post": round(full * 1000 / r.posts, 2) if full else None,
            "post_page_kb": r.hub_pages.get("post_max_kb"),
            "home_kb": r.hub_pages.get("home_kb"),
            "search_payload_kb": r.search.get("kb"),
            "plain_search_index_kb": r.plain_search_index_kb,
            # Pagefind indexes each page as MkDocs writes it (`pagefind --service`
            # in hub.build), so its time is inside the MkDocs part, not a part of its own.
            "hub_build_parts_s": {
                "cards_warm": r.seconds("cards warm"),
                "site_and_search": _rest(r.seconds("hub build"), r.seconds("cards warm")),
            },
            # Per contender: medians over the rounds of wall time, CPU (user + sys)
            # and peak memory, and of its per-round ratios to its plain build.
            "contenders": {
                name: {
                    "plain": plain,
                    "wall_s": r.median_of(name, "seconds"),
                    "cpu_s": r.median_of(name, "cpu_seconds"),
                    "peak_mb": r.median_of(name, "peak_mb"),
                    "plain_wall_s": r.median_of(plain, "seconds"),
                    "plain_cpu_s": r.median_of(plain, "cpu_seconds"),
                    "plain_peak_mb": r.median_of(plain, "peak_mb"),
                    "wall_ratio": _median(r.round_ratios(name, plain)),
                    "wall_ratio_rounds": r.round_ratios(name, plain),
                    "cpu_ratio": _median(r.round_ratios(name, plain, cpu=True)),
                    "cpu_ratio_rounds": r.round_ratios(name, plain, cpu=True),
                }
                for name, plain in CONTENDERS if name in r.rounds
            },
        }
    sizes = sorted(results, key=lambda r: r.posts)
    if len(sizes) >= 2:
        small, big = summary[str(sizes[0].posts)], summary[str(sizes[-1].posts)]
        summary["per_post_ratio"] = ratio(big["full_ms_per_post"], small["full_ms_per_post"])
    return summary


def table(results: list[SizeResult], summary: dict[str, Any]) -> str:
    def f(value: Any, unit: str = "") -> str:
        return "-" if value is None else f"{value}{unit}"

    rows = [("posts", "what", "seconds", "CPU s", "peak MB")]
    for r in results:
        for run_ in r.runs.values():
            rows.append(
                (
                    str(r.posts),
                    run_.what,
                    f(run_.seconds) if run_.code == 0 else f"fail: {run_.note[:40]}",
                    f(run_.cpu_seconds),
                    f(run_.peak_mb),
                )
            )
    width = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(width[i]) for i, c in enumerate(row)) for row in rows]
    lines.append("")
    lines.append(
        f"{'posts':>6}  {'build/plain':>11}  {'full/plain':>10}  {'ms/post':>8}  "
        f"{'post KB':>8}  {'home KB':>8}  {'search KB':>9}  {'mkdocs search KB':>16}"
    )
    for r in results:
        s = summary[str(r.posts)]
        lines.append(
            f"{r.posts:>6}  {f(s['build_ratio'], 'x'):>11}  {f(s['full_ratio'], 'x'):>10}  "
            f"{f(s['full_ms_per_post']):>8}  {f(s['post_page_kb']):>8}  {f(s['home_kb']):>8}  "
            f"{f(s['search_payload_kb']):>9}  {f(s['plain_search_index_kb']):>16}"
        )
    for r in results:
        rounds = ", ".join(f"{x:.2f}x" for x in r.pair_ratios)
        lines.append(f"{r.posts} posts, hub/plain per round (median is build/plain): {rounds}")
        for name, c in summary[str(r.posts)]["contenders"].items():
            lines.append(
                f"{r.posts} posts, {name} vs {c['plain']}: wall {f(c['wall_s'])} s vs"
                f" {f(c['plain_wall_s'])} s, median ratio {f(c['wall_ratio'], 'x')}"
                f" {c['wall_ratio_rounds']}; CPU {f(c['cpu_s'])} s vs {f(c['plain_cpu_s'])} s,"
                f" ratio {f(c['cpu_ratio'], 'x')}; peak {f(c['peak_mb'])} MB vs"
                f" {f(c['plain_peak_mb'])} MB"
            )
    if "per_post_ratio" in summary:
        lines.append(f"per-post cost, largest / smallest size: {f(summary['per_post_ratio'], 'x')}")
    lines.append(
        "targets: build/plain <= {build_ratio}x (Zensical {zensical_build_ratio}x), CPU <="
        " {cpu_ratio}x, per-post <= {per_post_ratio}x, post page < {post_page_kb} KB,"
        " search < {search_payload_kb} KB".format(**TARGETS)
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated post counts")
    parser.add_argument("--out", default=str(REPO / "bench-out" / "site"), help="work folder")
    parser.add_argument("--json", help="results file (default: OUT/bench_site.json)")
    parser.add_argument("--no-blog", action="store_true", help="skip Material's blog plugin")
    parser.add_argument("--blog-at", type=int, default=1000, help="size to run the blog plugin at")
    parser.add_argument("--blog-timeout", type=float, default=240.0, help="seconds")
    parser.add_argument(
        "--repeat", type=int, default=3,
        help="rounds of a plain and a hub build, back to back, alternating which goes first",
    )
    parser.add_argument("--baseline-src", help="a checkout of the hub to time beside this one"
                        " (e.g. `git worktree add /tmp/main main`): its build is 'hook build'")
    parser.add_argument("--no-zensical", action="store_true", help="skip the Zensical builds")
    args = parser.parse_args(argv)

    load_before = list(os.getloadavg())
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = [
        bench_size(
            n,
            out,
            blog=not args.no_blog and n == args.blog_at,
            blog_timeout=args.blog_timeout,
            repeat=max(1, args.repeat),
            baseline=Path(args.baseline_src).resolve() if args.baseline_src else None,
            zensical=not args.no_zensical,
        )
        for n in sizes
    ]
    summary = summarize(results)
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average_before": load_before,
            "load_average_after": list(os.getloadavg()),
        },
        "targets": TARGETS,
        "summary": summary,
        "sizes": [
            {**asdict(r), "runs": {k: asdict(v) for k, v in r.runs.items()}} for r in results
        ],
    }
    target = Path(args.json) if args.json else out / "bench_site.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    print(table(results, summary))
    for n, s in summary.items():
        if isinstance(s, dict):
            print(f"{n} posts, hub build parts (s): {s['hub_build_parts_s']}")
    before, after = (
        report["machine"]["load_average_before"],
        report["machine"]["load_average_after"],
    )
    print(
        f"load average before {before[0]:.1f}, after {after[0]:.1f} on {os.cpu_count()} cores"
        " (other work on the machine slows both builds; ratios hold better than seconds)"
    )
    print(f"\nresults: {target}")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
