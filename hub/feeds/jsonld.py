"""schema.org JSON-LD in item HTML: job postings and events are found the same way."""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Mapping
from typing import Any

LD_JSON = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)


def ld_nodes(html_text: str, types: frozenset[str]) -> list[Mapping[str, Any]]:
    """The schema.org JSON-LD objects of `types` in item HTML, in document order (inside
    lists and `@graph`s too); blocks that are not JSON are skipped."""
    found: list[Mapping[str, Any]] = []
    for match in LD_JSON.finditer(html_text):
        raw = match.group(1)
        try:
            data = json.loads(htmllib.unescape(raw) if "&quot;" in raw else raw)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                kind = node.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if types.intersection(k for k in kinds if isinstance(k, str)):
                    found.append(node)
                if isinstance(node.get("@graph"), list):
                    stack.extend(reversed(node["@graph"]))
    return found
