"""axe-core in the page: the accessibility rules the hub promises (WCAG 2.2 AA).

axe-core comes from npm (scripts/test-deps.sh installs it into .cache/node),
not from a CDN, so the check itself respects the no-third-party-request rule
and runs offline. It is injected into the page under test and run there.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from tests.support.browser import REPO, require

AXE_JS = Path(
    os.environ.get(
        "HUB_AXE_JS", REPO / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
    )
)
WCAG_22_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
BLOCKING = ("serious", "critical")
# Best-practice rules the hub also keeps (any impact blocks): several unnamed
# landmarks of one kind are indistinguishable in a screen reader's landmark
# list, and a field named only by its title or placeholder loses the name
# as soon as someone types.
BEST_PRACTICE = ("landmark-unique", "label-title-only")


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def require_axe() -> None:
    require(AXE_JS.is_file(), f"{AXE_JS} not found (run scripts/test-deps.sh)")


def run_axe(
    page: Any, tags: tuple[str, ...] = WCAG_22_AA, rules: tuple[str, ...] = BEST_PRACTICE
) -> list[dict[str, Any]]:
    """axe's violations for the page as it is now (injecting axe if needed).

    `rules` are run on top of the rules `tags` select.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        """async ([tags, rules]) => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                rules: Object.fromEntries(rules.map(id => [id, {enabled: true}])),
                resultTypes: ['violations'],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.map(String), html: n.html,
                    summary: n.failureSummary || '',
                })),
            }));
        }""",
        [list(tags), list(rules)],
    )
    return list(result)


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v.get("impact") in BLOCKING or v.get("id") in BEST_PRACTICE]


def describe(violations: list[dict[str, Any]], where: str = "") -> str:
    """A readable report: rule, impact, what to fix, and each offending element."""
    lines = [f"{len(violations)} axe-core violation(s){' on ' + where if where else ''}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    at {' '.join(node['target'])}")
            lines.append(f"       {node['html'][:160]}")
            for reason in node["summary"].splitlines()[1:3]:
                lines.append(f"       {reason.strip()}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more elements")
    return "\n".join(lines)
