"""Shared test fixtures. Each fixture lives in tests/support/ and is exposed here."""

import os

from hypothesis import settings as _hypothesis_settings

from tests.support.browser import browser, hub_server, hub_site, mobile_tab, tab  # noqa: F401
from tests.support.feedserver import feed_server  # noqa: F401

# Property tests explore new examples on developer machines; in CI they replay a
# fixed set, so a run is reproducible and never fails by chance.
_hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
_hypothesis_settings.register_profile("dev", deadline=None)
_hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")
