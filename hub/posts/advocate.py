"""The advocate code: the one rule for what an employee may type and we credit.

Sync keeps caption room for it, `check` validates advocates.yml by it,
analytics credits utm_content by it, and the share form and hub.js read it
from the data attribute the build writes (`data-code-pattern`,
`data-code-max`), so the rule cannot drift between Python and the browser.
"""

from __future__ import annotations

import re

ALPHABET = r"A-Za-z0-9._\-"  # "\-": valid in Python, JS and HTML pattern= (v flag)
MAX_LENGTH = 40
PATTERN = f"[{ALPHABET}]{{1,{MAX_LENGTH}}}"  # HTML pattern= and JS RegExp body alike
CODE = re.compile(f"^{PATTERN}$")
PARAMETER = "&utm_content="
# The code's characters are all unreserved in URLs, so it is never percent-encoded.
LINK_ROOM = len(PARAMETER) + MAX_LENGTH
HELP = f"1 to {MAX_LENGTH} letters, digits, . _ or -"


def valid(code: str) -> bool:
    """True when `code` is one an employee can enter and analytics will credit."""
    return bool(CODE.match(code))

