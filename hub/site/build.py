"""`advocacy-hub build`: (sync), cards, the site source, its rendering and its Pagefind index.

The generator (hub.site.generator) writes every page as a plain file; a
renderer (MkDocs + Material by default, or Zensical) builds them in its own
process while this one hands the same pages to Pagefind, so search costs
little wall time beyond the renderer's. A check then compares the built site
with what was generated before it replaces the old site.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib
import importlib.util
import io
import json
import logging
import os
import queue
import shutil
import subprocess
import sys
import threading
from html import escape
from pathlib import Path
from collections.abc import Callable
from typing import Any, cast


from hub import dates
from hub.config import CONFIG_NAME, ConfigError, HubConfig, load_config
from hub.files import code_version, write_atomic
from hub.posts.schema import CARDS_DIR
from hub.site import images, listing
from hub.site.generator import (
    FEED, POSTS, GenerateError, SearchDoc, SiteSource, generate,
)

log = logging.getLogger("hub.site.build")

MKDOCS_FILE = "mkdocs.yml"
PAGEFIND_DIR = "pagefind"


class BuildError(Exception):
    """A build step failed; the message is the one line to show."""


def _stage(module: str, func: str) -> Any | None:
    try:
        return getattr(importlib.import_module(module), func)
    except ImportError as exc:
        if exc.name and not module.startswith(exc.name) and exc.name != module:
            raise
        return None


class LiveSearchIndex:
    """Pagefind fed each page as MkDocs reads it, instead of reading the site afterwards.

    Pagefind's binary runs as a service process (`pagefind --service`) and
    indexes on the second core while MkDocs renders on the first, so search
    costs little wall time beyond the MkDocs build (run after it, Pagefind
    took 10-22 s of a 5,000-post build). Its protocol is simple: base64 JSON
    messages ended by a comma, both ways. Pagefind's own Python client is not
    used: it reads one answer per 0.1 s (measured: 1,000 pages in 101 s).
    """

    def __init__(self, executable: Path, output: Path, language: str) -> None:
        self._output = output
        self._proc = subprocess.Popen(
            [str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._answers: dict[int, dict[str, Any]] = {}
        self._ended = False
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, name="pagefind", daemon=True)
        self._reader.start()
        self._last_id = 0
        self._pages: list[int] = []
        self._sending = threading.Lock()
        # Messages go out from a thread of their own: a full pipe (Pagefind
        # still busy with earlier pages) never holds up the build.
        self._outbox: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send_all, name="pagefind-send", daemon=True)
        self._sender.start()
        self._writer: threading.Thread | None = None
        self._failure: BuildError | None = None
        answer = self._ask({"type": "NewIndex", "config": {"force_language": language}})
        self._index_id = int(answer["index_id"])

    def _read(self) -> None:
        assert self._proc.stdout is not None
        pending = b""
        stdout = cast(io.BufferedReader, self._proc.stdout)
        while chunk := stdout.read1(1 << 16):
            *messages, pending = (pending + chunk).split(b",")
            for message in messages:
                answer = json.loads(base64.b64decode(message))
                with self._changed:
                    self._answers[int(answer.get("message_id") or 0)] = answer["payload"]
                    self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def _send_all(self) -> None:
        assert self._proc.stdin is not None
        while (message := self._outbox.get()) is not None:
            try:
                self._proc.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
                self._proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                return  # Pagefind is gone: its answers never come, and _answer says so

    def _send(self, payload: dict[str, Any]) -> int:
        with self._sending:
            self._last_id += 1
            self._outbox.put({"message_id": self._last_id, "payload": payload})
            return self._last_id

    def _answer(self, message_id: int) -> dict[str, Any]:
        with self._changed:
            self._changed.wait_for(lambda: message_id in self._answers or self._ended)
            answer = self._answers.pop(message_id, None)
        if answer is None:
            raise BuildError("search: pagefind stopped before it answered")
        if answer.get("type") == "Error":
            raise BuildError(f"search: pagefind failed: {answer.get('message')}")
        return answer

    def _ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self._answer(self._send(payload))

    def add(self, html: str, path: str) -> None:
        """Queue one page (`path` relative to the site, as Pagefind derives its URL from it)."""
        if self._writer is not None:
            raise BuildError(f"search: {path} came after the search index was written")
        self._pages.append(self._send({"type": "AddFile", "index_id": self._index_id,
                                       "file_path": path, "url": None, "file_contents": html}))

    def finish(self) -> None:
        """Every page is in: write the bundle in the background while the build goes on.

        Writing 5,000 pages' bundle takes Pagefind seconds; started here it
        overlaps MkDocs rendering the templates instead of following it.
        """
        if self._writer is None:
            self._writer = threading.Thread(target=self._write, name="pagefind-write",
                                            daemon=True)
            self._writer.start()

    def _write(self) -> None:
        try:
            for message_id in self._pages:
                self._answer(message_id)
            self._ask({"type": "WriteFiles", "index_id": self._index_id,
                       "output_path": str(self._output)})
        except BuildError as exc:
            self._failure = exc

    def close(self, *, write: bool) -> None:
        """Wait for the bundle if `write` (writing it now if finish was not called), stop."""
        try:
            if write:
                self.finish()
                assert self._writer is not None
                self._writer.join()
                if self._failure is not None:
                    raise self._failure
        finally:
            self._outbox.put(None)
            self._proc.terminate()
            self._sender.join()
            if self._proc.stdin is not None:
                self._proc.stdin.close()
            self._proc.wait()
            self._reader.join()
            if self._writer is not None:
                self._writer.join()
            if self._proc.stdout is not None:
                self._proc.stdout.close()


def _live_search(site_dir: Path) -> LiveSearchIndex | None:
    """The service when this install has Pagefind's binary, else None (then the CLI runs)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    executable = get_executable()
    if executable is None:
        return None
    return LiveSearchIndex(executable, site_dir / PAGEFIND_DIR, search_language())


RENDERERS = ("mkdocs", "zensical")
BUILD_DIR = Path(".build") / "site-src"
CHECK_CACHE = "check-cache.json"  # the build's check findings, by what they were read from
RENDERED = "site"  # the renderer's output, inside the build folder


def renderer_command(renderer: str, config: Path) -> list[str]:
    """The renderer's own CLI on the generated config, in a process of its own.

    Its own process: the hub converts the pages for search on the other core
    meanwhile, without sharing an interpreter lock with it.
    """
    if renderer == "zensical":
        return [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(config)]
    return [sys.executable, "-m", "mkdocs", "build", "-f", str(config)]


def _markdown(config: dict[str, Any]) -> Any:
    """One Markdown with the renderer config's extensions, reused for every page's search text."""
    import markdown

    names: list[str] = []
    settings: dict[str, Any] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, options in item.items():
                names.append(name)
                settings[name] = options or {}
        else:
            names.append(str(item))
    return markdown.Markdown(extensions=names, extension_configs=settings)


def search_document(doc: SearchDoc, md: Any) -> str:
    """A page as search sees it: the content the theme wraps in data-pagefind-body.

    Material and Zensical add an <h1> of the title when the content has none
    (partials/content.html): so does this.
    """
    try:
        html = doc.head + md.convert(doc.markdown)
    finally:
        md.reset()
    heading = "" if "<h1" in html else f"<h1>{doc.title}</h1>"
    lang_attr = f' lang="{escape(doc.lang)}"' if doc.lang else ""
    return (f"<html><head><title>{doc.title}</title></head><body><div data-pagefind-body"
            f"{lang_attr}>{heading}{html}</div></body></html>")


SEARCH_CACHE = "search-cache.json"  # in the build folder, beside the site source


def _versions() -> str:
    """What a page's search text depends on besides the page: the converters' versions."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("markdown", "pymdown-extensions", "nh3"):
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    mdx_source = Path(__file__).with_name("mdx.py").read_bytes()
    return ";".join(found) + ";" + hashlib.sha256(mdx_source).hexdigest()


SEARCH_BUNDLE = "search-bundle"  # the last build's Pagefind bundle, by what it indexed


class SearchBundle:
    """The last build's Pagefind bundle, reused while every page it indexed is the same.

    Pagefind's indexing cost more CPU than MkDocs' whole build (~3 s at 1,000
    posts), while most builds index the pages of the build before. The key
    is every page's path and search text, the language, Pagefind's version
    and the hub's code (which holds Pagefind's settings); the bundle is kept
    as hard links beside the site source.
    """

    KEY = ".key"

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._key = ""
        self.hit = False

    def same(self, documents: list[tuple[str, str]], language: str) -> bool:
        from importlib.metadata import PackageNotFoundError, version

        try:
            engine = version("pagefind")
        except PackageNotFoundError:
            engine = "-"
        self._key = hashlib.sha256(json.dumps([engine, code_version(), language, documents],
                                              ensure_ascii=False)
                                   .encode("utf-8")).hexdigest()
        try:
            self.hit = (self._folder / self.KEY).read_text(encoding="utf-8") == self._key
        except OSError:
            self.hit = False
        return self.hit

    def keep(self, bundle: Path) -> None:
        """Remember this build's bundle (the key written last: a killed copy never matches)."""
        shutil.rmtree(self._folder, ignore_errors=True)
        link_tree(bundle, self._folder)
        write_atomic(self._folder / self.KEY, self._key, durable=False)

    def copy_to(self, bundle: Path) -> None:
        link_tree(self._folder, bundle)
        (bundle / self.KEY).unlink(missing_ok=True)


class SearchCache:
    """Each page's search text from the last build, by a hash of everything it comes from.

    Converting every page's Markdown again for search cost ~1 s CPU at 1,000
    posts, while most pages are the same as in the last build. The key is
    the page (Markdown, head, title, language), the Markdown settings and
    the converters' versions, so a changed input is converted again; the
    file keeps only this build's pages.
    """

    def __init__(self, path: Path, config: dict[str, Any]) -> None:
        self._path = path
        self._config = config
        self._md: Any = None
        self._salt = json.dumps([config.get("markdown_extensions"), _versions()],
                                sort_keys=True, default=str)
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        self._old: dict[str, str] = old if isinstance(old, dict) else {}
        self._new: dict[str, str] = {}

    def document(self, doc: SearchDoc) -> str:
        key = hashlib.sha256(json.dumps(
            [self._salt, doc.markdown, doc.head, doc.title, doc.lang]).encode("utf-8")).hexdigest()
        html = self._old.get(key)
        if not isinstance(html, str):
            if self._md is None:
                self._md = _markdown(self._config)
            html = search_document(doc, self._md)
        self._new[key] = html
        return html

    def save(self) -> None:
        if self._new != self._old:
            write_atomic(self._path, json.dumps(self._new, ensure_ascii=False), durable=False)


def check_site(site_dir: Path, source: SiteSource) -> list[str]:
    """What the built site gets wrong against what the generator wrote: one line each.

    Every published post has its page and no other post has one; every
    listing page is there and no other; feed.xml is there.
    """
    problems: list[str] = []
    posts_dir = site_dir / POSTS
    built = {p.parent.name for p in posts_dir.glob("*/index.html")} if posts_dir.is_dir() else set()
    want = set(source.posts)
    problems += [f"posts/{slug}/: published but not built" for slug in sorted(want - built)]
    problems += [f"posts/{slug}/: built but not published" for slug in sorted(built - want)]
    listings = set(source.listing_urls)
    found = {""} if (site_dir / "index.html").is_file() else set()
    for kind in ("page", "category", "language", "tag"):
        folder = site_dir / kind
        if folder.is_dir():
            found |= {p.parent.relative_to(site_dir).as_posix() + "/"
                      for p in folder.rglob("index.html")}
    problems += [f"{url or 'home'}: listing page not built" for url in sorted(listings - found)]
    problems += [f"{url}: listing page nobody generated" for url in sorted(found - listings)]
    if not (site_dir / FEED).is_file():
        problems.append(f"{FEED}: not built")
    return problems


class _Beside(threading.Thread):
    """Work that needs no renderer output, run while the renderer (another process) works.

    The build's check took ~5 s CPU at 1,000 posts before the renderer
    started; beside it, it runs on the core the renderer leaves.
    """

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__(name="beside-renderer", daemon=True)
        self._work = work
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self._work()
        except BaseException as exc:  # raised again in the build's thread by finish()
            self._error = exc

    def finish(self) -> None:
        self.join()
        if self._error is not None:
            raise self._error


def _run_renderer(renderer: str, config: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    package_root = str(Path(__file__).resolve().parents[2])  # hub.site.mdx for the renderer
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    return subprocess.Popen(renderer_command(renderer, config), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, cwd=config.parent)


def _worth_showing(output: str) -> str:
    """The renderer's output without its progress lines (MkDocs' INFO, Zensical's "Build ...")."""
    lines = [line for line in output.splitlines() if line.strip() and not line.startswith(
        ("INFO", "Build started", "Build finished", "No issues found"))]
    return "\n".join(lines)


def _renderer_failed(renderer: str, output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    last = lines[-1] if lines else "no output"
    first = next((line for line in lines if line.startswith(("ERROR", "WARNING"))), None)
    return f"site: {renderer} failed: {last}" + (f"; first: {first}" if first else "")


def link_tree(source: Path, dest: Path) -> int:
    """Hard-link every file under `source` into `dest` (copy where links are not allowed).

    The cards: a renderer would copy 10,000 card PNGs (5-6 s of a 5,000-post
    build); a link takes microseconds. Nothing rewrites a card in place (the
    cards stage replaces files atomically). Returns how many.
    """
    count = 0
    made: set[Path] = set()
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        target = dest / path.relative_to(source)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if target.exists():
            continue
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        count += 1
    return count


def build_site(
    mkdocs_file: Path, *, site_dir: Path, docs_dir: Path | None = None,
    hub_config: Path | None = None, strict: bool = True, search: bool = True,
    renderer: str = "mkdocs", build_dir: Path | None = None, speedups: bool = True,
    alongside: Callable[[], object] | None = None, pictures: bool = False,
) -> SiteSource:
    """Generate the site source, render it, index it for search, check it.

    `mkdocs_file` holds the renderer settings the hub starts from (theme,
    Markdown extensions); the hub's own folder is its folder. Pagefind
    indexes each generated page while the renderer runs (unless every page
    is the last build's: its bundle is reused), and so does `alongside`
    (the build's check) in a thread of this process.
    """
    if renderer not in RENDERERS:
        raise BuildError(f"--renderer {renderer!r}: use one of {', '.join(RENDERERS)}")
    if not mkdocs_file.is_file():
        raise BuildError(f"{mkdocs_file}: not found; run from the hub's folder")
    root = mkdocs_file.resolve().parent
    config_path = hub_config or root / CONFIG_NAME
    try:
        hub = load_config(config_path) if hub_config or config_path.is_file() else HubConfig()
        today = dates.today()
    except (ConfigError, ValueError) as exc:
        raise BuildError(f"site: {exc}") from None
    folder = (build_dir or root / BUILD_DIR).resolve()
    site_dir = site_dir.resolve()
    try:
        # Rendered inside the build folder (Zensical wants site_dir below its
        # config), then put in place whole: the old site stays until the new one is done.
        source = generate(hub, root=root, content=docs_dir or root / "content", folder=folder,
                          site_dir=folder / RENDERED, base_config=mkdocs_file, today=today,
                          strict=strict, speedups=speedups, pictures=pictures)
    except GenerateError as exc:
        raise BuildError(f"site: {exc}") from None
    shutil.rmtree(folder / PAGEFIND_DIR, ignore_errors=True)
    proc = _run_renderer(renderer, source.config)
    beside = _Beside(alongside) if alongside is not None else None
    live: LiveSearchIndex | None = None
    bundle = SearchBundle(folder / SEARCH_BUNDLE) if search else None
    try:
        if bundle is not None:
            cache = SearchCache(folder / SEARCH_CACHE, source.renderer_config)
            documents = [(doc.path, cache.document(doc)) for doc in source.search]
            cache.save()
            if not bundle.same(documents, search_language()):
                live = _live_search(folder)
            if live is not None:
                for path, html in documents:
                    live.add(html, path)
                live.finish()
        output = proc.communicate()[0].decode("utf-8", "replace")
    except BaseException:
        proc.kill()
        proc.wait()
        if live is not None:
            live.close(write=False)
        if beside is not None:
            beside.join()
        raise
    if beside is not None:
        beside.finish()
    shown = _worth_showing(output)
    if shown:
        sys.stderr.write(shown + "\n")
    if live is not None:
        live.close(write=proc.returncode == 0)
    if proc.returncode != 0:
        raise BuildError(_renderer_failed(renderer, output))
    rendered = folder / RENDERED
    cards = source.docs / CARDS_DIR
    if cards.is_dir():
        link_tree(cards, rendered / CARDS_DIR)
    if bundle is not None:
        if live is not None:
            shutil.move(str(folder / PAGEFIND_DIR), rendered / PAGEFIND_DIR)
            bundle.keep(rendered / PAGEFIND_DIR)
        elif bundle.hit:
            bundle.copy_to(rendered / PAGEFIND_DIR)
        else:
            index_search(rendered)
    problems = check_site(rendered, source)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise BuildError(f"site check: {problems[0]}{more}; the site in {site_dir} is unchanged")
    shutil.rmtree(site_dir, ignore_errors=True)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(rendered), site_dir)
    return source

def search_language() -> str:
    """The one language Pagefind indexes the whole site as.

    Pagefind splits its index per page language and a search only reads the
    index of the page it runs on, so a Chinese post would be invisible from
    the English search page. One index for all pages fixes that; with the
    extended binary (pip `pagefind[extended]`), indexing as Chinese segments
    CJK text into words while Latin words still split on spaces (measured:
    both found). Without it, English keeps at least English stemming.
    """
    if importlib.util.find_spec("pagefind_bin_extended") or shutil.which("pagefind_extended"):
        return "zh"
    log.warning("search: Chinese and Japanese words are found only at the start of a sentence;"
                " install pagefind[extended] for word segmentation")
    return "en"


def index_search(site_dir: Path) -> None:
    """Write the Pagefind bundle into SITE/pagefind/ (its UI is served from there too)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir),
               "--output-subdir", PAGEFIND_DIR, "--force-language", search_language(),
               "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BuildError("search: pagefind failed: " + (detail[-1] if detail else "no output"))


def _sub_args(ns: argparse.Namespace, **options: Any) -> argparse.Namespace:
    return argparse.Namespace(config=ns.config, quiet=ns.quiet, verbose=ns.verbose, **options)


def command(ns: argparse.Namespace) -> int:
    config_path = Path(ns.config)
    load_config(config_path)  # fail early, with the settings' own message
    root = config_path.resolve().parent
    code = 0
    if ns.sync:
        sync = _stage("hub.posts.sync", "command")
        if sync is None:
            log.warning("sync is not available in this install; building the posts already there")
        else:
            code = int(sync(_sub_args(ns, feed=None, today=None, offline=ns.offline,
                                      refresh=False)) or 0)
            if code == 2:
                return code
    cards = _stage("hub.cards.draw", "command")
    if cards is None:
        log.warning("cards: hub.cards is not available yet; posts are shown without cards")
    else:
        card_code = int(cards(_sub_args(ns, jobs=0, force=False)) or 0)
        code = code or card_code
    report = _stage("hub.comms.check", "report_as_warnings")
    check: Callable[[], object] | None = None
    checked: list[bool] = []
    if report is not None:
        # The check's findings, as warnings, while the renderer runs (or
        # after a build that stopped before it).
        def check() -> object:
            checked.append(True)
            return report(config_path, cache=root / BUILD_DIR.parent / CHECK_CACHE)
    site_dir = Path(ns.site_dir)
    if not site_dir.is_absolute():
        site_dir = root / site_dir
    try:
        build_site(root / MKDOCS_FILE, site_dir=site_dir, hub_config=config_path.resolve(),
                   strict=not ns.no_strict, renderer=getattr(ns, "renderer", "mkdocs"),
                   alongside=check, pictures=not getattr(ns, "offline", False))
    except BuildError as exc:
        if check is not None and not checked:
            check()
        log.error("%s", exc)
        return 1
    log.info("site: written to %s", site_dir)
    return code


def preview(config_path: Path, out: Path) -> int:
    """A preview site of candidate posts in OUT/content/posts, written to OUT/site."""
    root = Path(__file__).resolve().parents[2]
    mkdocs_file = config_path.resolve().parent / MKDOCS_FILE
    if not mkdocs_file.is_file():
        mkdocs_file = root / MKDOCS_FILE
    try:
        build_site(mkdocs_file, site_dir=out / "site", docs_dir=out / "content",
                   hub_config=config_path.resolve() if config_path.is_file() else None,
                   strict=False, build_dir=out / ".build" / "site-src")
    except BuildError as exc:
        log.error("%s", exc)
        return 1
    log.info("preview: open %s", out / "site" / "index.html")
    return 0
