"""The site's HTML, rendered from Jinja templates (hub/site/templates/) with autoescape on.

Every value from a post, a feed or a data file is escaped by Jinja unless a
template marks it safe, so escaping is no longer something each f-string had
to remember. Only HTML this package rendered itself (another template's
output, already a `Markup`) passes through unchanged.

The templates are written one element per line for reading; the loader joins
the lines and drops their indentation, so the pages carry no whitespace
between tags (the HTML the hub wrote before it had templates, byte for byte).
A space that matters between two lines is written `{{ " " }}`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, TemplateNotFound
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"


class _JoinedLines(BaseLoader):
    """Templates from TEMPLATES with each line stripped and the lines joined."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        path = TEMPLATES / template
        if not path.is_file():
            raise TemplateNotFound(template)
        text = "".join(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.stat().st_mtime == mtime


@cache
def environment() -> Environment:
    return Environment(loader=_JoinedLines(), autoescape=True,
                       keep_trailing_newline=False)


def render(name: str, **context: Any) -> Markup:
    """The template `name` rendered with `context`: HTML safe to place in a page."""
    return Markup(environment().get_template(name).render(**context))
