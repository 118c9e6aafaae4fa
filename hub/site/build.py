"""`advocacy-hub build`: (sync), cards, the MkDocs site and its Pagefind index.

MkDocs runs in-process with the repository's mkdocs.yml (the hook in
hub/site/mkdocs_hook.py does the hub's part); Pagefind indexes each page as MkDocs reads
it, so the search payload grows in small chunks instead of one index for every
visitor.
"""

from __future__ import annotations

import argparse
import base64
import importlib
import importlib.util
import json
import logging
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from hub.config import load_config

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


def mkdocs_config(
    mkdocs_file: Path, *, site_dir: Path, docs_dir: Path | None = None,
    hub_config: Path | None = None, strict: bool = True,
) -> Any:
    """The MkDocs config for a build; `hub_config` points the hook at a settings file."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config as load_mkdocs

    overrides: dict[str, Any] = {"site_dir": str(site_dir), "strict": strict}
    if docs_dir is not None:
        overrides["docs_dir"] = str(docs_dir)
    config = load_mkdocs(str(mkdocs_file), **overrides)
    if hub_config is not None:
        config.extra["hub_config"] = str(hub_config)
    return config


class _MkDocsLog(logging.StreamHandler):  # type: ignore[type-arg]
    """MkDocs' warnings (a broken link, a missing page) on stderr, as its own CLI shows them.

    The first error is kept, so the build's one-line failure can name the cause.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setLevel(logging.WARNING)
        self.setFormatter(logging.Formatter("%(levelname)s: mkdocs: %(message)s"))
        self.first_error: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR and self.first_error is None:
            self.first_error = record.getMessage().splitlines()[0]
        super().emit(record)


def _show_mkdocs_log() -> _MkDocsLog:
    handler = _MkDocsLog()
    logging.getLogger("mkdocs").addHandler(handler)
    return handler


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
        while chunk := self._proc.stdout.read1(1 << 16):
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


_live_index: LiveSearchIndex | None = None


def index_page(html: str, path: str) -> None:
    """Hand a page's searchable HTML to the search index this build makes (no-op outside `build`).

    The site hook calls this for the pages meant to be found; `mkdocs build`
    or `mkdocs serve` on their own have no index to feed.
    """
    if _live_index is not None:
        _live_index.add(html, path)


def finish_index() -> None:
    """Every page is indexed: the search bundle can be written (no-op outside `build`)."""
    if _live_index is not None:
        _live_index.finish()


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


def build_site(
    mkdocs_file: Path, *, site_dir: Path, docs_dir: Path | None = None,
    hub_config: Path | None = None, strict: bool = True, search: bool = True,
) -> None:
    """MkDocs build (strict: a warning, such as a broken link, fails it) and its Pagefind index."""
    global _live_index
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    if not mkdocs_file.is_file():
        raise BuildError(f"{mkdocs_file}: not found; run from the hub's folder")
    handler = _show_mkdocs_log()
    live = _live_search(site_dir) if search else None
    built = False
    try:
        config = mkdocs_config(mkdocs_file, site_dir=site_dir, docs_dir=docs_dir,
                               hub_config=hub_config, strict=strict)
        _live_index = live
        build(config)
        built = True
    except PluginError as exc:
        raise BuildError(f"site: {exc}") from None
    except (Abort, ConfigurationError) as exc:
        if handler.first_error:
            raise BuildError(f"site: {handler.first_error}") from None
        raise BuildError(f"site: {exc}; see the warnings above") from None
    finally:
        _live_index = None
        logging.getLogger("mkdocs").removeHandler(handler)
        if live is not None:
            live.close(write=built)
    if search and live is None:
        index_search(site_dir)


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
    if report is not None:
        report(config_path)  # the check's findings, as warnings
    site_dir = Path(ns.site_dir)
    if not site_dir.is_absolute():
        site_dir = root / site_dir
    try:
        build_site(root / MKDOCS_FILE, site_dir=site_dir, hub_config=config_path.resolve(),
                   strict=not ns.no_strict)
    except BuildError as exc:
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
                   strict=False)
    except BuildError as exc:
        log.error("%s", exc)
        return 1
    log.info("preview: open %s", out / "site" / "index.html")
    return 0
