"""The `advocacy-hub` command: one entry point, one subcommand per stage.

`main(args) -> int` is what tests call, without a subprocess; `run()` is the
console script. Each subcommand lives in the module of the thing it handles
and is imported only when used, so `check` stays fast and a broken optional
stage cannot stop the others.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from hub.config import CONFIG_NAME, ConfigError

log = logging.getLogger("hub")

# subcommand -> "module:function"; each function takes the parsed arguments
# and returns the exit code.
COMMANDS = {
    "sync": "hub.posts.sync:command",
    "try": "hub.posts.sync:try_command",
    "cards": "hub.cards.draw:command",
    "build": "hub.site.build:command",
    "check": "hub.comms.check:command",
    "new": "hub.comms.new:command",
    "digest": "hub.comms.digest:command",
    "import-analytics": "hub.comms.analytics:command",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="advocacy-hub",
        description="Sync approved feeds, draw social cards and build the advocacy hub site.",
    )
    _global_options(parser, CONFIG_NAME, False)
    # The same options after the subcommand (`advocacy-hub sync -q`); SUPPRESS
    # keeps a value given before the subcommand from being reset.
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, argparse.SUPPRESS, argparse.SUPPRESS)
    sub = parser.add_subparsers(  # type: ignore[call-overload]
        dest="command",
        required=True,
        metavar="COMMAND",
        # a partial is a parser factory; typeshed only admits classes here
        parser_class=functools.partial(argparse.ArgumentParser, parents=[common]),
    )

    p = sub.add_parser("sync", help="pull approved feeds into content/posts/")
    p.add_argument("--feed", action="append", help="sync only this feed (repeatable)")
    p.add_argument("--today", help="date used for expiry, YYYY-MM-DD (default: today, UTC)")
    p.add_argument("--offline", action="store_true", help="skip feeds given as http(s) URLs")
    p.add_argument(
        "--refresh",
        action="store_true",
        help="re-derive every item (after a hub upgrade); edited fields are still kept",
    )

    p = sub.add_parser("try", help="sync a candidate feed into a scratch folder, never content/")
    p.add_argument("source", help="feed URL or file")
    p.add_argument("--out", required=True, help="scratch folder for the posts (and preview site)")
    p.add_argument("--category", default="blog", help="category to file the items under")
    p.add_argument("--language", help="language of the items (default: the feed's own)")
    p.add_argument("--approval", choices=["auto", "draft"], default="auto")
    p.add_argument("--preview", action="store_true", help="also build a preview site in OUT/site")
    p.add_argument("--today", help="date used for expiry, YYYY-MM-DD")

    p = sub.add_parser("cards", help="draw the social cards of every post (incremental)")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument("--force", action="store_true", help="redraw every card")

    p = sub.add_parser("build", help="cards + site into site/ (runs no sync)")
    p.add_argument("--sync", action="store_true", help="sync the feeds first")
    p.add_argument("--offline", action="store_true",
                   help="download nothing: no http(s) feeds (with --sync), no body pictures")
    p.add_argument("--site-dir", default="site", help="output folder (default: site)")
    p.add_argument("--no-strict", action="store_true", help="let the renderer's warnings pass")
    p.add_argument("--renderer", choices=["mkdocs", "zensical"], default="mkdocs",
                   help="what turns the generated pages into HTML (default: mkdocs, with Material)")

    p = sub.add_parser("check", help="validate what comms can edit (for pull requests)")
    p.add_argument("paths", nargs="*", help="files or folders (default: content/ and guidelines/)")
    p.add_argument("--today", help="date used for expiry checks, YYYY-MM-DD")
    p.add_argument("--format", choices=["text", "github"], help="github: Actions annotations")

    p = sub.add_parser("new", help="start a hand-written post with its frontmatter filled in")
    p.add_argument("title")
    p.add_argument("--kind", default="internal", help="category: announcement, event, culture...")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.add_argument("--url", help="canonical URL people will share")

    p = sub.add_parser("digest", help="weekly digest: HTML email, text, Slack and Teams JSON")
    p.add_argument("--since", help="YYYY-MM-DD (default: seven days ago)")
    p.add_argument("--out", default="digest", help="folder for the digest files")
    p.add_argument(
        "--post", choices=["slack", "teams"], help="post to the webhook in $HUB_WEBHOOK_URL"
    )
    p.add_argument("--today", help="YYYY-MM-DD (default: today)")

    p = sub.add_parser("import-analytics", help="credit web-analytics traffic to advocates")
    p.add_argument("csv", help="analytics export (CSV)")
    p.add_argument("--month", help="YYYY-MM the export covers, when it has no Date column")
    return parser


def _global_options(parser: argparse.ArgumentParser, config: str, flag: object) -> None:
    parser.add_argument("--config", default=config, help="settings file (default: hub.yml)")
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=flag, help="only warnings and errors"
    )
    parser.add_argument("-v", "--verbose", action="store_true", default=flag, help="debug output")


def _setup_logging(quiet: bool, verbose: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    root = logging.getLogger("hub")
    root.setLevel(level)
    if not any(getattr(h, "_hub", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler._hub = True  # type: ignore[attr-defined]
        root.addHandler(handler)


def main(args: Sequence[str] | None = None) -> int:
    ns = _parser().parse_args(args)
    _setup_logging(ns.quiet, ns.verbose)
    module_name, func_name = COMMANDS[ns.command].split(":")
    try:
        func = getattr(importlib.import_module(module_name), func_name)
        return int(func(ns) or 0)
    except ConfigError as exc:
        for line in str(exc).splitlines():
            log.error("%s", line)
        return 2
    except KeyboardInterrupt:
        return 130


def run() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())


if __name__ == "__main__":
    run()
